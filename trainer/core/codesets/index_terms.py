"""The Index layer of the code-set index: what a coder looks up, pointing to a code.

Coders find a code through the Alphabetic Index (and its Neoplasm Table, Table of Drugs and
Chemicals and External Cause Index) before verifying it in the Tabular List. CDC's main
Alphabetic Index is not shipped (see ``trainer/data/icd10cm/README.md``), so until an
institution adds it (``trainer build-index --icd10cm-index FILE``) this layer is built from
the tabular titles and inclusion terms and the three FY2025 tables. Each :class:`Term` is one
searchable line: its words, the code it leads to, where it came from and a ranking weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from trainer.core.codesets.icd10cm_index import (
    DRUG_INTENT,
    NEOPLASM_BEHAVIOUR,
    IndexEntry,
    read_index,
)
from trainer.core.codesets.icd10cm_source import DATA_DIR, Tabular

#: How strongly a source speaks for its code: an Index entry is what a coder is sent to; a
#: title only describes the code.
SOURCE_WEIGHT = {
    "index": 1.4,
    "eindex": 1.2,
    "neoplasm": 1.2,
    "drug": 1.2,
    "title": 1.0,
    "inclusion": 0.9,
}
SOURCE_LABEL = {
    "index": "Alphabetic Index",
    "eindex": "External Cause Index",
    "neoplasm": "Neoplasm Table",
    "drug": "Table of Drugs and Chemicals",
    "title": "Tabular title",
    "inclusion": "Tabular inclusion term",
    "curated": "Coder shorthand",
}
#: The edition of each shipped table (its files' ``<version>``, checked by a test). CDC's FY2026
#: tables could not be obtained (``trainer/data/icd10cm/README.md``), so a look-up on a FY2026
#: date still reads the FY2025 tables, and every line found in one says which edition it is.
TABLE_EDITION = {"drug": "FY2025", "neoplasm": "FY2025", "eindex": "FY2025"}
TABLE_FILES = {
    "drug": "icd10cm_drug_2025_apr.xml.gz",
    "neoplasm": "icd10cm_neoplasm_2025_apr.xml.gz",
    "eindex": "icd10cm_eindex_2025_apr.xml.gz",
}


def source_label(source: str) -> str:
    """ "Table of Drugs and Chemicals (FY2025)": where a line comes from, with the table's
    edition when it is one of the shipped tables."""
    label = SOURCE_LABEL.get(source, source)
    edition = TABLE_EDITION.get(source)
    return f"{label} ({edition})" if edition else label


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    source: str
    text: str
    extra: str = ""

    @property
    def weight(self) -> float:
        return SOURCE_WEIGHT[self.source]


def tabular_terms(tabulars: Iterable[Tabular], order_titles: dict[str, str]) -> Iterator[Term]:
    """Each code's title (every distinct one across years) and its inclusion terms.

    7th-character codes are left out on purpose: they are reached from their 6-character code
    with the 7th character the query asks for (initial, subsequent, sequela...), as a coder does.
    """
    tabulars = list(tabulars)
    seen: set[tuple[str, str, str]] = set()
    for tabular in tabulars:
        for code, entry in tabular.codes.items():
            for source, texts in (
                ("title", [entry.title]),
                ("inclusion", entry.notes.get("inclusion_terms", [])),
            ):
                for text in texts:
                    key = (code, source, text.lower())
                    if text and key not in seen:
                        seen.add(key)
                        yield Term(code, source, text)
    in_tabular = {code for t in tabulars for code in t.codes}
    for code, title in order_titles.items():
        # Placeholder headers such as T36.0X live only in the order file.
        if code not in in_tabular and len(code.replace(".", "")) < 7:
            key = (code, "title", title.lower())
            if key not in seen:
                seen.add(key)
                yield Term(code, "title", title)


def _resolver(entries: tuple[IndexEntry, ...]) -> dict[str, IndexEntry]:
    return {e.heading.lower(): e for e in entries if e.code or e.cells}


def _resolve(entry: IndexEntry, by_heading: dict[str, IndexEntry], top: str) -> IndexEntry:
    """Follow a ``see`` reference ("see Neoplasm, intestine, large") to the entry it names."""
    if entry.code or entry.cells or not entry.see:
        return entry
    target = entry.see.split(" - ")[0].strip().lower()
    for key in (target, target.replace("neoplasm,", top.lower() + ",", 1)):
        found = by_heading.get(key)
        if found is not None:
            return IndexEntry(entry.path, entry.nemod, found.code, entry.see, found.cells)
    return entry


def index_terms(entries: tuple[IndexEntry, ...], source: str) -> Iterator[Term]:
    """One term per code of an index file: the Alphabetic or External Cause Index."""
    by_heading = _resolver(entries)
    for raw in entries:
        entry = _resolve(raw, by_heading, raw.path[0] if raw.path else "")
        if entry.code:
            yield Term(entry.code, source, entry.heading, entry.nemod)


def table_terms(entries: tuple[IndexEntry, ...], source: str) -> Iterator[Term]:
    """One term per cell of the Neoplasm Table (site x behaviour) or the Drug Table
    (substance x intent): the site or substance path plus the column in a coder's words."""
    columns = NEOPLASM_BEHAVIOUR if source == "neoplasm" else DRUG_INTENT
    top = entries[0].path[0] if entries and entries[0].path else ""
    by_heading = _resolver(entries)
    for raw in entries:
        entry = _resolve(raw, by_heading, top)
        if source == "neoplasm":
            # "Neoplasm, neoplastic, intestine, large, colon": the site words, then behaviour.
            path = [p for p in entry.path if p.lower() != top.lower()] or ["neoplasm"]
            lead = "neoplasm " + ", ".join(path)
        else:
            lead = entry.heading
        for col, code in entry.cells:
            if col in columns:
                yield Term(code, source, f"{lead} {columns[col]}", entry.nemod)


def shipped_table_terms(data_dir: Path | None = None) -> Iterator[Term]:
    """Terms of the three CDC tables shipped in ``trainer/data/icd10cm``."""
    base = data_dir or DATA_DIR
    for source, name in TABLE_FILES.items():
        path = base / name
        if not path.exists():
            continue
        entries = read_index(path).entries
        if source == "eindex":
            yield from index_terms(entries, source)
        else:
            yield from table_terms(entries, source)


def alphabetic_index_terms(path: Path) -> Iterator[Term]:
    """Terms of CDC's Alphabetic Index to Diseases XML, when an institution provides it."""
    yield from index_terms(read_index(path).entries, "index")
