"""The cost tables: revenue lost and at risk per specialty and week, claims, denials,
productivity and E/M bias beside accuracy, and the E/M level distribution against the keys'.

They sum the per-attempt cost figures (``Attempt.revenue_under_cents`` ...) set when a chart
is graded, through the kept summary rows (``services.report_summaries``): the per-trainee
figures from the per-template rows summed per trainee (``trainee_cost_sums``), revenue from
the per-week rows, the E/M levels from the per-pair rows. The same
functions serve the cohort report (every member) and a trainee's progress page (one id).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import func, select

from trainer.core.content.templates import SPECIALTIES
from trainer.core.pricing.costs import em_level_difference
from trainer.core.stats.bias import bias_verdict, sign_test

from ...models import (
    Cohort,
    CohortEmSummary,
    CohortWeekSummary,
    TraineeEmSummary,
    TraineeWeekSummary,
    User,
    utcnow,
)
from .queries import plain_rows, summary, trainee_cost_sums
from .tables import Table, pct
from .trend import week_bounds, week_label

ESTIMATE = (
    "National unadjusted Medicare PFS estimates (CY2025), professional charts only; charts "
    "graded before pricing existed count as $0."
)


@dataclass
class CostCells:
    """Per trainee: charts, clean charts, denied lines, lines, cents lost, cents at risk;
    and the trainee's (key E/M code, coded E/M code) pairs with their chart counts."""

    per_user: dict[int, list[int]] = field(default_factory=dict)
    em: dict[int, Counter[tuple[str, str]]] = field(default_factory=dict)


def cost_cells(ids: list[int], from_attempts: bool = False) -> CostCells:
    """The per-trainee cost sums and the E/M pairs, from the summary rows."""
    out = CostCells()
    for user_id, *sums in trainee_cost_sums(ids, from_attempts):
        out.per_user[user_id] = [int(v) for v in sums]
    out.em = em_pairs(ids, from_attempts)
    return out


def em_pairs(ids: list[int], from_attempts: bool = False) -> dict[int, Counter[tuple[str, str]]]:
    """Per trainee: charts per (key E/M code, coded E/M code) pair."""
    out: dict[int, Counter[tuple[str, str]]] = {}
    if ids:
        pairs = summary(TraineeEmSummary, ids, from_attempts)
        statement = select(pairs.c.user_id, pairs.c.em_key, pairs.c.em_given, pairs.c.charts).where(
            pairs.c.user_id.in_(ids)
        )
        for user_id, key, given, n in plain_rows(statement)[0]:
            out.setdefault(user_id, Counter())[(key, given)] += n
    return out


def cohort_em_pairs(cohort: Cohort) -> Counter[tuple[str, str]]:
    """The cohort's kept E/M pair counts (every member)."""
    kept = CohortEmSummary
    statement = select(kept.em_key, kept.em_given, kept.charts).where(
        kept.cohort_id == cohort.id, kept.trainees > 0
    )
    out: Counter[tuple[str, str]] = Counter()
    for key, given, n in plain_rows(statement)[0]:
        out[(key, given)] += int(n)
    return out


def _dollars(cents: int) -> str:
    return f"{cents / 100:.2f}"


