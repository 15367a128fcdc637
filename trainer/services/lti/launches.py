"""What a validated launch means here: which account, which cohort, which assignment.

pylti1p3 has checked the id_token (signature against the platform's key set, issuer, audience,
deployment, nonce, state, expiry) before anything here runs; these functions trust its claims
only as far as the registration reaches: an assignment is reachable from a course only if it
belongs to the cohort made for that course, whatever the (signed) custom parameter says, so one
registered platform can never open another institution's assignment.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ...database import write_transaction
from ...extensions import db
from ...models import Assignment, Cohort, LtiContext, LtiPlatform, LtiResourceLink, LtiUser, User
from ..accounts import add_user, hash_temporary_password
from ..cohort_instructors import add_instructor_row
from ..cohorts import can_manage, place_in_cohort
from . import claims


class LaunchRefused(Exception):
    """A launch that is valid LTI but cannot be honoured here; the message is for the person."""


@dataclass(frozen=True)
class Launch:
    user: User
    context: LtiContext
    staff: bool
    assignment: Assignment | None  # the assignment a resource link opens
    deep_link: dict[str, Any] | None  # deep-linking settings on a deep-linking request


def username_for(platform: LtiPlatform, subject: str) -> str:
    """Stable, opaque and within the username rules: the platform's ``sub`` is never shown."""
    digest = hashlib.sha256(f"{platform.id}:{subject}".encode()).hexdigest()[:20]
    return f"lti{platform.id}-{digest}"


def provision_user(
    session: Any, platform: LtiPlatform, subject: str, name: str, email: str, staff: bool
) -> User:
    """The account for a platform user, made on first sight. LMS instructors become
    supervisors (of their courses' cohorts only: ``cohorts.can_manage``); nobody is ever
    lowered, and an administrator stays one."""
    link = session.scalar(
        select(LtiUser).where(LtiUser.platform_id == platform.id, LtiUser.subject == subject)
    )
    if link is not None:
        user = session.get(User, link.user_id)
        if staff and user.role == "trainee":
            user.role = "supervisor"
        if name:
            user.display_name = name[:120]
        return user
    # Nobody signs in with this password: the account is reached through the LMS only.
    user = add_user(
        session,
        username_for(platform, subject),
        hash_temporary_password(secrets.token_urlsafe(32)),
        role="supervisor" if staff else "trainee",
        display_name=name[:120] or "LMS user",
        email=email[:254],
    )
    session.flush()
    session.add(LtiUser(platform_id=platform.id, subject=subject, user_id=user.id))
    return user


def _context(
    session: Any, platform: LtiPlatform, data: dict[str, Any], user: User, staff: bool
) -> LtiContext:
    context_claim = claims.claim(data, claims.CONTEXT)
    context_id = claims.text(context_claim, "id")
    if not context_id:
        raise LaunchRefused("The LMS sent no course with this launch; open it from a course.")
    context = session.scalar(
        select(LtiContext).where(
            LtiContext.platform_id == platform.id, LtiContext.context_id == context_id
        )
    )
    title = claims.text(context_claim, "title") or claims.text(context_claim, "label")
    if context is None:
        if not staff:
            raise LaunchRefused(
                "Your instructor has not set this activity up yet. Ask them to open it once."
            )
        cohort = Cohort(
            name=(title or f"LMS course {context_id}")[:120],
            supervisor_id=user.id,
            join_code=secrets.token_hex(4).upper(),
        )
        session.add(cohort)
        session.flush()
        context = LtiContext(
            platform_id=platform.id, context_id=context_id, title=title, cohort_id=cohort.id
        )
        session.add(context)
    nrps = claims.claim(data, claims.NRPS)
    url = nrps.get("context_memberships_url")
    if isinstance(url, str) and url:
        context.memberships_url = url[:500]
    context.deployment_id = claims.text(data, claims.DEPLOYMENT_ID)
    if title:
        context.title = title
    session.flush()
    return context


def _linked_assignment(session: Any, context: LtiContext, data: dict[str, Any]) -> Assignment:
    link_id = claims.text(claims.claim(data, claims.RESOURCE_LINK), "id")
    if not link_id:
        raise LaunchRefused("The LMS sent no resource link with this launch.")
    link = session.scalar(
        select(LtiResourceLink).where(
            LtiResourceLink.context_pk == context.id, LtiResourceLink.resource_link_id == link_id
        )
    )
    wanted = claims.text(claims.claim(data, claims.CUSTOM), "assignment_id", 12)
    assignment_id = int(wanted) if wanted.isdigit() else (link.assignment_id if link else None)
    assignment = session.get(Assignment, assignment_id) if assignment_id else None
    if assignment is None or assignment.cohort_id != context.cohort_id:
        raise LaunchRefused(
            "This link does not open an assignment of this course. Ask your instructor to "
            "place it again from the course."
        )
    endpoint = claims.claim(data, claims.AGS)
    if link is None:
        link = LtiResourceLink(context_pk=context.id, resource_link_id=link_id)
        session.add(link)
    link.assignment_id = assignment.id
    if endpoint:
        link.ags_endpoint = endpoint
    return assignment


def accept_launch(platform: LtiPlatform, data: dict[str, Any]) -> Launch:
    """Provision the account, the course's cohort and the link in one transaction."""
    subject = claims.text(data, "sub")
    if not subject:
        raise LaunchRefused("Anonymous launches are not supported: the LMS must send the user.")
    roles = data.get(claims.ROLES, [])
    staff = claims.is_staff(roles)
    message_type = claims.text(data, claims.MESSAGE_TYPE, 64)
    if message_type == "LtiDeepLinkingRequest" and not staff:
        raise LaunchRefused("Only an instructor places the trainer's assignments in a course.")
    with write_transaction(db.session) as session:
        user = provision_user(
            session,
            platform,
            subject,
            claims.text(data, "name", 120),
            claims.text(data, "email", 254),
            staff,
        )
        if not user.active:
            raise LaunchRefused("This account is deactivated; ask an administrator.")
        context = _context(session, platform, data, user, staff)
        cohort = session.get(Cohort, context.cohort_id)
        if staff and cohort is not None and not can_manage(user, cohort):
            # Another instructor of the course: they co-instruct its cohort from now on.
            add_instructor_row(session, user, cohort, user, "by an LTI instructor launch")
            session.flush()
        assignment = None
        if message_type == "LtiResourceLinkRequest":
            assignment = _linked_assignment(session, context, data)
    if not staff and user.role == "trainee":
        place_in_cohort(user.id, context.cohort_id)
    deep_link = claims.claim(data, claims.DEEP_LINKING_SETTINGS) or None
    return Launch(user, context, staff, assignment, deep_link)
