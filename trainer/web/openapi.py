"""The OpenAPI 3.1 description of /api/v1, served to integrators at /api/v1/openapi.json.

Every schema is named under ``components/schemas`` and complete (array ``items``, required
fields, enums), every operation has an ``operationId``, so a client generated from this
document (the test suite generates one with openapi-python-client) has typed models for every
answer, grades and code-set diffs included. Enums and limits come from the core's own
constants, so the contract cannot drift from the validators.
"""

from __future__ import annotations

from typing import Any, get_args

from trainer.core.claims import (
    CODE_KINDS,
    MAX_ALTERNATES,
    MAX_CODE_LENGTH,
    MAX_DIAGNOSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_PROCEDURES,
    MAX_REASONS_FOR_VISIT,
    MAX_UNITS,
    MIN_UNITS,
    PLACE_OF_SERVICE_SHAPE,
    POA_INDICATORS,
    SETTINGS,
    TYPE_OF_BILL_SHAPE,
)
from trainer.core.codesets.catalog import REASONS
from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import ERROR_TYPES, POLICIES, Action, Direction, Element, Target
from trainer.core.stats.mastery import STATUS_LABELS

KINDS = list(CODE_KINDS)
ATTEMPT_STATUSES = ["in_progress", "submitted", "abandoned"]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, **extra}


