"""Build the compact ICD-10-CM index: both fiscal years in one small SQLite file.

Everything comes from CDC files shipped in ``trainer/data/icd10cm`` (nothing is downloaded):
per fiscal year the order file gives the codes, the billable flag and the short and long
titles, and the Tabular List XML the notes and 7th-character rules. The Index layer (the
``terms`` table and its FTS5 word index) holds the tabular titles and inclusion terms, the
Drug, Neoplasm and External Cause tables and, when given, CDC's Alphabetic Index XML. The
running app only opens the file read-only. ``trainer build-index`` (or
``python -m trainer.core.codesets.index_build build [PATH]``) runs it.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer.core.codesets.cms_tables import CmsBuildReport, build_cms_tables
from trainer.core.codesets.icd10cm_source import (
    ReleaseFiles,
    Tabular,
    read_order,
    read_tabular,
    shipped_releases,
)
from trainer.core.codesets.icd10pcs_source import read_pcs
from trainer.core.codesets.index_terms import (
    Term,
    alphabetic_index_terms,
    shipped_table_terms,
    tabular_terms,
)

# 4: the CMS tables joined the index; 5: ICD-10-CM from the CDC files with the Index layer;
# 6: both together; 7: the PFS RVU components, payment indicators and GPCIs (pricing);
# 8: ICD-10-PCS FY2026 (October 2025 release and April 2026 update).
SCHEMA_VERSION = "8"


@dataclass(frozen=True)
class BuildReport:
    path: Path
    rows: dict[int, int]
    billable: dict[int, int]
    terms: int
    seconds: float
    cms: CmsBuildReport | None = None
    size_bytes: int = 0
    pcs: int = 0

    def __str__(self) -> str:
        years = ", ".join(
            f"FY{y}: {self.rows[y]:,} codes ({self.billable[y]:,} billable)" for y in self.rows
        )
        cms = f"; {self.cms}" if self.cms else ""
        cms += f"; ICD-10-PCS FY2026: {self.pcs:,} codes" if self.pcs else ""
        size = self.path.stat().st_size / 1e6 if self.path.exists() else 0.0
        return (
            f"Code-set index {self.path}: ICD-10-CM {years}; {self.terms:,} index terms{cms}; "
            f"{size:.1f} MB; built in {self.seconds:.1f} s"
        )


def index_is_current(path: Path) -> bool:
    """True when the file exists and was written by this schema version."""
    if not Path(path).exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            return row is not None and row[0] == SCHEMA_VERSION
    except sqlite3.Error:
        return False


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE icd (
    year INTEGER NOT NULL, code TEXT NOT NULL, title TEXT NOT NULL, short TEXT NOT NULL,
    billable INTEGER NOT NULL, parent TEXT NOT NULL, notes TEXT NOT NULL,
    PRIMARY KEY (year, code)
) WITHOUT ROWID;
CREATE INDEX icd_parent ON icd (year, parent, code, billable);
CREATE TABLE icd_seventh (
    year INTEGER NOT NULL, code TEXT NOT NULL, rules TEXT NOT NULL, PRIMARY KEY (year, code)
) WITHOUT ROWID;
CREATE TABLE terms (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL,
    extra TEXT NOT NULL, weight REAL NOT NULL
);
CREATE INDEX terms_code ON terms (code);
CREATE TABLE vocab (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE pcs (
    code TEXT PRIMARY KEY, title TEXT NOT NULL, short TEXT NOT NULL, valid INTEGER NOT NULL,
    start TEXT NOT NULL, end TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE pcs_fts USING fts5(code UNINDEXED, title, tokenize='porter unicode61');
CREATE VIRTUAL TABLE terms_fts USING fts5(
    text, extra, content='terms', content_rowid='id', tokenize='porter unicode61',
    detail='column'
);
"""


def _parent(code: str, known: dict[str, object], tabular_parent: str) -> str:
    """The enclosing code: the tabular's nesting, else the nearest shorter code of the year
    (S52.501A -> S52.501, W01.0XXA -> W01.0)."""
    if tabular_parent:
        return tabular_parent
    bare = code.replace(".", "")
    while len(bare) > 3:
        bare = bare[:-1]
        candidate = bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"
        if candidate in known:
            return candidate
    return ""


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _title(long: str, parent_title: str) -> str:
    """The order file's title, with the diacritics its tabular parent has ("Brown-Séquard").

    The order file spells every title in ASCII; the tabular keeps CDC's diacritics. A
    7th-character code has no tabular entry, so its parent's spelling is carried over.
    """
    folded = _ascii(parent_title)
    if folded != parent_title and long.startswith(folded):
        return parent_title + long[len(folded) :]
    return long


#: year, code, title, short title, billable, parent, notes (JSON)
IcdRow = tuple[int, str, str, str, int, str, str]


def _year_rows(release: ReleaseFiles, tabular: Tabular) -> list[IcdRow]:
    """One row per code of the order file, with the tabular's title, parent and notes."""
    order = read_order(release.order)
    known: dict[str, object] = {row.code: row for row in order}
    rows: list[IcdRow] = []
    for row in order:
        tab = tabular.codes.get(row.code)
        notes = {k: v for k, v in (tab.notes if tab else {}).items() if v}
        parent = _parent(row.code, known, tab.parent if tab else "")
        above = tabular.codes.get(parent)
        rows.append(
            (
                release.year,
                row.code,
                tab.title if tab and tab.title else _title(row.long, above.title if above else ""),
                row.short,
                1 if row.billable else 0,
                parent,
                json.dumps(notes, ensure_ascii=False) if notes else "",
            )
        )
    return rows


