"""Reading an ``AnswerKey`` from its JSON shape: a template's ``[key]`` or a key stored with an
attempt.

A key is the claim shape with more on each entry (rationale, alternates, optional, POA and its
rationale, decoys, the E/M facts), so it has its own reader beside the claim's; both share the
field readers of ``fields``, and a key's alternate claims are read as claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .answer_key import AnswerKey, EMFacts, KeyedDiagnosis, KeyedLine, KeyedProcedure, NotCoded
from .fields import (
    ClaimFormatError,
    as_code,
    as_date_text,
    as_flag,
    as_int,
    as_list,
    as_poa,
    each,
    place_of_service,
    type_of_bill,
)
from .limits import (
    CLAIM_TYPES,
    MAX_ALTERNATES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_PROCEDURES,
    MAX_REASONS_FOR_VISIT,
    NOT_CODED_REASONS,
    SETTINGS,
    Setting,
)
from .parsing import claim_from_dict, diagnosis_limit, line_from_dict


def key_from_dict(data: Any, setting: Setting | None = None, where: str = "key") -> AnswerKey:
    """Read an answer key: the claim shape, where entries may also carry rationale/alternates.

    Diagnoses may be plain strings (the API's shape) or objects with ``code``.
    """
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object with 'diagnoses' and 'lines'")
    diagnoses = _keyed_diagnoses(
        data.get("diagnoses"),
        f"{where}.diagnoses",
        diagnosis_limit(str(setting or data.get("setting") or "professional")),
    )
    reasons = _keyed_diagnoses(
        data.get("reason_for_visit"), f"{where}.reason_for_visit", MAX_REASONS_FOR_VISIT
    )
    lines: list[KeyedLine] = []
    for i, item in enumerate(as_list(data.get("lines"), f"{where}.lines", MAX_LINES)):
        spot = f"{where}.lines[{i}]"
        line = line_from_dict(item, spot)
        alts = as_list(item.get("alternates"), f"{spot}.alternates", MAX_ALTERNATES)
        optional = as_list(
            item.get("optional_modifiers"), f"{spot}.optional_modifiers", MAX_MODIFIERS
        )
        lines.append(
            KeyedLine(
                line,
                str(item.get("rationale") or ""),
                tuple(as_code(a, f"{spot}.alternates") for a in alts),
                tuple(as_code(m, f"{spot}.optional_modifiers").upper() for m in optional if m),
                as_flag(item.get("optional"), f"{spot}.optional"),
            )
        )
    alternate_sets = each(
        data.get("alternates"), f"{where}.alternates", MAX_ALTERNATES, claim_from_dict
    )
    chosen = setting or data.get("setting") or "professional"
    if chosen not in SETTINGS:
        raise ClaimFormatError("setting", "must be 'professional', 'facility' or 'inpatient'")
    em_raw = data.get("em")
    em = _em_from_dict(em_raw, f"{where}.em") if em_raw else None
    not_coded = each(data.get("not_coded"), f"{where}.not_coded", 20, _not_coded_from_dict)
    claim_type = str(data.get("claim_type") or "")
    if claim_type not in CLAIM_TYPES:
        raise ClaimFormatError("claim_type", "must be empty or 'dme'")
    procedures = []
    for i, item in enumerate(
        as_list(data.get("procedures"), f"{where}.procedures", MAX_PROCEDURES)
    ):
        spot = f"{where}.procedures[{i}]"
        if not isinstance(item, Mapping):
            item = {"code": item}
        alts = as_list(item.get("alternates"), f"{spot}.alternates", MAX_ALTERNATES)
        procedures.append(
            KeyedProcedure(
                as_code(item.get("code"), f"{spot}.code").upper(),
                str(item.get("rationale") or ""),
                tuple(as_code(a, f"{spot}.alternates").upper() for a in alts),
                as_date_text(item.get("date"), f"{spot}.date"),
            )
        )
    return AnswerKey(
        diagnoses,
        tuple(lines),
        chosen,
        alternate_sets,
        em,
        not_coded,
        type_of_bill(data.get("type_of_bill"), where),
        reasons,
        claim_type=claim_type,
        procedures=tuple(procedures),
        place_of_service=place_of_service(data.get("place_of_service"), where),
    )


def _keyed_diagnoses(value: Any, where: str, limit: int) -> tuple[KeyedDiagnosis, ...]:
    """Keyed ICD-10-CM entries: plain strings (the API's shape) or objects with ``code``
    (and, on an inpatient key, the POA indicator the record supports)."""
    found: list[KeyedDiagnosis] = []
    for i, item in enumerate(as_list(value, where, limit)):
        spot = f"{where}[{i}]"
        if isinstance(item, Mapping):
            alts = as_list(item.get("alternates"), f"{spot}.alternates", MAX_ALTERNATES)
            found.append(
                KeyedDiagnosis(
                    as_code(item.get("code"), f"{spot}.code"),
                    str(item.get("rationale") or ""),
                    tuple(as_code(a, f"{spot}.alternates") for a in alts),
                    as_flag(item.get("optional"), f"{spot}.optional"),
                    as_poa(item.get("poa"), f"{spot}.poa"),
                    str(item.get("poa_rationale") or ""),
                )
            )
        else:
            found.append(KeyedDiagnosis(as_code(item, spot)))
    return tuple(found)


def _not_coded_from_dict(data: Any, where: str) -> NotCoded:
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object with 'code' and 'reason'")
    reason = str(data.get("reason") or "")
    if reason not in NOT_CODED_REASONS:
        raise ClaimFormatError(f"{where}.reason", f"must be one of {', '.join(NOT_CODED_REASONS)}")
    return NotCoded(
        as_code(data.get("code"), f"{where}.code"), reason, str(data.get("rationale") or "")
    )


_EM_LEVELS = ("straightforward", "low", "moderate", "high")


def _em_from_dict(data: Any, where: str) -> EMFacts:
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object")
    category = data.get("category")
    if category not in ("office_new", "office_established", "ed"):
        raise ClaimFormatError(f"{where}.category", "must be office_new, office_established or ed")
    levels = {}
    for element in ("problems", "data", "risk"):
        value = data.get(element)
        if value not in _EM_LEVELS:
            raise ClaimFormatError(f"{where}.{element}", f"must be one of {', '.join(_EM_LEVELS)}")
        levels[element] = value
    minutes = data.get("total_minutes")
    total = None if minutes is None else as_int(minutes, f"{where}.total_minutes", 1, 1440)
    return EMFacts(category, levels["problems"], levels["data"], levels["risk"], total)
