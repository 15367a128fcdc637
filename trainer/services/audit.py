"""The audit log: every change to people, cohorts, assignments, keys and certificates.

Services call ``record`` inside the transaction that makes the change, so a change is never
committed without its row (nor a row without its change). Only administrators read it
(``may_read``); it is never edited or pruned by the application.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from ..core.csv_files import write_csv
from ..extensions import db
from ..models import AuditEvent, User

MAX_DETAIL = 2000
PAGE_SIZE = 100
CSV_COLUMNS = ("id", "at", "actor", "action", "target_type", "target_id", "detail")


class AuditAccessError(PermissionError):
    """Only administrators read the audit log."""


def record(
    session: Session | scoped_session[Any],
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    detail: str = "",
) -> None:
    """Add one row in the caller's open transaction (the caller commits with its change)."""
    session.add(
        AuditEvent(
            actor_id=actor.id if actor is not None else None,
            action=action[:40],
            target_type=target_type[:24],
            target_id=target_id,
            detail=detail[:MAX_DETAIL],
        )
    )


def may_read(viewer: User) -> bool:
    return bool(viewer.is_admin)


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int
    actions: list[str]


def _filtered(action: str) -> Any:
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    return query


def audit_page(viewer: User, action: str = "", page: int = 1) -> AuditPage:
    """Newest first, ``PAGE_SIZE`` a page; ``action`` narrows to one kind of change."""
    if not may_read(viewer):
        raise AuditAccessError("Only administrators read the audit log.")
    query = _filtered(action)
    total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    events = list(
        db.session.scalars(
            query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        )
    )
    actions = list(db.session.scalars(select(AuditEvent.action).distinct().order_by("action")))
    return AuditPage(events, total, page, pages, actions)


def _who(user: User | None) -> str:
    return user.username if user is not None else "command line"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def audit_csv(viewer: User, action: str = "") -> str:
    """The whole (filtered) log as CSV, oldest first, with formula cells neutralised."""
    if not may_read(viewer):
        raise AuditAccessError("Only administrators read the audit log.")
    rows: list[Sequence[Any]] = [
        (e.id, _when(e.at), _who(e.actor), e.action, e.target_type, e.target_id or "", e.detail)
        for e in db.session.scalars(_filtered(action).order_by(AuditEvent.id))
    ]
    return write_csv(CSV_COLUMNS, rows)
