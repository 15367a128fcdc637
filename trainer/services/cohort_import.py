"""The roster import: "name,email[,targets]" rows pasted by a supervisor, checked first, then
written in one transaction (new trainee accounts with one-time passwords, existing trainees
updated or moved in, anyone the supervisor may not manage skipped with the reason).

Who may import into a cohort is ``cohorts.can_manage``; the audit row names the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select

from trainer.core.stats.mastery import TARGET_PERCENTS

from ..core.csv_files import CsvFormatError, read_rows
from ..core.integers import IntegerInputError, parse_int
from ..database import write_transaction
from ..extensions import db
from ..models import Cohort, CohortMember, User
from . import audit
from .accounts import AccountError, add_user, hash_temporary_password, temporary_password
from .cohorts import CohortError, can_manage

MAX_IMPORT_ROWS = 500


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


__all__ = ["MAX_IMPORT_ROWS", "ImportedRow", "import_csv"]
