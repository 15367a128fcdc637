"""Benchmarks and the load test: they depend on the app, the app never on them."""
