"""The curated code sets: our own CPT wording, HCPCS drug units we checked, modifiers, POS and
revenue codes, read from CSV files in ``trainer/data/codesets``. The real CMS tables (every
CPT number and HCPCS code, NCCI edits, MUEs) are in the index: see ``cms_catalog``.

CPT descriptors belong to the AMA and revenue-code descriptions to the NUBC, so ours are short
plain-language wordings; an institution with a licence points ``TRAINER_CPT_DESCRIPTORS`` at a
CSV (code,description) that replaces them at load time.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from trainer.core.claims import CodeKind

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "codesets"
FAR_FUTURE = date(9999, 12, 31)
CURATED_YEARS = (2024, 2025, 2026)  # calendar years (the CMS manifest decides when loaded)

SearchRow = tuple[str, CodeKind, str, bool, float]
"""(code, kind, title, billable, score) of one curated search hit."""
_Diff = TypeVar("_Diff")


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    kind: CodeKind
    title: str
    effective: date
    terminated: date
    unit: str = ""
    replaced_by: str = ""
    split: bool = False  # has professional (26) and technical (TC) components
    notes: dict[str, list[str] | str] = field(default_factory=dict)

    def active_on(self, dos: date) -> bool:
        return self.effective <= dos <= self.terminated

    def years(self, loaded: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(
            y
            for y in loaded
            if self.effective <= date(y, 12, 31) and self.terminated >= date(y, 1, 1)
        )


def _date(text: str, default: date) -> date:
    return date.fromisoformat(text) if text and text.strip() else default


def _read(name: str, data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / name).open(newline="", encoding="utf-8") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        ]


@dataclass
class CuratedSets:
    entries: dict[tuple[str, str], Entry]
    revenue_map: list[tuple[str, str, tuple[str, ...]]]
    years: tuple[int, ...] = CURATED_YEARS
    cpt_overrides: dict[str, str] = field(default_factory=dict)  # a licensed descriptor file

    def entry(self, code: str, kind: CodeKind) -> Entry | None:
        return self.entries.get((kind, code))

    def title(self, code: str, kind: CodeKind) -> str | None:
        entry = self.entry(code, kind)
        return entry.title if entry else None

    def kinds_of(self, code: str) -> list[str]:
        return [k for (k, c) in self.entries if c == code]

    def search(self, text: str, kind: CodeKind | None, limit: int) -> list[SearchRow]:
        """(code, kind, title, billable, score) for curated codes matching a prefix or words."""
        query = text.upper().strip()
        words = [w for w in text.lower().split() if w]
        found: list[SearchRow] = []
        for (k, code), entry in self.entries.items():
            if kind and k != kind:
                continue
            if code == query:
                score = 100.0
            elif code.startswith(query) and " " not in query:
                score = 55.0
            elif words and all(w in entry.title.lower() for w in words):
                score = 24.0 - len(entry.title) * 0.01
            else:
                continue
            found.append((code, entry.kind, entry.title, True, score))
        found.sort(key=lambda h: (-h[4], h[0]))
        return found[:limit]

    def revenue_codes_for(self, code: str) -> tuple[str, ...]:
        """Revenue codes whose department agrees with a CPT/HCPCS code (first rule that fits)."""
        for low, high, revenue in self.revenue_map:
            if low <= code <= high and len(code) == len(low):
                return revenue
        return ()

    def diff(
        self, kind: CodeKind, from_year: int, to_year: int, factory: Callable[..., _Diff]
    ) -> _Diff:
        def active(year: int) -> dict[str, str]:
            """In force on 1 January, when the CPT and HCPCS annual updates take effect."""
            first = date(year, 1, 1)
            return {
                e.code: e.title
                for (k, _), e in self.entries.items()
                if k == kind and e.active_on(first)
            }

        old, new = active(from_year), active(to_year)
        added = tuple(sorted((c, t) for c, t in new.items() if c not in old))
        deleted = tuple(sorted((c, t) for c, t in old.items() if c not in new))
        return factory(kind, from_year, to_year, added, deleted, ())


def _descriptor_overrides() -> dict[str, str]:
    path = os.environ.get("TRAINER_CPT_DESCRIPTORS")
    if not path or not Path(path).exists():
        return {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {row["code"].strip(): row["description"].strip() for row in csv.DictReader(handle)}


def load_curated(data_dir: Path | None = None) -> CuratedSets:
    """Read every curated CSV; a licensed descriptor file replaces our CPT wording."""
    data_dir = data_dir or DATA_DIR
    overrides = _descriptor_overrides()
    entries: dict[tuple[str, str], Entry] = {}
    sources: tuple[tuple[str, CodeKind], ...] = (
        ("cpt.csv", "cpt"),
        ("hcpcs.csv", "hcpcs"),
        ("modifiers.csv", "modifier"),
        ("revenue.csv", "revenue"),
        ("pos.csv", "pos"),
    )
    for name, kind in sources:
        for row in _read(name, data_dir):
            code = row["code"].upper()
            title = overrides.get(code, row["description"]) if kind == "cpt" else row["description"]
            entries[(kind, code)] = Entry(
                code,
                kind,
                title,
                _date(row.get("effective", ""), date(2000, 1, 1)),
                _date(row.get("terminated", ""), FAR_FUTURE),
                row.get("unit", ""),
                row.get("replaced_by", ""),
                row.get("split", "") == "y",
            )
    revenue_map = []
    for row in _read("revenue_map.csv", data_dir):
        low, _, high = row["codes"].partition("-")
        revenue_map.append((low, high or low, tuple(row["revenue_codes"].split())))
    return CuratedSets(entries, revenue_map, CURATED_YEARS, overrides)
