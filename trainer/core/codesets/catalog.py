"""The versioned code-set catalog: validation by date of service, look-up, year-to-year diff.

ICD-10-CM comes from the compact SQLite index (``index_build``), opened read-only and shared;
words are searched by ``search`` (FTS5 over the index's terms, coder shorthand, date of service);
so do the CMS tables (every CPT number of the PFS, every HCPCS Level II code, NCCI PTP, MUE and
add-on edits, PFS indicators), queried through ``cms_catalog``. The curated sets (our CPT
wording, checked drug units, modifiers, POS, revenue codes) are small CSV files in
``trainer/data/codesets`` held in memory. ICD-10-CM years are fiscal years
(FY2026 runs 1 October 2025 to 30 September 2026); CPT and HCPCS years are calendar years.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from trainer.core.claims import CodeKind
from trainer.core.codesets.cms_catalog import (
    AddOn,
    CmsCatalog,
    Gpci,
    Mue,
    NcciEdit,
    PfsFacts,
    PfsRvu,
)
from trainer.core.codesets.codes import guess_kind, normalize
from trainer.core.codesets.curated import CuratedSets, Entry, load_curated
from trainer.core.codesets.icd10cm_catalog import IcdCatalog
from trainer.core.codesets.index_terms import source_label
from trainer.core.codesets.pcs_catalog import PcsCatalog
from trainer.core.codesets.procedure_hits import (
    PCS_EXTRA,
    looks_like_procedure,
    names_pcs,
    pcs_after_cpt,
    pcs_words,
    with_pcs,
)
from trainer.core.codesets.results import (
    KIND_NAMES,
    REASONS,
    SET_NAMES,
    CodeDetail,
    CodeSetDiff,
    CodeYearError,
    Validation,
    fiscal_year,
    unknown_code,
)
from trainer.core.codesets.search import SearchEngine, SearchHit
from trainer.core.codesets.shorthand import load_shorthand


def _other_year(note: str) -> bool:
    """A search note marking a code valid only in another year (new later, or deleted)."""
    return "not valid on this date" in note or ", deleted in FY" in note


class Catalog:
    """Read-only code sets; safe to share between threads of one process."""

    _opened: dict[str, Catalog] = {}
    _open_lock = threading.Lock()

    def __init__(self, index_path: Path, curated: CuratedSets) -> None:
        self.index_path = Path(index_path)
        self.curated = curated
        self._local = threading.local()
        meta = self._db().execute("SELECT value FROM meta WHERE key = 'years'").fetchone()
        self.icd_years: tuple[int, ...] = tuple(json.loads(meta[0]))
        # CPT, HCPCS Level II, PFS and NCCI tables (see cms_catalog), on the same connection.
        self.icd = IcdCatalog(self._db, self.icd_years)
        self.cms = CmsCatalog(self._db)
        # ICD-10-PCS FY2026 (inpatient procedures), on the same connection.
        self.pcs = PcsCatalog(self._db)
        self.engine = SearchEngine(self, self._db, load_shorthand())

    @classmethod
    def open(cls, index_path: Path | None = None, data_dir: Path | None = None) -> Catalog:
        """The catalog for an index file; one instance per path and process."""
        from trainer.config import DEFAULT_INSTANCE

        path = Path(index_path or DEFAULT_INSTANCE / "codesets.sqlite")
        key = str(path.resolve())
        with cls._open_lock:
            if key not in cls._opened:
                if not path.exists():
                    raise FileNotFoundError(
                        f"No code-set index at {path}: run 'trainer init-db' (or "
                        "'python -m trainer.core.codesets.index_build build') first."
                    )
                cls._opened[key] = cls(path, load_curated(data_dir))
            return cls._opened[key]

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                f"file:{self.index_path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            self._local.conn = conn
        return conn

    def build_meta(self) -> dict[str, str]:
        """The index's meta rows (schema, years, sources, build times): they change with every
        build, so what is computed from the index can be keyed on them."""
        return {str(k): str(v) for k, v in self._db().execute("SELECT key, value FROM meta")}

    # ------------------------------------------------------------------ years

    def years(self, kind: CodeKind) -> tuple[int, ...]:
        if kind == "icd10pcs":
            return (2026,) if self.pcs.loaded else ()
        if kind == "icd10cm":
            return self.icd_years
        return self.cms.years or self.curated.years

    def year_for(self, kind: CodeKind, dos: date) -> int:
        if kind == "icd10pcs":
            if not self.pcs.loaded or not self.pcs.in_range(dos):
                raise CodeYearError(
                    f"ICD-10-PCS is loaded for discharges {self.pcs.span()}; {dos} is outside"
                )
            return fiscal_year(dos)
        year = fiscal_year(dos) if kind == "icd10cm" else dos.year
        loaded = self.years(kind)
        if year not in loaded:
            if kind == "icd10cm":
                span = f"{loaded[0] - 1}-10-01 to {loaded[-1]}-09-30"
            else:
                span = f"{loaded[0]}-01-01 to {loaded[-1]}-12-31"
            raise CodeYearError(
                f"{SET_NAMES[kind]} is loaded for dates of service {span}; {dos} is outside"
            )
        return year

    # ------------------------------------------------------------------ validation

    def validate(self, code: str, kind: CodeKind, dos: date) -> Validation:
        """Valid, or the one precise reason it is not (see REASONS)."""
        if kind == "icd10pcs":
            return self._validate_pcs(code, dos)
        shape = guess_kind(code)
        text = normalize(code, shape if shape in ("cpt", "hcpcs") else kind)
        if kind == "icd10cm" and shape == "hcpcs":
            # 'E1122' typed without its dot is ICD-10-CM E11.22; 'J3301' is HCPCS.
            dotted = normalize(text, "icd10cm")
            if any(self.icd.row(dotted, y) is not None for y in self.icd_years):
                shape, text = "icd10cm", dotted
        procedure_kinds = ("icd10cm", "cpt", "hcpcs")
        if kind in procedure_kinds and shape in procedure_kinds and shape != kind:
            return Validation(
                False,
                text,
                kind,
                "wrong_kind",
                f"{text} is {KIND_NAMES[shape]}, not {KIND_NAMES[kind]}.",
                (),
            )
        if kind == "icd10cm":
            return self.icd.validate(text, self.year_for("icd10cm", dos), dos)
        return self._validate_curated(text, kind, dos)

    def _validate_pcs(self, code: str, dos: date) -> Validation:
        """ICD-10-PCS on the discharge date: only a valid 7-character code is billable."""
        self.year_for("icd10pcs", dos)
        text = "".join(str(code).split()).upper()
        shape = guess_kind(text)
        if shape in ("icd10cm", "cpt", "hcpcs") and self.pcs.row(text) is None:
            return Validation(
                False,
                text,
                "icd10pcs",
                "wrong_kind",
                f"{text} is {KIND_NAMES[shape]}, not {KIND_NAMES['icd10pcs']}.",
                (),
            )
        found = self.pcs.check(text, dos)
        return Validation(
            found.valid,
            found.code,
            "icd10pcs",
            found.reason,
            found.message,
            found.suggestions,
            found.title,
        )

    def _validate_cms(self, text: str, kind: CodeKind, dos: date) -> Validation | None:
        """CPT numbers from the PFS years, HCPCS codes and modifiers from the CMS file."""
        entry = self.curated.entry(text, kind)
        if kind == "cpt":
            check = self.cms.check_cpt(text, dos)
        elif kind == "hcpcs":
            check = self.cms.check_hcpcs(text, dos)
        elif kind == "modifier" and entry is None:
            check = self.cms.check_hcpcs(text, dos, "modifier")
        else:
            return None
        if check is None:
            return None
        title = self._procedure_title(text, kind, entry) or check.title
        message = f"{text}: {title}" if check.valid else check.message
        successor = entry.replaced_by if entry and not check.valid else ""
        if successor:
            message = f"{message.rstrip('.')}; use {successor}."
        return Validation(
            check.valid,
            text,
            kind,
            check.reason,
            message,
            (successor,) if successor else (),
            title,
            successor or None,
            check.note,
        )

    def _procedure_title(self, text: str, kind: CodeKind, entry: Entry | None) -> str:
        """Our wording (or the licensed descriptor file's) for CPT; CMS's words for HCPCS."""
        if kind == "cpt":
            override = self.curated.cpt_overrides.get(text)
            if override:
                return override
            return entry.title if entry else self.cms.cpt_title(text)
        if kind == "hcpcs":
            row = self.cms.hcpcs(text)
            if row is not None and row.record_type == "procedure":
                return row.long_description
        return entry.title if entry else ""

    def _validate_curated(self, text: str, kind: CodeKind, dos: date) -> Validation:
        self.year_for(kind, dos)
        from_cms = self._validate_cms(text, kind, dos)
        if from_cms is not None:
            return from_cms
        entry = self.curated.entry(text, kind)
        if entry is None:
            others = [k for k in self.curated.kinds_of(text) if k != kind]
            if others:
                other = others[0]
                return Validation(
                    False,
                    text,
                    kind,
                    "wrong_kind",
                    f"{text} is {KIND_NAMES[other]}, not {KIND_NAMES[kind]}.",
                    (),
                )
            return unknown_code(text, kind)
        if entry.active_on(dos):
            return Validation(True, text, kind, None, f"{text}: {entry.title}", (), entry.title)
        if dos < entry.effective:
            return Validation(
                False,
                text,
                kind,
                "not_effective",
                f"{text} takes effect on {entry.effective}; it is not valid on {dos}.",
                (),
                entry.title,
            )
        repl = (entry.replaced_by,) if entry.replaced_by else ()
        tail = f"; use {entry.replaced_by}" if entry.replaced_by else ""
        return Validation(
            False,
            text,
            kind,
            "deleted",
            f"{text} was deleted after {entry.terminated} and is not valid on {dos}{tail}.",
            repl,
            entry.title,
            entry.replaced_by or None,
        )

    def is_billable(self, code: str, kind: CodeKind, dos: date) -> bool:
        return self.validate(code, kind, dos).valid

    def title(self, code: str, kind: CodeKind, dos: date | None = None) -> str | None:
        if kind == "icd10pcs":
            return self.pcs.title("".join(str(code).split()).upper())
        text = normalize(code, kind)
        if kind == "icd10cm":
            years = [self.year_for(kind, dos)] if dos else list(reversed(self.icd_years))
            for year in years:
                row = self.icd.row(text, year)
                if row:
                    return row[0]
            return None
        entry = self.curated.entry(text, kind)
        known = entry is not None or (
            self.cms.cpt_numbers(text) if kind == "cpt" else self.cms.hcpcs(text) is not None
        )
        if kind in ("cpt", "hcpcs") and known:
            return self._procedure_title(text, kind, entry) or None
        return self.curated.title(text, kind)

    def detail(self, code: str, kind: CodeKind) -> CodeDetail | None:
        if kind == "icd10pcs":
            return self._pcs_detail("".join(str(code).split()).upper())
        text = normalize(code, kind)
        if kind != "icd10cm":
            entry = self.curated.entry(text, kind)
            if entry is None and kind in ("cpt", "hcpcs"):
                return self._cms_detail(text, kind)
            if entry is None:
                return None
            notes = dict(entry.notes)
            if kind in ("cpt", "hcpcs") and self.cms.loaded:
                notes.update(self._cms_notes(kind, text))
                if kind == "cpt":
                    notes["source"] = "Description in the trainer's own words. " + str(
                        notes["source"]
                    )
            return CodeDetail(
                text,
                kind,
                self._procedure_title(text, kind, entry)
                if kind in ("cpt", "hcpcs")
                else entry.title,
                True,
                "",
                (),
                notes,
                {},
                entry.years(self.years(kind)),
            )
        years = self.icd.years_of(text)
        if not years:
            return None
        year = years[-1]
        row = (
            self._db()
            .execute(
                "SELECT title, billable, parent, notes FROM icd WHERE year = ? AND code = ?",
                (year, text),
            )
            .fetchone()
        )
        return CodeDetail(
            text,
            "icd10cm",
            row[0],
            bool(row[1]),
            row[2],
            tuple(c for c, _ in self.icd.children(text, year)),
            json.loads(row[3]) if row[3] else {},
            self.icd.seventh(text, year),
            years,
            self.index_entries(text, year),
            self.status_note(text, self.icd_years[-1]),
        )

    @lru_cache(maxsize=65536)  # noqa: B019 - the catalog lives as long as the process
    def tabular(self, code: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
        """(parent, notes, 7th characters) of an ICD-10-CM code in its latest loaded year.

        The grader reads notes up the hierarchy for every code it explains; ``detail`` also
        lists children (a scan by parent), which this skips.
        """
        text = normalize(code, "icd10cm")
        years = self.icd.years_of(text)
        if not years:
            return None
        row = (
            self._db()
            .execute(
                "SELECT parent, notes FROM icd WHERE year = ? AND code = ?",
                (years[-1], text),
            )
            .fetchone()
        )
        if row is None:
            return None
        return (
            row[0] or "",
            json.loads(row[1]) if row[1] else {},
            self.icd.seventh(text, years[-1]),
        )

    def index_entries(self, code: str, year: int) -> tuple[tuple[str, str, str], ...]:
        """Index and table lines (not titles) that lead to the code or the codes above it
        (an Index entry often stops at "S52.50-" and leaves the rest to the Tabular List)."""
        found: list[tuple[str, str, str]] = []
        at = code
        while at and len(found) < 40:
            for source, text in self._db().execute(
                "SELECT source, text FROM terms WHERE code = ? AND source != 'title' "
                "ORDER BY id LIMIT 20",
                (at,),
            ):
                found.append((source_label(source), text, at))
            row = self.icd.row(at, year)
            at = row[2] if row else ""
        return tuple(found)

    # ------------------------------------------------------------------ search

    def search(
        self, query: str, kind: CodeKind | None = None, dos: date | None = None, limit: int = 20
    ) -> list[SearchHit]:
        """Codes for what a coder typed, valid on ``dos`` first (see ``codesets.search``).

        The engine ranks ICD-10-CM, the curated sets and our terms; the full CMS files (every
        HCPCS Level II code, every CPT number of the PFS) fill in what the curated sets lack:
        a code typed exactly comes first, other CMS matches after the engine's own hits.
        """
        if kind == "icd10pcs":
            return self._search_pcs(query, dos, limit)
        hits = self.engine.search(query, kind, dos, limit)
        if kind is None and names_pcs(query):
            # The code set named first, its best three; the CPT and ICD-10-CM hits after them.
            pcs = self._search_pcs(pcs_words(query), dos, 3) if pcs_words(query) else []
            hits = [*pcs, *(h for h in hits if h.kind != "icd10pcs")][:limit]
        elif kind is None:
            hits = self._with_pcs_titles(query, pcs_after_cpt(hits), dos, limit)
        if kind not in (None, "cpt", "hcpcs"):
            return hits
        seen: set[tuple[str, str]] = {(h.code, h.kind) for h in hits}
        exact: list[SearchHit] = []
        more: list[SearchHit] = []
        for code, set_kind, title, score in self.cms.search(query, kind, limit):
            if (code, set_kind) in seen:
                continue
            seen.add((code, set_kind))
            hit = SearchHit(code, set_kind, title, True, score)  # type: ignore[arg-type]
            (exact if code == query.strip().upper() else more).append(hit)
        # The engine puts codes of another year last; full-file matches go before them.
        cut = next((i for i, h in enumerate(hits) if _other_year(h.note)), len(hits))
        return (exact + hits[:cut] + more + hits[cut:])[:limit]

    def _search_pcs(self, query: str, dos: date | None, limit: int) -> list[SearchHit]:
        """Our PCS lay terms ("hip replacement"), then PCS titles (FTS5) or a code prefix;
        codes not valid on the date come last."""
        hits = self.engine.search(query, "icd10pcs", dos, limit)
        seen = {h.code for h in hits}
        for code, title, ok in self.pcs.search(pcs_words(query) or query, dos, limit):
            if code not in seen:
                note = "" if ok else "not valid on this date"
                hits.append(SearchHit(code, "icd10pcs", title, True, 1.0, note))
        hits.sort(key=lambda h: bool(h.note))  # valid on the date first, in rank order
        return hits[:limit]

    def _with_pcs_titles(
        self, query: str, hits: list[SearchHit], dos: date | None, limit: int
    ) -> list[SearchHit]:
        """A procedure named without a code set also gets its PCS codes (``procedure_hits``)
        when no curated term gave one."""
        if any(h.kind == "icd10pcs" for h in hits[:5]) or not looks_like_procedure(query):
            return hits
        words = pcs_words(query)
        if not words:
            return hits
        found = [
            SearchHit(code, "icd10pcs", title, True, 1.0)
            for code, title, ok in self.pcs.search(words, dos, PCS_EXTRA)
            if ok
        ]
        return with_pcs(hits, found, limit)

    def pcs_term(self, code: str, dos: date | None) -> tuple[str, bool] | None:
        """(title, valid on ``dos``) of a PCS code one of our lay terms names."""
        row = self.pcs.row(code)
        if row is None or not row[1]:
            return None
        return row[0], dos is None or self.pcs.check(code, dos).valid

    # ------------------------------------------------------------------ rows for the engine

    def icd_row(self, code: str, year: int) -> tuple[str, int, str] | None:
        """(title, billable, parent) of an ICD-10-CM code in a fiscal year, None if absent."""
        return self.icd.row(code, year)

    def children(self, code: str, year: int) -> tuple[tuple[str, int], ...]:
        """(code, billable) of the codes directly under ``code`` in ``year``."""
        return self.icd.children(code, year)

    def seventh_rules(self, code: str, year: int) -> dict[str, str]:
        return self.icd.seventh(code, year)

    def status_note(self, code: str, year: int) -> str:
        """Why a code is not billable in ``year``, in a coder's words: "billable until
        2025-09-30, expanded into E78.010, E78.011, E78.019", "new on 2025-10-01", "deleted"."""
        row = self.icd.row(code, year)
        before = self.icd.row(code, year - 1) if (year - 1) in self.icd_years else None
        later = [y for y in self.icd_years if y > year and self.icd.row(code, y)]
        if row is not None:
            if row[1]:
                return ""
            children = self.icd.billable_descendants(code, year, 6)
            if before is not None and before[1]:
                return (
                    f"billable until {year - 1}-09-30, expanded into {', '.join(children)}"
                    f" (FY{year})"
                )
            return f"header in FY{year}: code to a child ({', '.join(children[:4])}...)"
        if later:
            return f"new on {later[0] - 1}-10-01 (FY{later[0]}): not valid on this date"
        earlier = [y for y in self.icd_years if y < year and self.icd.row(code, y)]
        if earlier:
            repl = self.icd.replacement(code, year)
            tail = f"; replaced by {', '.join(repl)}" if repl else ""
            return f"billable until {earlier[-1]}-09-30, deleted in FY{year}{tail}"
        return ""

    # ------------------------------------------------------------------ diff

    @lru_cache(maxsize=64)  # noqa: B019 - the catalog lives as long as the process
    def diff(self, kind: CodeKind, from_year: int, to_year: int) -> CodeSetDiff:
        """Added, deleted and title-revised billable codes between two loaded years (cached:
        the ICD-10-CM join takes a few hundred milliseconds and the index never changes)."""
        if kind in ("cpt", "hcpcs") and self.cms.loaded:
            return self._cms_diff(kind, from_year, to_year)
        if kind == "icd10pcs":  # one loaded year: its April update (CMS addenda) is the diff
            if not self.pcs.loaded or to_year not in self.years("icd10pcs"):
                return CodeSetDiff(kind, from_year, to_year, (), ())
            added, deleted = self.pcs.april_changes()
            return CodeSetDiff(kind, from_year, to_year, added, deleted)
        if kind != "icd10cm":
            return self.curated.diff(kind, from_year, to_year, CodeSetDiff)
        rows = (
            self._db()
            .execute(
                "SELECT a.code, a.title, b.title FROM icd a LEFT JOIN icd b "
                "ON b.code = a.code AND b.year = ? WHERE a.year = ? AND a.billable = 1",
                (from_year, to_year),
            )
            .fetchall()
        )
        added = tuple((c, t) for c, t, old in rows if old is None)
        revised = tuple((c, old, t) for c, t, old in rows if old is not None and old != t)
        gone = (
            self._db()
            .execute(
                "SELECT a.code, a.title FROM icd a WHERE a.year = ? AND a.billable = 1 "
                "AND NOT EXISTS "
                "(SELECT 1 FROM icd b WHERE b.code = a.code AND b.year = ? AND b.billable = 1)",
                (from_year, to_year),
            )
            .fetchall()
        )
        return CodeSetDiff(kind, from_year, to_year, added, tuple((c, t) for c, t in gone), revised)

    # ------------------------------------------------------------------ CPT / HCPCS (CMS)

    def _pcs_detail(self, text: str) -> CodeDetail | None:
        """A PCS code or table: its axes (what each character means) and root operation."""
        row = self.pcs.row(text)
        if row is None:
            return None
        title, valid, start, end = row
        notes: dict[str, list[str] | str] = {
            "axes": [f"{n}: {c} = {label}" for n, c, label in self.pcs.axis_values(text)]
        }
        root = self.pcs.root_operation(text)
        if root:
            notes["root_operation"] = f"{root[0]}: {root[1]} (the trainer's wording)"
        notes["source"] = "ICD-10-PCS FY2026 (CMS), April 2026 update."
        status = ""
        if start > "2025-10-01":
            status = f"new on {start} (April 2026 update)"
        elif end:
            status = f"valid until {end}, deleted by the April 2026 update"
        below = self.pcs.options(text) if len(text) < 7 else ()
        children = tuple(o.code or text + o.char for o in below)
        return CodeDetail(
            text,
            "icd10pcs",
            title,
            bool(valid),
            text[:-1] if len(text) > 3 else "",
            children[:40],
            notes,
            {},
            (2026,),
            (),
            status,
        )

    def _cms_detail(self, text: str, kind: CodeKind) -> CodeDetail | None:
        if kind == "cpt":
            years = self.cms.cpt_numbers(text)
        else:
            row = self.cms.hcpcs(text)
            if row is None or row.record_type != "procedure":
                return None
            years = tuple(
                y
                for y in self.cms.years
                if row.added <= date(y, 12, 31) and row.terminated >= date(y, 1, 1)
            )
        if not years:
            return None
        return CodeDetail(
            text,
            kind,
            self._procedure_title(text, kind, None),
            True,
            "",
            (),
            self._cms_notes(kind, text),
            {},
            self._with_carried(years),
        )

    def _with_carried(self, years: tuple[int, ...]) -> tuple[int, ...]:
        """Add the years answered from an earlier file (2026 from 2025) to a code's years."""
        extra = tuple(y for y, src in sorted(self.cms.carried.items()) if src in years)
        return tuple(sorted(set(years) | set(extra)))

    def _cms_notes(self, kind: CodeKind, code: str = "") -> dict[str, list[str] | str]:
        """Where a CPT/HCPCS look-up comes from, and the carried-forward year, for the UI."""
        source = (
            f"Source: {self.cms.release_label('hcpcs')} (CMS)."
            if kind == "hcpcs"
            else f"Code numbers: {self.cms.release_label('cpt_numbers')}; facts from "
            f"{self.cms.release_label('pfs')}. CPT descriptors are the AMA's (not included)."
        )
        notes: dict[str, list[str] | str] = {"source": source}
        if code and kind == "hcpcs":
            row = self.cms.hcpcs(code)
            if row is not None:
                notes["short_description"] = row.short_description
                if self.drug_unit(code):
                    notes["billing_unit"] = str(self.drug_unit(code))
        carried = " ".join(self.cms.carried_note(kind, y) for y in sorted(self.cms.carried))
        if carried:
            notes["year_note"] = carried
        return notes

    def _cms_diff(self, kind: CodeKind, from_year: int, to_year: int) -> CodeSetDiff:
        """CPT: numbers added/deleted between PFS years; HCPCS: the CMS transaction report."""
        if kind == "cpt":
            old, new = self.cms.data_year(from_year), self.cms.data_year(to_year)
            added, deleted = self.cms.cpt_added_deleted(old, new)
            return CodeSetDiff(
                kind,
                from_year,
                to_year,
                tuple(
                    (c, self._procedure_title(c, kind, self.curated.entry(c, kind))) for c in added
                ),
                tuple(
                    (c, self._procedure_title(c, kind, self.curated.entry(c, kind)))
                    for c in deleted
                ),
            )
        release = int(self.cms.manifest.get("hcpcs", {}).get("release_year", 0))
        if not (from_year < release <= to_year and self.cms.data_year(to_year) == release):
            return CodeSetDiff(kind, from_year, to_year, (), ())
        changes = self.cms.hcpcs_changes()
        return CodeSetDiff(
            kind,
            from_year,
            to_year,
            tuple((c, t) for c, a, t in changes if a == "ADD"),
            tuple((c, t) for c, a, t in changes if a.lower().startswith("discontinued")),
            tuple((c, "", t) for c, a, t in changes if a.lower().startswith("long")),
        )

    def pfs(self, code: str) -> PfsFacts | None:
        """The fee schedule's indicators for a code (global days, PC/TC, multiple/bilateral)."""
        return self.cms.pfs(normalize(code))

    def pfs_rvu(self, code: str, modifier: str = "") -> PfsRvu | None:
        """The PFS relative value row of a code (modifier "", "26" or "TC"), for pricing."""
        return self.cms.pfs_rvu(normalize(code), modifier)

    def gpci(self, locality: str) -> Gpci | None:
        """A Medicare locality's GPCIs ("national": all 1.0)."""
        return self.cms.gpci(locality)

    def localities(self) -> tuple[Gpci, ...]:
        return self.cms.localities()

    def add_on(self, code: str) -> AddOn | None:
        """The NCCI add-on code edit of a code, or None when it is no add-on code."""
        return self.cms.add_on(normalize(code))

    def ncci_release(self) -> str:
        """The NCCI release the claim-edit replay applies (shown beside every edit)."""
        return self.cms.release_label("ncci")

    # ------------------------------------------------------------------ edits

    def ncci_edit(
        self, column1: str, column2: str, dos: date, setting: str = "professional"
    ) -> NcciEdit | None:
        """The PTP edit in force on ``dos`` (practitioner table, or hospital for facility)."""
        return self.cms.ncci_edit(normalize(column1), normalize(column2), dos, setting)

    def ncci_edits_for(
        self, codes: Iterable[str], dos: date, setting: str = "professional"
    ) -> list[NcciEdit]:
        unique = list(dict.fromkeys(normalize(c) for c in codes))
        found = []
        for a in unique:
            for b in unique:
                if a != b:
                    edit = self.cms.ncci_edit(a, b, dos, setting)
                    if edit:
                        found.append(edit)
        return found

    def mue_edit(self, code: str, dos: date, setting: str = "professional") -> Mue | None:
        """The MUE of a code for the claim type (practitioner, or hospital for facility)."""
        return self.cms.mue(normalize(code), setting)

    def mue(self, code: str, dos: date, setting: str = "professional") -> int | None:
        found = self.mue_edit(code, dos, setting)
        return found.value if found else None

    def drug_unit(self, hcpcs: str) -> str | None:
        """The billing unit: ours where it was checked, else parsed from the CMS descriptor."""
        code = normalize(hcpcs)
        entry = self.curated.entry(code, "hcpcs")
        if entry and entry.unit:
            return entry.unit
        row = self.cms.hcpcs(code)
        return row.unit if row and row.unit else None

    def revenue_codes_for(self, code: str) -> tuple[str, ...]:
        return self.curated.revenue_codes_for(normalize(code))


# The result types moved to ``results``; importing them from here keeps working.
__all__ = [
    "KIND_NAMES",
    "REASONS",
    "SET_NAMES",
    "Catalog",
    "CodeDetail",
    "CodeSetDiff",
    "CodeYearError",
    "Validation",
    "fiscal_year",
]
