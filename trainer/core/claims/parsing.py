"""Reading a ``Claim`` from its JSON shape: what the entry form, the API and stored answers send.

A claim arrives as a plain dict (a form turned into JSON, an API body, an answer stored with an
attempt); this reads it into the frozen dataclasses, refusing what no claim can carry with a
``ClaimFormatError`` that names the field. How many diagnoses fit depends on the claim's
setting (``diagnosis_limit``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .claim import Claim, ProcedureEntry, ServiceLine
from .fields import (
    ClaimFormatError,
    as_code,
    as_date_text,
    as_int,
    as_list,
    as_poa,
    each,
    place_of_service,
    type_of_bill,
)
from .limits import (
    MAX_DIAGNOSES,
    MAX_INPATIENT_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_PROCEDURES,
    MAX_REASONS_FOR_VISIT,
    MAX_UNITS,
    MIN_UNITS,
)


def line_from_dict(data: Any, where: str = "lines[0]") -> ServiceLine:
    """Read one service line from its JSON shape, naming the field that is wrong."""
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object")
    code = as_code(data.get("code"), f"{where}.code")
    modifiers = tuple(
        as_code(m, f"{where}.modifiers[{i}]")
        for i, m in enumerate(as_list(data.get("modifiers"), f"{where}.modifiers", MAX_MODIFIERS))
        if not (isinstance(m, str) and not m.strip())
    )
    units_raw = data.get("units", 1)
    units = (
        1 if units_raw in (None, "") else as_int(units_raw, f"{where}.units", MIN_UNITS, MAX_UNITS)
    )
    rev = data.get("revenue_code")
    revenue = None if rev in (None, "") else as_code(rev, f"{where}.revenue_code")
    pointers = tuple(
        as_int(p, f"{where}.pointers[{i}]", 1, MAX_DIAGNOSES)
        for i, p in enumerate(as_list(data.get("pointers"), f"{where}.pointers", MAX_POINTERS))
    )
    return ServiceLine(code, modifiers, units, revenue, pointers)


def diagnosis_limit(setting: str | None, data: Mapping[str, Any] | None = None) -> int:
    """How many diagnoses a claim of this setting carries: 25 on an inpatient claim (837I),
    12 otherwise. Without a setting, a claim that carries POA indicators or PCS procedures is
    an inpatient claim (only those do): a stored inpatient answer re-read by costs or disputes."""
    if setting == "inpatient":
        return MAX_INPATIENT_DIAGNOSES
    if setting is None and data is not None and (data.get("poa") or data.get("procedures")):
        return MAX_INPATIENT_DIAGNOSES
    return MAX_DIAGNOSES


def claim_from_dict(data: Any, where: str = "claim", setting: str | None = None) -> Claim:
    """Read a claim from its JSON shape; raises ClaimFormatError naming the bad field."""
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object with 'diagnoses' and 'lines'")
    limit = diagnosis_limit(setting, data)
    diagnoses = each(data.get("diagnoses"), f"{where}.diagnoses", limit, as_code)
    lines = each(data.get("lines"), f"{where}.lines", MAX_LINES, line_from_dict)
    reasons = each(
        data.get("reason_for_visit"), f"{where}.reason_for_visit", MAX_REASONS_FOR_VISIT, as_code
    )
    poa = each(data.get("poa"), f"{where}.poa", limit, as_poa)
    procedures = each(
        data.get("procedures"), f"{where}.procedures", MAX_PROCEDURES, _procedure_from_dict
    )
    return Claim(
        diagnoses,
        lines,
        type_of_bill(data.get("type_of_bill"), where),
        reasons,
        poa=poa,
        procedures=procedures,
        place_of_service=place_of_service(data.get("place_of_service"), where),
    )


def _procedure_from_dict(data: Any, where: str) -> ProcedureEntry:
    if isinstance(data, str):
        return ProcedureEntry(as_code(data, where))
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be a code or an object with 'code' and 'date'")
    return ProcedureEntry(
        as_code(data.get("code"), f"{where}.code"),
        as_date_text(data.get("date"), f"{where}.date"),
    )
