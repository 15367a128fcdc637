"""The cohort report: every table a supervisor certifies trainees from, each exportable as CSV.

All figures are sums of the kept summary rows (``services.report_summaries``: per trainee and
template, per trainee, week and specialty, per trainee and E/M pair, per trainee and error
type), so the report reads a few rows per trainee instead of every attempt. Refresher charts
(``Attempt.course``) are left out of the practice figures and reported in their own table.

The package's modules follow the report's seams: `tables` (the shapes), `queries` (members and
the summary rows), `accuracy`, `trend`, `errors`, `items`, `refreshers`, `costs` (one table family
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