def revenue_table(
    ids: list[int], from_attempts: bool = False, cohort: Cohort | None = None
) -> Table:
    """Revenue lost to undercoding and at risk from overcoding, per specialty and ISO week:
    of these trainees, or (``cohort``, not ``from_attempts``) from the cohort's kept sums."""
    table = Table(
        "revenue",
        "Revenue lost and at risk, per week",
        ["week", "specialty", "charts_with_money_errors", "revenue_lost_$", "at_risk_$"],
        note=ESTIMATE + " Lost: keyed services under-coded or missed; at risk: services "
        "over-coded or not supported (an audit would take them back).",
    )
    starts, first, after = week_bounds(utcnow())
    weeks: Any
    if cohort is not None and not from_attempts:
        weeks = CohortWeekSummary.__table__
        scope = weeks.c.cohort_id == cohort.id
    else:
        if not ids:
            return table
        weeks = summary(TraineeWeekSummary, ids, from_attempts)
        scope = weeks.c.user_id.in_(ids)
    # A cohort row sums its members' rows, money_charts > 0 or not: the rows without money
    # errors add 0 to every sum (the cost figures are never negative).
    statement = (
        select(
            weeks.c.week_start,
            weeks.c.specialty,
            func.sum(weeks.c.money_charts),
            func.sum(weeks.c.under_cents),
            func.sum(weeks.c.over_cents),
        )
        .where(
            scope,
            weeks.c.money_charts > 0,
            weeks.c.week_start >= first,
            weeks.c.week_start < after,
        )
        .group_by(weeks.c.week_start, weeks.c.specialty)
    )
    by_week: dict[str, list[tuple[str, int, int, int]]] = {}
    for week_start, specialty, n, under, over in plain_rows(statement)[0]:
        by_week.setdefault(week_label(week_start), []).append(
            (specialty, int(n), int(under), int(over))
        )
    for label in [week_label(start.date()) for start in starts]:
        rows = sorted(by_week.get(label, []))
        if not rows:
            continue
        total = [0, 0, 0]
        for specialty, n, under, over in rows:
            table.rows.append(
                [
                    label,
                    SPECIALTIES.get(specialty, specialty),
                    n,
                    _dollars(under),
                    _dollars(over),
                ]
            )
            table.classes.append([""] * 5)
            total = [total[0] + n, total[1] + under, total[2] + over]
        table.rows.append([label, "Total", total[0], _dollars(total[1]), _dollars(total[2])])
        table.classes.append(["total"] * 5)
    return table


def claims_table(
    users: list[User], cells: CostCells, accuracy: dict[int, tuple[float | None, int]]
) -> Table:
    """Clean-claim and coding-caused denial rates, productivity, money and E/M bias beside
    accuracy. ``accuracy``: per trainee, code-level accuracy and seconds spent."""
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
            "em_higher",
            "em_lower",
            "em_n",
            "em_p_value",
            "em_bias",
        ],
        linked=True,
        note="A clean claim has no line the payer edits would deny (first-pass); the denial "
        "rate is coding-caused denied lines over lines entered. Charts per hour against "
        "accuracy shows the speed/quality trade-off. E/M bias: two-sided exact sign test on "
        "the charts coded at another level of the key's E/M family (n of them; ties dropped), "
        "flagged when p < 0.05 with at least 5. " + ESTIMATE,
    )
    for user in users:
        n, clean, denied, lines, under, over = cells.per_user.get(user.id, [0] * 6)
        em = em_distribution(cells.em.get(user.id, Counter()))
        higher, lower = em.higher, em.lower
        acc, seconds = accuracy.get(user.id, (None, 0))
        hours = seconds / 3600
        verdict = em.verdict
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
                higher,
                lower,
                higher + lower,
                f"{em.p_value:.3f}",
                verdict,
            ]
        )
        table.classes.append(["flag" if verdict else ""] * 15)
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

    @cached_property
    def p_value(self) -> float:
        return sign_test(self.higher, self.lower)

    @property
    def verdict(self) -> str:
        return bias_verdict(self.higher, self.lower, self.p_value)


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


def cost_tables(
    users: list[User],
    ids: list[int],
    accuracy: dict[int, tuple[float | None, int]],
    from_attempts: bool = False,
    cohort: Cohort | None = None,
    all_ids: list[int] | None = None,
) -> tuple[dict[str, Table], EmDistribution]:
    """Every cost table, and the E/M distribution the page draws. The claims table lists
    ``users``; revenue and the E/M levels are theirs, or the whole ``cohort``'s (its kept
    sums; ``from_attempts``: every member, ``all_ids``, computed from the attempts)."""
    sums = cost_cells(ids, from_attempts)
    merged: Counter[tuple[str, str]] = Counter()
    if cohort is not None and not from_attempts:
        merged = cohort_em_pairs(cohort)
    else:
        scope = sums.em if cohort is None else em_pairs(all_ids or [], from_attempts)
        for pairs in scope.values():
            merged.update(pairs)
    dist = em_distribution(merged)
    wide = ids if cohort is None else (all_ids or [])
    return {
        "revenue": revenue_table(wide, from_attempts, cohort),
        "claims": claims_table(users, sums, accuracy),
        "em_levels": em_table(dist),
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