STRING: dict[str, Any] = {"type": "string"}
TEXT_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
INT_OR_NULL: dict[str, Any] = {"type": ["integer", "null"]}
CODE: dict[str, Any] = {"type": "string", "maxLength": MAX_CODE_LENGTH}

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
LINE: dict[str, Any] = obj(
    ["code"],
    {
        "code": CODE,
        "modifiers": {"type": "array", "maxItems": MAX_MODIFIERS, "items": CODE},
        "units": {"type": "integer", "minimum": MIN_UNITS, "maximum": MAX_UNITS},
        "revenue_code": {"type": ["string", "null"], "maxLength": MAX_CODE_LENGTH},
        "pointers": {
            "type": "array",
            "maxItems": MAX_POINTERS,
            "items": {"type": "integer", "minimum": 1, "maximum": MAX_DIAGNOSES},
        },
    },
)
PROCEDURE: dict[str, Any] = obj(
    ["code"],
    {
        "code": {"type": "string", "pattern": "^[0-9A-HJ-NP-Z]{7}$"},
        "date": {"type": "string", "format": "date", "description": "FL 74: the procedure date"},
    },
)
CLAIM: dict[str, Any] = obj(
    [],
    {
        "diagnoses": {
            "type": "array",
            "maxItems": MAX_INPATIENT_DIAGNOSES,
            "items": CODE,
            "description": f"At most {MAX_DIAGNOSES} on a CMS-1500 or outpatient UB-04 (A-L); "
            f"an inpatient claim (one with poa or procedures) carries {MAX_INPATIENT_DIAGNOSES} "
            "(the 837I: the principal first, then 24 others)",
        },
        "lines": {"type": "array", "maxItems": MAX_LINES, "items": ref("ServiceLine")},
        # Inpatient only (UB-04 type of bill 111): a POA indicator per diagnosis, in the same
        # order, and the ICD-10-PCS procedures of FL 74 with their dates (both graded).
        "poa": {
            "type": "array",
            "maxItems": MAX_INPATIENT_DIAGNOSES,
            "items": {"type": "string", "enum": [*POA_INDICATORS, ""]},
        },
        "procedures": {
            "type": "array",
            "maxItems": MAX_PROCEDURES,
            "items": ref("Procedure"),
        },
        # UB-04 only (facility claims): FL 4 and FL 70 a-c; FL 72's external cause codes
        # travel in "diagnoses" (chapter 20 codes). A UB-04 line's pointers are ignored.
        "type_of_bill": {"type": "string", "pattern": TYPE_OF_BILL_SHAPE.pattern},
        "reason_for_visit": {
            "type": "array",
            "maxItems": MAX_REASONS_FOR_VISIT,
            "items": CODE,
        },
        # CMS-1500 only: box 24B, one CMS place-of-service code for every line (graded).
        "place_of_service": {"type": "string", "pattern": PLACE_OF_SERVICE_SHAPE.pattern},
    },
    example={
        "diagnoses": ["M17.11"],
        "lines": [{"code": "20610", "modifiers": ["RT"], "units": 1, "pointers": [1]}],
    },
)
KEY: dict[str, Any] = obj(
    [],
    {
        **CLAIM["properties"],
        "alternates": {"type": "array", "maxItems": MAX_ALTERNATES, "items": ref("Claim")},
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
PATIENT = obj(
    ["age", "sex"],
    {
        "age": {"type": "integer", "minimum": 0, "maximum": 130},
        "sex": {"type": "string", "enum": ["F", "M"]},
        "payer": {"type": "string", "maxLength": 60},
    },
    description="Runs the age/sex edits and the Medicare-only MUE-0 edit",
)
GRADE_REQUEST = obj(
    ["key", "answer", "date_of_service"],
    {
        "key": ref("AnswerKey"),
        "answer": ref("Claim"),
        "policy": {"type": "string", "enum": list(POLICIES)},
        "date_of_service": {"type": "string", "format": "date"},
        "setting": {"type": "string", "enum": list(SETTINGS)},
        "patient": ref("Patient"),
    },
)
START_REQUEST = obj(
    ["specialty"],
    {"specialty": {"type": "string", "enum": list(SPECIALTIES)}},
    example={"specialty": "orthopaedics"},
)
SUBMIT_REQUEST = obj(
    ["answer"],
    {"answer": ref("Claim"), "seconds": {"type": "integer", "minimum": 0, "maximum": 86400}},
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": ERROR,
    "ServiceLine": LINE,
    "Procedure": PROCEDURE,
    "Claim": CLAIM,
    "AnswerKey": KEY,
    "Patient": PATIENT,
    "GradeRequest": GRADE_REQUEST,
    "GradeError": GRADE_ERROR,
    "ElementVerdict": ELEMENT_VERDICT,
    "LineVerdict": LINE_VERDICT,
    "EditResult": EDIT_RESULT,
    "EmExplanation": EM_EXPLANATION,
    "Grade": GRADE,
    "Attempt": ATTEMPT,
    "StartRequest": START_REQUEST,
    "SubmitRequest": SUBMIT_REQUEST,
    "SearchResults": SEARCH_RESULTS,
    "Validation": VALIDATION,
    "CodeTitle": CODE_TITLE,
    "CodeRevision": CODE_REVISION,
    "CodeSetDiff": CODESET_DIFF,
    "SpecialtyAccuracy": SPECIALTY_ACCURACY,
    "CohortReport": COHORT_REPORT,
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*extra: tuple[str, str]) -> dict[str, Any]:
    answers = {
        "400": _json(ref("Error"), "Invalid input; 'field' names it"),
        "401": _json(ref("Error"), "No valid session or Bearer token"),
        "429": _json(ref("Error"), "Too many requests; retry after the Retry-After header"),
        "default": _json(ref("Error"), "Any other error (404, 405, 413, 500), in the same shape"),
    }
    answers.update({status: _json(ref("Error"), text) for status, text in extra})
    return answers


def ID(name: str) -> dict[str, Any]:  # capitalised: reads like a schema constructor
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }


def _query(
    name: str, schema: dict[str, Any], required: bool, example: Any = None
) -> dict[str, Any]:
    param = {"name": name, "in": "query", "required": required, "schema": schema}
    if example is not None:
        param["example"] = example
    return param


def _operation(
    operation_id: str,
    summary: str,
    ok: dict[str, Any],
    *,
    params: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    status: str = "200",
    extra: tuple[tuple[str, str], ...] = (),
    more: dict[str, Any] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": params or [],
        "responses": {status: _json(ok, "OK"), **_errors(*extra), **(more or {})},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def spec() -> dict[str, Any]:
    date = {"type": "string", "format": "date"}
    year = {"type": "integer", "minimum": 1000, "maximum": 9999}
    not_yours = ("404", "Not found, or not yours")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Coding trainer API",
            "version": "1.1.0",
            "description": "Code look-up and validation by date of service, code-set diffs, "
            "line-level grading, practice charts and cohort reports. ICD-10-CM: CDC; HCPCS "
            "Level II: CMS; CPT descriptions are the trainer's own wording.",
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `trainer create-token USER`.",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/api/v1/codes/search": {
                "get": _operation(
                    "searchCodes",
                    "Ranked code search by prefix or words",
                    ref("SearchResults"),
                    params=[
                        _query(
                            "q",
                            {"type": "string", "minLength": 1, "maxLength": 100},
                            True,
                            "knee oa right",
                        ),
                        _query("kind", {"type": "string", "enum": KINDS}, False, "icd10cm"),
                        _query("dos", date, False, "2026-03-02"),
                        _query("limit", {"type": "integer", "minimum": 1, "maximum": 100}, False),
                    ],
                )
            },
            "/api/v1/codes/validate": {
                "get": _operation(
                    "validateCode",
                    "Validate a code on a date of service",
                    ref("Validation"),
                    params=[
                        _query(
                            "code",
                            {"type": "string", "minLength": 1, "maxLength": 32},
                            True,
                            "M17.11",
                        ),
                        _query("kind", {"type": "string", "enum": KINDS}, True, "icd10cm"),
                        _query("dos", date, True, "2026-03-02"),
                    ],
                )
            },
            "/api/v1/codesets/diff": {
                "get": _operation(
                    "codesetDiff",
                    "Added, deleted and revised codes between two years",
                    ref("CodeSetDiff"),
                    params=[
                        _query("set", {"type": "string", "enum": KINDS}, True, "icd10cm"),
                        _query("from", year, True, 2025),
                        _query("to", year, True, 2026),
                    ],
                )
            },
            "/api/v1/exercises/start": {
                "post": _operation(
                    "startExercise",
                    "Start a generated chart in a specialty",
                    ref("Attempt"),
                    body=ref("StartRequest"),
                    status="201",
                )
            },
            "/api/v1/attempts/{attempt_id}": {
                "get": _operation(
                    "getAttempt",
                    "An attempt's status and, once its feedback is open, its grade",
                    ref("Attempt"),
                    params=[ID("attempt_id")],
                    extra=(not_yours,),
                )
            },
            "/api/v1/attempts/{attempt_id}/submit": {
                "post": _operation(
                    "submitAttempt",
                    "Submit the answer to a started chart (recorded once)",
                    ref("Attempt"),
                    params=[ID("attempt_id")],
                    body=ref("SubmitRequest"),
                    extra=(not_yours,),
                    more={
                        "409": _json(
                            ref("Error"),
                            "Already submitted; or the exam closed (by the server's database "
                            "clock): the answer was not recorded, `error` and `closed_at` say "
                            "when, and the draft saved before is graded; `attempt` is the "
                            "attempt as it stands",
                        )
                    },
                )
            },
            "/api/v1/cohorts/{cohort_id}/report": {
                "get": _operation(
                    "cohortReport",
                    "Accuracy per trainee and specialty (the cohort's supervisor)",
                    ref("CohortReport"),
                    params=[ID("cohort_id")],
                    extra=(("403", "Not a supervisor"), ("404", "Not found, or not your cohort")),
                )
            },
            "/api/v1/grade": {
                "post": _operation(
                    "gradeClaim",
                    "Grade an answer against a key, line by line",
                    ref("Grade"),
                    body=ref("GradeRequest"),
                )
            },
        },
    }
