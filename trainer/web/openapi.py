"""The OpenAPI 3.1 description of /api/v1, served to integrators at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any, get_args

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
from trainer.core.grading.types import ERROR_TYPES, POLICIES, Action, Direction, Element, Target
from trainer.core.stats.mastery import STATUS_LABELS

ATTEMPT_STATUSES = ("in_progress", "submitted", "abandoned")

# Enums and limits come from the core's validators, so the contract cannot drift from them.
CODE: dict[str, Any] = {"type": "string", "maxLength": MAX_CODE_LENGTH}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "field": {"type": "string"},
        "status": {"type": "integer"},
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


def _enum(literal: Any) -> list[str]:
    """The values of one of the core's Literal types, so the enum follows the core."""
    return list(get_args(literal))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


OPTIONAL_TEXT = {"type": ["string", "null"]}
GRADE_ERROR = {
    "type": "object",
    "required": ["type", "explanation"],
    "properties": {
        "type": {"type": "string", "enum": list(ERROR_TYPES)},
        "expected": OPTIONAL_TEXT,
        "given": OPTIONAL_TEXT,
        "explanation": {"type": "string"},
        "target": {"type": "string", "enum": _enum(Target)},
        "index": {"type": ["integer", "null"]},
        "element": {"type": ["string", "null"]},
        "direction": {"type": "string", "enum": _enum(Direction)},
    },
}
VERDICT = {
    "type": "object",
    "description": "A keyed item and the entered item matched with it (either may be absent)",
    "required": ["target", "correct", "elements", "errors"],
    "properties": {
        "target": {"type": "string", "enum": _enum(Target)},
        "key_index": {"type": ["integer", "null"]},
        "answer_index": {"type": ["integer", "null"]},
        "expected": OPTIONAL_TEXT,
        "given": OPTIONAL_TEXT,
        "correct": {"type": "boolean"},
        "elements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["element", "correct"],
                "properties": {
                    "element": {"type": "string", "enum": _enum(Element)},
                    "expected": OPTIONAL_TEXT,
                    "given": OPTIONAL_TEXT,
                    "correct": {"type": "boolean"},
                },
            },
        },
        "errors": {"type": "array", "items": {"type": "string", "enum": list(ERROR_TYPES)}},
    },
}
EDIT = {
    "type": "object",
    "description": "What a payer's claim editor would do with one entered line, and why",
    "required": ["line_index", "action", "reason", "rule"],
    "properties": {
        "line_index": {"type": "integer"},
        "action": {"type": "string", "enum": _enum(Action)},
        "reason": {"type": "string"},
        "rule": {"type": "string"},
    },
}
GRADE = {
    "type": "object",
    "required": [
        "policy",
        "score",
        "code_correct",
        "code_total",
        "chart_correct",
        "diagnoses",
        "lines",
        "errors",
        "edits",
    ],
    "properties": {
        "policy": {"type": "string", "enum": list(POLICIES)},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "scores": {
            "type": "object",
            "description": "The score under each policy, to compare them",
            "additionalProperties": {"type": "number"},
        },
        "code_correct": {"type": "integer"},
        "code_total": {"type": "integer"},
        "code_accuracy": {"type": "number"},
        "chart_correct": {"type": "boolean"},
        "diagnoses": {"type": "array", "items": VERDICT},
        "lines": {"type": "array", "items": VERDICT},
        "errors": {"type": "array", "items": GRADE_ERROR},
        "edits": {"type": "array", "items": EDIT},
        "revenue_direction": OPTIONAL_TEXT,
        "em": _nullable(
            {
                "type": "object",
                "description": "How the E/M level was decided (E/M charts only)",
                "additionalProperties": True,
            }
        ),
        "key_variant": {"type": "integer"},
    },
}


