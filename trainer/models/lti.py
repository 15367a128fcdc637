"""LTI 1.3: registered platforms, their users and courses, placements, launch state and the
grade outbox (``services/lti/``)."""

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
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .timestamps import utcnow


class LtiPlatform(Model):
    """An LMS registered by an administrator as an LTI 1.3 platform.

    One row per (issuer, client id): a platform may register the tool several times. The tool's
    own RSA key pair for this registration is kept here (it signs the client assertions the
    platform's token endpoint checks, and its public half is served at the JWKS URL), so every
    app server signs alike.
    """

    __tablename__ = "lti_platforms"
    __table_args__ = (Index("ux_lti_platform_iss_client", "issuer", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    key_set_url: Mapped[str] = mapped_column(String(500))
    deployment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    tool_private_key: Mapped[str] = mapped_column(Text)
    tool_public_key: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LtiUser(Model):
    """A platform's user (its ``sub``) and the trainer account provisioned for them."""

    __tablename__ = "lti_users"
    __table_args__ = (Index("ux_lti_user_platform_sub", "platform_id", "subject", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class LtiContext(Model):
    """An LMS course and the cohort that stands for it (made at the first instructor launch)."""

    __tablename__ = "lti_contexts"
    __table_args__ = (
        Index("ux_lti_context_platform_context", "platform_id", "context_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id"), index=True)
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    memberships_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    deployment_id: Mapped[str] = mapped_column(String(255), default="", server_default="")
    synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LtiResourceLink(Model):
    """A placement of an assignment in a course, with the gradebook column scores go to."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (
        Index("ux_lti_link_context_link", "context_pk", "resource_link_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id"), index=True)
    resource_link_id: Mapped[str] = mapped_column(String(255))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    ags_endpoint: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LtiLaunchValue(Model):
    """pylti1p3's launch state (state, nonce, launch data) kept in the database.

    Not in the Flask session: the launch is a cross-site POST that carries no SameSite=Lax
    cookie, and several app servers must see the same state.
    """

    __tablename__ = "lti_launch_values"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LtiGradeSend(Model):
    """The score owed to a gradebook column for one trainee: an outbox that survives a down LMS.

    Written when the trainee's run finishes; sent at once and, if the LMS did not answer, again
    by ``trainer lti-send-grades``. ``sent_score`` is what the LMS last accepted.
    """

    __tablename__ = "lti_grade_sends"
    __table_args__ = (Index("ux_lti_grade_link_user", "link_id", "user_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("lti_resource_links.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("assignment_runs.id"))
    score: Mapped[float] = mapped_column(Float)
    sent_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
