"""Domain core: plain Python, no Flask and no SQLAlchemy (tests/core/test_architecture.py)."""
