"""`cohort_report`: every table of the cohort report, from the kept summary rows.

The per-trainee tables list one page of members (``PAGE_SIZE`` in name order; the CSV
exports ask for every member); what describes the whole cohort (the matrix's columns and
cohort row, the trend's weeks, the peers' median and percentiles, errors, items, revenue and
E/M levels) is read from the cohort's kept sums, so a page costs the same whatever the
cohort's size.
"""

from __future__ import annotations

import math

from trainer.core.content.templates import TemplateLibrary
from trainer.core.stats.mastery import AccuracySummary

from ...models import Cohort
from .accuracy import matrix_table, overall, peers_table, productivity_table, ready_table
from .costs import cost_tables
from .errors import errors_table
from .items import items_table
from .queries import (
    cohort_specialties,
    member_accuracies,
    member_count,
    member_ids,
    members,
    specialty_cells,
)
from .refreshers import refreshers_table
from .tables import CohortReport, PerTrainee
from .trend import trend_table

PAGE_SIZE = 50


def cohort_report(
    cohort: Cohort,
    library: TemplateLibrary,
    target: float,
    elite: float,
    *,
    from_attempts: bool = False,
    page: int = 1,
    per_page: int | None = PAGE_SIZE,
) -> CohortReport:
    """Every table, from the kept summary rows, for one page of trainees (``per_page`` None:
    every member); ``from_attempts`` computes the same from the attempts on the spot (what
    the summaries must equal; the tests compare the two)."""
    total = member_count(cohort)
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page if per_page else 0
    users, targets = members(cohort, offset, per_page)
    ids = [u.id for u in users]
    # Every member's id only where the figures are computed from the attempts.
    all_ids = member_ids(cohort) if from_attempts else []
    names = {u.id: u.display_name for u in users}
    per: PerTrainee = {i: {} for i in ids}
    for user_id, specialty, n, ok, cc, ct, secs in specialty_cells(ids, from_attempts):
        own = float(targets[user_id].get(specialty, target))
        summary = AccuracySummary(int(n), int(ok), int(cc), int(ct), own, max(own, elite))
        per[user_id][specialty] = (summary, int(secs))
    totals = {user_id: overall(cells_of, target) for user_id, cells_of in per.items()}
    tables = {
        "matrix": matrix_table(users, per, cohort_specialties(cohort, all_ids, from_attempts)),
        "ready": ready_table(users, per),
        "trend": trend_table(users, ids, cohort, all_ids, from_attempts),
        "errors": errors_table(cohort, all_ids, from_attempts),
        "productivity": productivity_table(users, per, totals),
        "peers": peers_table(users, totals, member_accuracies(cohort, all_ids, from_attempts)),
        "items": items_table(cohort, all_ids, library, from_attempts),
        "refreshers": refreshers_table(cohort, names),
    }
    accuracy = {}
    for user_id, cells_of in per.items():
        accuracy[user_id] = (
            totals[user_id].code_accuracy,
            sum(secs for _, secs in cells_of.values()),
        )
    costs, em = cost_tables(users, ids, accuracy, from_attempts, cohort, all_ids)
    tables.update(costs)
    return CohortReport(cohort, users, tables, em, total, page, pages, offset)
