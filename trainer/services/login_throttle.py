"""Per-account back-off on failed log-ins that an attacker cannot turn into a lock-out.

Failures are counted per account *and* client address, in the database so every app server
sees the same count. After ``free`` failures from one address, that address must wait 1, 2,
4, ... seconds (up to ``max_seconds``) after its last failure before its next try on the
account is even checked. The account's owner on another address is never refused; guessing
across many accounts from one address is capped by the per-address limit in ``web.limits``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from ..database import write_transaction
from ..extensions import db
from ..models import LoginFailure, User, as_utc, utcnow
from .accounts import password_matches


@dataclass(frozen=True)
class ThrottleRule:
    free: int  # failures from one address before the back-off starts
    window_minutes: int  # failures older than this are forgotten
    max_seconds: int  # the longest wait between two tries


def _key(username: str, remote_addr: str) -> tuple[str, str]:
    return username.strip().lower()[:64], remote_addr[:64]


def wait_seconds(username: str, remote_addr: str, rule: ThrottleRule) -> int:
    """Seconds this address must still wait before its next try on this account (0: none)."""
    name, addr = _key(username, remote_addr)
    since = utcnow() - timedelta(minutes=rule.window_minutes)
    count, last = db.session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.at)).where(
            LoginFailure.username == name,
            LoginFailure.remote_addr == addr,
            LoginFailure.at >= since,
        )
    ).one()
    if not count or count < rule.free or last is None:
        return 0
    backoff = min(2 ** (count - rule.free), rule.max_seconds)
    remaining = as_utc(last) + timedelta(seconds=backoff) - utcnow()
    return max(0, int(remaining.total_seconds() + 0.999))


def authenticate(username: str, password: str, remote_addr: str, rule: ThrottleRule) -> User | None:
    """The user for good credentials; otherwise record a failure for this address.

    A success clears only this address's failures: an attacker's count elsewhere stays.
    """
    name, addr = _key(username, remote_addr)
    user = db.session.scalar(select(User).where(User.username == name))
    if user is not None and user.active and password_matches(user, password):
        with write_transaction(db.session) as session:
            session.execute(
                delete(LoginFailure).where(
                    LoginFailure.username == name, LoginFailure.remote_addr == addr
                )
            )
        return user
    forget = utcnow() - timedelta(minutes=rule.window_minutes)
    with write_transaction(db.session) as session:
        session.execute(
            delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.at < forget)
        )
        session.add(LoginFailure(username=name, remote_addr=addr))
    return None
