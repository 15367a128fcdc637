"""Cohort read models for supervisors: who is in which cohort, and how each trainee stands."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass

from sqlalchemy import case, func, select

from trainer.core.stats.mastery import TARGET_PERCENTS, AccuracySummary

from ..database import write_transaction
from ..extensions import db
from ..models import Attempt, Cohort, CohortMember, User
from .accounts import create_user


@dataclass(frozen=True)
class TraineeRow:
    user: User
    by_specialty: dict[str, AccuracySummary]
    overall: AccuracySummary


def visible_cohorts(viewer: User) -> list[Cohort]:
    """A supervisor sees their own cohorts; an admin sees all."""
    query = select(Cohort).order_by(Cohort.name)
    if not viewer.is_admin:
        query = query.where(Cohort.supervisor_id == viewer.id)
    return list(db.session.scalars(query))


def cohort_rows(cohort: Cohort, target: float, elite: float) -> list[TraineeRow]:
    """Each member's accuracy per specialty and overall, from one grouped query."""
    members = list(
        db.session.scalars(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
            .order_by(User.display_name)
        )
    )
    ids = [m.id for m in members]
    stats: dict[int, dict[str, AccuracySummary]] = {i: {} for i in ids}
    if ids:
        rows = db.session.execute(
            select(
                Attempt.user_id,
                Attempt.specialty,
                func.count(Attempt.id),
                func.sum(case((Attempt.chart_correct, 1), else_=0)),
                func.coalesce(func.sum(Attempt.code_correct), 0),
                func.coalesce(func.sum(Attempt.code_total), 0),
            )
            .where(Attempt.user_id.in_(ids), Attempt.status == "submitted", Attempt.course == "")
            .group_by(Attempt.user_id, Attempt.specialty)
        )
        for user_id, specialty, n, ok, cc, ct in rows:
            stats[user_id][specialty] = AccuracySummary(
                int(n), int(ok or 0), int(cc), int(ct), target, elite
            )
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


def _owns(viewer: User, cohort: Cohort) -> bool:
    return viewer.is_admin or cohort.supervisor_id == viewer.id


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
    _place(user.id, cohort.id, None)
    return cohort


def _place(user_id: int, cohort_id: int, targets: dict[str, float] | None) -> None:
    with write_transaction(db.session) as session:
        member = session.scalar(select(CohortMember).where(CohortMember.user_id == user_id))
        if member is None:
            member = CohortMember(user_id=user_id, cohort_id=cohort_id, targets=targets or {})
            session.add(member)
        else:
            member.cohort_id = cohort_id
            if targets is not None:
                member.targets = targets


def move_trainee(viewer: User, user_id: int, cohort_id: int) -> None:
    """Move a trainee between two cohorts the viewer runs (any cohorts for an admin)."""
    target = db.session.get(Cohort, cohort_id)
    member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == user_id))
    if (
        target is None
        or member is None
        or not _owns(viewer, target)
        or not _owns(viewer, member.cohort)
    ):
        raise CohortError("You can move trainees only between your own cohorts.")
    _place(user_id, cohort_id, None)


def _targets(text: str, known: set[str]) -> dict[str, float]:
    """'orthopaedics=97;radiology=96' -> {'orthopaedics': 0.97, ...}; TARGET_PERCENTS only."""
    low, high = TARGET_PERCENTS
    found: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        name, _, value = part.partition("=")
        if (
            name.strip() not in known
            or not value.strip().isdigit()
            or not (low <= int(value) <= high)
        ):
            raise CohortError(
                f"Target {part!r}: use specialty={low}..{high} with a listed specialty."
            )
        found[name.strip()] = int(value) / 100
    return found


def import_csv(
    viewer: User, cohort: Cohort, text: str, specialties: set[str]
) -> list[tuple[str, str]]:
    """Create trainee accounts from 'name,email[,targets]' rows; returns (username, password).

    All rows are checked before any account is created, so a bad row changes nothing.
    """
    if not _owns(viewer, cohort):
        raise CohortError("Import into one of your own cohorts.")
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if rows and rows[0] and rows[0][0].strip().lower() == "name":
        rows = rows[1:]
    if not rows or len(rows) > MAX_IMPORT_ROWS:
        raise CohortError(f"Paste 1-{MAX_IMPORT_ROWS} rows of name,email[,targets].")
    planned = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        if len(row) < 2 or not row[0].strip() or "@" not in row[1]:
            raise CohortError(f"Row {n}: expected name,email[,targets].")
        email = row[1].strip().lower()[:254]
        base = "".join(ch for ch in email.split("@")[0] if ch.isalnum() or ch in "._-")[:50]
        username = base or f"trainee{n}"
        suffix = 1
        while username in seen or db.session.scalar(
            select(User.id).where(User.username == username)
        ):
            suffix += 1
            username = f"{base}{suffix}"
        seen.add(username)
        targets = _targets(row[2], specialties) if len(row) > 2 else {}
        planned.append((row[0].strip()[:120], email, username, targets))
    created = []
    for name, email, username, targets in planned:
        password = secrets.token_urlsafe(9)
        user = create_user(username, password, "trainee", name, email)
        _place(user.id, cohort.id, targets)
        created.append((username, password))
    return created
