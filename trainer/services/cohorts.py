"""Cohort read models for supervisors: who is in which cohort, and how each trainee stands."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select, update

from trainer.core.stats.mastery import AccuracySummary

from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, Cohort, CohortInstructor, CohortMember, User
from . import audit
from .accounts import (
    issue_temporary_password,
)
from .progress import specialty_counts


@dataclass(frozen=True)
class TraineeRow:
    user: User
    by_specialty: dict[str, AccuracySummary]
    overall: AccuracySummary


def visible_cohorts(viewer: User) -> list[Cohort]:
    """A supervisor sees the cohorts they own or co-instruct; an admin sees all."""
    query = select(Cohort).order_by(Cohort.name, Cohort.id)
    if not viewer.is_admin:
        taught = select(CohortInstructor.cohort_id).where(CohortInstructor.user_id == viewer.id)
        query = query.where((Cohort.supervisor_id == viewer.id) | Cohort.id.in_(taught))
    return list(db.session.scalars(query))


def members_of(cohort: Cohort) -> list[User]:
    """The cohort's trainees, by display name (the order every roster and table shows)."""
    return list(
        db.session.scalars(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
            .order_by(User.display_name)
        )
    )


def cohort_rows(cohort: Cohort, target: float, elite: float) -> list[TraineeRow]:
    """Each member's accuracy per specialty and overall, from one grouped query."""
    members = members_of(cohort)
    counts = specialty_counts([m.id for m in members])
    stats = {
        user_id: {sp: c.summary(target, elite) for sp, c in per.items()}
        for user_id, per in counts.items()
    }
    result = []
    for member in members:
        per = stats[member.id]
        overall = AccuracySummary(
            sum(s.charts for s in per.values()),
            sum(s.charts_correct for s in per.values()),
            sum(s.codes_correct for s in per.values()),
            sum(s.codes_total for s in per.values()),
            target,
            elite,
        )
        result.append(TraineeRow(member, per, overall))
    return result


class CohortError(ValueError):
    """A user-facing reason a cohort change cannot be made."""


CohortPower = Literal["manage", "hand_over"]
"""What a viewer wants to do with a cohort: ``manage`` it (assign, import, move trainees,
review its charts, read its reports, correct keys for it) or ``hand_over`` (give it to
another supervisor, add or remove co-instructors)."""


def instructor_ids(cohort: Cohort) -> set[int]:
    """The co-instructors of a cohort (its owner is ``cohort.supervisor_id``)."""
    return set(
        db.session.scalars(
            select(CohortInstructor.user_id).where(CohortInstructor.cohort_id == cohort.id)
        )
    )


def can_manage(viewer: User, cohort: Cohort, power: CohortPower = "manage") -> bool:
    """The one rule for authority over a cohort.

    An administrator may do everything. The owner (``cohort.supervisor_id``) may manage it and
    hand it over or change its co-instructors. A co-instructor (a ``CohortInstructor`` row,
    a supervisor account still active) may manage it but not give it away or change who else
    instructs it, so a co-instructor cannot lock the owner out.

    Everything a supervisor does to a cohort goes through it: assigning (and which authored
    templates may be drawn, see ``services.library``), importing, moving trainees, reviewing
    (``review.can_review_attempt``), the reports, how far a key correction reaches
    (``managed_cohort_ids``), and the hand-over page.
    """
    if not getattr(viewer, "is_authenticated", False) or not viewer.active:
        return False
    if viewer.is_admin:
        return True
    if viewer.role != "supervisor":
        return False
    if cohort.supervisor_id == viewer.id:
        return True
    return power == "manage" and viewer.id in instructor_ids(cohort)


def managed_cohort(viewer: User, cohort_id: int) -> Cohort | None:
    """The cohort with this id when the viewer may manage it; None otherwise (callers 404, so
    another supervisor's cohort is not confirmed to exist)."""
    cohort = db.session.get(Cohort, cohort_id)
    return cohort if cohort is not None and can_manage(viewer, cohort) else None


def managed_cohort_ids(viewer: User) -> list[int]:
    """Ids of the cohorts ``can_manage`` grants the viewer (every cohort for an admin)."""
    return [c.id for c in visible_cohorts(viewer) if can_manage(viewer, c)]


def create_cohort(supervisor: User, name: str) -> Cohort:
    if not name.strip() or len(name) > 120:
        raise CohortError("A cohort name is 1-120 characters.")
    with write_transaction(db.session) as session:
        cohort = Cohort(
            name=name.strip(), supervisor_id=supervisor.id, join_code=secrets.token_hex(4).upper()
        )
        session.add(cohort)
    return cohort


