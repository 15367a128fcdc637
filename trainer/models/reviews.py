"""What follows a grade: a second-tier review, a dispute, a supervisor's key correction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .attempts import Attempt
from .people import User
from .timestamps import utcnow


class Dispute(Model):
    """A trainee's challenge to a key, with the citation; a supervisor accepts or rejects it."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    item: Mapped[str] = mapped_column(String(64), default="")
    citation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    response: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    attempt: Mapped[Attempt] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Review(Model):
    """A second-tier reviewer's decision on one submitted chart (one current review per chart).

    ``overrides`` holds the reviewer's line verdicts (``core.review.Override`` dicts); applying
    them writes a new ``AttemptGrade`` with reason ``review``, so the automatic grade stays in
    the history and the overridden one counts in accuracy.
    """

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", name="fk_reviews_attempt_id"), unique=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_reviews_reviewer_id"), index=True
    )
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | overridden | commented
    comment: Mapped[str] = mapped_column(Text, default="")
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sample_reason: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    attempt: Mapped[Attempt] = relationship()
    reviewer: Mapped[User] = relationship()


class KeyCorrection(Model):
    """A supervisor's correction of a template's key; each one is a new key version.

    ``replace`` maps a keyed code to the code that should have been keyed; ``accept`` maps a
    keyed code to further codes accepted in its place. Corrections apply, in order, to the key
    stored with the attempts in their scope, which are then regraded; old grades stay.
    ``changes`` holds the other edits (add, remove, change a line, move a diagnosis).
    ``applies_to`` is ``"all"`` (an administrator's decision for every cohort) or
    ``"cohorts"``: only the attempts started in ``cohort_ids``, the cohorts the correcting
    supervisor ran when they made it (a snapshot, so its reach never changes later).
    """

    __tablename__ = "key_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    replace: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    accept: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"), nullable=True)
    applies_to: Mapped[str] = mapped_column(String(16), default="all", server_default="all")
    cohort_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default="[]")
    # Edits beyond replace/accept (core.grading.key_corrections.KeyChange.to_dict each):
    # add a missing code, remove one, change a line's modifiers/units/revenue code, move a dx.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
