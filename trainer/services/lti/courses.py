"""An LMS course as its supervisor sees it here: the course, its cohort, its assignments.

Every read goes through ``cohorts.can_manage``: a supervisor reaches only the courses whose
cohort they run (an administrator every course); anything else is "not found".
"""

from __future__ import annotations

from sqlalchemy import select

from ...core.integers import IntegerInputError, parse_id
from ...extensions import db
from ...models import Assignment, Cohort, LtiContext, LtiPlatform, User
from ..cohorts import can_manage


def managed_course(viewer: User, context_pk: object) -> tuple[LtiContext, Cohort]:
    """The course and its cohort, or LookupError when missing or not the viewer's."""
    context = db.session.get(LtiContext, context_pk)
    cohort = db.session.get(Cohort, context.cohort_id) if context else None
    if context is None or cohort is None or not can_manage(viewer, cohort):
        raise LookupError(context_pk)
    return context, cohort


def deep_link_course(
    viewer: User, platform_id: object, context_pk: object
) -> tuple[LtiContext, LtiPlatform]:
    """The course a deep-linking request came from, while its platform is active."""
    context, _ = managed_course(viewer, context_pk)
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None or not platform.active or platform.id != context.platform_id:
        raise LookupError(platform_id)
    return context, platform


def course_assignments(context: LtiContext) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.cohort_id == context.cohort_id)
            .order_by(Assignment.id)
        )
    )


def course_assignment(context: LtiContext, raw_id: str) -> Assignment | None:
    """One of the course cohort's assignments by the id a form sent (None for anything else)."""
    try:
        assignment = db.session.get(Assignment, parse_id(raw_id))
    except IntegerInputError:
        return None
    return assignment if assignment and assignment.cohort_id == context.cohort_id else None
