"""`python -m bench.data [options]`: `bench-data` on the app that DATABASE_URL and the config select."""

from __future__ import annotations

from app import create_app
from bench.data.cli import bench_data_command

if __name__ == "__main__":
    with create_app().app_context():
        bench_data_command.main(prog_name="python -m bench.data")