def _prior(term: Term) -> tuple[float, int, str]:
    """Storage order of the Index lines: the search reads the first matches in rowid order,
    so a short general line comes before a long specific one, and of two lines of a length an
    Index entry before a title (a word or so of credit for the source's weight)."""
    return (len(term.text.split()) - 5 * (term.weight - 1.0), len(term.code), term.code)


def _write_terms(conn: sqlite3.Connection, terms: Iterable[Term]) -> int:
    rows = [(t.code, t.source, t.text, t.extra, t.weight) for t in sorted(terms, key=_prior)]
    conn.executemany(
        "INSERT INTO terms (code, source, text, extra, weight) VALUES (?, ?, ?, ?, ?)", rows
    )
    words = {w for t in rows for w in re.findall(r"[a-z]+", str(t[2]).lower()) if len(w) >= 4}
    conn.executemany("INSERT INTO vocab VALUES (?)", [(w,) for w in sorted(words)])
    conn.execute("INSERT INTO terms_fts (terms_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO terms_fts (terms_fts) VALUES ('optimize')")
    return len(rows)


def _write_pcs(conn: sqlite3.Connection) -> int:
    """ICD-10-PCS rows (codes and table headers, each with the dates it is valid between)
    and the word index the look-up searches; returns the number of valid codes."""
    rows = read_pcs()
    conn.executemany(
        "INSERT INTO pcs VALUES (?, ?, ?, ?, ?, ?)",
        [(r.code, r.title, r.short, 1 if r.valid else 0, r.start, r.end) for r in rows],
    )
    conn.executemany(
        "INSERT INTO pcs_fts (code, title) VALUES (?, ?)",
        [(r.code, r.title) for r in rows if r.valid],
    )
    conn.execute("INSERT INTO pcs_fts (pcs_fts) VALUES ('optimize')")
    conn.execute(
        "INSERT INTO meta VALUES ('pcs_source', ?)",
        ("ICD-10-PCS: CMS FY2026 order file (April 2026 update) and April 2026 addenda",),
    )
    return sum(1 for r in rows if r.valid)


def build_index(
    out: Path,
    icd10cm_index: Path | None = None,
    data_dir: Path | None = None,
) -> BuildReport:
    """Write the index to ``out`` atomically (a temp file renamed into place).

    ``icd10cm_index`` is CDC's Alphabetic Index to Diseases XML, when an institution has it.
    """
    started = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    releases = shipped_releases(data_dir)
    if not releases:
        raise FileNotFoundError("No ICD-10-CM order/tabular files in trainer/data/icd10cm")
    with tempfile.NamedTemporaryFile(dir=out.parent, suffix=".tmp", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    conn = sqlite3.connect(tmp_path)
    rows: dict[int, int] = {}
    billable: dict[int, int] = {}
    try:
        # A temp file renamed into place on success: no journal or fsync is needed to be safe.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(SCHEMA)
        tabulars = []
        titles: dict[str, str] = {}
        for release in releases:
            tabular = read_tabular(release.tabular)
            tabulars.append(tabular)
            year_rows = _year_rows(release, tabular)
            conn.executemany("INSERT INTO icd VALUES (?, ?, ?, ?, ?, ?, ?)", year_rows)
            conn.executemany(
                "INSERT INTO icd_seventh VALUES (?, ?, ?)",
                [
                    (release.year, code, json.dumps(entry.seventh, ensure_ascii=False))
                    for code, entry in tabular.codes.items()
                    if entry.seventh
                ],
            )
            rows[release.year] = len(year_rows)
            billable[release.year] = sum(1 for r in year_rows if r[4])
            titles.update({str(r[1]): str(r[2]) for r in year_rows})
        terms: list[Term] = list(tabular_terms(reversed(tabulars), titles))
        terms.extend(shipped_table_terms(data_dir))
        sources = [
            "ICD-10-CM: CDC/NCHS order files and Tabular List XML "
            + ", ".join(f"FY{r.year} ({r.tabular.name})" for r in releases),
            "Index layer: tabular titles and inclusion terms; FY2025 Drug, Neoplasm and "
            "External Cause tables",
        ]
        if icd10cm_index:
            terms.extend(alphabetic_index_terms(Path(icd10cm_index)))
            sources.append(f"Alphabetic Index: {Path(icd10cm_index).name}")
        count = _write_terms(conn, terms)
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("schema", SCHEMA_VERSION),
                ("years", json.dumps(sorted(rows))),
                ("source", "; ".join(sources)),
            ],
        )
        cms = build_cms_tables(conn)
        pcs = _write_pcs(conn)
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('build_seconds', ?)",
            (f"{time.perf_counter() - started:.2f}",),
        )
        conn.commit()
    finally:
        conn.close()
    tmp_path.replace(out)
    return BuildReport(
        out, rows, billable, count, time.perf_counter() - started, cms, out.stat().st_size, pcs
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "build":
        print("usage: python -m trainer.core.codesets.index_build build [PATH] [INDEX_XML]")
        return 2
    from trainer.config import DEFAULT_INSTANCE

    path = Path(args[1]) if len(args) > 1 else DEFAULT_INSTANCE / "codesets.sqlite"
    print(build_index(path, Path(args[2]) if len(args) > 2 else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
