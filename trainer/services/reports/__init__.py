"""The cohort report: every table a supervisor certifies trainees from, each exportable as CSV.

All figures come from a handful of grouped queries (per trainee and specialty, per trainee and
template, per trainee and week, per error type), so the report stays fast at 200 trainees with
500 charts each. Refresher charts (``Attempt.course``) are left out of the practice figures and
reported in their own table.

The package's modules follow the report's seams: `tables` (the shapes), `queries` (members and
the one scan), `accuracy`, `trend`, `errors`, `items`, `refreshers`, `costs` (one table family
each) and `cohort` (the front door, `cohort_report`).
"""

from .cohort import cohort_report
from .costs import PROGRESS_TABLES, EmDistribution, trainee_cost_tables
from .tables import CohortReport, Table

__all__ = [
    "PROGRESS_TABLES",
    "CohortReport",
    "EmDistribution",
    "Table",
    "cohort_report",
    "trainee_cost_tables",
]
