"""Certificates: a supervisor's certification of a trainee, with the figures it rests on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .people import User
from .timestamps import utcnow


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