def join_cohort(user: User, code: str) -> Cohort:
    """A trainee joins (or moves to) the cohort whose join code they were given."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == code.strip().upper()[:16]))
    if cohort is None:
        raise CohortError("No cohort has that join code; check it with your supervisor.")
    _place(user.id, cohort.id, None, user, "cohort.join")
    return cohort


def _place(
    user_id: int,
    cohort_id: int,
    targets: dict[str, float] | None,
    actor: User | None = None,
    action: str = "",
) -> None:
    """Put the trainee in the cohort (their one membership row moves; their charts stay)."""
    with write_transaction(db.session) as session:
        if action:
            before = session.scalar(
                select(CohortMember.cohort_id).where(CohortMember.user_id == user_id)
            )
            audit.record(
                session, actor, action, "user", user_id, f"cohort {before or '-'} -> {cohort_id}"
            )
        member = session.scalar(select(CohortMember).where(CohortMember.user_id == user_id))
        if member is None:
            member = CohortMember(user_id=user_id, cohort_id=cohort_id, targets=targets or {})
            session.add(member)
        else:
            member.cohort_id = cohort_id
            if targets is not None:
                member.targets = targets
        # Charts coded before the trainee was in any cohort join their first cohort, so its
        # supervisor's key corrections reach them; charts of an earlier cohort stay with it.
        session.execute(
            update(Attempt)
            .where(Attempt.user_id == user_id, Attempt.cohort_id.is_(None))
            .values(cohort_id=cohort_id)
        )


def move_trainee(viewer: User, user_id: int, cohort_id: int) -> None:
    """Move a trainee between two cohorts the viewer runs (any cohorts for an admin)."""
    target = db.session.get(Cohort, cohort_id)
    member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == user_id))
    if (
        target is None
        or member is None
        or not can_manage(viewer, target)
        or not can_manage(viewer, member.cohort)
    ):
        raise CohortError("You can move trainees only between your own cohorts.")
    if member.cohort_id != cohort_id:
        _place(user_id, cohort_id, None, viewer, "cohort.move")


# The same words whatever the reason, so a supervisor cannot learn who has an account.
NOT_ADDABLE = (
    "No trainee with that username can be added: they need an active trainee account that is "
    "in none of another supervisor's cohorts."
)


def add_trainee(viewer: User, cohort: Cohort, username: str) -> User:
    """Add an existing trainee to the viewer's cohort: one in no cohort, or moved from another
    cohort the viewer runs (their charts and history stay theirs)."""
    if not can_manage(viewer, cohort):
        raise CohortError("Add trainees to your own cohorts.")
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()[:64]))
    if user is None or user.role != "trainee" or not user.active:
        raise CohortError(NOT_ADDABLE)
    member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == user.id))
    if member is not None and member.cohort_id == cohort.id:
        raise CohortError(f"{user.display_name} is already in {cohort.name}.")
    if member is not None and not can_manage(viewer, member.cohort):
        raise CohortError(NOT_ADDABLE)
    _place(user.id, cohort.id, None, viewer, "cohort.add" if member is None else "cohort.move")
    return user


def remove_trainee(viewer: User, cohort: Cohort, user_id: int) -> None:
    """Take a trainee out of the cohort. Their account, charts and grades stay; their charts
    keep the cohort they were coded in, so its key corrections and reports still reach them,
    and they go on practising on their own."""
    if not can_manage(viewer, cohort):
        raise CohortError("Remove trainees from your own cohorts.")
    with write_transaction(db.session) as session:
        member = session.scalar(
            select(CohortMember).where(
                CohortMember.user_id == user_id, CohortMember.cohort_id == cohort.id
            )
        )
        if member is None:
            raise CohortError("That trainee is not in this cohort.")
        session.delete(member)
        audit.record(session, viewer, "cohort.remove", "user", user_id, f"from cohort {cohort.id}")


def supervises(viewer: User, trainee: User) -> bool:
    """May the viewer manage this trainee's account? Admins: anyone but themselves;
    supervisors: trainees of their own cohorts (``visible_cohorts`` decides which)."""
    if trainee.id == viewer.id:
        return False
    if viewer.is_admin:
        return True
    if not viewer.is_supervisor or trainee.role != "trainee":
        return False
    cohort_id = db.session.scalar(
        select(CohortMember.cohort_id).where(CohortMember.user_id == trainee.id)
    )
    return cohort_id is not None and cohort_id in {c.id for c in visible_cohorts(viewer)}


def reset_trainee_password(viewer: User, trainee: User) -> str:
    """A one-time password for the trainee, who must replace it at next sign-in; every
    session the trainee had ends. CohortError when the viewer has no authority."""
    if not supervises(viewer, trainee):
        raise CohortError("You can reset passwords only of trainees in your own cohorts.")
    return issue_temporary_password(trainee, viewer)


def place_in_cohort(user_id: int, cohort_id: int) -> None:
    """Put a trainee in a cohort (moving them if they were in another), keeping their history.

    For callers that have already decided the placement is allowed: an LMS launch into the
    course's cohort, or a roster synchronised by the course's supervisor.
    """
    _place(user_id, cohort_id, None)
