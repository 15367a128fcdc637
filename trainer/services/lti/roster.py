"""The course roster from the LMS (Names and Role Provisioning Services 2.0).

The course's supervisor (``cohorts.can_manage``) pulls the membership; every active learner
gets an account and a place in the course's cohort before they ever launch, so the supervisor
sees the whole class from the first day. Instructors on the roster are not made supervisors
here: an instructor becomes one by launching the tool themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests import RequestException
from sqlalchemy import select

from ...database import write_transaction
from ...extensions import db
from ...models import Cohort, LtiContext, LtiPlatform, LtiUser, User, utcnow
from ..cohorts import can_manage, place_in_cohort
from . import claims
from .http import platform_session
from .launches import provision_user
from .tool_config import registration_of


class RosterError(Exception):
    """The roster could not be read; the message says why (for the supervisor)."""


@dataclass(frozen=True)
class RosterResult:
    learners: int
    new_accounts: int
    skipped: int


def sync_roster(viewer: User, context: LtiContext) -> RosterResult:
    cohort = db.session.get(Cohort, context.cohort_id)
    if cohort is None or not can_manage(viewer, cohort):
        raise PermissionError("Only the course's supervisor synchronises its roster.")
    platform = db.session.get(LtiPlatform, context.platform_id)
    if platform is None or not platform.active:
        raise RosterError("The LMS registration is deactivated.")
    if not context.memberships_url:
        raise RosterError("The LMS did not offer the course roster (Names and Roles) service.")
    service = NamesRolesProvisioningService(
        ServiceConnector(registration_of(platform), platform_session()),
        {"context_memberships_url": context.memberships_url},
    )
    try:
        members = service.get_members()
    except (LtiServiceException, LtiException, RequestException, ValueError) as exc:
        raise RosterError(f"The LMS refused the roster request ({type(exc).__name__}).") from exc
    learners = new = skipped = 0
    for member in members:
        subject = str(member.get("user_id") or "")[:255]
        roles = member.get("roles", [])
        if (
            not subject
            or member.get("status", "Active") != "Active"
            or not claims.is_learner(roles)
        ):
            skipped += 1
            continue
        with write_transaction(db.session) as session:
            known = session.scalar(
                select(LtiUser.id).where(
                    LtiUser.platform_id == platform.id, LtiUser.subject == subject
                )
            )
            user = provision_user(
                session,
                platform,
                subject,
                str(member.get("name") or "")[:120],
                str(member.get("email") or "")[:254],
                staff=False,
            )
            new += int(known is None)
        if user.role == "trainee":
            place_in_cohort(user.id, context.cohort_id)
            learners += 1
        else:
            skipped += 1
    with write_transaction(db.session):
        context.synced_at = utcnow()
    return RosterResult(learners, new, skipped)
