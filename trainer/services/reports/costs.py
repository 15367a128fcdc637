"""The cost tables: revenue lost and at risk per specialty and week, claims and productivity
beside accuracy, and the E/M level distribution against the keys' with its bias test.

Each sums the per-attempt cost figures (``Attempt.revenue_under_cents`` ...), set when a
chart is graded, through the ``ix_attempts_costs`` covering index: one grouped scan for the
per-trainee and E/M figures and one small query per week, as the accuracy trend does. The
same functions serve the cohort report (every member) and a trainee's progress page (one id).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import DateTime, bindparam, case, func, select

from trainer.core.content.templates import SPECIALTIES
from trainer.core.pricing.costs import em_level_difference
from trainer.core.stats.bias import bias_verdict, sign_test

from ...extensions import db
from ...models import Attempt, User, utcnow
from .queries import plain_rows, practice_of
from .tables import Table, pct
from .trend import week_starts

ESTIMATE = (
    "National unadjusted Medicare PFS estimates (CY2025), professional charts only; charts "
    "graded before pricing existed count as $0."
)


@dataclass
class CostCells:
    """Per trainee: charts, clean charts, denied lines, lines, cents lost and at risk; and the
    (key, given) E/M code pairs with their counts."""

    per_user: dict[int, list[int]] = field(default_factory=dict)
    em_pairs: dict[int, Counter[tuple[str, str]]] = field(default_factory=dict)


def cost_cells(ids: list[int]) -> CostCells:
    cells = CostCells()
    if not ids:
        return cells
    statement = (
        select(
            Attempt.user_id,
            Attempt.em_key,
            Attempt.em_given,
            func.count(),
            func.coalesce(func.sum(case((Attempt.lines_denied == 0, 1), else_=0)), 0),
            func.coalesce(func.sum(Attempt.lines_denied), 0),
            func.coalesce(func.sum(Attempt.lines_total), 0),
            func.coalesce(func.sum(Attempt.revenue_under_cents), 0),
            func.coalesce(func.sum(Attempt.revenue_over_cents), 0),
        )
        .where(*practice_of(ids))
        .group_by(Attempt.user_id, Attempt.em_key, Attempt.em_given)
    )
    for user_id, em_key, em_given, n, clean, denied, lines, under, over in plain_rows(statement)[0]:
        acc = cells.per_user.setdefault(user_id, [0, 0, 0, 0, 0, 0])
        for i, v in enumerate((n, clean, denied, lines, under, over)):
            acc[i] += int(v)
        if em_key:
            cells.em_pairs.setdefault(user_id, Counter())[(em_key, em_given)] += int(n)
    return cells


def _dollars(cents: int) -> str:
    return f"{cents / 100:.2f}"


def revenue_table(ids: list[int]) -> Table:
    """Revenue lost to undercoding and at risk from overcoding, per specialty and ISO week."""
    table = Table(
        "revenue",
        "Revenue lost and at risk, per week",
        ["week", "specialty", "charts", "revenue_lost_$", "at_risk_$"],
        note=ESTIMATE + " Lost: keyed services under-coded or missed; at risk: services "
        "over-coded or not supported (an audit would take them back).",
    )
    if not ids:
        return table
    starts = week_starts(utcnow())
    ends = starts[1:] + [starts[-1] + timedelta(weeks=1)]
    as_bound = Attempt.__table__.c.submitted_at.type.bind_processor(db.engine.dialect)
    statement = (
        select(
            Attempt.specialty,
            func.count(),
            func.coalesce(func.sum(Attempt.revenue_under_cents), 0),
            func.coalesce(func.sum(Attempt.revenue_over_cents), 0),
        )
        .where(
            *practice_of(ids),
            Attempt.submitted_at >= bindparam("week_start", starts[0], DateTime(timezone=True)),
            Attempt.submitted_at < bindparam("week_end", ends[-1], DateTime(timezone=True)),
        )
        .group_by(Attempt.specialty)
        .order_by(Attempt.specialty)
    )
    runs = [
        {
            "week_start": as_bound(s) if as_bound else s,
            "week_end": as_bound(e) if as_bound else e,
        }
        for s, e in zip(starts, ends, strict=True)
    ]
    for start, rows in zip(starts, plain_rows(statement, runs), strict=True):
        if not rows:
            continue
        year, week, _ = start.isocalendar()
        label = f"{year}-W{week:02d}"
        total = [0, 0, 0]
        for specialty, n, under, over in rows:
            table.rows.append(
                [
                    label,
                    SPECIALTIES.get(specialty, specialty),
                    int(n),
                    _dollars(under),
                    _dollars(over),
                ]
            )
            table.classes.append([""] * 5)
            total = [total[0] + int(n), total[1] + int(under), total[2] + int(over)]
        table.rows.append([label, "Total", total[0], _dollars(total[1]), _dollars(total[2])])
        table.classes.append(["total"] * 5)
    return table


def claims_table(
    users: list[User], cells: CostCells, accuracy: dict[int, tuple[float | None, int]]
) -> Table:
    """Clean-claim and coding-caused denial rates, productivity and money beside accuracy.

    ``accuracy``: per trainee, code-level accuracy and seconds spent (from the report's scan).
    """
    table = Table(
        "claims",
        "Clean claims, denials and productivity beside accuracy",
        [
            "trainee",
            "username",
            "charts",
            "code_accuracy_%",
            "clean_claim_%",
            "denied_lines",
            "denial_rate_%",
            "charts_per_hour",
            "revenue_lost_$",
            "at_risk_$",
        ],
        linked=True,
        note="A clean claim has no line the payer edits would deny (first-pass); the denial "
        "rate is coding-caused denied lines over lines entered. Charts per hour against "
        "accuracy shows the speed/quality trade-off. " + ESTIMATE,
    )
    for user in users:
        n, clean, denied, lines, under, over = cells.per_user.get(user.id, [0, 0, 0, 0, 0, 0])
        acc, seconds = accuracy.get(user.id, (None, 0))
        hours = seconds / 3600
        table.rows.append(
            [
                user.display_name,
                user.username,
                n,
                pct(acc),
                pct(clean / n) if n else "",
                denied,
                pct(denied / lines) if lines else "",
                f"{n / hours:.1f}" if hours else "",
                _dollars(under),
                _dollars(over),
            ]
        )
    return table


@dataclass(frozen=True)
class EmDistribution:
    key_levels: Counter[str]
    given_levels: Counter[str]
    higher: int
    lower: int
    same: int

    @property
    def n(self) -> int:
        return self.higher + self.lower

    @property
    def p_value(self) -> float:
        return sign_test(self.higher, self.lower)

    @property
    def verdict(self) -> str:
        return bias_verdict(self.higher, self.lower)


def em_distribution(pairs: Counter[tuple[str, str]]) -> EmDistribution:
    """Level counts (code's family and level, e.g. "9921x level 4" as "99214") and the signs."""
    key_levels: Counter[str] = Counter()
    given_levels: Counter[str] = Counter()
    higher = lower = same = 0
    for (key, given), n in pairs.items():
        key_levels[key] += n
        if given:
            given_levels[given] += n
        diff = em_level_difference(key, given)
        if diff is None:
            continue
        if diff > 0:
            higher += n
        elif diff < 0:
            lower += n
        else:
            same += n
    return EmDistribution(key_levels, given_levels, higher, lower, same)


def em_table(dist: EmDistribution) -> Table:
    verdict = dist.verdict
    table = Table(
        "em_levels",
        "E/M level distribution against the keys",
        ["code", "key_charts", "key_%", "trainee_charts", "trainee_%"],
        note=(
            f"Sign test on the level differences: {dist.higher} higher, {dist.lower} lower, "
            f"{dist.same} the same (n = {dist.n} differing charts), two-sided exact binomial "
            f"p = {dist.p_value:.3f}. "
            + (
                f"Significant {verdict} bias (p < 0.05)."
                if verdict
                else "No significant bias (p >= 0.05, or fewer than 5 differing charts)."
            )
        ),
    )
    key_total = sum(dist.key_levels.values()) or 1
    given_total = sum(dist.given_levels.values()) or 1
    for code in sorted(set(dist.key_levels) | set(dist.given_levels)):
        k, g = dist.key_levels.get(code, 0), dist.given_levels.get(code, 0)
        table.rows.append([code, k, pct(k / key_total), g, pct(g / given_total)])
    return table


def cohort_em(cells: CostCells) -> EmDistribution:
    merged: Counter[tuple[str, str]] = Counter()
    for pairs in cells.em_pairs.values():
        merged.update(pairs)
    return em_distribution(merged)


def bias_table(users: list[User], cells: CostCells) -> Table:
    """Per trainee: the E/M sign test, so a supervisor sees who leans high or low."""
    table = Table(
        "em_bias",
        "E/M level bias per trainee",
        ["trainee", "username", "higher", "lower", "same", "n", "p_value", "bias"],
        linked=True,
        note="Two-sided exact sign test on the trainee's E/M level differences (ties dropped); "
        "flagged when p < 0.05 with at least 5 differing charts.",
    )
    for user in users:
        dist = em_distribution(cells.em_pairs.get(user.id, Counter()))
        table.rows.append(
            [
                user.display_name,
                user.username,
                dist.higher,
                dist.lower,
                dist.same,
                dist.n,
                f"{dist.p_value:.3f}",
                dist.verdict,
            ]
        )
        table.classes.append(["flag" if dist.verdict else ""] * 8)
    return table


def cost_tables(
    users: list[User], ids: list[int], accuracy: dict[int, tuple[float | None, int]]
) -> tuple[dict[str, Table], EmDistribution]:
    """Every cost table, and the E/M distribution the page draws."""
    cells = cost_cells(ids)
    dist = cohort_em(cells)
    return {
        "revenue": revenue_table(ids),
        "claims": claims_table(users, cells, accuracy),
        "em_levels": em_table(dist),
        "em_bias": bias_table(users, cells),
    }, dist


PROGRESS_TABLES = ("revenue", "claims", "em_levels")


def trainee_cost_tables(
    user: User, accuracy: float | None, seconds: int
) -> tuple[dict[str, Table], EmDistribution]:
    """A trainee's own cost tables for the progress page (no per-trainee bias table: the
    E/M table's note carries the trainee's sign test)."""
    tables, dist = cost_tables([user], [user.id], {user.id: (accuracy, seconds)})
    return {slug: tables[slug] for slug in PROGRESS_TABLES}, dist


__all__ = [
    "PROGRESS_TABLES",
    "EmDistribution",
    "cost_tables",
    "em_distribution",
    "trainee_cost_tables",
]
