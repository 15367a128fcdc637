"""JSON API v1 for look-ups, validation and grading (integrations and the entry panel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from trainer.core.codesets.catalog import CodeYearError
from trainer.core.grading.grader import POLICIES, grade
from trainer.core.grading.types import PatientFacts

from ..core.claims import CODE_KINDS, SETTINGS, ClaimFormatError, claim_from_dict, key_from_dict
from ..core.integers import IntegerInputError, parse_int
from ..domain import domain
from ..extensions import csrf
from .errors import json_error
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON only; no endpoint here changes stored state through a browser session


class ApiInputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@bp.errorhandler(ApiInputError)
def input_error(exc: ApiInputError) -> ResponseReturnValue:
    return json_error(400, f"{exc.field}: {exc.message}", field=exc.field)


@bp.errorhandler(ClaimFormatError)
def claim_error(exc: ClaimFormatError) -> ResponseReturnValue:
    return json_error(400, str(exc), field=exc.field)


@bp.errorhandler(CodeYearError)
def _year_error(exc: CodeYearError) -> ResponseReturnValue:
    return json_error(400, f"dos: {exc}", field="dos")


def _dos(raw: Any, field: str = "dos", required: bool = True) -> date | None:
    if raw in (None, ""):
        if required:
            raise ApiInputError(field, "required, as YYYY-MM-DD")
        return None
    if not isinstance(raw, str) or len(raw) != 10:
        raise ApiInputError(field, "must be a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ApiInputError(field, "must be a date as YYYY-MM-DD") from exc


def _kind(raw: Any, required: bool) -> str | None:
    if raw in (None, ""):
        if required:
            raise ApiInputError("kind", f"required, one of {', '.join(CODE_KINDS)}")
        return None
    if raw not in CODE_KINDS:
        raise ApiInputError("kind", f"must be one of {', '.join(CODE_KINDS)}")
    return str(raw)


def _int_arg(name: str, low: int, high: int, default: int | None = None) -> int:
    """A whole-number query argument, parsed by the one integer parser."""
    raw = request.args.get(name)
    if raw is None and default is not None:
        return default
    try:
        return parse_int(raw, name, low, high)
    except IntegerInputError as exc:
        raise ApiInputError(name, exc.message) from exc


def _patient(raw: Any) -> PatientFacts | None:
    """The optional patient (age, sex, payer) the age/sex and Medicare-only edits need."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiInputError("patient", "an object with age (0-130) and sex (F or M)")
    age, sex, payer = raw.get("age"), raw.get("sex"), raw.get("payer", "")
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise ApiInputError("patient.age", "a whole number of years from 0 to 130")
    if sex not in ("F", "M"):
        raise ApiInputError("patient.sex", "'F' or 'M'")
    if not isinstance(payer, str) or len(payer) > 60:
        raise ApiInputError("patient.payer", "a payer name of at most 60 characters")
    return PatientFacts(age, sex, payer)


@bp.get("/codes/search")
@login_required
def search_codes() -> ResponseReturnValue:
    query = request.args.get("q", "")
    if not query.strip():
        raise ApiInputError("q", "required: a code prefix or words")
    if len(query) > 100:
        raise ApiInputError("q", "at most 100 characters")
    kind = _kind(request.args.get("kind"), required=False)
    dos = _dos(request.args.get("dos"), required=False)
    limit = _int_arg("limit", 1, 100, default=20)
    hits = domain().catalog.search(query, kind, dos, limit)  # type: ignore[arg-type]
    return jsonify(
        {
            "query": query,
            "results": [
                {
                    "code": h.code,
                    "kind": h.kind,
                    "title": h.title,
                    "billable": h.billable,
                    "note": h.note,
                    "matched": h.matched,
                }
                for h in hits
            ],
            "source": "ICD-10-CM: CDC; HCPCS Level II: CMS; CPT descriptions are the "
            "trainer's own wording (AMA descriptors are not included)",
        }
    )


@bp.get("/codes/validate")
@login_required
def validate_code() -> ResponseReturnValue:
    code = request.args.get("code", "")
    if not code.strip():
        raise ApiInputError("code", "required")
    if len(code) > 32:
        raise ApiInputError("code", "at most 32 characters")
    kind = _kind(request.args.get("kind"), required=True)
    dos = _dos(request.args.get("dos"))
    result = domain().catalog.validate(code, kind, dos)  # type: ignore[arg-type]
    return jsonify(result.to_dict())


@bp.get("/codesets/diff")
@login_required
def codeset_diff() -> ResponseReturnValue:
    kind = _kind(request.args.get("set"), required=True) if request.args.get("set") else None
    if kind is None:
        raise ApiInputError("set", f"required, one of {', '.join(CODE_KINDS)}")
    years = []
    for name in ("from", "to"):
        years.append(_int_arg(name, 1000, 9999))
    catalog = domain().catalog
    for name, year in zip(("from", "to"), years, strict=True):
        if year not in catalog.years(kind):  # type: ignore[arg-type]
            loaded = ", ".join(str(y) for y in catalog.years(kind))  # type: ignore[arg-type]
            raise ApiInputError(name, f"no {kind} data for {year}; loaded years: {loaded}")
    return jsonify(catalog.diff(kind, years[0], years[1]).to_dict())


@bp.post("/grade")
@login_required
def grade_claim() -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiInputError("body", "send a JSON object with key, answer, policy, date_of_service")
    policy = body.get("policy", "strict")
    if policy not in POLICIES:
        raise ApiInputError("policy", f"must be one of {', '.join(POLICIES)}")
    setting = body.get("setting", "professional")
    if setting not in SETTINGS:
        raise ApiInputError("setting", f"must be one of {', '.join(SETTINGS)}")
    dos = _dos(body.get("date_of_service"), "date_of_service")
    key = key_from_dict(body.get("key"), setting, where="key")
    answer = claim_from_dict(body.get("answer"), where="answer")
    patient = _patient(body.get("patient"))
    catalog = domain().catalog
    assert dos is not None  # a required date: _dos raised ApiInputError when it was missing
    catalog.year_for("icd10cm", dos)  # raises CodeYearError (400) outside the loaded years
    result = grade(key, answer, policy, dos, catalog=catalog, patient=patient)
    return jsonify(result.to_dict())


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The API's contract, public so integrators can read it before they hold a token."""
    return jsonify(spec())
