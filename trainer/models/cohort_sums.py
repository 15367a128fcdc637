"""The cohort's sums of its members' summary rows (``services/report_summaries``): adjusted by
each member's change (and a member joining or leaving) in the same transaction, so the
cohort-wide tables read a few hundred rows whatever the cohort's size.

Each model states its keys and what it sums; the cohort key, ``trainees`` (the member rows
summed; a row summing none is deleted) and the clustering come from ``CohortRows``
(``summary_shape``).
"""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped

from ..extensions import Model
from .summary_shape import CohortRows, key, summed


class CohortTemplateSummary(CohortRows, Model):
    """Per cohort and template: the item analysis (counts, and the sums over trainees of
    x = share of charts right, y = accuracy on every other template, x², y², xy)."""

    __tablename__ = "cohort_template_summaries"

    template_id: Mapped[str] = key(String(36))
    charts: Mapped[int] = summed()
    charts_correct: Mapped[int] = summed()
    codes_correct: Mapped[int] = summed()
    codes_total: Mapped[int] = summed()
    item_n: Mapped[int] = summed()
    sum_x: Mapped[float] = summed(Float)
    sum_y: Mapped[float] = summed(Float)
    sum_xx: Mapped[float] = summed(Float)
    sum_yy: Mapped[float] = summed(Float)
    sum_xy: Mapped[float] = summed(Float)


class CohortSpecialtySummary(CohortRows, Model):
    """Per cohort and specialty: the matrix's cohort row (its columns, and their accuracy)."""

    __tablename__ = "cohort_specialty_summaries"

    specialty: Mapped[str] = key(String(40))
    codes_correct: Mapped[int] = summed()
    codes_total: Mapped[int] = summed()


class CohortWeekSummary(CohortRows, Model):
    """Per cohort, ISO week and specialty: the revenue table and the trend's weeks."""

    __tablename__ = "cohort_week_summaries"

    week_start: Mapped[str] = key(String(10))
    specialty: Mapped[str] = key(String(40))
    money_charts: Mapped[int] = summed()
    under_cents: Mapped[int] = summed()
    over_cents: Mapped[int] = summed()


class CohortEmSummary(CohortRows, Model):
    """Per cohort and (key E/M, coded E/M) pair: the E/M level table and chart."""

    __tablename__ = "cohort_em_summaries"

    em_key: Mapped[str] = key(String(5))
    em_given: Mapped[str] = key(String(5))
    charts: Mapped[int] = summed()


class CohortErrorSummary(CohortRows, Model):
    """Per cohort and error type: errors, and how many trainees made them."""

    __tablename__ = "cohort_error_summaries"

    error_type: Mapped[str] = key(String(32))
    errors: Mapped[int] = summed()
