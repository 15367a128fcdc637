"""Memoised catalog look-ups for the grader and the claim-edit replay.

Grading must reach 10,000 charts a second, and a chart asks the catalog the same few
questions over and over (is M17.11 valid on this date, what is its title, is 93010 bundled
into 93000). The catalog reads an index; this wrapper answers repeats from dictionaries.
It also turns every catalog failure a user's input can cause (a date outside the loaded
years, a string that is no code at all) into a plain ``Check`` with a reason, so the grader
never raises on user input.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from trainer.core.codesets.codes import normalize

_MAX_ENTRIES = 200_000  # garbage input must not grow the caches without bound


@dataclass(frozen=True, slots=True)
class Check:
    """A validation answer: ``reason`` is a catalog slug, or "out_of_years" for a bad date."""

    valid: bool
    reason: str | None = None
    message: str = ""
    suggestions: tuple[str, ...] = ()
    title: str = ""
    replacement: str | None = None


class Lookups:
    """Answers the grader's questions about codes for one catalog, remembering each answer."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self._norm: dict[tuple[str, str | None], str] = {}
        self._checks: dict[tuple[str, str, date], Check] = {}
        self._titles: dict[tuple[str, str], str] = {}
        self._ncci: dict[tuple[str, str, date, str], Any] = {}
        self._mue: dict[tuple[str, date, str], Any] = {}
        self._pfs: dict[str, Any] = {}
        self._add_on: dict[str, Any] = {}
        self._revenue: dict[str, tuple[str, ...]] = {}
        self._details: dict[tuple[str, str], Any] = {}
        self._split: dict[str, bool | None] = {}
        self._dx: dict[str, str] = {}
        self._notes: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._seventh: dict[str, bool] = {}
        self._unit: dict[str, str | None] = {}
        self._pcs_axes: dict[str, tuple[tuple[str, str, str], ...]] = {}

    def _room(self, cache: dict[Any, Any]) -> None:
        if len(cache) > _MAX_ENTRIES:
            cache.clear()

    def norm(self, code: str, kind: str | None = None) -> str:
        """The code as the catalog spells it; unreadable input is upper-cased and kept."""
        key = (code, kind)
        found = self._norm.get(key)
        if found is None:
            try:
                found = normalize(code, kind)  # type: ignore[arg-type]
            except Exception:  # any string a user types must be gradeable
                found = "".join(str(code).split()).upper()
            self._room(self._norm)
            self._norm[key] = found
        return found

    def norm_dx(self, code: str) -> str:
        """A diagnosis as typed; a code starting with a digit (a CPT code) is not given a dot."""
        found = self._dx.get(code)
        if found is None:
            text = code.strip()
            found = self.norm(code, None if text[:1].isdigit() else "icd10cm")
            self._room(self._dx)
            self._dx[code] = found
        return found

    def check(self, code: str, kind: str, dos: date) -> Check:
        """Validate ``code`` as ``kind`` on ``dos``; never raises."""
        key = (code, kind, dos)
        found = self._checks.get(key)
        if found is not None:
            return found
        if kind == "icd10cm" and code[:1].isdigit():  # digits first: never ICD-10-CM
            found = Check(False, "wrong_kind", f"{code} is a procedure (CPT) code, not ICD-10-CM")
            self._checks[key] = found
            return found
        try:
            v = self.catalog.validate(code, kind, dos)
            found = Check(
                bool(v.valid),
                v.reason,
                v.message or "",
                tuple(v.suggestions or ()),
                v.title or "",
                getattr(v, "replacement", None),
            )
        except Exception as exc:  # CodeYearError and any malformed input
            found = Check(False, "out_of_years", str(exc) or "no code set for that date")
        self._room(self._checks)
        self._checks[key] = found
        return found

    def title(self, code: str, kind: str) -> str:
        """The code's title (our own words for CPT), or "" when it has none."""
        key = (code, kind)
        found = self._titles.get(key)
        if found is None:
            try:
                found = self.catalog.title(code, kind) or ""
            except Exception:
                found = ""
            self._room(self._titles)
            self._titles[key] = found
        return found

    def detail(self, code: str, kind: str) -> Any:
        key = (code, kind)
        if key not in self._details:
            try:
                found = self.catalog.detail(code, kind)
            except Exception:
                found = None
            self._room(self._details)
            self._details[key] = found
        return self._details[key]

    def pfs(self, code: str) -> Any:
        """The fee schedule's indicators for a code (``PfsFacts``), or None."""
        if code not in self._pfs:
            try:
                found = self.catalog.pfs(code)
            except Exception:
                found = None
            self._room(self._pfs)
            self._pfs[code] = found
        return self._pfs[code]

    def add_on(self, code: str) -> Any:
        """The NCCI add-on code edit of a code (``AddOn``), or None."""
        if code not in self._add_on:
            try:
                found = self.catalog.add_on(code)
            except Exception:
                found = None
            self._room(self._add_on)
            self._add_on[code] = found
        return self._add_on[code]

    def ncci_release(self) -> str:
        try:
            return str(self.catalog.ncci_release())
        except Exception:
            return ""

    def split(self, code: str) -> bool | None:
        """Whether the catalog marks a professional/technical split; None when it is silent.

        Read from ``CodeDetail.split`` when the catalog exposes it, else from its curated entry.
        """
        if code not in self._split:
            kind = proc_kind(code)
            value = getattr(self.detail(code, kind), "split", None)
            if value is None:
                try:
                    entry = self.catalog.curated.entry(code, kind)
                    value = None if entry is None else bool(entry.split)
                except Exception:  # a catalog without curated entries
                    value = None
            self._room(self._split)
            self._split[code] = value
        return self._split[code]

    def ncci(self, column1: str, column2: str, dos: date, setting: str = "professional") -> Any:
        """The NCCI PTP edit with ``column1`` as the comprehensive code, or None.

        The catalog memoises the SQLite point look-up per pair; this adds the date and claim
        type so a repeated question is one dictionary hit.
        """
        key = (column1, column2, dos, setting)
        if key not in self._ncci:
            try:
                edit = self.catalog.ncci_edit(column1, column2, dos, setting)
            except Exception:
                edit = None
            if edit is not None and (edit.column1, edit.column2) != (column1, column2):
                edit = None
            self._room(self._ncci)
            self._ncci[key] = edit
        return self._ncci[key]

    def mue_edit(self, code: str, dos: date, setting: str = "professional") -> Any:
        """The MUE (``Mue``: value, MAI, rationale) for the claim type, or None."""
        key = (code, dos, setting)
        if key not in self._mue:
            try:
                found = self.catalog.mue_edit(code, dos, setting)
            except Exception:
                found = None
            self._room(self._mue)
            self._mue[key] = found
        return self._mue[key]

    def notes(self, code: str) -> tuple[tuple[str, str, str], ...]:
        """The ICD-10-CM tabular notes that apply to ``code``: its own and its ancestors'.

        Each is ``(holder, kind, text)``: the code the note sits on, the note kind
        (excludes1, code_first, use_additional, ...) and one item of its text. Notes on a
        category apply to every code below it, so the walk goes up to the category.
        """
        found = self._notes.get(code)
        if found is None:
            items: list[tuple[str, str, str]] = []
            current, seen = code, 0
            while current and seen < 8:
                row = self._tabular(current)
                if row is None:
                    break
                parent, notes, _ = row
                for kind, value in notes.items():
                    texts = value if isinstance(value, list) else [value]
                    items.extend((current, kind, str(t)) for t in texts if t)
                current, seen = parent, seen + 1
            found = tuple(items)
            self._room(self._notes)
            self._notes[code] = found
        return found

    def _tabular(self, code: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
        """(parent, notes, 7th characters) from the catalog; None for no such code."""
        try:
            found: tuple[str, dict[str, Any], dict[str, str]] | None = self.catalog.tabular(code)
            return found
        except Exception:
            return None

    def takes_seventh(self, code: str) -> bool:
        """Whether ``code`` sits in a category that takes a 7th-character extension."""
        found = self._seventh.get(code)
        if found is None:
            found = False
            current, seen = code, 0
            while current and seen < 8:
                row = self._tabular(current)
                if row is None:
                    break
                if row[2]:
                    found = True
                    break
                current, seen = row[0], seen + 1
            self._room(self._seventh)
            self._seventh[code] = found
        return found

    def drug_unit(self, code: str) -> str | None:
        """The HCPCS drug code's billing unit ("15 mg"), or None when it has none."""
        if code not in self._unit:
            try:
                found = self.catalog.drug_unit(code) or None
            except Exception:
                found = None
            self._room(self._unit)
            self._unit[code] = found
        return self._unit[code]

    def mue(self, code: str, dos: date, setting: str = "professional") -> int | None:
        found = self.mue_edit(code, dos, setting)
        return None if found is None else int(found.value)

    def pcs_axes(self, code: str) -> tuple[tuple[str, str, str], ...]:
        """(axis name, character, meaning) of each character of an ICD-10-PCS code; () when
        the catalog has no PCS or the code is unreadable."""
        found = self._pcs_axes.get(code)
        if found is None:
            try:
                found = tuple(self.catalog.pcs.axis_values(code))
            except Exception:
                found = ()
            self._room(self._pcs_axes)
            self._pcs_axes[code] = found
        return found

    def revenue_codes(self, code: str) -> tuple[str, ...]:
        found = self._revenue.get(code)
        if found is None:
            try:
                found = tuple(self.catalog.revenue_codes_for(code) or ())
            except Exception:
                found = ()
            self._room(self._revenue)
            self._revenue[code] = found
        return found


def proc_kind(code: str) -> str:
    """A procedure line holds CPT (digits first) or HCPCS Level II (a letter, then digits).

    Decided by shape rather than by guessing across all code sets, because J3301 also has
    the shape of an ICD-10-CM code.
    """
    return "hcpcs" if code[:1].isalpha() else "cpt"


_BY_CATALOG: weakref.WeakKeyDictionary[Any, Lookups] = weakref.WeakKeyDictionary()
_BY_ID: dict[int, tuple[Any, Lookups]] = {}


def lookups_for(catalog: Any) -> Lookups:
    """The shared memo for a catalog (kept as long as the catalog lives, where possible)."""
    if isinstance(catalog, Lookups):
        return catalog
    try:
        found = _BY_CATALOG.get(catalog)
        if found is None:
            found = Lookups(catalog)
            _BY_CATALOG[catalog] = found
        return found
    except TypeError:  # a catalog that cannot be weakly referenced or hashed
        pair = _BY_ID.get(id(catalog))
        if pair is None or pair[0] is not catalog:
            pair = (catalog, Lookups(catalog))
            _BY_ID[id(catalog)] = pair
        return pair[1]


__all__ = ["Check", "Lookups", "lookups_for", "proc_kind"]
