"""The database's clock: exam deadlines are set and checked against it, never a worker's.

Two workers (or two machines) can disagree about the time; the database is the one place
every write passes through, so an exam's start, its deadline and the check that refuses a
late answer all read the same clock (SQLite and PostgreSQL both keep it in UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from ..extensions import db


def aware_utc(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def database_now(session: Session | scoped_session | None = None) -> datetime:
    """The current UTC time as the database sees it (to the millisecond on SQLite)."""
    session = session or db.session
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # CURRENT_TIMESTAMP has whole seconds only; strftime('%f') gives milliseconds.
        raw = session.scalar(select(func.strftime("%Y-%m-%d %H:%M:%f", "now")))
        return datetime.fromisoformat(str(raw)).replace(tzinfo=UTC)
    if dialect == "postgresql":
        # now() is the transaction's start; the statement's own time is the fresher one.
        moment = session.scalar(select(func.statement_timestamp()))
    else:
        moment = session.scalar(select(func.now()))
    return aware_utc(moment)  # type: ignore[return-value]
