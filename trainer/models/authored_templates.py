"""Templates supervisors write in the browser, kept in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .people import User
from .timestamps import utcnow


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
