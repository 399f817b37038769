"""Synthetic kader data for benchmarks, outside the production package.

Run it with `.venv/bin/python -m bench.data --kabupaten 1 --kader 10000` (the database from
DATABASE_URL, as `flask --app wsgi` uses it), or register `bench-data` on an app with
`bench.data.cli.register(app)`. See bench/README.md.
"""
