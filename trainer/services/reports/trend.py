"""The weekly accuracy trend per trainee (the last `TREND_WEEKS` ISO weeks)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select

from ...models import Cohort, CohortWeekSummary, TraineeWeekSummary, User, utcnow
from .queries import plain_rows, summary
from .tables import Table, pct

TREND_WEEKS = 8


def week_starts(now: datetime) -> list[datetime]:
    """Mondays 00:00 UTC of the last TREND_WEEKS ISO weeks, oldest first."""
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [monday - timedelta(weeks=k) for k in range(TREND_WEEKS - 1, -1, -1)]


def week_bounds(now: datetime) -> tuple[list[datetime], str, str]:
    """The report's weeks, and the first and the after-last Monday as the summaries'
    'YYYY-MM-DD' week keys."""
    starts = week_starts(now)
    return (
        starts,
        starts[0].date().isoformat(),
        (starts[-1] + timedelta(weeks=1)).date().isoformat(),
    )


@lru_cache(maxsize=512)
def week_label(week_start: Any) -> str:
    """'2026-W48' for the Monday '2026-11-23' (a string on SQLite, a string or date on PG);
    cached: a report asks for the same eight weeks once per trainee."""
    year, week, _ = date.fromisoformat(str(week_start)[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def cohort_weeks(
    cohort: Cohort, all_ids: list[int], first: str, after: str, from_attempts: bool = False
) -> set[str]:
    """The weeks (labels) between ``first`` and ``after`` in which any member has a chart:
    the trend's columns, the same on every page of the report."""
    statement: Any
    if from_attempts:
        if not all_ids:
            return set()
        weeks = summary(TraineeWeekSummary, all_ids, True)
        statement = (
            select(weeks.c.week_start)
            .where(
                weeks.c.user_id.in_(all_ids),
                weeks.c.week_start >= first,
                weeks.c.week_start < after,
            )
            .distinct()
        )
    else:
        kept = CohortWeekSummary
        statement = (
            select(kept.week_start)
            .where(
                kept.cohort_id == cohort.id,
                kept.trainees > 0,
                kept.week_start >= first,
                kept.week_start < after,
            )
            .distinct()
        )
    return {week_label(week_start) for (week_start,) in plain_rows(statement)[0]}


def trend_table(
    users: list[User],
    ids: list[int],
    cohort: Cohort,
    all_ids: list[int],
    from_attempts: bool = False,
) -> Table:
    """Code accuracy per listed trainee per ISO week, from the per-trainee-week summary rows;
    the columns are the weeks any member of the cohort coded in."""
    starts, first, after = week_bounds(utcnow())
    labels = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in starts]
    sums: dict[tuple[int, str], tuple[int, int]] = {}
    if ids:
        weeks = summary(TraineeWeekSummary, ids, from_attempts)
        statement = (
            select(
                weeks.c.user_id,
                weeks.c.week_start,
                func.coalesce(func.sum(weeks.c.codes_correct), 0),
                func.coalesce(func.sum(weeks.c.codes_total), 0),
            )
            .where(
                weeks.c.user_id.in_(ids),
                weeks.c.week_start >= first,
                weeks.c.week_start < after,
            )
            .group_by(weeks.c.user_id, weeks.c.week_start)
        )
        for user_id, week_start, cc, ct in plain_rows(statement)[0]:
            sums[(user_id, week_label(week_start))] = (int(cc), int(ct))
    active = cohort_weeks(cohort, all_ids, first, after, from_attempts)
    used = [w for w in labels if w in active]
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
