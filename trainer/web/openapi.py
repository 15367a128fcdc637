"""The OpenAPI 3.1 description of /api/v1, served to integrators at /api/v1/openapi.json.

Every schema is named under ``components/schemas`` and complete (array ``items``, required
fields, enums), every operation has an ``operationId``, so a client generated from this
document (the test suite generates one with openapi-python-client) has typed models for every
answer, grades and code-set diffs included. Enums and limits come from the core's own
constants, so the contract cannot drift from the validators.

Split in three: ``openapi_requests`` (what a client sends, from the claim limits),
``openapi_answers`` (what the API answers, from the result types) and this module, which
names every schema under ``components/schemas`` and writes the paths and operations.
"""

from __future__ import annotations

from typing import Any

from .openapi_answers import (
    ATTEMPT,
    CODE_REVISION,
    CODE_TITLE,
    CODESET_DIFF,
    COHORT_REPORT,
    EDIT_RESULT,
    ELEMENT_VERDICT,
    EM_EXPLANATION,
    ERROR,
    GRADE,
    GRADE_ERROR,
    LINE_VERDICT,
    SEARCH_RESULTS,
    SPECIALTY_ACCURACY,
    VALIDATION,
)
from .openapi_requests import (
    CLAIM,
    GRADE_REQUEST,
    KEY,
    KINDS,
    LINE,
    PATIENT,
    PROCEDURE,
    START_REQUEST,
    SUBMIT_REQUEST,
    ref,
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
