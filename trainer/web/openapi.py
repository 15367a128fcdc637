"""The OpenAPI 3.1 description of /api/v1, served to integrators at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from trainer.core.claims import (
    CODE_KINDS,
    MAX_ALTERNATES,
    MAX_CODE_LENGTH,
    MAX_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_UNITS,
    MIN_UNITS,
    SETTINGS,
)
from trainer.core.codesets.catalog import REASONS
from trainer.core.grading.types import ERROR_TYPES, POLICIES

# Enums and limits come from the core's validators, so the contract cannot drift from them.
CODE: dict[str, Any] = {"type": "string", "maxLength": MAX_CODE_LENGTH}
# The one error shape (``web.errors.json_error``) of every 4xx/5xx, validation errors included.
ERROR: dict[str, Any] = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, for a person to read"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "field": {"type": "string", "description": "The input at fault, when one is"},
        "closed_at": {"type": "string", "description": "When the exam closed (409)"},
        "attempt": {"type": "object", "description": "The attempt as it stands (409)"},
        "first_submission": {"type": "boolean"},
    },
}
KINDS = list(CODE_KINDS)
LINE: dict[str, Any] = {
    "type": "object",
    "required": ["code"],
    "properties": {
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
}
CLAIM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "diagnoses": {
            "type": "array",
            "maxItems": MAX_DIAGNOSES,
            "items": CODE,
        },
        "lines": {"type": "array", "maxItems": MAX_LINES, "items": LINE},
    },
}
KEY: dict[str, Any] = {
    "type": "object",
    "properties": {
        **CLAIM["properties"],
        "alternates": {"type": "array", "maxItems": MAX_ALTERNATES, "items": CLAIM},
    },
}
GRADE_ERROR = {
    "type": "object",
    "required": ["type", "explanation"],
    "properties": {
        "type": {"type": "string", "enum": list(ERROR_TYPES)},
        "expected": {"type": ["string", "null"]},
        "given": {"type": ["string", "null"]},
        "explanation": {"type": "string"},
    },
}
GRADE = {
    "type": "object",
    "required": ["score", "chart_correct", "errors", "lines", "edits"],
    "properties": {
        "policy": {"type": "string"},
        "score": {"type": "number"},
        "code_correct": {"type": "integer"},
        "code_total": {"type": "integer"},
        "chart_correct": {"type": "boolean"},
        "diagnoses": {"type": "array"},
        "lines": {"type": "array"},
        "errors": {"type": "array", "items": GRADE_ERROR},
        "edits": {"type": "array"},
    },
}


ATTEMPT = {
    "type": "object",
    "required": ["attempt_id", "status"],
    "properties": {
        "attempt_id": {"type": "integer"},
        "status": {"type": "string"},
        "specialty": {"type": "string"},
        "date_of_service": {"type": "string"},
        "grade": {"type": ["object", "null"]},
        "chart_html": {"type": "string"},
    },
}
NOT_FOUND = {
    "description": "Not found, or not yours",
    "content": {"application/json": {"schema": ERROR}},
}


def ID(name: str) -> dict[str, Any]:  # capitalised: reads like a schema constructor
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }


def _get(summary: str, params: list[dict[str, Any]], ok: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": params, "responses": _responses(ok)}}


def _responses(ok: dict[str, Any]) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": ERROR}}}
    return {
        "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
        "400": {"description": "Invalid input; 'field' names it", **error},
        "401": {"description": "No valid session or Bearer token", **error},
        "default": {"description": "Any other error (404, 405, 413, 429, 500)", **error},
    }


def _query(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def spec() -> dict[str, Any]:
    date = {"type": "string", "format": "date"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Coding trainer API",
            "version": "1.0.0",
            "description": "Code look-up and validation by date of service, code-set "
            "diffs and line-level grading. ICD-10-CM: CDC.",
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `trainer create-token USER`.",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {"Error": ERROR},
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/api/v1/codes/search": _get(
                "Ranked code search by prefix or words",
                [
                    _query("q", {"type": "string", "minLength": 1, "maxLength": 100}, True),
                    _query("kind", {"type": "string", "enum": KINDS}, False),
                    _query("dos", date, False),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 100}, False),
                ],
                {
                    "type": "object",
                    "required": ["results"],
                    "properties": {
                        "query": {"type": "string"},
                        "source": {"type": "string"},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "code": {"type": "string"},
                                    "kind": {"type": "string"},
                                    "title": {"type": "string"},
                                    "billable": {"type": "boolean"},
                                    "note": {"type": "string"},
                                    "matched": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            ),
            "/api/v1/codes/validate": _get(
                "Validate a code on a date of service",
                [
                    _query("code", {"type": "string", "minLength": 1, "maxLength": 32}, True),
                    _query("kind", {"type": "string", "enum": KINDS}, True),
                    _query("dos", date, True),
                ],
                {
                    "type": "object",
                    "required": ["valid", "code", "reason", "message", "suggestions"],
                    "properties": {
                        "valid": {"type": "boolean"},
                        "code": {"type": "string"},
                        "reason": {
                            "type": ["string", "null"],
                            "enum": [None, *REASONS],
                        },
                        "message": {"type": "string"},
                        "suggestions": {"type": "array", "items": {"type": "string"}},
                        "note": {
                            "type": "string",
                            "description": "e.g. that a 2026 date is checked against the 2025 "
                            "CPT/HCPCS set until a 2026 file is loaded",
                        },
                    },
                },
            ),
            "/api/v1/codesets/diff": _get(
                "Added, deleted and revised codes between two years",
                [
                    _query("set", {"type": "string", "enum": KINDS}, True),
                    _query("from", {"type": "integer", "minimum": 1000, "maximum": 9999}, True),
                    _query("to", {"type": "integer", "minimum": 1000, "maximum": 9999}, True),
                ],
                {
                    "type": "object",
                    "required": ["added", "deleted", "revised", "counts"],
                    "properties": {
                        "added": {"type": "array"},
                        "deleted": {"type": "array"},
                        "revised": {"type": "array"},
                        "counts": {"type": "object"},
                    },
                },
            ),
            "/api/v1/exercises/start": {
                "post": {
                    "summary": "Start a generated chart in a specialty",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["specialty"],
                                    "properties": {
                                        "specialty": {"type": "string", "maxLength": 40}
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        **_responses(ATTEMPT),
                        "201": {
                            "description": "Started",
                            "content": {"application/json": {"schema": ATTEMPT}},
                        },
                    },
                }
            },
            "/api/v1/attempts/{attempt_id}": {
                "get": {
                    "summary": "An attempt's status and, once submitted, its grade",
                    "parameters": [ID("attempt_id")],
                    "responses": {**_responses(ATTEMPT), "404": NOT_FOUND},
                }
            },
            "/api/v1/attempts/{attempt_id}/submit": {
                "post": {
                    "summary": "Submit the answer to a started chart (recorded once)",
                    "parameters": [ID("attempt_id")],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["answer"],
                                    "properties": {
                                        "answer": CLAIM,
                                        "seconds": {
                                            "type": "integer",
                                            "minimum": 0,
                                            "maximum": 86400,
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        **_responses(ATTEMPT),
                        "404": NOT_FOUND,
                        "409": {
                            "description": "Already submitted; or the exam closed (by the "
                            "server's database clock): the answer was not recorded, `error` "
                            "and `closed_at` say when, and the draft saved before is graded. "
                            "`attempt` is the attempt as it stands",
                            "content": {"application/json": {"schema": ERROR}},
                        },
                    },
                }
            },
            "/api/v1/cohorts/{cohort_id}/report": {
                "get": {
                    "summary": "Accuracy per trainee and specialty (the cohort's supervisor)",
                    "parameters": [ID("cohort_id")],
                    "responses": {
                        **_responses({"type": "object", "required": ["trainees"]}),
                        "403": NOT_FOUND,
                        "404": NOT_FOUND,
                    },
                }
            },
            "/api/v1/grade": {
                "post": {
                    "summary": "Grade an answer against a key, line by line",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["key", "answer", "date_of_service"],
                                    "properties": {
                                        "key": KEY,
                                        "answer": CLAIM,
                                        "policy": {
                                            "type": "string",
                                            "enum": list(POLICIES),
                                        },
                                        "date_of_service": date,
                                        "setting": {
                                            "type": "string",
                                            "enum": list(SETTINGS),
                                        },
                                        "patient": {
                                            "type": "object",
                                            "description": "Runs the age/sex edits and the "
                                            "Medicare-only MUE-0 edit",
                                            "required": ["age", "sex"],
                                            "properties": {
                                                "age": {
                                                    "type": "integer",
                                                    "minimum": 0,
                                                    "maximum": 130,
                                                },
                                                "sex": {"type": "string", "enum": ["F", "M"]},
                                                "payer": {"type": "string", "maxLength": 60},
                                            },
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": _responses(GRADE),
                }
            },
        },
    }
