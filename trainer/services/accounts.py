"""Accounts: creating users, checking passwords, throttling repeated failed log-ins."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import write_transaction
from ..extensions import db
from ..models import ROLES, LoginFailure, User, utcnow

MIN_PASSWORD = 8


class AccountError(ValueError):
    """A user-facing reason an account could not be created or changed."""


def create_user(
    username: str, password: str, role: str = "trainee", display_name: str = "", email: str = ""
) -> User:
    """Create and commit a user; usernames are case-insensitive and unique."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise AccountError("A username is 1-64 letters, digits, dots, dashes or underscores.")
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"A password has at least {MIN_PASSWORD} characters.")
    with write_transaction(db.session) as session:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise AccountError(f"The username {username!r} is taken.")
        user = User(
            username=username,
            password_hash=generate_password_hash(password),
            role=role,
            display_name=display_name.strip() or username,
            email=email.strip(),
        )
        session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"A password has at least {MIN_PASSWORD} characters.")
    with write_transaction(db.session):
        user.password_hash = generate_password_hash(password)


def is_locked(username: str, max_failures: int, lock_minutes: int) -> bool:
    """Locked when the recent window holds too many failures for this username."""
    since = utcnow() - timedelta(minutes=lock_minutes)
    count = db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.username == username.strip().lower(), LoginFailure.at >= since
        )
    )
    return (count or 0) >= max_failures


def authenticate(
    username: str, password: str, remote_addr: str, max_failures: int, lock_minutes: int
) -> User | None:
    """Return the user for good credentials; record a failure otherwise.

    The failure is recorded whether or not the username exists, so throttling does not
    reveal which accounts exist.
    """
    name = username.strip().lower()[:64]
    user = db.session.scalar(select(User).where(User.username == name))
    if user is not None and user.active and check_password_hash(user.password_hash, password):
        with write_transaction(db.session) as session:
            session.execute(delete(LoginFailure).where(LoginFailure.username == name))
        return user
    with write_transaction(db.session) as session:
        session.add(LoginFailure(username=name, remote_addr=remote_addr[:64]))
    return None
