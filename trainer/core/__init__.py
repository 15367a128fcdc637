"""Domain core: plain Python, no Flask, no SQLAlchemy (tests/core/test_architecture.py enforces it)."""
