"""Typed persistence models. They hold state only: no commits and no rendering here.

One module per family of tables; this front door re-exports every model, so
``from trainer.models import Attempt`` and ``models.Attempt`` work as before and importing
``trainer.models`` registers every table with the metadata Alembic and the tests read.

- ``timestamps``: ``utcnow`` (every default) and ``as_utc``.
- ``people``: users, cohorts, membership, co-instructors (they name each other).
- ``sign_in``: failed log-ins (the throttle) and API tokens.
- ``attempts``: the attempt with its stored variant, its grades and error rows, practice pairs.
- ``reviews``: second-tier reviews, disputes, key corrections.
- ``assignments``: assignments and their runs; ``authored_templates``: browser-written templates.
- ``lti``: the LTI 1.3 platforms, users, courses, links, launch state and grade outbox.
- ``audit``, ``certificates``: the audit log; certificates with their figures.
- ``trainee_summaries`` and ``cohort_sums``: the report's kept sums, one shape for all
  (``summary_shape``).
"""

from __future__ import annotations

from .assignments import Assignment, AssignmentRun
from .attempts import EM_ROWS, REVENUE_ROWS, Attempt, AttemptError, AttemptGrade, PracticePair
from .audit import AuditEvent
from .authored_templates import AuthoredTemplate
from .certificates import Certificate
from .cohort_sums import (
    CohortEmSummary,
    CohortErrorSummary,
    CohortSpecialtySummary,
    CohortTemplateSummary,
    CohortWeekSummary,
)
from .lti import LtiContext, LtiGradeSend, LtiLaunchValue, LtiPlatform, LtiResourceLink, LtiUser
from .people import ROLES, Cohort, CohortInstructor, CohortMember, Role, User
from .reviews import Dispute, KeyCorrection, Review
from .sign_in import ApiToken, LoginFailure
from .timestamps import as_utc, utcnow
from .trainee_summaries import (
    TraineeEmSummary,
    TraineeErrorSummary,
    TraineeSpecialtySummary,
    TraineeTemplateSummary,
    TraineeTotalSummary,
    TraineeWeekSummary,
)

__all__ = [
    "EM_ROWS",
    "REVENUE_ROWS",
    "ROLES",
    "ApiToken",
    "Assignment",
    "AssignmentRun",
    "Attempt",
    "AttemptError",
    "AttemptGrade",
    "AuditEvent",
    "AuthoredTemplate",
    "Certificate",
    "Cohort",
    "CohortEmSummary",
    "CohortErrorSummary",
    "CohortInstructor",
    "CohortMember",
    "CohortSpecialtySummary",
    "CohortTemplateSummary",
    "CohortWeekSummary",
    "Dispute",
    "KeyCorrection",
    "LoginFailure",
    "LtiContext",
    "LtiGradeSend",
    "LtiLaunchValue",
    "LtiPlatform",
    "LtiResourceLink",
    "LtiUser",
    "PracticePair",
    "Review",
    "Role",
    "TraineeEmSummary",
    "TraineeErrorSummary",
    "TraineeSpecialtySummary",
    "TraineeTemplateSummary",
    "TraineeTotalSummary",
    "TraineeWeekSummary",
    "User",
    "as_utc",
    "utcnow",
]
