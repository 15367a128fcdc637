"""Readers for CDC's ICD-10-CM release files: the order file and the Tabular List XML.

The order file is CDC's list of every code of a fiscal year with its billable flag and its
short and long titles; the tabular XML carries what the order file lacks: the notes under each
code (inclusion terms, Includes, Excludes1/2, code first, use additional, code also) and the
7th-character rules. Both are read with the standard library (``gzip``, ``xml.etree``): the
files are CDC's own, well-formed, and read once per index build.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "icd10cm"

#: Tabular note elements and the key each is stored under in the index (the catalog's names).
NOTE_KEYS = {
    "inclusionTerm": "inclusion_terms",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional",
    "codeAlso": "code_also",
    "notes": "notes",
}


def dotted(code: str) -> str:
    """CDC's undotted order-file spelling (S52502A) as coders write it (S52.502A)."""
    code = code.strip().upper()
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def _open_text(path: Path) -> Iterator[str]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


@dataclass(frozen=True, slots=True)
class OrderRow:
    """One line of the order file: a code of the year, header (0) or billable (1)."""

    code: str
    billable: bool
    short: str
    long: str


def read_order(path: Path) -> list[OrderRow]:
    """Every code of one order file, in CDC's order.

    The file is fixed-width: order number (5), code (7), flag (1), short title (60), long title.
    """
    rows = []
    for line in _open_text(path):
        line = line.rstrip("\r\n")
        if len(line) < 16:
            continue
        rows.append(
            OrderRow(dotted(line[6:13]), line[14] == "1", line[16:76].strip(), line[77:].strip())
        )
    return rows


@dataclass(slots=True)
class TabularCode:
    """A ``<diag>`` of the Tabular List: its title, enclosing code, notes and 7th characters."""

    code: str
    title: str
    parent: str
    notes: dict[str, list[str]] = field(default_factory=dict)
    seventh: dict[str, str] = field(default_factory=dict)


def _notes_of(element: ET.Element) -> list[str]:
    return [" ".join((n.text or "").split()) for n in element.findall("note") if n.text]


def _seventh_rules(element: ET.Element) -> dict[str, str]:
    """``<sevenChrDef>``: extension letters; a bare ``<note>`` continues the letter before it."""
    rules: dict[str, str] = {}
    last = ""
    for child in element:
        text = " ".join((child.text or "").split())
        if child.tag == "extension":
            last = child.get("char", "")
            rules[last] = text
        elif child.tag == "note" and last and text:
            rules[last] = f"{rules[last]} / {text}"
    return rules


def _walk(diag: ET.Element, parent: str, out: dict[str, TabularCode]) -> None:
    code = (diag.findtext("name") or "").strip()
    entry = TabularCode(code, " ".join((diag.findtext("desc") or "").split()), parent)
    for child in diag:
        key = NOTE_KEYS.get(child.tag)
        if key:
            notes = _notes_of(child)
            if notes:
                entry.notes.setdefault(key, []).extend(notes)
        elif child.tag == "sevenChrDef":
            entry.seventh = _seventh_rules(child)
    out[code] = entry
    for child in diag.findall("diag"):
        _walk(child, code, out)


@dataclass(frozen=True)
class Tabular:
    version: str
    codes: dict[str, TabularCode]


def read_tabular(path: Path) -> Tabular:
    """Every ``<diag>`` of a tabular XML (chapters and sections are headings, not codes)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        root = ET.parse(handle).getroot()
    codes: dict[str, TabularCode] = {}
    for section in root.iter("section"):
        for diag in section.findall("diag"):
            _walk(diag, "", codes)
    return Tabular((root.findtext("version") or "").strip(), codes)


@dataclass(frozen=True)
class ReleaseFiles:
    """The two files that make one fiscal year of the index."""

    year: int
    order: Path
    tabular: Path


def shipped_releases(data_dir: Path | None = None) -> tuple[ReleaseFiles, ...]:
    """The releases shipped in ``trainer/data/icd10cm`` (one order file and tabular per year)."""
    base = data_dir or DATA_DIR
    found = []
    for order in sorted(base.glob("icd10cm_order_*.txt.gz")):
        year = int(order.name.split("_")[2].split(".")[0])
        tabular = sorted(base.glob(f"icd10cm_tabular_{year}*.xml.gz"))
        if tabular:
            found.append(ReleaseFiles(year, order, tabular[-1]))
    return tuple(found)
