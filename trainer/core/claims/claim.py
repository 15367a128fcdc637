"""What a coder submits: the ``Claim``, its service lines and its ICD-10-PCS procedures.

The trainee's answer (the entry form, the JSON API) becomes a ``Claim``; a key's own answer
(``AnswerKey.as_claim``) and its alternate claims are ``Claim``s too, so the grader compares
like with like. ``to_dict`` is the JSON shape of ``POST /api/v1/grade`` and of a stored answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .limits import MAX_DIAGNOSES


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One procedure line: CMS-1500 24D-24G, or UB-04 FL42-46 on a facility claim.

    ``pointers`` are 1-based positions in the claim's diagnosis list (24E's A-L).
    """

    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    revenue_code: str | None = None
    pointers: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "modifiers": list(self.modifiers),
            "units": self.units,
            "revenue_code": self.revenue_code,
            "pointers": list(self.pointers),
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """What a coder submits: diagnoses first-listed first, then service lines.

    On a UB-04 the diagnoses are FL 67 (principal), FL 67A-Q (other) and FL 72 (external
    cause codes, which are always chapter 20 codes, so the form can tell them apart);
    ``type_of_bill`` is FL 4 and ``reason_for_visit`` FL 70 a-c. A CMS-1500 has neither; it has
    ``place_of_service`` (box 24B), one code for the claim since all its lines share it.
    An inpatient claim lists the principal diagnosis first, carries a POA indicator per
    diagnosis (``poa``, aligned with ``diagnoses``) and ICD-10-PCS ``procedures`` instead of
    service lines; both stay empty, and out of the JSON, on other claims.
    """

    diagnoses: tuple[str, ...] = ()
    lines: tuple[ServiceLine, ...] = ()
    type_of_bill: str = ""
    reason_for_visit: tuple[str, ...] = ()
    poa: tuple[str, ...] = ()
    procedures: tuple[ProcedureEntry, ...] = ()
    place_of_service: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "diagnoses": list(self.diagnoses),
            "lines": [line.to_dict() for line in self.lines],
        }
        if self.place_of_service:
            data["place_of_service"] = self.place_of_service
        if self.type_of_bill:
            data["type_of_bill"] = self.type_of_bill
        if self.reason_for_visit:
            data["reason_for_visit"] = list(self.reason_for_visit)
        if self.poa:
            data["poa"] = list(self.poa)
        if self.procedures:
            data["procedures"] = [p.to_dict() for p in self.procedures]
        return data


@dataclass(frozen=True, slots=True)
class ProcedureEntry:
    """An ICD-10-PCS procedure of an inpatient stay (UB-04 FL74) and the day it was done."""

    code: str
    date: str = ""  # ISO date as entered; graded against the key's (``procedure_date``)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "date": self.date}


def pointer_letters(pointers: Sequence[int]) -> str:
    """Render 1-based diagnosis pointers as the CMS-1500 letters A-L."""
    return "".join("ABCDEFGHIJKL"[p - 1] for p in pointers if 1 <= p <= MAX_DIAGNOSES)
