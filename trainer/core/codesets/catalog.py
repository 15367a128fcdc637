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
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from trainer.core.claims import CodeKind
from trainer.core.codesets.cms_catalog import CmsCatalog
from trainer.core.codesets.codes import guess_kind, normalize
from trainer.core.codesets.curated import CuratedSets, load_curated
from trainer.core.codesets.edit_tables import EditTables
from trainer.core.codesets.icd10cm_catalog import IcdCatalog
from trainer.core.codesets.pcs_catalog import PcsCatalog
from trainer.core.codesets.pcs_search import PcsSearch
from trainer.core.codesets.procedure_catalog import ProcedureCatalog
from trainer.core.codesets.procedure_hits import names_pcs, pcs_after_cpt, pcs_words
from trainer.core.codesets.results import (
    KIND_NAMES,
    REASONS,
    SET_NAMES,
    CodeDetail,
    CodeSetDiff,
    CodeYearError,
    Validation,
    fiscal_year,
)
from trainer.core.codesets.search import SearchEngine, SearchHit
from trainer.core.codesets.shorthand import load_shorthand


def _other_year(note: str) -> bool:
    """A search note marking a code valid only in another year (new later, or deleted)."""
    return "not valid on this date" in note or ", deleted in FY" in note


class Catalog(EditTables, PcsSearch):
    """Read-only code sets; safe to share between threads of one process.

    ICD-10-CM questions go to ``icd`` (``icd10cm_catalog``), ICD-10-PCS to ``pcs``, CPT, HCPCS
    and the curated sets to ``procedures`` (``procedure_catalog``), word search to ``engine``;
    the claim-edit and pricing look-ups are inherited from ``EditTables``.
    """

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
        # CPT, HCPCS and the curated sets: the CMS files and our CSVs together.
        self.procedures = ProcedureCatalog(curated, self.cms)
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
        self.year_for(kind, dos)
        return self.procedures.validate(text, kind, dos)

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
        return self.procedures.title(text, kind)

    def detail(self, code: str, kind: CodeKind) -> CodeDetail | None:
        if kind == "icd10pcs":
            return self._pcs_detail("".join(str(code).split()).upper())
        text = normalize(code, kind)
        if kind != "icd10cm":
            return self.procedures.detail(text, kind, self.years(kind))
        return self.icd.detail(text)

    @lru_cache(maxsize=65536)  # noqa: B019 - the catalog lives as long as the process
    def tabular(self, code: str) -> tuple[str, dict[str, Any], dict[str, str]] | None:
        """(parent, notes, 7th characters) of an ICD-10-CM code in its latest loaded year.

        The grader reads notes up the hierarchy for every code it explains; ``detail`` also
        lists children (a scan by parent), which this skips.
        """
        return self.icd.tabular(normalize(code, "icd10cm"))

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

    # ------------------------------------------------------------------ rows for the engine
    # (``search.CodeRows``: the engine reads ICD-10-CM rows through these)

    def icd_row(self, code: str, year: int) -> tuple[str, int, str] | None:
        """(title, billable, parent) of an ICD-10-CM code in a fiscal year, None if absent."""
        return self.icd.row(code, year)

    def children(self, code: str, year: int) -> tuple[tuple[str, int], ...]:
        """(code, billable) of the codes directly under ``code`` in ``year``."""
        return self.icd.children(code, year)

    def seventh_rules(self, code: str, year: int) -> dict[str, str]:
        return self.icd.seventh(code, year)

    def status_note(self, code: str, year: int) -> str:
        """Why a code is not billable in ``year`` (see ``IcdCatalog.status_note``)."""
        return self.icd.status_note(code, year)

    # ------------------------------------------------------------------ diff

    @lru_cache(maxsize=64)  # noqa: B019 - the catalog lives as long as the process
    def diff(self, kind: CodeKind, from_year: int, to_year: int) -> CodeSetDiff:
        """Added, deleted and title-revised billable codes between two loaded years (cached:
        the ICD-10-CM join takes a few hundred milliseconds and the index never changes)."""
        if kind == "icd10pcs":  # one loaded year: its April update (CMS addenda) is the diff
            if not self.pcs.loaded or to_year not in self.years("icd10pcs"):
                return CodeSetDiff(kind, from_year, to_year, (), ())
            added, deleted = self.pcs.april_changes()
            return CodeSetDiff(kind, from_year, to_year, added, deleted)
        if kind != "icd10cm":
            return self.procedures.diff(kind, from_year, to_year)
        return self.icd.diff(from_year, to_year)

    # ------------------------------------------------------------------ ICD-10-PCS

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
