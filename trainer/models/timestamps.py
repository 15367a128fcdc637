"""Stored times: every model's default, and reading a time back as aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now, so stored times compare correctly across servers."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC: SQLite hands DateTime(timezone=True) back naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
