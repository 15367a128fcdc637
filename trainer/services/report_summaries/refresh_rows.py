"""A refresh: lock the trainees and their cohorts, take their share out of the cohorts'
sums, rewrite their rows from their attempts, put the new share in; and the rebuild of
every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, insert, select

from ...models import Cohort, CohortMember, User
from .cohort_sums import cohort_sources, drop_empty, shares
from .trainee_rows import IDS, sources


def refresh(session: Any, user_ids: Iterable[int]) -> None:
    """Rewrite these trainees' summary rows from their attempts, and move their cohorts'
    sums by the difference, inside the caller's transaction (it must be one that writes; the
    caller commits)."""
    ids = sorted({int(i) for i in user_ids})
    if not ids:
        return
    session.flush()
    conn = session.connection()
    cohorts = lock(conn, ids)
    minus, rewrite, plus = _statements(_dialect(conn))
    for statement in (*minus, *rewrite, *plus):
        conn.execute(statement, {"ids": ids})
    drop_empty(conn, cohorts)


def rebuild(session: Any) -> None:
    """Rewrite every summary row, the cohorts' sums included (the bench after a bulk insert;
    tests)."""
    session.flush()
    dialect = session.get_bind().dialect.name
    for model, source in sources(None, dialect):
        session.execute(delete(model))
        columns = [c.name for c in model.__table__.columns]
        session.execute(insert(model).from_select(columns, source))
    for model, source in cohort_sources(None, +1):
        session.execute(delete(model))
        columns = [c.name for c in model.__table__.columns]
        session.execute(insert(model).from_select(columns, source))


@lru_cache(maxsize=4)
def _statements(dialect: str) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """A refresh's statements for ``IDS``: take the trainees' share out of their cohorts,
    rewrite their rows from the attempts, put the new share in."""
    rewrite: list[Any] = []
    for model, source in sources(IDS, dialect):
        table = model.__table__
        rewrite.append(delete(table).where(table.c.user_id.in_(IDS)))
        rewrite.append(insert(table).from_select([c.name for c in table.columns], source))
    return (shares(dialect, -1), tuple(rewrite), shares(dialect, +1))


def contribute(conn: Any, ids: list[int], sign: int) -> None:
    """Add (``sign`` +1) or take out (-1) these members' rows from their cohorts' sums."""
    minus, _rewrite, plus = _statements(_dialect(conn))
    for statement in plus if sign > 0 else minus:
        conn.execute(statement, {"ids": ids})


def _dialect(conn: Any) -> str:
    bind = conn.get_bind() if hasattr(conn, "get_bind") else conn
    return str(bind.dialect.name)


def lock(conn: Any, ids: list[int], also: Iterable[int] = ()) -> list[int]:
    """The trainees' cohorts (with ``also``), sorted; on PostgreSQL the trainees' rows and then
    those cohorts' rows are locked (FOR NO KEY UPDATE: inserts that only reference them, as an
    attempt references its user, do not wait)."""
    postgres = _dialect(conn) == "postgresql"
    if postgres:
        conn.execute(
            select(User.id)
            .where(User.id.in_(ids))
            .order_by(User.id)
            .with_for_update(key_share=True)
        )
    found = conn.execute(
        select(CohortMember.cohort_id).where(CohortMember.user_id.in_(ids))
    ).scalars()
    cohorts = sorted({int(c) for c in found} | {int(c) for c in also if c is not None})
    if postgres and cohorts:
        conn.execute(
            select(Cohort.id)
            .where(Cohort.id.in_(cohorts))
            .order_by(Cohort.id)
            .with_for_update(key_share=True)
        )
    return cohorts
