"""Typed persistence models. They hold state only: no commits and no rendering here.

An attempt stores the whole generated variant (chart and key) as it was generated, so editing
a template later never rewrites a trainee's history; regrading after a key correction adds a
new ``AttemptGrade`` row and keeps the old ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .core.stats.mastery import TARGET
from .extensions import Model

Role = Literal["trainee", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("trainee", "supervisor", "admin")


def utcnow() -> datetime:
    """Timezone-aware now, so stored times compare correctly across servers."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC: SQLite hands DateTime(timezone=True) back naive."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


class LoginFailure(Model):
    """Failed log-ins, kept in the database so every app server backs off alike.

    Counted per account *and* client address, so guessing from one address slows that
    address only and the account's owner signing in from elsewhere is never refused.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_addr", "username", "remote_addr"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


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


class AuthoredTemplate(Model):
    """A template a supervisor wrote in the browser, stored in the database.

    Kept in the database rather than on disk so several stateless app servers see the same
    templates. Only a template whose last check found no problem (``status == "checked"``) is
    offered for assignments, and only in its owner's own cohorts unless an administrator
    published it; its stable ``template_id`` is the uuid inside the TOML.
    """

    __tablename__ = "authored_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_authored_templates_owner_id"), index=True
    )
    template_id: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    specialty: Mapped[str] = mapped_column(String(40), default="")
    toml_text: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | checked
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by an administrator who publishes the template to every cohort; None keeps it private
    # to the owner's own cohorts. Who and when are kept for the audit.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_authored_templates_published_by"), nullable=True
    )

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])


class ApiToken(Model):
    """A bearer token for API clients (LMS and other integrations); only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    user: Mapped[User] = relationship()


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


class AuditEvent(Model):
    """Who changed what about people, cohorts, assignments, keys and certificates, and when.

    Written by the service that makes the change, in the same transaction, so a change and its
    record commit together or not at all. ``actor_id`` is None for the command line (whoever
    runs it has the server). Rows are only ever added.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_audit_events_actor_id"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(24))
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class Certificate(Model):
    """A supervisor's certification of a trainee in one specialty, with the figures it rests on.

    The figures are copied in when it is signed, so the certificate keeps saying what the
    evidence was even after later charts move the trainee's accuracy. Revoking keeps the row
    (who, when, why) rather than deleting it.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_certificates_user_id"), index=True
    )
    specialty: Mapped[str] = mapped_column(String(40))
    charts: Mapped[int] = mapped_column(Integer)
    reviewed_charts: Mapped[int] = mapped_column(Integer, default=0)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)
    wilson_low: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    signed_by: Mapped[int] = mapped_column(ForeignKey("users.id", name="fk_certificates_signed_by"))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", name="fk_certificates_revoked_by"), nullable=True
    )
    revoke_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    signer: Mapped[User] = relationship(foreign_keys=[signed_by])
    revoker: Mapped[User | None] = relationship(foreign_keys=[revoked_by])


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


# The report's summaries (services/report_summaries.py): sums of each trainee's counted
# practice charts, rewritten in the transaction of every grade change, so the cohort report
# reads a few rows per trainee instead of every attempt.


class TraineeTemplateSummary(Model):
    """Per trainee and template: the cells the accuracy, item and claims tables sum."""

    __tablename__ = "trainee_template_summaries"
    # Clustered on the key (SQLite): each trainee's rows are one range, in specialty order, so
    # the per-specialty sums stream without a sort.
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "specialty", "template_id"),
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_trainee_template_summaries_user_id"), primary_key=True
    )
    template_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    specialty: Mapped[str] = mapped_column(String(40), primary_key=True)
    charts: Mapped[int] = mapped_column(Integer)
    charts_correct: Mapped[int] = mapped_column(Integer)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    clean_charts: Mapped[int] = mapped_column(Integer)
    lines_denied: Mapped[int] = mapped_column(Integer)
    lines_total: Mapped[int] = mapped_column(Integer)
    under_cents: Mapped[int] = mapped_column(Integer)
    over_cents: Mapped[int] = mapped_column(Integer)


class TraineeWeekSummary(Model):
    """Per trainee, ISO week (its Monday, UTC) and specialty: the trend and revenue tables."""

    __tablename__ = "trainee_week_summaries"
    # Clustered on the key: the report reads each trainee's rows as one range (SQLite).
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_trainee_week_summaries_user_id"), primary_key=True
    )
    week_start: Mapped[str] = mapped_column(String(10), primary_key=True)
    specialty: Mapped[str] = mapped_column(String(40), primary_key=True)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)
    money_charts: Mapped[int] = mapped_column(Integer)
    under_cents: Mapped[int] = mapped_column(Integer)
    over_cents: Mapped[int] = mapped_column(Integer)


class TraineeEmSummary(Model):
    """Per trainee: charts per (key E/M code, coded E/M code) pair, for the level table."""

    __tablename__ = "trainee_em_summaries"
    # Clustered on the key: the report reads each trainee's rows as one range (SQLite).
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_trainee_em_summaries_user_id"), primary_key=True
    )
    em_key: Mapped[str] = mapped_column(String(5), primary_key=True)
    em_given: Mapped[str] = mapped_column(String(5), primary_key=True)
    charts: Mapped[int] = mapped_column(Integer)


