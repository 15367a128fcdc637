"""Cohort read models for supervisors: who is in which cohort, and how each trainee stands."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select, update

from trainer.core.stats.mastery import TARGET_PERCENTS, AccuracySummary

from ..core.csv_files import CsvFormatError, read_rows
from ..core.integers import IntegerInputError, parse_int
from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, Cohort, CohortInstructor, CohortMember, User
from . import audit
from .accounts import (
    AccountError,
    add_user,
    hash_temporary_password,
    issue_temporary_password,
    temporary_password,
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


MAX_IMPORT_ROWS = 500


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


def _targets(text: str, known: set[str]) -> dict[str, float]:
    """'orthopaedics=97;radiology=96' -> {'orthopaedics': 0.97, ...}; TARGET_PERCENTS only."""
    low, high = TARGET_PERCENTS
    found: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        name, _, value = part.partition("=")
        try:
            percent = parse_int(value, "target", low, high)
        except IntegerInputError:
            percent = None
        if name.strip() not in known or percent is None:
            raise CohortError(
                f"Target {part!r}: use specialty={low}..{high} with a listed specialty."
            )
        found[name.strip()] = percent / 100
    return found


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


Outcome = Literal["created", "updated", "moved", "skipped"]


@dataclass(frozen=True)
class ImportedRow:
    """What importing one CSV row did; ``password`` is set only for a new account."""

    row: int
    email: str
    username: str
    outcome: Outcome
    note: str
    password: str = ""


@dataclass(frozen=True)
class _Planned:
    row: int
    name: str
    email: str
    targets: dict[str, float]
    existing: User | None


def _parse_rows(text: str, specialties: set[str]) -> list[tuple[int, str, str, dict[str, float]]]:
    try:
        rows = read_rows(text)
    except CsvFormatError as exc:
        raise CohortError(str(exc)) from exc
    if rows and rows[0] and rows[0][0].strip().lower() == "name":
        rows = rows[1:]
    if not rows or len(rows) > MAX_IMPORT_ROWS:
        raise CohortError(f"Paste 1-{MAX_IMPORT_ROWS} rows of name,email[,targets].")
    parsed = []
    first_row: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        if len(row) < 2 or not row[0].strip() or "@" not in row[1]:
            raise CohortError(f"Row {n}: expected name,email[,targets].")
        email = row[1].strip().lower()[:254]
        if email in first_row:
            raise CohortError(f"Row {n}: {email} is also in row {first_row[email]}.")
        first_row[email] = n
        targets = _targets(row[2], specialties) if len(row) > 2 else {}
        parsed.append((n, row[0].strip()[:120], email, targets))
    return parsed


def _existing_by_email(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for user in db.session.scalars(
        select(User).where(func.lower(User.email).in_(emails)).order_by(User.id)
    ):
        found.setdefault(user.email.lower(), user)
    return found


def _free_username(email: str, n: int, taken: set[str]) -> str:
    base = "".join(ch for ch in email.split("@")[0] if ch.isalnum() or ch in "._-")[:50]
    username, suffix = base or f"trainee{n}", 1
    while username in taken or db.session.scalar(select(User.id).where(User.username == username)):
        suffix += 1
        username = f"{base or 'trainee'}{suffix}"
    taken.add(username)
    return username


def _apply_existing(
    viewer: User, cohort: Cohort, plan: _Planned, member: CohortMember | None
) -> ImportedRow:
    """Update (or move into this cohort) a trainee the viewer supervises; skip anyone else."""
    user = plan.existing
    assert user is not None
    if user.role != "trainee":
        return ImportedRow(plan.row, plan.email, user.username, "skipped", "not a trainee account")
    if (
        member is not None
        and member.cohort_id != cohort.id
        and not can_manage(viewer, member.cohort)
    ):
        return ImportedRow(
            plan.row, plan.email, user.username, "skipped", "in another supervisor's cohort"
        )
    user.display_name = plan.name
    if member is None:
        db.session.add(CohortMember(user_id=user.id, cohort_id=cohort.id, targets=plan.targets))
        return ImportedRow(plan.row, plan.email, user.username, "moved", "added to this cohort")
    moved = member.cohort_id != cohort.id
    member.cohort_id = cohort.id
    if plan.targets:
        member.targets = plan.targets
    if moved:
        return ImportedRow(
            plan.row, plan.email, user.username, "moved", "moved from another cohort"
        )
    return ImportedRow(plan.row, plan.email, user.username, "updated", "name and targets updated")


def import_csv(viewer: User, cohort: Cohort, text: str, specialties: set[str]) -> list[ImportedRow]:
    """Import 'name,email[,targets]' rows into the cohort, in one transaction.

    A row whose e-mail already has an account updates that trainee (or skips them, saying
    why) and never creates a second account or changes their password. A new account gets a
    one-time password that must be changed at first sign-in. Every row is checked first and
    the passwords are hashed before the transaction opens, so a bad row changes nothing and
    the write lock is held for milliseconds.
    """
    if not can_manage(viewer, cohort):
        raise CohortError("Import into one of your own cohorts.")
    parsed = _parse_rows(text, specialties)
    existing = _existing_by_email([email for _, _, email, _ in parsed])
    plans = [_Planned(n, name, email, t, existing.get(email)) for n, name, email, t in parsed]
    taken: set[str] = set()
    fresh = {
        p.row: (_free_username(p.email, p.row, taken), temporary_password())
        for p in plans
        if p.existing is None
    }
    hashes = {row: hash_temporary_password(pw) for row, (_, pw) in fresh.items()}
    results: list[ImportedRow] = []
    try:
        with write_transaction(db.session) as session:
            for plan in plans:
                if plan.existing is not None:
                    member = session.scalar(
                        select(CohortMember).where(CohortMember.user_id == plan.existing.id)
                    )
                    results.append(_apply_existing(viewer, cohort, plan, member))
                    continue
                username, password = fresh[plan.row]
                user = add_user(
                    session, username, hashes[plan.row], "trainee", plan.name, plan.email, True
                )
                session.flush()
                session.add(
                    CohortMember(user_id=user.id, cohort_id=cohort.id, targets=plan.targets)
                )
                results.append(
                    ImportedRow(plan.row, plan.email, username, "created", "new account", password)
                )
            counts = {o: sum(r.outcome == o for r in results) for o in ("created", "moved")}
            audit.record(
                session,
                viewer,
                "cohort.import",
                "cohort",
                cohort.id,
                f"{len(results)} rows: {counts['created']} created, {counts['moved']} moved in",
            )
    except AccountError as exc:
        raise CohortError(str(exc)) from exc
    return results


def place_in_cohort(user_id: int, cohort_id: int) -> None:
    """Put a trainee in a cohort (moving them if they were in another), keeping their history.

    For callers that have already decided the placement is allowed: an LMS launch into the
    course's cohort, or a roster synchronised by the course's supervisor.
    """
    _place(user_id, cohort_id, None)
