"""What the catalog answers with: validation results, code details, year diffs, their names.

Plain values shared by the catalog facade, its ICD-10-CM and CMS parts, the API and the
OpenAPI document (``REASONS`` is the validation reason enum).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trainer.core.claims import CodeKind

REASONS = (
    "unknown",
    "header",
    "seventh_character",
    "placeholder",
    "not_effective",
    "deleted",
    "wrong_kind",
)
KIND_NAMES = {
    "icd10cm": "an ICD-10-CM code",
    "cpt": "a CPT code",
    "hcpcs": "a HCPCS Level II code",
    "modifier": "a modifier",
    "revenue": "a revenue code",
    "pos": "a place-of-service code",
    "icd10pcs": "an ICD-10-PCS code",
}
SET_NAMES = {
    "icd10cm": "ICD-10-CM",
    "cpt": "CPT",
    "hcpcs": "HCPCS Level II",
    "modifier": "Modifiers",
    "revenue": "Revenue codes",
    "pos": "Place-of-service codes",
    "icd10pcs": "ICD-10-PCS",
}


class CodeYearError(ValueError):
    """The date of service falls outside every loaded year of that code set."""


@dataclass(frozen=True, slots=True)
class Validation:
    valid: bool
    code: str
    kind: CodeKind
    reason: str | None
    message: str
    suggestions: tuple[str, ...] = ()
    title: str = ""
    replacement: str | None = None
    note: str = ""  # e.g. "no 2026 CPT file is loaded: checked against 2025"

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "code": self.code,
            "kind": self.kind,
            "reason": self.reason,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "title": self.title,
            "replacement": self.replacement,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class CodeDetail:
    code: str
    kind: CodeKind
    title: str
    billable: bool
    parent: str
    children: tuple[str, ...]
    notes: dict[str, list[str] | str]
    seventh: dict[str, str]
    years: tuple[int, ...]
    #: (where, entry, code it is listed at): the Index lines that lead to this code
    index_entries: tuple[tuple[str, str, str], ...] = ()
    #: for ICD-10-CM, why it is not billable in the newest year ("deleted in FY2026; ...")
    status: str = ""


@dataclass(frozen=True)
class CodeSetDiff:
    kind: CodeKind
    from_year: int
    to_year: int
    added: tuple[tuple[str, str], ...]
    deleted: tuple[tuple[str, str], ...]
    revised: tuple[tuple[str, str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.kind,
            "from": self.from_year,
            "to": self.to_year,
            "counts": {
                "added": len(self.added),
                "deleted": len(self.deleted),
                "revised": len(self.revised),
            },
            "added": [{"code": c, "title": t} for c, t in self.added],
            "deleted": [{"code": c, "title": t} for c, t in self.deleted],
            "revised": [{"code": c, "old_title": o, "new_title": n} for c, o, n in self.revised],
        }


def fiscal_year(dos: date) -> int:
    """ICD-10-CM fiscal year of a date: FY2026 starts on 1 October 2025."""
    return dos.year + 1 if dos.month >= 10 else dos.year


def unknown_code(code: str, kind: CodeKind) -> Validation:
    return Validation(False, code, kind, "unknown", f"{code} is not {KIND_NAMES[kind]}.", ())


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    kind: CodeKind
    title: str
    billable: bool
    score: float
    note: str = ""  # date of service, 7th character, billing units
    matched: str = ""  # the Index line or term the hit was found by
