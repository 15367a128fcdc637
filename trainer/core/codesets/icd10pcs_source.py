"""Read the shipped ICD-10-PCS FY2026 files (CMS order file and April 2026 addenda).

The order file is the April 2026 release; the addenda say which codes the April update added
(valid from 2026-04-01) and which it deleted (valid until 2026-03-31, not in the April file).
Each row therefore carries the dates it is valid between, so the catalog can validate a code
by date of discharge the way it does ICD-10-CM by fiscal year.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "icd10pcs"
ORDER_FILE = "icd10pcs_order_fy2026_apr.csv.gz"
ADDENDA_FILE = "icd10pcs_addenda_fy2026_apr.csv.gz"
#: The FY2026 releases: October 2025, then the April 2026 update.
FY_START = "2025-10-01"
APRIL_UPDATE = "2026-04-01"
APRIL_LAST_OLD_DAY = "2026-03-31"  # a code the April addenda delete is valid until then
FY_END = "2026-09-30"


@dataclass(frozen=True, slots=True)
class PcsRow:
    code: str
    valid: bool  # a 7-character code that may be reported (False: a 3-character table header)
    short: str
    title: str
    start: str  # ISO date from which the code may be reported
    end: str  # ISO date after which it may not ("" = through the end of FY2026)


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rb") as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def read_addenda(data_dir: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """(added code -> title, deleted code -> title) of the April 2026 update."""
    added: dict[str, str] = {}
    deleted: dict[str, str] = {}
    for row in _csv((data_dir or DATA) / ADDENDA_FILE):
        target = added if row["action"].strip().lower() == "add" else deleted
        target[row["code"].strip().upper()] = row["long_title"].strip()
    return added, deleted


def read_pcs(data_dir: Path | None = None) -> list[PcsRow]:
    """Every header and code of FY2026, each dated by the release it belongs to."""
    added, deleted = read_addenda(data_dir)
    rows: list[PcsRow] = []
    for row in _csv((data_dir or DATA) / ORDER_FILE):
        code = row["code"].strip().upper()
        rows.append(
            PcsRow(
                code,
                row["valid_for_submission"].strip() == "1",
                row["short_title"].strip(),
                row["long_title"].strip(),
                APRIL_UPDATE if code in added else FY_START,
                "",
            )
        )
    have = {r.code for r in rows}
    for code, title in sorted(deleted.items()):
        if code not in have:
            rows.append(PcsRow(code, True, title, title, FY_START, APRIL_LAST_OLD_DAY))
    return rows


__all__ = [
    "APRIL_LAST_OLD_DAY",
    "APRIL_UPDATE",
    "FY_END",
    "FY_START",
    "PcsRow",
    "read_addenda",
    "read_pcs",
]