ATTEMPT = {
    "type": "object",
    "required": [
        "attempt_id",
        "status",
        "specialty",
        "title",
        "setting",
        "date_of_service",
        "mode",
    ],
    "properties": {
        "attempt_id": {"type": "integer"},
        "status": {"type": "string", "enum": list(ATTEMPT_STATUSES)},
        "specialty": {"type": "string"},
        "specialty_name": {"type": "string", "description": "On start only"},
        "title": {"type": "string"},
        "setting": {"type": "string", "enum": list(SETTINGS)},
        "claim_form": {"type": "string"},
        "date_of_service": {"type": "string", "format": "date"},
        "mode": {"type": "string", "enum": ["practice", "exam"]},
        "grade": {
            **_nullable(GRADE),
            "description": "Present once the answer may be seen: submitted, and not part of "
            "an exam still open",
        },
        "chart_html": {"type": "string", "description": "On start only: the chart to code"},
        "first_submission": {"type": "boolean", "description": "On submit only"},
        "error": {"type": "string"},
        "closed_at": {"type": "string", "format": "date-time"},
    },
}
CODE_CHANGE = {
    "type": "object",
    "required": ["code", "title"],
    "properties": {"code": {"type": "string"}, "title": {"type": "string"}},
}
DIFF = {
    "type": "object",
    "required": ["set", "from", "to", "added", "deleted", "revised", "counts"],
    "properties": {
        "set": {"type": "string", "enum": KINDS},
        "from": {"type": "integer"},
        "to": {"type": "integer"},
        "added": {"type": "array", "items": CODE_CHANGE},
        "deleted": {"type": "array", "items": CODE_CHANGE},
        "revised": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "old_title", "new_title"],
                "properties": {
                    "code": {"type": "string"},
                    "old_title": {"type": "string"},
                    "new_title": {"type": "string"},
                },
            },
        },
        "counts": {
            "type": "object",
            "required": ["added", "deleted", "revised"],
            "properties": {
                "added": {"type": "integer"},
                "deleted": {"type": "integer"},
                "revised": {"type": "integer"},
            },
        },
    },
}
SPECIALTY_FIGURES = {
    "type": "object",
    "required": ["charts", "status"],
    "properties": {
        "charts": {"type": "integer"},
        "code_accuracy": {"type": ["number", "null"]},
        "chart_accuracy": {"type": ["number", "null"]},
        "interval": {
            "type": "array",
            "description": "Wilson 95% interval of code-level accuracy: [low, high]",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
        },
        "status": {"type": "string", "enum": list(STATUS_LABELS)},
    },
}
COHORT_REPORT = {
    "type": "object",
    "required": ["cohort", "trainees"],
    "properties": {
        "cohort": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
        "trainees": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["user_id", "name", "charts", "specialties"],
                "properties": {
                    "user_id": {"type": "integer"},
                    "name": {"type": "string"},
                    "charts": {"type": "integer"},
                    "code_accuracy": {"type": ["number", "null"]},
                    "specialties": {
                        "type": "object",
                        "description": "Figures per specialty slug",
                        "additionalProperties": SPECIALTY_FIGURES,
                    },
                },
            },
        },
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


def _get(
    operation_id: str, summary: str, params: list[dict[str, Any]], ok: dict[str, Any]
) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": params,
            "responses": _responses(ok),
        }
    }


def _responses(ok: dict[str, Any]) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": ERROR}}}
    return {
        "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
        "400": {"description": "Invalid input; 'field' names it", **error},
        "401": {"description": "No valid session or Bearer token", **error},
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
            }
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/api/v1/codes/search": _get(
                "searchCodes",
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
                "validateCode",
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
                "codesetDiff",
                "Added, deleted and revised codes between two years",
                [
                    _query("set", {"type": "string", "enum": KINDS}, True),
                    _query("from", {"type": "integer", "minimum": 1000, "maximum": 9999}, True),
                    _query("to", {"type": "integer", "minimum": 1000, "maximum": 9999}, True),
                ],
                DIFF,
            ),
            "/api/v1/exercises/start": {
                "post": {
                    "operationId": "startExercise",
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
                    "operationId": "getAttempt",
                    "summary": "An attempt's status and, once submitted, its grade",
                    "parameters": [ID("attempt_id")],
                    "responses": {**_responses(ATTEMPT), "404": NOT_FOUND},
                }
            },
            "/api/v1/attempts/{attempt_id}/submit": {
                "post": {
                    "operationId": "submitAttempt",
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
                            "and `closed_at` say when, and the draft saved before is graded",
                            "content": {"application/json": {"schema": ATTEMPT}},
                        },
                    },
                }
            },
            "/api/v1/cohorts/{cohort_id}/report": {
                "get": {
                    "operationId": "cohortReport",
                    "summary": "Accuracy per trainee and specialty (the cohort's supervisor)",
                    "parameters": [ID("cohort_id")],
                    "responses": {
                        **_responses(COHORT_REPORT),
                        "403": NOT_FOUND,
                        "404": NOT_FOUND,
                    },
                }
            },
            "/api/v1/grade": {
                "post": {
                    "operationId": "gradeClaim",
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
