"""Who instructs a cohort: hand it to another supervisor, add or remove co-instructors.

The owner (``Cohort.supervisor_id``) or an administrator may do these (``cohorts.can_manage``
with ``"hand_over"``); each change is one transaction with its audit-log row. A co-instructor
manages the cohort like its owner (assign, review, reports) but cannot give it away or change
who else instructs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from ..database import write_transaction
from ..extensions import db
from ..models import Cohort, CohortInstructor, User
from . import audit
from .cohorts import CohortError, can_manage

# The same words whatever the reason, so nobody learns which accounts exist or their roles.
NOT_A_SUPERVISOR = "No active supervisor has that username."


@dataclass(frozen=True)
class Instructors:
    """A cohort's owner and co-instructors, as the hand-over page lists them."""

    owner: User
    co_instructors: list[User]


def instructors_of(cohort: Cohort) -> Instructors:
    rows = db.session.scalars(
        select(User)
        .join(CohortInstructor, CohortInstructor.user_id == User.id)
        .where(CohortInstructor.cohort_id == cohort.id)
        .order_by(User.display_name, User.id)
    )
    return Instructors(cohort.supervisor, list(rows))


def cohort_to_hand_over(viewer: User, cohort_id: int) -> Cohort:
    """The cohort when the viewer may hand it over. ``LookupError`` when they may not manage
    it at all (another's cohort is not confirmed to exist: the page 404s),
    ``PermissionError`` for a co-instructor (who knows it exists: 403)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can_manage(viewer, cohort):
        raise LookupError(cohort_id)
    if not can_manage(viewer, cohort, "hand_over"):
        raise PermissionError("Only the cohort's owner or an administrator may do this.")
    return cohort


def _supervisor(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()[:64]))
    if user is None or user.role != "supervisor" or not user.active:
        raise CohortError(NOT_A_SUPERVISOR)
    return user


def _require(viewer: User, cohort: Cohort) -> None:
    if not can_manage(viewer, cohort, "hand_over"):
        raise PermissionError("Only the cohort's owner or an administrator may do this.")


def hand_over(viewer: User, cohort: Cohort, username: str) -> User:
    """Give the cohort to another supervisor. Trainees, assignments, charts and reports stay
    with the cohort; the new owner stops being a co-instructor (they own it now) and the old
    one keeps nothing unless added back as a co-instructor."""
    _require(viewer, cohort)
    new_owner = _supervisor(username)
    if new_owner.id == cohort.supervisor_id:
        raise CohortError(f"{new_owner.display_name} already owns {cohort.name}.")
    with write_transaction(db.session) as session:
        previous = cohort.supervisor_id
        cohort.supervisor_id = new_owner.id
        session.execute(
            delete(CohortInstructor).where(
                CohortInstructor.cohort_id == cohort.id, CohortInstructor.user_id == new_owner.id
            )
        )
        audit.record(
            session,
            viewer,
            "cohort.hand_over",
            "cohort",
            cohort.id,
            f"from user {previous} to user {new_owner.id} ({new_owner.username})",
        )
    return new_owner


def add_co_instructor(viewer: User, cohort: Cohort, username: str) -> User:
    """Add a supervisor as co-instructor (an LTI instructor launch of the course adds one
    through ``add_instructor_row`` inside the launch's transaction)."""
    _require(viewer, cohort)
    user = _supervisor(username)
    if user.id == cohort.supervisor_id:
        raise CohortError(f"{user.display_name} owns {cohort.name}.")
    with write_transaction(db.session) as session:
        if not add_instructor_row(session, viewer, cohort, user, "added by the owner"):
            raise CohortError(f"{user.display_name} already co-instructs {cohort.name}.")
    return user


def add_instructor_row(session: Any, actor: User, cohort: Cohort, user: User, why: str) -> bool:
    """The co-instructor row and its audit entry, in the caller's transaction; False when
    the user already instructs the cohort (nothing written)."""
    existing = session.scalar(
        select(CohortInstructor.id).where(
            CohortInstructor.cohort_id == cohort.id, CohortInstructor.user_id == user.id
        )
    )
    if existing is not None or user.id == cohort.supervisor_id:
        return False
    session.add(CohortInstructor(cohort_id=cohort.id, user_id=user.id, added_by=actor.id))
    audit.record(
        session,
        actor,
        "cohort.instructor_add",
        "cohort",
        cohort.id,
        f"user {user.id} ({user.username}) {why}",
    )
    return True


def remove_co_instructor(viewer: User, cohort: Cohort, user_id: int) -> None:
    _require(viewer, cohort)
    with write_transaction(db.session) as session:
        row = session.scalar(
            select(CohortInstructor).where(
                CohortInstructor.cohort_id == cohort.id, CohortInstructor.user_id == user_id
            )
        )
        if row is None:
            raise CohortError("That supervisor does not co-instruct this cohort.")
        session.delete(row)
        audit.record(
            session, viewer, "cohort.instructor_remove", "cohort", cohort.id, f"user {user_id}"
        )


__all__ = [
    "Instructors",
    "add_co_instructor",
    "add_instructor_row",
    "cohort_to_hand_over",
    "hand_over",
    "instructors_of",
    "remove_co_instructor",
]
