"""The report's shapes: a `Table` (what the page shows and the CSV writes) and the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trainer.core.stats.mastery import AccuracySummary

from ...core.csv_files import write_csv
from ...models import Cohort, User

PerTrainee = dict[int, dict[str, tuple[AccuracySummary, int]]]
"""Per trainee id, per specialty: the accuracy summary and the seconds spent."""


@dataclass
class Table:
    """One report table: what the page shows and the CSV export writes, cell for cell."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    classes: list[list[str]] = field(default_factory=list)  # per-cell CSS hints (page only)
    linked: bool = False  # the first column names a trainee (username in the second)
    note: str = ""

    def csv(self) -> str:
        return write_csv(self.columns, self.rows)


@dataclass
class CohortReport:
    cohort: Cohort
    trainees: list[User]
    tables: dict[str, Table]
    em: Any = None  # the cohort's E/M level distribution (costs.EmDistribution), for the chart
    total_trainees: int = 0  # every member; ``trainees`` is the page listed
    page: int = 1
    pages: int = 1
    offset: int = 0  # members before this page

    @property
    def user_ids(self) -> dict[str, int]:
        """Username to id, so table rows can link to the trainee's page."""
        return {u.username: u.id for u in self.trainees}


def pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"
