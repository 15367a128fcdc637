"""Accuracy tables: the specialty matrix, the ready list, productivity and peer comparison.

All are sums of the per trainee x specialty summaries `cohort_report` builds once.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from typing import Any

from trainer.core.content.templates import SPECIALTIES
from trainer.core.stats.mastery import STATUS_LABELS, AccuracySummary

from ...models import User
from .tables import PerTrainee, Table, pct


def overall(cells: dict[str, tuple[AccuracySummary, int]], target: float) -> AccuracySummary:
    return AccuracySummary(
        sum(s.charts for s, _ in cells.values()),
        sum(s.charts_correct for s, _ in cells.values()),
        sum(s.codes_correct for s, _ in cells.values()),
        sum(s.codes_total for s, _ in cells.values()),
        target,
    )


def matrix_table(
    users: list[User], per: PerTrainee, specialties: dict[str, tuple[int, int]]
) -> Table:
    """The listed trainees' cells; the columns and the cohort row come from every member
    (``specialties``: codes right and codes per specialty, summed over the cohort)."""
    table = Table(
        "matrix",
        "Accuracy by specialty against target",
        ["trainee", "username"] + [SPECIALTIES.get(s, s) for s in sorted(specialties)],
        linked=True,
        note="Code-level accuracy % (charts); the status uses the 95% Wilson lower bound "
        "against the trainee's target for the specialty, after 30 charts.",
    )
    labels = {status: label.lower() for status, label in STATUS_LABELS.items()}
    columns = sorted(specialties)
    for user in users:
        row: list[Any] = [user.display_name, user.username]
        css = ["", ""]
        for specialty in columns:
            cell = per[user.id].get(specialty)
            if cell is None:
                row.append("")
                css.append("")
                continue
            summary = cell[0]
            status = summary.status  # a Wilson interval each time: read once
            row.append(f"{pct(summary.code_accuracy)} ({summary.charts}) {labels[status]}")
            css.append(f"status-{status}")
        table.rows.append(row)
        table.classes.append(css)
    totals: list[Any] = ["Cohort", ""]
    for specialty in columns:
        cc, ct = specialties[specialty]
        totals.append(pct(cc / ct) if ct else "")
    table.rows.append(totals)
    table.classes.append([""] * len(totals))
    return table


def ready_table(users: list[User], per: PerTrainee) -> Table:
    table = Table(
        "ready",
        "Ready: at target per specialty",
        ["trainee", "username", "specialty", "code_accuracy_%", "ci_low_%", "target_%", "charts"],
        note="Trainees whose Wilson lower bound has reached their target in a specialty.",
    )
    for user in users:
        for specialty, (summary, _) in sorted(per[user.id].items()):
            if summary.status in ("at_target", "elite"):
                table.rows.append(
                    [
                        user.display_name,
                        user.username,
                        SPECIALTIES.get(specialty, specialty),
                        pct(summary.code_accuracy),
                        pct(summary.code_interval[0]),
                        pct(summary.target),
                        summary.charts,
                    ]
                )
    return table


def productivity_table(
    users: list[User], per: PerTrainee, totals: dict[int, AccuracySummary]
) -> Table:
    table = Table(
        "productivity",
        "Productivity",
        [
            "trainee",
            "username",
            "charts",
            "hours",
            "charts_per_hour",
            "minutes_per_chart",
            "code_accuracy_%",
        ],
        note="Time is what the trainee spent on each chart's page (idle tabs are capped).",
    )
    for user in users:
        cells = per[user.id]
        charts = sum(s.charts for s, _ in cells.values())
        seconds = sum(secs for _, secs in cells.values())
        summary = totals[user.id]
        hours = seconds / 3600
        table.rows.append(
            [
                user.display_name,
                user.username,
                charts,
                f"{hours:.1f}",
                f"{charts / hours:.1f}" if hours else "",
                f"{seconds / 60 / charts:.1f}" if charts else "",
                pct(summary.code_accuracy),
            ]
        )
    return table


def peers_table(
    users: list[User], totals: dict[int, AccuracySummary], values: list[float]
) -> Table:
    """The listed trainees against the whole cohort (``values``: every member's code
    accuracy, sorted)."""
    table = Table(
        "peers",
        "Peer comparison",
        [
            "trainee",
            "username",
            "code_accuracy_%",
            "cohort_median_%",
            "difference_points",
            "percentile",
            "charts",
        ],
        note="Each trainee against the cohort's median; percentile = share of peers below.",
    )
    median = statistics.median(values) if values else None
    for user in users:
        acc = totals[user.id].code_accuracy
        if acc is None or median is None:
            table.rows.append([user.display_name, user.username, "", pct(median), "", "", 0])
            continue
        below = bisect_left(values, acc)  # peers strictly below
        table.rows.append(
            [
                user.display_name,
                user.username,
                pct(acc),
                pct(median),
                f"{(acc - median) * 100:+.1f}",
                f"{below / max(1, len(values) - 1) * 100:.0f}" if len(values) > 1 else "",
                totals[user.id].charts,
            ]
        )
    return table
