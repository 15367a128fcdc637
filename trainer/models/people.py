"""Accounts and the cohorts they belong to: users, cohorts, membership, co-instructors.

One module because a user and their membership name each other (``User.memberships`` and
``CohortMember.user``), and the cohort's instructors are users of the same cohort.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .timestamps import utcnow

Role = Literal["trainee", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("trainee", "supervisor", "admin")


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="trainee")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of every session's and remember-me cookie's id: raising it (log-out, password
    # change or reset) ends every session of the user on every server at once.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set for an imported account's first password and for a reset one: the user must choose
    # their own before anything else is reachable.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    memberships: Mapped[list[CohortMember]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """'<id>:<session version>': a cookie made before the version rose no longer loads."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Cohort(Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    review_sample: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    supervisor: Mapped[User] = relationship()
    members: Mapped[list[CohortMember]] = relationship(back_populates="cohort")


class CohortMember(Model):
    """A trainee belongs to one cohort at a time; moving them rewrites this row."""

    __tablename__ = "cohort_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    targets: Mapped[dict[str, float]] = mapped_column(JSON, default=dict, server_default="{}")
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")


class CohortInstructor(Model):
    """A co-instructor: a second supervisor of a cohort, with the owner's authority over it
    (manage, review, report) except handing it over or changing who else instructs it."""

    __tablename__ = "cohort_instructors"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_cohort_instructors"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", name="fk_cohort_instructors_cohort_id"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_cohort_instructors_user_id"), index=True
    )
    added_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_cohort_instructors_added_by"), nullable=True
    )
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
