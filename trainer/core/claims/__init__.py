"""Claims, answer keys and answers: the shared vocabulary of the domain core.

Every part of the core speaks in these frozen dataclasses: the generator produces an
``AnswerKey``, the trainee's form becomes a ``Claim``, the grader compares the two. They
serialise to plain dicts (the JSON shape of ``POST /api/v1/grade``) so that an attempt can
store its key exactly as it was when the chart was generated, whatever happens to the
template later.

This package is the front door: import from ``trainer.core.claims``. Its modules say their
part: ``limits`` (the code kinds, settings and every claim limit the validators and the
OpenAPI document read), ``claim`` (what a coder submits), ``answer_key`` (the keyed solution
and its entries), ``fields`` (one JSON field read, and the error naming it), ``parsing`` (a
claim from its JSON shape) and ``key_parsing`` (a key from its JSON shape).
"""

from .answer_key import AnswerKey, EMFacts, KeyedDiagnosis, KeyedLine, KeyedProcedure, NotCoded
from .claim import Claim, ProcedureEntry, ServiceLine, pointer_letters
from .fields import ClaimFormatError, place_of_service
from .key_parsing import key_from_dict
from .limits import (
    CLAIM_TYPES,
    CODE_KINDS,
    MAX_ALTERNATES,
    MAX_CODE_LENGTH,
    MAX_DIAGNOSES,
    MAX_EXTERNAL_CAUSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_PROCEDURES,
    MAX_REASONS_FOR_VISIT,
    MAX_UNITS,
    MIN_UNITS,
    NOT_CODED_REASONS,
    PLACE_OF_SERVICE_SHAPE,
    POA_INDICATORS,
    SETTINGS,
    TYPE_OF_BILL_SHAPE,
    UB04_PAPER_DIAGNOSES,
    ClaimForm,
    CodeKind,
    Setting,
    is_code_kind,
    is_external_cause,
)
from .parsing import claim_from_dict, diagnosis_limit, line_from_dict

__all__ = [
    "CLAIM_TYPES",
    "CODE_KINDS",
    "MAX_ALTERNATES",
    "MAX_CODE_LENGTH",
    "MAX_DIAGNOSES",
    "MAX_EXTERNAL_CAUSES",
    "MAX_INPATIENT_DIAGNOSES",
    "MAX_LINES",
    "MAX_MODIFIERS",
    "MAX_POINTERS",
    "MAX_PROCEDURES",
    "MAX_REASONS_FOR_VISIT",
    "MAX_UNITS",
    "MIN_UNITS",
    "NOT_CODED_REASONS",
    "PLACE_OF_SERVICE_SHAPE",
    "POA_INDICATORS",
    "SETTINGS",
    "TYPE_OF_BILL_SHAPE",
    "UB04_PAPER_DIAGNOSES",
    "AnswerKey",
    "Claim",
    "ClaimForm",
    "ClaimFormatError",
    "CodeKind",
    "EMFacts",
    "KeyedDiagnosis",
    "KeyedLine",
    "KeyedProcedure",
    "NotCoded",
    "ProcedureEntry",
    "ServiceLine",
    "Setting",
    "claim_from_dict",
    "diagnosis_limit",
    "is_code_kind",
    "is_external_cause",
    "key_from_dict",
    "line_from_dict",
    "place_of_service",
    "pointer_letters",
]
