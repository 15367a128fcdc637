"""API tokens: shown once when created, stored as a SHA-256 hash, sent as a Bearer header.

A token may carry an expiry; an expired or revoked token authenticates nothing. Its owner
and administrators may list and revoke it (``may_manage_token`` decides, for every path).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import ApiToken, User, as_utc, utcnow

PREFIX = "ctr_"
MAX_EXPIRY_DAYS = 3650


class TokenError(ValueError):
    """A user-facing reason a token could not be created or changed."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_expired(row: ApiToken, now: datetime | None = None) -> bool:
    return row.expires_at is not None and as_utc(row.expires_at) <= (now or utcnow())


def token_status(row: ApiToken) -> str:
    """'revoked', 'expired' or 'active', as the token list shows it."""
    if row.revoked:
        return "revoked"
    return "expired" if is_expired(row) else "active"


def create_token(user: User, name: str, expires_days: int | None = None) -> str:
    """A new random token for the user; the caller shows it once, it is never stored."""
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise TokenError(f"A token expires after 1 to {MAX_EXPIRY_DAYS} days.")
    token = PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    with write_transaction(db.session) as session:
        session.add(
            ApiToken(
                user_id=user.id,
                name=name.strip()[:80] or "client",
                token_hash=_digest(token),
                expires_at=expires,
            )
        )
    return token


def user_for_token(token: str) -> User | None:
    """The active owner of a valid, unrevoked, unexpired token; None otherwise."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    )
    if row is None or is_expired(row) or not row.user.active:
        return None
    return row.user


def may_manage_token(viewer: User, row: ApiToken) -> bool:
    """A token's owner and administrators may see and revoke it; nobody else."""
    return viewer.is_admin or row.user_id == viewer.id


def visible_tokens(viewer: User) -> list[ApiToken]:
    """The viewer's own tokens; every token for an administrator. Newest first."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if not viewer.is_admin:
        query = query.where(ApiToken.user_id == viewer.id)
    return list(db.session.scalars(query))


def revoke_token(viewer: User, token_id: int) -> ApiToken:
    """Revoke one token the viewer may manage; TokenError when there is none such."""
    row = db.session.get(ApiToken, token_id)
    if row is None or not may_manage_token(viewer, row):
        raise TokenError("No such token.")
    with write_transaction(db.session):
        row.revoked = True
    return row
