"""The report's per-trainee summaries (``services/report_summaries``): sums of each trainee's
counted practice charts, rewritten in the transaction of every grade change, so the cohort
report reads a few rows per trainee instead of every attempt.

Each model states its keys and what it sums; the trainee key and the clustering come from
``TraineeRows`` (``summary_shape``). The columns are in the order the refresh's SELECTs fill.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped

from ..extensions import Model
from .summary_shape import CLUSTERED, TraineeRows, key, summed


class TraineeTemplateSummary(TraineeRows, Model):
    """Per trainee and template: the cells the accuracy, item and claims tables sum."""

    __tablename__ = "trainee_template_summaries"
    # Clustered on the key (SQLite): each trainee's rows are one range, in specialty order, so
    # the per-specialty sums stream without a sort.
    __table_args__ = (PrimaryKeyConstraint("user_id", "specialty", "template_id"), dict(CLUSTERED))

    template_id: Mapped[str] = key(String(36))
    specialty: Mapped[str] = key(String(40))
    charts: Mapped[int] = summed()
    charts_correct: Mapped[int] = summed()
    codes_correct: Mapped[int] = summed()
    codes_total: Mapped[int] = summed()
    seconds: Mapped[int] = summed()
    clean_charts: Mapped[int] = summed()
    lines_denied: Mapped[int] = summed()
    lines_total: Mapped[int] = summed()
    under_cents: Mapped[int] = summed()
    over_cents: Mapped[int] = summed()


class TraineeWeekSummary(TraineeRows, Model):
    """Per trainee, ISO week (its Monday, UTC) and specialty: the trend and revenue tables."""

    __tablename__ = "trainee_week_summaries"

    week_start: Mapped[str] = key(String(10))
    specialty: Mapped[str] = key(String(40))
    codes_correct: Mapped[int] = summed()
    codes_total: Mapped[int] = summed()
    money_charts: Mapped[int] = summed()
    under_cents: Mapped[int] = summed()
    over_cents: Mapped[int] = summed()


class TraineeEmSummary(TraineeRows, Model):
    """Per trainee: charts per (key E/M code, coded E/M code) pair, for the level table."""

    __tablename__ = "trainee_em_summaries"

    em_key: Mapped[str] = key(String(5))
    em_given: Mapped[str] = key(String(5))
    charts: Mapped[int] = summed()


class TraineeErrorSummary(TraineeRows, Model):
    """Per trainee and error type: how many errors of that type their counted charts hold."""

    __tablename__ = "trainee_error_summaries"

    error_type: Mapped[str] = key(String(32))
    errors: Mapped[int] = summed()


class TraineeSpecialtySummary(TraineeRows, Model):
    """Per trainee and specialty: the matrix, ready and productivity cells of a page."""

    __tablename__ = "trainee_specialty_summaries"

    specialty: Mapped[str] = key(String(40))
    charts: Mapped[int] = summed()
    charts_correct: Mapped[int] = summed()
    codes_correct: Mapped[int] = summed()
    codes_total: Mapped[int] = summed()
    seconds: Mapped[int] = summed()


class TraineeTotalSummary(TraineeRows, Model):
    """Per trainee: their counted practice charts summed over every template (the claims
    table, the peer comparison's cohort median, the item analysis's 'every other
    template')."""

    __tablename__ = "trainee_total_summaries"
    # One integer key, which SQLite's rowid already is: nothing to cluster.
    __table_args__: Any = {}

    charts: Mapped[int] = summed()
    codes_correct: Mapped[int] = summed()
    codes_total: Mapped[int] = summed()
    clean_charts: Mapped[int] = summed()
    lines_denied: Mapped[int] = summed()
    lines_total: Mapped[int] = summed()
    under_cents: Mapped[int] = summed()
    over_cents: Mapped[int] = summed()
