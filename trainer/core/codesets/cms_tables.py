"""Write the shipped CMS tables into the code-set index (run by ``trainer init-db``).

The files live in ``trainer/data/cms`` (gzip CSV, copied from CMS publications; see the README
there) and ``manifest.json`` names them, so a newer NCCI quarter or HCPCS file replaces the old
one by dropping in the files and editing the manifest: no code change. Nothing is downloaded.

The NCCI PTP tables are 4.3 million rows, so the build is shaped for speed: rows stream from
the gzip file straight into ``executemany`` in large batches, the tables are ``WITHOUT ROWID``
with the look-up key as their primary key (the files are sorted by that key, so inserts append),
and the caller turns the journal and fsync off while the file is written (the file is written
to a temporary name and renamed, so a crash leaves no half-built index in place). The schema
and the PTP key encoding are in ``cms_schema``.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from trainer.core.codesets.cms_schema import CLAIM_TYPES, EPOCH, SCHEMA, code_number, days, ptp_key

CMS_DIR = Path(__file__).resolve().parents[2] / "data" / "cms"
BATCH = 200_000
ACTIVE = 99991231  # an HCPCS code with no termination date
# "Injection, triamcinolone acetonide, not otherwise specified, 10 mg" -> "10 mg": the billing
# unit of a drug code is the dose at the end of its CMS long descriptor.
_UNIT = re.compile(
    r",\s*((?:per\s+|up to\s+)?\d[\d,.]*\s*(?:mg|mcg|g|gm|grams?|ml|cc|units?|iu|meq|mci|uci|"
    r"micrograms?|milligrams?|millicuries?|microcuries?|million units)\b[^,]*)$",
    re.IGNORECASE,
)
_DRUG_PREFIXES = ("J", "Q", "A9", "C9", "S0")


def drug_unit(code: str, long_description: str) -> str:
    """The billing unit a drug descriptor ends with, or "" (most HCPCS codes are not drugs)."""
    if not code.startswith(_DRUG_PREFIXES):
        return ""
    found = _UNIT.search(long_description.strip())
    return found.group(1).strip() if found else ""


@dataclass
class CmsBuildReport:
    """Row counts per table, for the build report and ``trainer bench``."""

    rows: dict[str, int] = field(default_factory=dict)
    releases: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        counts = ", ".join(f"{name} {n:,}" for name, n in self.rows.items())
        return f"CMS tables ({self.seconds:.1f} s): {counts}"


def load_manifest(cms_dir: Path | None = None) -> dict[str, Any]:
    """The manifest naming each shipped file and its release."""
    path = (cms_dir or CMS_DIR) / "manifest.json"
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def _csv_rows(path: Path) -> Iterator[list[str]]:
    """Rows of a (gzip) CSV after its header, as lists of stripped strings."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row in reader:
            yield [cell.strip() for cell in row]


def _batched_insert(conn: sqlite3.Connection, sql: str, rows: Iterator[tuple[Any, ...]]) -> int:
    total = 0
    while batch := list(islice(rows, BATCH)):
        conn.executemany(sql, batch)
        total += len(batch)
    return total


def _ymd(text: str, default: int) -> int:
    return int(text) if text and text.isdigit() and len(text) == 8 else default


