"""Demo data for trying the platform (`flask --app wsgi seed-demo`); never in production."""
