"""User administration: an administrator (or the command line) creates, re-roles and
deactivates accounts; every change is in the audit log.

``actor`` None means the command line: whoever can run it has the server and its database, so
it needs no further authority. Two refusals keep an installation manageable: nobody changes
or deactivates their own account here (an administrator cannot lock themselves out), the last
active administrator is never demoted or deactivated, and a user who still runs cohorts keeps
a supervisor's role (their trainees would otherwise have no supervisor).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ..database import write_transaction
from ..extensions import db
from ..models import ROLES, Cohort, User
from . import audit
from .accounts import (
    AccountError,
    add_user,
    hash_password,
    hash_temporary_password,
    temporary_password,
)

PAGE_SIZE = 50


class PeopleError(ValueError):
    """A user-facing reason an account change was refused."""


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.is_admin:
        raise PeopleError("Only administrators manage accounts.")


def _active_admins() -> int:
    return int(
        db.session.scalar(
            select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))
        )
        or 0
    )


def create_account(
    actor: User | None,
    username: str,
    role: str,
    display_name: str = "",
    email: str = "",
    password: str | None = None,
) -> tuple[User, str | None]:
    """Create an account. Without a password a one-time one is generated and returned (shown
    once, never stored in clear); the user must replace it at first sign-in."""
    _require_admin(actor)
    if role not in ROLES:
        raise PeopleError(f"Role must be one of {', '.join(ROLES)}.")
    generated = None
    try:
        if password is None:
            generated = temporary_password()
            password_hash = hash_temporary_password(generated)
        else:
            password_hash = hash_password(password, username.strip().lower(), email)
        with write_transaction(db.session) as session:
            user = add_user(
                session, username, password_hash, role, display_name, email, generated is not None
            )
            session.flush()
            audit.record(
                session, actor, "user.create", "user", user.id, f"{user.username} as {role}"
            )
    except AccountError as exc:
        raise PeopleError(str(exc)) from exc
    return user, generated


def _check_target(actor: User | None, user: User) -> None:
    _require_admin(actor)
    if actor is not None and actor.id == user.id:
        raise PeopleError("You cannot change your own account here; ask another administrator.")


def set_role(actor: User | None, user: User, role: str) -> None:
    _check_target(actor, user)
    if role not in ROLES:
        raise PeopleError(f"Role must be one of {', '.join(ROLES)}.")
    if role == user.role:
        return
    if user.role == "admin" and user.active and _active_admins() <= 1:
        raise PeopleError("This is the last active administrator; make another one first.")
    runs = db.session.scalar(select(func.count(Cohort.id)).where(Cohort.supervisor_id == user.id))
    if role == "trainee" and runs:
        raise PeopleError(
            f"{user.username} runs {runs} cohort(s); give them another supervisor first."
        )
    with write_transaction(db.session) as session:
        previous = user.role
        user.role = role
        audit.record(
            session, actor, "user.role", "user", user.id, f"{user.username}: {previous} -> {role}"
        )


def set_active(actor: User | None, user: User, active: bool) -> None:
    """Deactivating ends every session and stops the user's API tokens (both check
    ``User.active``); the account and its history stay, and reactivating restores it."""
    _check_target(actor, user)
    if user.active == active:
        return
    if not active and user.role == "admin" and _active_admins() <= 1:
        raise PeopleError("This is the last active administrator; make another one first.")
    with write_transaction(db.session) as session:
        user.active = active
        if not active:
            user.session_version = (user.session_version or 0) + 1
        audit.record(
            session,
            actor,
            "user.activate" if active else "user.deactivate",
            "user",
            user.id,
            user.username,
        )


@dataclass(frozen=True)
class UserPage:
    users: list[User]
    total: int
    page: int
    pages: int


def list_users(actor: User, text: str = "", role: str = "", page: int = 1) -> UserPage:
    """Accounts matching a username/name fragment and a role, by username, a page at a time."""
    _require_admin(actor)
    query = select(User)
    if text:
        like = f"%{text.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.username).like(like), func.lower(User.display_name).like(like))
        )
    if role in ROLES:
        query = query.where(User.role == role)
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    users = list(
        db.session.scalars(
            query.order_by(User.username).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        )
    )
    return UserPage(users, total, page, pages)


def account(actor: User, user_id: int) -> User | None:
    """The account an administrator is about to change (None for anyone else's request)."""
    _require_admin(actor)
    return db.session.get(User, user_id)


def user_named(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))