def _load_ptp(
    conn: sqlite3.Connection, claim: int, path: Path, labels: dict[str, int], first_year: int
) -> int:
    """Every edit that can apply to a date of service in a loaded year.

    Edits deleted before the first loaded year (1 January) can never apply to a date the
    catalog accepts, so they are not stored; a re-added pair keeps its other rows. This loop
    runs 4.3 million times, so it is written flat (no per-cell strip, the key inlined).
    """
    oldest = f"{first_year}0101"
    high = claim << 26

    def rows() -> Iterator[tuple[Any, ...]]:
        last, seq = -1, 0
        with gzip.open(path, "rt", newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for column1, column2, deleted, indicator, rationale in reader:
                if deleted and deleted < oldest:
                    continue
                if len(column1) != 5 or len(column2) != 5:
                    continue  # no such row in the CMS files; never let one break the key
                try:
                    key = ((high | int(column1, 36)) << 26 | int(column2, 36)) << 2
                except ValueError:
                    continue
                seq = seq + 1 if key == last else 0
                last = key
                if seq > 3:
                    continue
                label = labels.get(rationale) or labels.setdefault(rationale, len(labels) + 1)
                flag = 1 if indicator == "1" else 0 if indicator == "0" else 9
                yield (key | seq, flag, label, days(int(deleted)) if deleted else None)

    return _batched_insert(conn, "INSERT INTO ptp VALUES (?, ?, ?, ?)", rows())


def _load_mue(conn: sqlite3.Connection, claim: int, path: Path) -> int:
    rows = (
        (claim, code, int(value), int(mai or 0), rationale)
        for code, value, mai, rationale in _csv_rows(path)
        if value.isdigit()
    )
    return _batched_insert(conn, "INSERT OR REPLACE INTO mue VALUES (?, ?, ?, ?, ?)", rows)


def _load_aoc(conn: sqlite3.Connection, path: Path) -> int:
    rows = ((add_on, primary, int(kind)) for primary, add_on, kind in _csv_rows(path))
    return _batched_insert(conn, "INSERT OR IGNORE INTO aoc VALUES (?, ?, ?)", rows)


def _load_hcpcs(conn: sqlite3.Connection, path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    rows = [
        (
            r["hcpcs"].strip().upper(),
            r["record_type"].strip(),
            r["long_description"].strip(),
            r["short_description"].strip(),
            _ymd(r["add_date"].strip(), 19000101),
            _ymd(r["termination_date"].strip(), ACTIVE),
            r["action_code"].strip(),
            drug_unit(r["hcpcs"].strip().upper(), r["long_description"]),
        )
        for r in records
    ]
    conn.executemany("INSERT OR REPLACE INTO hcpcs VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute(
        "INSERT INTO hcpcs_words (code, title) SELECT code, long_description FROM hcpcs "
        "WHERE record_type = 'procedure'"
    )
    return len(rows)


def _load_hcpcs_changes(conn: sqlite3.Connection, path: Path) -> int:
    rows = ((c.upper(), action, short, long) for c, action, short, long in _csv_rows(path))
    return _batched_insert(conn, "INSERT INTO hcpcs_changes VALUES (?, ?, ?, ?)", rows)


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _load_pfs(conn: sqlite3.Connection, path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        rows = [
            (
                r["hcpcs"].strip().upper(),
                r["modifier"].strip().upper(),
                r["status_code"].strip(),
                r["global_days"].strip(),
                r["pctc_indicator"].strip(),
                r["multiple_procedure"].strip(),
                r["bilateral_surgery"].strip(),
                r["endoscopic_base_code"].strip(),
                r["diagnostic_imaging_family"].strip(),
                _float(r["work_rvu"]),
                _float(r["non_facility_total"]),
                _float(r["facility_total"]),
                _float(r["non_facility_pe_rvu"]),
                _float(r["facility_pe_rvu"]),
                _float(r["mp_rvu"]),
                1 if r["non_facility_na_indicator"].strip() == "NA" else 0,
                1 if r["facility_na_indicator"].strip() == "NA" else 0,
                r["assistant_surgery"].strip(),
                r["co_surgeons"].strip(),
                r["team_surgery"].strip(),
                _float(r["conversion_factor"]),
            )
            for r in csv.DictReader(handle)
        ]
    conn.executemany(f"INSERT OR REPLACE INTO pfs VALUES ({', '.join('?' * 21)})", rows)
    return len(rows)


def _load_gpci(conn: sqlite3.Connection, path: Path) -> int:
    """GPCIs keyed "MAC-locality" (locality numbers repeat across MACs: "00" is many states)."""
    rows = (
        (f"{mac}-{number}", mac, state, name.rstrip("*").strip(), _float(w), _float(pe), _float(mp))
        for mac, state, number, name, w, pe, mp in _csv_rows(path)
    )
    return _batched_insert(conn, "INSERT OR REPLACE INTO gpci VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def _load_cpt_years(conn: sqlite3.Connection, path: Path) -> int:
    rows = (
        (int(year), code.upper(), category, status)
        for year, code, category, status, _release in _csv_rows(path)
    )
    return _batched_insert(conn, "INSERT OR REPLACE INTO cpt_year VALUES (?, ?, ?, ?)", rows)


def build_cms_tables(conn: sqlite3.Connection, cms_dir: Path | None = None) -> CmsBuildReport:
    """Create and fill every CMS table in ``conn`` (an open, empty index being built)."""
    started = time.perf_counter()
    folder = cms_dir or CMS_DIR
    manifest = load_manifest(folder)
    report = CmsBuildReport()
    conn.executescript(SCHEMA)
    ncci = manifest["ncci"]
    labels: dict[str, int] = {}
    for claim, name in ncci["ptp"].items():
        report.rows[f"ptp_{claim}"] = _load_ptp(
            conn, CLAIM_TYPES[claim], folder / name, labels, min(manifest["years"])
        )
    conn.executemany("INSERT INTO ptp_rationale VALUES (?, ?)", [(i, t) for t, i in labels.items()])
    for claim, name in ncci["mue"].items():
        report.rows[f"mue_{claim}"] = _load_mue(conn, CLAIM_TYPES[claim], folder / name)
    report.rows["aoc"] = _load_aoc(conn, folder / ncci["aoc"])
    report.rows["hcpcs"] = _load_hcpcs(conn, folder / manifest["hcpcs"]["file"])
    report.rows["hcpcs_changes"] = _load_hcpcs_changes(
        conn, folder / manifest["hcpcs"]["transactions"]
    )
    report.rows["pfs"] = _load_pfs(conn, folder / manifest["pfs"]["file"])
    report.rows["gpci"] = _load_gpci(conn, folder / manifest["pfs"]["gpci"])
    report.rows["cpt_year"] = _load_cpt_years(conn, folder / manifest["cpt_numbers"]["file"])
    report.seconds = time.perf_counter() - started
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [
            ("cms_manifest", json.dumps(manifest)),
            ("cms_build_seconds", f"{report.seconds:.2f}"),
            ("cms_rows", json.dumps(report.rows)),
        ],
    )
    report.releases = {
        "ncci": ncci["label"],
        "hcpcs": manifest["hcpcs"]["label"],
        "pfs": manifest["pfs"]["label"],
    }
    return report


__all__ = [
    "ACTIVE",
    "CLAIM_TYPES",
    "CMS_DIR",
    "CmsBuildReport",
    "build_cms_tables",
    "EPOCH",
    "code_number",
    "days",
    "drug_unit",
    "load_manifest",
    "ptp_key",
]
