"""Reading what a trainee typed into the entry panel as a claim.

Format problems (a code that cannot be any code, a pointer past L, units that are not a
number) are not graded: they are sent back with a message naming the field, and cost no
attempt, as PrairieLearn treats format errors. A well-formed code that does not exist is
graded (``invalid_code``), because choosing it is a coding error worth learning from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trainer.core.claims import (
    MAX_DIAGNOSES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_UNITS,
    MIN_UNITS,
    Claim,
    ServiceLine,
)
from trainer.core.codesets.codes import normalize
from trainer.core.integers import IntegerInputError, is_ascii_digits, parse_int

RAW_ICD = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")  # a trailing dot is a typo
ICD_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
PROCEDURE_SHAPE = re.compile(r"^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$")
MODIFIER_SHAPE = re.compile(r"^[0-9A-Z]{2}$")
REVENUE_SHAPE = re.compile(r"^[0-9]{4}$")
POINTER_LETTERS = "ABCDEFGHIJKL"


@dataclass(frozen=True)
class EntryLine:
    """One procedure row as typed: all text, nothing interpreted yet."""

    code: str = ""
    modifiers: Sequence[str] = ()
    units: str = ""
    revenue_code: str = ""
    pointers: str = ""


@dataclass
class EntryProblems:
    """Messages keyed by the form field they belong to, in the order found."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        self.messages.setdefault(where, message)

    def __bool__(self) -> bool:
        return bool(self.messages)


def _clean(text: str) -> str:
    return "".join(text.split()).upper()


def _icd(raw: str, where: str, label: str, problems: EntryProblems) -> str | None:
    text = _clean(raw)
    if not text:
        return None
    code = normalize(text, "icd10cm") if RAW_ICD.match(text) else ""
    if len(text) > 8 or not ICD_SHAPE.match(code):
        problems.add(
            where,
            f"{label}: {raw.strip()[:20]!r} is not an ICD-10-CM code shape "
            "(a letter, two characters, then up to four after the dot, e.g. M17.11).",
        )
        return None
    return code


def _procedure(raw: str, where: str, label: str, problems: EntryProblems) -> str | None:
    text = _clean(raw)
    if not text:
        return None
    if len(text) > 5 or not PROCEDURE_SHAPE.match(text):
        problems.add(
            where,
            f"{label}: {raw.strip()[:20]!r} is not a CPT (five characters, "
            "e.g. 99213) or HCPCS Level II code (a letter and four digits, e.g. J3301).",
        )
        return None
    return text


def parse_pointers(raw: str) -> tuple[int, ...] | None:
    """Read '24E' pointers as coders write them: 'A', 'AB', 'A,C', '1 2'. None if unreadable."""
    text = raw.upper().replace(",", " ").replace(";", " ").strip()
    if not text:
        return ()
    tokens = text.split()
    if len(tokens) == 1 and tokens[0].isalpha():
        tokens = list(tokens[0])
    result: list[int] = []
    for token in tokens:
        if is_ascii_digits(token) and 1 <= int(token) <= MAX_DIAGNOSES:
            result.append(int(token))
        elif len(token) == 1 and token in POINTER_LETTERS:
            result.append(POINTER_LETTERS.index(token) + 1)
        else:
            return None
    if len(result) > MAX_POINTERS or len(set(result)) != len(result):
        return None
    return tuple(result)


def _line(
    entry: EntryLine, n: int, facility: bool, dx_count: int, problems: EntryProblems
) -> ServiceLine | None:
    where = f"lines-{n}"
    label = f"Line {n + 1}"
    code = _procedure(entry.code, f"{where}-code", label, problems)
    modifiers: list[str] = []
    for i, raw in enumerate(entry.modifiers[:MAX_MODIFIERS]):
        text = _clean(raw)
        if not text:
            continue
        if not MODIFIER_SHAPE.match(text):
            problems.add(
                f"{where}-mod{i + 1}",
                f"{label}: modifier {raw.strip()[:10]!r} is not "
                "two letters or digits (e.g. 25, RT, XS).",
            )
        else:
            modifiers.append(text)
    units_text = entry.units.strip()
    units = MIN_UNITS
    if units_text:
        try:
            units = parse_int(units_text, f"{where}-units", MIN_UNITS, MAX_UNITS)
        except IntegerInputError:
            problems.add(
                f"{where}-units",
                f"{label}: units must be a whole number from {MIN_UNITS} to {MAX_UNITS}.",
            )
    revenue: str | None = None
    rev_text = _clean(entry.revenue_code)
    if rev_text:
        rev_text = rev_text.zfill(4)
        if not REVENUE_SHAPE.match(rev_text):
            problems.add(f"{where}-revenue", f"{label}: a revenue code is four digits (e.g. 0450).")
        else:
            revenue = rev_text
    pointers = parse_pointers(entry.pointers)
    if pointers is None:
        problems.add(
            f"{where}-pointers",
            f"{label}: diagnosis pointers are letters A-L (e.g. A or AB), at most four.",
        )
        pointers = ()
    elif any(p > dx_count for p in pointers):
        problems.add(
            f"{where}-pointers", f"{label}: a pointer refers to a diagnosis slot you left empty."
        )
    has_other = modifiers or units_text or revenue or pointers
    if code is None:
        if has_other and not problems.messages.get(f"{where}-code"):
            problems.add(f"{where}-code", f"{label}: enter the procedure code, or clear the line.")
        return None
    if facility and revenue is None:
        problems.add(f"{where}-revenue", f"{label}: facility (UB-04) lines need a revenue code.")
    return ServiceLine(code, tuple(modifiers), units, revenue, pointers)


def parse_entry(
    diagnoses: Sequence[str], lines: Sequence[EntryLine], facility: bool
) -> tuple[Claim | None, EntryProblems]:
    """Turn the entry panel into a claim, or explain every format problem found."""
    problems = EntryProblems()
    dx: list[str] = []
    for i, raw in enumerate(diagnoses[:MAX_DIAGNOSES]):
        code = _icd(raw or "", f"diagnoses-{i}", f"Diagnosis {POINTER_LETTERS[i]}", problems)
        if code:
            dx.append(code)
    parsed = [_line(entry, n, facility, len(dx), problems) for n, entry in enumerate(lines)]
    service_lines = tuple(line for line in parsed if line is not None)
    if not dx and not service_lines and not problems:
        problems.add("form", "Enter at least one diagnosis or procedure line before submitting.")
    if problems:
        return None, problems
    return Claim(tuple(dx), service_lines), problems


def entry_from_mapping(data: Mapping[str, object]) -> tuple[list[str], list[EntryLine]]:
    """Read a saved draft (the JSON the page autosaves) back into entry rows."""
    dx_raw = data.get("diagnoses")
    dx = [str(d)[:32] for d in dx_raw] if isinstance(dx_raw, list) else []
    rows: list[EntryLine] = []
    raw_lines = data.get("lines")
    for item in raw_lines if isinstance(raw_lines, list) else []:
        if not isinstance(item, Mapping):
            continue
        mods = item.get("modifiers")
        rows.append(
            EntryLine(
                code=str(item.get("code") or "")[:32],
                modifiers=[str(m)[:8] for m in mods] if isinstance(mods, list) else [],
                units=str(item.get("units") or "")[:8],
                revenue_code=str(item.get("revenue_code") or "")[:8],
                pointers=str(item.get("pointers") or "")[:16],
            )
        )
    return dx[:MAX_DIAGNOSES], rows[:50]
