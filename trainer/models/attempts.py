"""Charts coded: the attempt (its whole variant, as generated), its grades and error rows,
and the professional + facility pair that ties two attempts of one encounter.

An attempt stores the whole generated variant (chart and key) as it was generated, so editing
a template later never rewrites a trainee's history; regrading after a key correction adds a
new ``AttemptGrade`` row and keeps the old ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .people import User
from .timestamps import utcnow

REVENUE_ROWS = "revenue_under_cents > 0 OR revenue_over_cents > 0"
EM_ROWS = "em_key != ''"


class Attempt(Model):
    """One chart a trainee coded (or is coding)."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_specialty_status", "user_id", "specialty", "status"),
        # Covers every column the cohort report groups and sums, so the report reads the index
        # and never the rows (whose stored chart JSON is kilobytes each).
        Index(
            "ix_attempts_report",
            "user_id",
            "status",
            "course",
            "template_id",
            "specialty",
            "chart_correct",
            "code_correct",
            "code_total",
            "seconds_spent",
            "submitted_at",
            "lines_denied",
            "lines_total",
            "revenue_under_cents",
            "revenue_over_cents",
        ),
        # Lets the weekly trend read one week's range per trainee in index order.
        Index(
            "ix_attempts_trend",
            "user_id",
            "status",
            "course",
            "submitted_at",
            "code_correct",
            "code_total",
        ),
        # Partial indexes over the few rows the cost tables read apart from the main scan:
        # charts whose errors moved money (revenue per week) and charts with an office/ED E/M
        # in the key (the level distribution).
        Index(
            "ix_attempts_revenue",
            "user_id",
            "status",
            "course",
            "submitted_at",
            "specialty",
            "revenue_under_cents",
            "revenue_over_cents",
            sqlite_where=text(REVENUE_ROWS),
            postgresql_where=text(REVENUE_ROWS),
        ),
        Index(
            "ix_attempts_em",
            "user_id",
            "status",
            "course",
            "em_key",
            "em_given",
            sqlite_where=text(EM_ROWS),
            postgresql_where=text(EM_ROWS),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(36), index=True)
    template_version: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    specialty: Mapped[str] = mapped_column(String(40))
    setting: Mapped[str] = mapped_column(String(16))
    difficulty: Mapped[int] = mapped_column(Integer, default=1)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    policy: Mapped[str] = mapped_column(String(16), default="strict")
    variant: Mapped[dict[str, Any]] = mapped_column(JSON)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    code_correct: Mapped[int] = mapped_column(Integer, default=0)
    code_total: Mapped[int] = mapped_column(Integer, default=0)
    chart_correct: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds_spent: Mapped[int] = mapped_column(Integer, default=0)
    # What the grade's errors cost (core/pricing/costs.py), summed by the reports: national
    # PFS dollars lost to undercoding / at risk from overcoding, lines the edits deny, and
    # the key's and the answer's office/ED E/M codes.
    revenue_under_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    revenue_over_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lines_denied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lines_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    em_key: Mapped[str] = mapped_column(String(5), default="", server_default="")
    em_given: Mapped[str] = mapped_column(String(5), default="", server_default="")
    chosen_because: Mapped[str] = mapped_column(String(300), default="", server_default="")
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_runs.id"), nullable=True, index=True
    )
    # The code-update refresher this chart belongs to ("icd10cm:2026"), or "" for ordinary
    # practice: refresher results are reported apart from the practice figures.
    course: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # The cohort the trainee was in when the chart was started: a supervisor's key correction
    # applies to the charts of that supervisor's cohorts, even after the trainee moves.
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", name="fk_attempts_cohort_id"), nullable=True, index=True
    )
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )

    user: Mapped[User] = relationship()
    grades: Mapped[list[AttemptGrade]] = relationship(
        back_populates="attempt", order_by="AttemptGrade.id"
    )


class AttemptGrade(Model):
    """Every grade an attempt has had: the first, and one per key correction or override."""

    __tablename__ = "attempt_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(String(32), default="submitted")
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="grades")


class AttemptError(Model):
    """Error types of an attempt's current grade, flattened so progress pages can rank them."""

    __tablename__ = "attempt_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    specialty: Mapped[str] = mapped_column(String(40))
    error_type: Mapped[str] = mapped_column(String(32))
    code_family: Mapped[str] = mapped_column(String(8), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")


class PracticePair(Model):
    """One encounter coded twice: the professional chart, then the facility chart.

    Both attempts are ordinary practice attempts (the same draft, submit and key-visibility
    rules); this row only ties them together so the pair's page can show both grades side by
    side once both are submitted (``services.practice_pairs``).
    """

    __tablename__ = "practice_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_practice_pairs_user_id"), index=True
    )
    professional_attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", name="fk_practice_pairs_professional_attempt_id"), unique=True
    )
    facility_attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", name="fk_practice_pairs_facility_attempt_id"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    professional: Mapped[Attempt] = relationship(foreign_keys=[professional_attempt_id])
    facility: Mapped[Attempt] = relationship(foreign_keys=[facility_attempt_id])
