"""`cohort_report`: every table of the cohort report, from the kept summary rows."""

from __future__ import annotations

from trainer.core.content.templates import TemplateLibrary
from trainer.core.stats.mastery import AccuracySummary

from ...models import Cohort
from .accuracy import matrix_table, overall, peers_table, productivity_table, ready_table
from .costs import cost_tables
from .errors import errors_table
from .items import items_table
from .queries import members, specialty_cells, template_cells
from .refreshers import refreshers_table
from .tables import CohortReport, PerTrainee
from .trend import trend_table


def cohort_report(
    cohort: Cohort,
    library: TemplateLibrary,
    target: float,
    elite: float,
    *,
    from_attempts: bool = False,
) -> CohortReport:
    """Every table, from the kept summary rows; ``from_attempts`` computes the same sums from
    the attempts on the spot (what the summaries must equal; the tests compare the two)."""
    users, targets = members(cohort)
    ids = [u.id for u in users]
    names = {u.id: u.display_name for u in users}
    cells = template_cells(ids, from_attempts)  # the item analysis needs every one
    per: PerTrainee = {i: {} for i in ids}
    for user_id, specialty, n, ok, cc, ct, secs in specialty_cells(ids, from_attempts):
        own = float(targets[user_id].get(specialty, target))
        summary = AccuracySummary(int(n), int(ok), int(cc), int(ct), own, max(own, elite))
        per[user_id][specialty] = (summary, int(secs))
    specialties = sorted({s for cells in per.values() for s in cells})
    totals = {user_id: overall(cells_of, target) for user_id, cells_of in per.items()}
    tables = {
        "matrix": matrix_table(users, per, specialties),
        "ready": ready_table(users, per),
        "trend": trend_table(users, ids, from_attempts),
        "errors": errors_table(ids, from_attempts),
        "productivity": productivity_table(users, per, totals),
        "peers": peers_table(users, totals),
        "items": items_table(ids, cells, library),
        "refreshers": refreshers_table(cohort, names),
    }
    accuracy = {}
    for user_id, cells_of in per.items():
        accuracy[user_id] = (
            totals[user_id].code_accuracy,
            sum(secs for _, secs in cells_of.values()),
        )
    costs, em = cost_tables(users, ids, accuracy, from_attempts)
    tables.update(costs)
    return CohortReport(cohort, users, tables, em)
