"""Accounts: creating users, checking and changing passwords, ending a user's sessions.

Every password change, reset and log-out raises the user's ``session_version``: the version is
part of each session's and remember-me cookie's id (``User.get_id``), so one write ends every
session of that user on every server, without a server-side session store.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import write_transaction
from ..extensions import db
from ..models import ROLES, User
from . import audit
from .passwords import normalise, password_problem


class AccountError(ValueError):
    """A user-facing reason an account could not be created or changed."""


class WrongCurrentPassword(AccountError):
    """The current password given with a change is not the user's."""


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if (
        not name
        or len(name) > 64
        or not name.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise AccountError("A username is 1-64 letters, digits, dots, dashes or underscores.")
    return name


def hash_password(password: str, username: str = "", email: str = "") -> str:
    """The stored hash of an acceptable password; AccountError says why one is not."""
    problem = password_problem(password, (username, email, email.split("@")[0]))
    if problem:
        raise AccountError(problem)
    return generate_password_hash(normalise(password))


# A one-time password is 96 random bits, so a fast salted hash is as safe for it as scrypt
# is for a chosen one (2^96 guesses are out of reach either way) and lets an import of 500
# trainees hash in about 3 s instead of the ~100 s scrypt takes on a 2-core server.
TEMPORARY_HASH_METHOD = "pbkdf2:sha256:10000"


def temporary_password() -> str:
    """A first or reset password (96 random bits) the user must replace at first sign-in."""
    return secrets.token_urlsafe(12)


def hash_temporary_password(password: str) -> str:
    return generate_password_hash(password, method=TEMPORARY_HASH_METHOD)


def add_user(
    session: Session | scoped_session[Any],
    username: str,
    password_hash: str,
    role: str = "trainee",
    display_name: str = "",
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Add a user inside the caller's transaction (no commit), refusing a taken username."""
    username = _clean_username(username)
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"The username {username!r} is taken.")
    user = User(
        username=username,
        password_hash=password_hash,
        role=role,
        display_name=display_name.strip() or username,
        email=email.strip(),
        must_change_password=must_change_password,
    )
    session.add(user)
    return user


def create_user(
    username: str,
    password: str,
    role: str = "trainee",
    display_name: str = "",
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Create and commit a user; usernames are case-insensitive and unique."""
    name = _clean_username(username)
    password_hash = hash_password(password, name, email)
    with write_transaction(db.session) as session:
        user = add_user(session, name, password_hash, role, display_name, email)
        user.must_change_password = must_change_password
    return user


def password_matches(user: User, password: str) -> bool:
    """Compare in the normalised form passwords are stored in."""
    if check_password_hash(user.password_hash, normalise(password)):
        return True
    # A non-ASCII password set before normalisation was hashed as typed.
    return normalise(password) != password and check_password_hash(user.password_hash, password)


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session and remember-me cookie stops loading."""
    with write_transaction(db.session):
        user.session_version = (user.session_version or 0) + 1


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: needs the current password; ends every other session."""
    if not password_matches(user, current):
        raise WrongCurrentPassword("Your current password is not right.")
    if normalise(new) == normalise(current):
        raise AccountError("Choose a new password, not the one you have now.")
    password_hash = hash_password(new, user.username, user.email)
    with write_transaction(db.session):
        user.password_hash = password_hash
        user.must_change_password = False
        user.session_version = (user.session_version or 0) + 1


def issue_temporary_password(user: User, by: User | None) -> str:
    """Replace the password with a one-time one; the user must change it at next sign-in.

    The caller decides who may do this (``cohorts.reset_trainee_password``); ``by`` is who
    did it, for the audit log (None: the command line).
    """
    password = temporary_password()
    password_hash = hash_temporary_password(password)
    with write_transaction(db.session) as session:
        audit.record(session, by, "user.password_reset", "user", user.id, user.username)
        user.password_hash = password_hash
        user.must_change_password = True
        user.session_version = (user.session_version or 0) + 1
    return password
