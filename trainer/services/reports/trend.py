"""The weekly accuracy trend per trainee (the last `TREND_WEEKS` ISO weeks)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, bindparam, func, select

from ...extensions import db
from ...models import Attempt, User, utcnow
from .queries import plain_rows, practice_of
from .tables import Table, pct

TREND_WEEKS = 8


def week_starts(now: datetime) -> list[datetime]:
    """Mondays 00:00 UTC of the last TREND_WEEKS ISO weeks, oldest first."""
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [monday - timedelta(weeks=k) for k in range(TREND_WEEKS - 1, -1, -1)]


def trend_table(users: list[User], ids: list[int]) -> Table:
    """Code accuracy per trainee per ISO week.

    One small query per week: each reads that week's range of the trend index in order and
    sums per trainee, which is several times cheaper than grouping every row by a computed
    week (a temporary B-tree over the whole window).
    """
    starts = week_starts(utcnow())
    labels = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in starts]
    sums: dict[tuple[int, str], tuple[int, int]] = {}
    if ids:
        ends = starts[1:] + [starts[-1] + timedelta(weeks=1)]
        as_bound = Attempt.__table__.c.submitted_at.type.bind_processor(db.engine.dialect)
        statement = (
            select(
                Attempt.user_id,
                func.coalesce(func.sum(Attempt.code_correct), 0),
                func.coalesce(func.sum(Attempt.code_total), 0),
            )
            .where(
                *practice_of(ids),
                Attempt.submitted_at >= bindparam("week_start", starts[0], DateTime(timezone=True)),
                Attempt.submitted_at < bindparam("week_end", ends[-1], DateTime(timezone=True)),
            )
            .group_by(Attempt.user_id)
        )
        runs = [
            {
                "week_start": as_bound(start) if as_bound else start,
                "week_end": as_bound(end) if as_bound else end,
            }
            for start, end in zip(starts, ends, strict=True)
        ]
        for label, rows in zip(labels, plain_rows(statement, runs), strict=True):
            for user_id, cc, ct in rows:
                sums[(user_id, label)] = (int(cc), int(ct))
    used = [w for w in labels if any(key[1] == w for key in sums)]
    table = Table(
        "trend",
        f"Weekly trend (last {TREND_WEEKS} weeks)",
        ["trainee", "username"] + used,
        linked=True,
        note="Code-level accuracy % per ISO week; open a trainee for the chart by specialty.",
    )
    for user in users:
        row: list[Any] = [user.display_name, user.username]
        for week in used:
            cc, ct = sums.get((user.id, week), (0, 0))
            row.append(pct(cc / ct) if ct else "")
        table.rows.append(row)
    return table
