"""API tokens: shown once when created, stored as a SHA-256 hash, sent as a Bearer header."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ..database import write_transaction
from ..extensions import db
from ..models import ApiToken, User

PREFIX = "ctr_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> str:
    """A new random token for the user; the caller shows it once, it is never stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    with write_transaction(db.session) as session:
        session.add(
            ApiToken(user_id=user.id, name=name.strip()[:80] or "client", token_hash=_digest(token))
        )
    return token


def user_for_token(token: str) -> User | None:
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    )
    if row is None or not row.user.active:
        return None
    return row.user
