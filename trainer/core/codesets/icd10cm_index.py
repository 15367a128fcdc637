"""Reader for CDC's ICD-10-CM index XML (``ICD10CM.index``) and the entries it yields.

One schema (``icd10cm-index-2025.xsd``) serves the Alphabetic Index to Diseases, the External
Cause Index, the Neoplasm Table and the Table of Drugs and Chemicals: letters hold main terms,
main terms hold nested ``<term level=N>``; a term points to a ``<code>``, or to other terms by
``<see>``/``<seeAlso>``, or (the two tables) holds one ``<cell col=N>`` per column of the
``<indexHeading>``. Nonessential modifiers (``<nemod>``) are kept apart from the words that must
be documented. An :class:`IndexEntry` is one term with its full path from the main term, which
is how a coder reads the Index ("Fracture, radius, lower end").
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Neoplasm Table columns (indexHeading col 2..7), in the words a coder types.
NEOPLASM_BEHAVIOUR = {
    2: "malignant primary",
    3: "malignant secondary metastatic",
    4: "carcinoma in situ",
    5: "benign",
    6: "uncertain behavior",
    7: "unspecified behavior",
}
#: Table of Drugs and Chemicals columns (col 2..7).
DRUG_INTENT = {
    2: "poisoning accidental unintentional",
    3: "poisoning intentional self-harm",
    4: "poisoning assault",
    5: "poisoning undetermined",
    6: "adverse effect",
    7: "underdosing",
}


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One term of an index file with the path of terms above it."""

    path: tuple[str, ...]
    nemod: str
    code: str
    see: str
    cells: tuple[tuple[int, str], ...]

    @property
    def heading(self) -> str:
        """ "Fracture, radius, lower end": the path as the printed Index shows it."""
        return ", ".join(self.path)


@dataclass(frozen=True)
class IndexFile:
    title: str
    version: str
    heads: dict[int, str]
    entries: tuple[IndexEntry, ...]


def _title(term: ET.Element) -> tuple[str, str]:
    """(essential words, nonessential modifiers) of a term's ``<title>`` (or addenda ``<diff>``)."""
    node = term.find("title")
    if node is None:
        node = term.find("diff")
    if node is None:
        return "", ""
    words = [node.text or ""]
    nemod = []
    for child in node:
        if child.tag == "nemod":
            nemod.append(child.text or "")
        elif child.tag in ("new", "unc"):
            words.append(child.text or "")
        words.append(child.tail or "")
    return " ".join("".join(words).split()), " ".join(" ".join(nemod).split())


def _code_of(raw: str) -> str:
    """A cell or code as printed ("T38.0X1", "C79.8-", "--") to a code, "" when there is none."""
    text = raw.strip().rstrip("-").rstrip(".").upper()
    return text if text and text[0].isalpha() else ""


def _walk(node: ET.Element, above: tuple[str, ...]) -> Iterator[IndexEntry]:
    words, nemod = _title(node)
    path = (*above, words) if words else above
    cells = tuple(
        (int(c.get("col", "0")), code)
        for c in node.findall("cell")
        if (code := _code_of("".join(c.itertext())))
    )
    yield IndexEntry(
        path,
        nemod,
        _code_of(node.findtext("code") or ""),
        " ".join((node.findtext("see") or node.findtext("seeAlso") or "").split()),
        cells,
    )
    for child in node.findall("term"):
        yield from _walk(child, path)


def read_index(path: Path) -> IndexFile:
    """Every term of a CDC index file (plain or gzip-compressed XML)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        root = ET.parse(handle).getroot()
    if root.tag != "ICD10CM.index":
        raise ValueError(f"{path} is not a CDC ICD-10-CM index file (root <{root.tag}>)")
    heads = {
        int(h.get("col", "0")): " ".join("".join(h.itertext()).split()) for h in root.iter("head")
    }
    entries: list[IndexEntry] = []
    for letter in root.findall("letter"):
        for main in letter.findall("mainTerm"):
            entries.extend(_walk(main, ()))
    return IndexFile(
        " ".join((root.findtext("title") or "").split()),
        (root.findtext("version") or "").strip(),
        heads,
        tuple(entries),
    )
