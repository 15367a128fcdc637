"""The OpenAPI schemas of what a client sends: the claim, the key, the patient, the requests.

Apart from the answers (``openapi_answers``) and the paths (``openapi``) because this is the
part a validator change moves: every limit and enum here is read from the core's constants
(``core.claims``: diagnoses, lines, modifiers, units, pointers, POA, procedures, FL 4, FL 70,
box 24B), so the contract cannot drift from what the readers accept. It also holds the small
schema constructors (``ref``, ``obj``, ...) the other two modules build with.
"""

from __future__ import annotations

from typing import Any

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
from trainer.core.content.templates import SPECIALTIES
from trainer.core.grading.types import POLICIES

KINDS = list(CODE_KINDS)


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
