"""Benchmarks and their synthetic data (not part of the app, not part of `make test`)."""
