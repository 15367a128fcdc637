"""What a supervisor gives a cohort (practice or a timed exam) and each trainee's sitting of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.stats.mastery import TARGET
from ..extensions import Model
from .people import Cohort
from .timestamps import utcnow


class Assignment(Model):
    """An exercise set a supervisor gives a cohort: practice, or a timed exam."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    specialty: Mapped[str] = mapped_column(String(40), default="")
    difficulty: Mapped[int | None] = mapped_column(Integer, nullable=True)
    template_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    chart_count: Mapped[int] = mapped_column(Integer, default=5)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    policy: Mapped[str] = mapped_column(String(16), default="strict")
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target: Mapped[float] = mapped_column(Float, default=TARGET)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    code_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "icd10cm:2026" for the refresher on that update; its charts are dated after the update
    # and its results are reported apart from ordinary practice.
    refresher: Mapped[str] = mapped_column(String(32), default="", server_default="")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when the supervisor closes the assignment early: nobody starts it after this, and
    # the runs already started keep their charts and grades.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    cohort: Mapped[Cohort] = relationship()


class AssignmentRun(Model):
    """One trainee's sitting of an assignment: its charts, deadline and completion."""

    __tablename__ = "assignment_runs"
    __table_args__ = (Index("ux_run_assignment_user", "assignment_id", "user_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    assignment: Mapped[Assignment] = relationship()
