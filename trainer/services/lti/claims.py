"""The LTI 1.3 claim names we read, and what a role list means here.

Names from the LTI 1.3 Core, Deep Linking 2.0, NRPS 2.0 and AGS 2.0 specifications.
"""

from __future__ import annotations

from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
RESOURCE_LINK = LTI + "resource_link"
CUSTOM = LTI + "custom"
DEPLOYMENT_ID = LTI + "deployment_id"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"

# Context (course) roles that may set the activity up: LIS v2 membership vocabulary, full URI
# or the short form the LTI 1.3 spec allows for context roles. A teaching assistant is not
# staff here: placing assignments and owning the course's cohort stay with instructors.
STAFF_ROLES = frozenset(
    {
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
        "Instructor",
        "Administrator",
        "ContentDeveloper",
    }
)
LEARNER_ROLES = frozenset({"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner", "Learner"})


def is_staff(roles: list[str] | Any) -> bool:
    return isinstance(roles, list) and any(r in STAFF_ROLES for r in roles)


def is_learner(roles: list[str] | Any) -> bool:
    return isinstance(roles, list) and any(r in LEARNER_ROLES for r in roles)


def text(data: dict[str, Any], key: str, limit: int = 255) -> str:
    """A claim as bounded text ('' when absent or not a string)."""
    value = data.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def claim(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}
