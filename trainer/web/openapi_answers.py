"""The OpenAPI schemas of what the API answers: grades, attempts, look-ups, diffs, reports.

Apart from the requests (``openapi_requests``) and the paths (``openapi``) because these
follow the result types, not the claim limits: the error types, policies, targets, elements,
directions and edit actions come from ``core.grading.types``, the validation reasons from the
catalog and the status labels from the mastery rules, so a generated client's enums are the
grader's own. ``ERROR`` is the one error shape of every 4xx/5xx (``web.errors.json_error``).
"""

from __future__ import annotations

from typing import get_args

from trainer.core.codesets.catalog import REASONS
from trainer.core.grading.types import ERROR_TYPES, POLICIES, Action, Direction, Element, Target
from trainer.core.stats.mastery import STATUS_LABELS

from .openapi_requests import INT_OR_NULL, KINDS, STRING, TEXT_OR_NULL, nullable, obj, ref

ATTEMPT_STATUSES = ["in_progress", "submitted", "abandoned"]

# The one error shape (``web.errors.json_error``) of every 4xx/5xx, validation errors included.
ERROR = obj(
    ["error", "status"],
    {
        "error": {"type": "string", "description": "What went wrong, for a person to read"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "field": {"type": "string", "description": "The input at fault, when one is"},
        "closed_at": {"type": "string", "description": "When the exam closed (409)"},
        "attempt": {"type": "object", "description": "The attempt as it stands (409)"},
        "first_submission": {"type": "boolean"},
    },
)
GRADE_ERROR = obj(
    ["type", "explanation", "target", "element", "direction"],
    {
        "type": {"type": "string", "enum": list(ERROR_TYPES)},
        "expected": TEXT_OR_NULL,
        "given": TEXT_OR_NULL,
        "explanation": {"type": "string", "description": "The fact and the rule that applies"},
        "target": {"type": "string", "enum": list(get_args(Target))},
        "index": INT_OR_NULL,
        "element": {"type": "string", "enum": list(get_args(Element))},
        "direction": {"type": "string", "enum": list(get_args(Direction))},
    },
)
ELEMENT_VERDICT = obj(
    ["element", "correct"],
    {
        "element": {"type": "string", "enum": list(get_args(Element))},
        "expected": TEXT_OR_NULL,
        "given": TEXT_OR_NULL,
        "correct": {"type": "boolean"},
    },
)
LINE_VERDICT = obj(
    ["target", "correct", "elements", "errors"],
    {
        "target": {"type": "string", "enum": list(get_args(Target))},
        "key_index": INT_OR_NULL,
        "answer_index": INT_OR_NULL,
        "expected": TEXT_OR_NULL,
        "given": TEXT_OR_NULL,
        "correct": {"type": "boolean"},
        "elements": {"type": "array", "items": ref("ElementVerdict")},
        "errors": {"type": "array", "items": {"type": "string", "enum": list(ERROR_TYPES)}},
    },
)
EDIT_RESULT = obj(
    ["line_index", "action", "reason", "rule"],
    {
        "line_index": {"type": "integer"},
        "action": {"type": "string", "enum": list(get_args(Action))},
        "reason": STRING,
        "rule": {"type": "string", "description": "The CMS edit or policy applied"},
    },
)
EM_EXPLANATION = obj(
    ["code", "summary"],
    {
        "category": STRING,
        "code": STRING,
        "basis": STRING,
        "mdm_level": TEXT_OR_NULL,
        "mdm_code": TEXT_OR_NULL,
        "elements": {
            "type": "array",
            "items": obj(
                ["element", "level"],
                {
                    "element": STRING,
                    "level": STRING,
                    "words": {"type": "array", "items": STRING},
                    "sets_level": {"type": "boolean"},
                    "departs": {"type": "array", "items": STRING},
                },
            ),
        },
        "deciding": {"type": "array", "items": STRING},
        "total_minutes": INT_OR_NULL,
        "time_code": TEXT_OR_NULL,
        "given_code": TEXT_OR_NULL,
        "given_level": TEXT_OR_NULL,
        "departs": {"type": "array", "items": STRING},
        "summary": STRING,
    },
)
GRADE = obj(
    ["policy", "score", "chart_correct", "diagnoses", "lines", "errors", "edits"],
    {
        "policy": {"type": "string", "enum": list(POLICIES)},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "scores": {"type": "object", "additionalProperties": {"type": "number"}},
        "code_correct": {"type": "integer"},
        "code_total": {"type": "integer"},
        "code_accuracy": {"type": "number"},
        "chart_correct": {"type": "boolean"},
        "diagnoses": {"type": "array", "items": ref("LineVerdict")},
        "lines": {"type": "array", "items": ref("LineVerdict")},
        "errors": {"type": "array", "items": ref("GradeError")},
        "edits": {"type": "array", "items": ref("EditResult")},
        "revenue_direction": {"type": "object", "additionalProperties": {"type": "integer"}},
        "em": nullable(ref("EmExplanation")),
        "key_variant": {"type": "integer"},
        "header": {
            "type": "array",
            "items": ref("LineVerdict"),
            "description": "UB-04 header fields (FL 4, FL 70) where the key holds them",
        },
    },
)
ATTEMPT = obj(
    ["attempt_id", "status"],
    {
        "attempt_id": {"type": "integer"},
        "status": {"type": "string", "enum": ATTEMPT_STATUSES},
        "specialty": STRING,
        "specialty_name": STRING,
        "title": {
            "type": "string",
            "description": "The template's title, present with the grade only: it names what "
            "the chart teaches and could hint at the answer",
        },
        "setting": STRING,
        "claim_form": STRING,
        "date_of_service": {"type": "string", "format": "date"},
        "mode": STRING,
        "grade": {
            **nullable(ref("Grade")),
            "description": "Present once the feedback is open (after submission; for an "
            "exam, after the exam closes)",
        },
        "chart_html": {
            "type": "string",
            "description": "The chart, sanitised HTML; its header says where the service was "
            "in words, never the place-of-service code (box 24B is graded)",
        },
        "first_submission": {"type": "boolean"},
        "error": STRING,
        "closed_at": {"type": "string", "format": "date-time"},
    },
)
SEARCH_RESULTS = obj(
    ["query", "results", "source"],
    {
        "query": STRING,
        "source": STRING,
        "results": {
            "type": "array",
            "items": obj(
                ["code", "kind", "title", "billable"],
                {
                    "code": STRING,
                    "kind": {"type": "string", "enum": KINDS},
                    "title": STRING,
                    "billable": {"type": "boolean"},
                    "note": TEXT_OR_NULL,
                    "matched": TEXT_OR_NULL,
                },
            ),
        },
    },
)
VALIDATION = obj(
    ["valid", "code", "reason", "message", "suggestions"],
    {
        "valid": {"type": "boolean"},
        "code": STRING,
        "reason": {"type": ["string", "null"], "enum": [None, *REASONS]},
        "message": STRING,
        "suggestions": {"type": "array", "items": STRING},
        "note": {
            "type": "string",
            "description": "e.g. that a 2026 date is checked against the 2025 CPT/HCPCS set "
            "until a 2026 file is loaded",
        },
    },
)
CODE_TITLE = obj(["code", "title"], {"code": STRING, "title": STRING})
CODE_REVISION = obj(
    ["code", "old_title", "new_title"],
    {"code": STRING, "old_title": STRING, "new_title": STRING},
)
CODESET_DIFF = obj(
    ["set", "from", "to", "counts", "added", "deleted", "revised"],
    {
        "set": {"type": "string", "enum": KINDS},
        "from": {"type": "integer"},
        "to": {"type": "integer"},
        "counts": obj(
            ["added", "deleted", "revised"],
            {
                "added": {"type": "integer"},
                "deleted": {"type": "integer"},
                "revised": {"type": "integer"},
            },
        ),
        "added": {"type": "array", "items": ref("CodeTitle")},
        "deleted": {"type": "array", "items": ref("CodeTitle")},
        "revised": {"type": "array", "items": ref("CodeRevision")},
    },
)
SPECIALTY_ACCURACY = obj(
    ["charts", "code_accuracy", "chart_accuracy", "interval", "status"],
    {
        "charts": {"type": "integer"},
        "code_accuracy": {"type": ["number", "null"]},
        "chart_accuracy": {"type": ["number", "null"]},
        "interval": {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "description": "95% Wilson interval of code accuracy",
        },
        "status": {"type": "string", "enum": list(STATUS_LABELS)},
    },
)
COHORT_REPORT = obj(
    ["cohort", "trainees"],
    {
        "cohort": obj(["id", "name"], {"id": {"type": "integer"}, "name": STRING}),
        "trainees": {
            "type": "array",
            "items": obj(
                ["user_id", "name", "charts", "code_accuracy", "specialties"],
                {
                    "user_id": {"type": "integer"},
                    "name": STRING,
                    "charts": {"type": "integer"},
                    "code_accuracy": {"type": ["number", "null"]},
                    "specialties": {
                        "type": "object",
                        "additionalProperties": ref("SpecialtyAccuracy"),
                    },
                },
            ),
        },
    },
)