class TraineeErrorSummary(Model):
    """Per trainee and error type: how many errors of that type their counted charts hold."""

    __tablename__ = "trainee_error_summaries"
    # Clustered on the key: the report reads each trainee's rows as one range (SQLite).
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_trainee_error_summaries_user_id"), primary_key=True
    )
    error_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    errors: Mapped[int] = mapped_column(Integer)


class TraineeSpecialtySummary(Model):
    """Per trainee and specialty: the matrix, ready and productivity cells of a page."""

    __tablename__ = "trainee_specialty_summaries"
    __table_args__ = {"sqlite_with_rowid": False}

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_trainee_specialty_summaries_user_id"), primary_key=True
    )
    specialty: Mapped[str] = mapped_column(String(40), primary_key=True)
    charts: Mapped[int] = mapped_column(Integer)
    charts_correct: Mapped[int] = mapped_column(Integer)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)


class TraineeTotalSummary(Model):
    """Per trainee: their counted practice charts summed over every template (the claims
    table, the peer comparison's cohort median, the item analysis's 'every other
    template')."""

    __tablename__ = "trainee_total_summaries"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", name="fk_trainee_total_summaries_user_id"), primary_key=True
    )
    charts: Mapped[int] = mapped_column(Integer)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)
    clean_charts: Mapped[int] = mapped_column(Integer)
    lines_denied: Mapped[int] = mapped_column(Integer)
    lines_total: Mapped[int] = mapped_column(Integer)
    under_cents: Mapped[int] = mapped_column(Integer)
    over_cents: Mapped[int] = mapped_column(Integer)


# The cohort's sums of its members' summary rows (services/report_summaries.py): adjusted by
# each member's change (and a member joining or leaving) in the same transaction, so the
# cohort-wide tables read a few hundred rows whatever the cohort's size. ``trainees`` counts
# the member rows summed; a row summing none is deleted.


class CohortTemplateSummary(Model):
    """Per cohort and template: the item analysis (counts, and the sums over trainees of
    x = share of charts right, y = accuracy on every other template, x², y², xy)."""

    __tablename__ = "cohort_template_summaries"
    __table_args__ = {"sqlite_with_rowid": False}

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", name="fk_cohort_template_summaries_cohort_id"), primary_key=True
    )
    template_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    trainees: Mapped[int] = mapped_column(Integer)
    charts: Mapped[int] = mapped_column(Integer)
    charts_correct: Mapped[int] = mapped_column(Integer)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)
    item_n: Mapped[int] = mapped_column(Integer)
    sum_x: Mapped[float] = mapped_column(Float)
    sum_y: Mapped[float] = mapped_column(Float)
    sum_xx: Mapped[float] = mapped_column(Float)
    sum_yy: Mapped[float] = mapped_column(Float)
    sum_xy: Mapped[float] = mapped_column(Float)


class CohortSpecialtySummary(Model):
    """Per cohort and specialty: the matrix's cohort row (its columns, and their accuracy)."""

    __tablename__ = "cohort_specialty_summaries"
    __table_args__ = {"sqlite_with_rowid": False}

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", name="fk_cohort_specialty_summaries_cohort_id"), primary_key=True
    )
    specialty: Mapped[str] = mapped_column(String(40), primary_key=True)
    trainees: Mapped[int] = mapped_column(Integer)
    codes_correct: Mapped[int] = mapped_column(Integer)
    codes_total: Mapped[int] = mapped_column(Integer)


class CohortWeekSummary(Model):
    """Per cohort, ISO week and specialty: the revenue table and the trend's weeks."""

    __tablename__ = "cohort_week_summaries"
    __table_args__ = {"sqlite_with_rowid": False}

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", name="fk_cohort_week_summaries_cohort_id"), primary_key=True
    )
    week_start: Mapped[str] = mapped_column(String(10), primary_key=True)
    specialty: Mapped[str] = mapped_column(String(40), primary_key=True)
    trainees: Mapped[int] = mapped_column(Integer)
    money_charts: Mapped[int] = mapped_column(Integer)
    under_cents: Mapped[int] = mapped_column(Integer)
    over_cents: Mapped[int] = mapped_column(Integer)


class CohortEmSummary(Model):
    """Per cohort and (key E/M, coded E/M) pair: the E/M level table and chart."""

    __tablename__ = "cohort_em_summaries"
    __table_args__ = {"sqlite_with_rowid": False}

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", name="fk_cohort_em_summaries_cohort_id"), primary_key=True
    )
    em_key: Mapped[str] = mapped_column(String(5), primary_key=True)
    em_given: Mapped[str] = mapped_column(String(5), primary_key=True)
    trainees: Mapped[int] = mapped_column(Integer)
    charts: Mapped[int] = mapped_column(Integer)


class CohortErrorSummary(Model):
    """Per cohort and error type: errors, and how many trainees made them."""

    __tablename__ = "cohort_error_summaries"
    __table_args__ = {"sqlite_with_rowid": False}

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", name="fk_cohort_error_summaries_cohort_id"), primary_key=True
    )
    error_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    trainees: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
