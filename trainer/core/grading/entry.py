"""Reading what a trainee typed into the entry panel as a claim.

Format problems (a code that cannot be any code, a pointer past L, units that are not a
number) are not graded: they are sent back with a message naming the field, and cost no
attempt, as PrairieLearn treats format errors. A well-formed code that does not exist is
graded (``invalid_code``), because choosing it is a coding error worth learning from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from trainer.core.claims import (
    MAX_DIAGNOSES,
    MAX_EXTERNAL_CAUSES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    MAX_REASONS_FOR_VISIT,
    MAX_UNITS,
    MIN_UNITS,
    Claim,
    ServiceLine,
    is_external_cause,
)
from trainer.core.codesets.codes import normalize
from trainer.core.integers import IntegerInputError, is_ascii_digits, parse_int

RAW_ICD = re.compile(r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")  # a trailing dot is a typo
ICD_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
PROCEDURE_SHAPE = re.compile(r"^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$")
MODIFIER_SHAPE = re.compile(r"^[0-9A-Z]{2}$")
REVENUE_SHAPE = re.compile(r"^[0-9]{4}$")
POINTER_LETTERS = "ABCDEFGHIJKL"
# UB-04 FL 67 holds the principal diagnosis and other diagnoses 67A-Q (18 boxes: 67 and A-H on
# the first row, I-Q on the second); outpatient trainees key as many as the CMS-1500 holds, less
# the three FL 72 external cause slots.
MAX_FACILITY_DIAGNOSES = MAX_DIAGNOSES - MAX_EXTERNAL_CAUSES
UB04_DX_LABELS = ("67",) + tuple(f"67{c}" for c in "ABCDEFGHIJKLMNOPQ")
TYPE_OF_BILL_TYPED = re.compile(r"^0?[0-9]{3}$")
POS_TYPED = re.compile(r"^[0-9]{2}$")  # CMS-1500 box 24B: two digits, "01" not "1"


@dataclass(frozen=True)
class EntryLine:
    """One procedure row as typed: all text, nothing interpreted yet."""

    code: str = ""
    modifiers: Sequence[str] = ()
    units: str = ""
    revenue_code: str = ""
    pointers: str = ""


@dataclass(frozen=True)
class UB04Entry:
    """The UB-04's own fields as typed: FL 4, FL 70 a-c and FL 72 a-c."""

    type_of_bill: str = ""
    reasons: Sequence[str] = ()
    external_causes: Sequence[str] = ()


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
    """One row; on a facility (UB-04) claim there are no diagnosis pointers to read."""
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
    pointers = () if facility else parse_pointers(entry.pointers)
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


def _ub04_fields(
    ub04: UB04Entry, dx: list[str], problems: EntryProblems
) -> tuple[str, tuple[str, ...]]:
    """FL 4 and FL 70; FL 72's external cause codes are appended to ``dx`` (after FL 67)."""
    tob = _clean(ub04.type_of_bill)
    if tob and not TYPE_OF_BILL_TYPED.match(tob):
        problems.add(
            "type_of_bill",
            "FL 4: the type of bill is a leading zero and three digits (e.g. 0131).",
        )
        tob = ""
    tob = tob.zfill(4) if tob else ""
    reasons: list[str] = []
    for i, raw in enumerate(ub04.reasons[:MAX_REASONS_FOR_VISIT]):
        code = _icd(raw or "", f"reason-{i}", f"FL 70{'abc'[i]}", problems)
        if code:
            reasons.append(code)
    for i, raw in enumerate(ub04.external_causes[:MAX_EXTERNAL_CAUSES]):
        code = _icd(raw or "", f"ecause-{i}", f"FL 72{'abc'[i]}", problems)
        if code and not is_external_cause(code):
            problems.add(
                f"ecause-{i}",
                f"FL 72{'abc'[i]}: {code} is not an external cause code; FL 72 holds "
                "codes from V00-Y99 only (other diagnoses go in FL 67A-Q).",
            )
        elif code:
            dx.append(code)
    return tob, tuple(reasons)


def _place_of_service(
    raw: str, known: Callable[[str], bool] | None, problems: EntryProblems
) -> str:
    """Box 24B: empty (graded as left empty), or a two-digit code of the CMS POS code set.

    A code outside the set is refused like a format problem: unlike a diagnosis, there is no
    near-miss code to learn from, and the POS list is short enough to look up."""
    pos = _clean(raw)
    if not pos:
        return ""
    if not POS_TYPED.match(pos):
        problems.add(
            "place_of_service",
            "Box 24B: the place of service is a two-digit CMS code (e.g. 11 office, "
            "22 hospital outpatient, 23 emergency department).",
        )
        return ""
    if known is not None and not known(pos):
        problems.add(
            "place_of_service", f"Box 24B: {pos} is not a code of the CMS place-of-service set."
        )
        return ""
    return pos


def kept_place_of_service(raw: str) -> str:
    """A saved draft's box 24B when it is well formed, else "" (graded as left empty): what
    an exam's closing bell grades, where no form can be sent back."""
    pos = _clean(raw)
    return pos if POS_TYPED.match(pos) else ""


def pos_from_mapping(data: Mapping[str, object]) -> str:
    """Box 24B of a saved draft; drafts saved before the field existed have none ("")."""
    value = data.get("place_of_service")
    return value[:8] if isinstance(value, str) else ""


def parse_entry(
    diagnoses: Sequence[str],
    lines: Sequence[EntryLine],
    facility: bool,
    ub04: UB04Entry | None = None,
    place_of_service: str = "",
    known_pos: Callable[[str], bool] | None = None,
) -> tuple[Claim | None, EntryProblems]:
    """Turn the entry panel into a claim, or explain every format problem found.

    A facility claim is read as a UB-04: FL 67 and 67A-Q, then FL 72's external cause codes
    (chapter 20 codes belong there, not in FL 67), FL 4 and FL 70, and lines without pointers.
    A professional claim also carries box 24B (``place_of_service``), checked against the CMS
    code set by ``known_pos`` when given; a UB-04 has no place of service.
    """
    problems = EntryProblems()
    dx: list[str] = []
    limit = MAX_FACILITY_DIAGNOSES if facility else MAX_DIAGNOSES
    for i, raw in enumerate(diagnoses[:limit]):
        label = f"FL {UB04_DX_LABELS[i]}" if facility else f"Diagnosis {POINTER_LETTERS[i]}"
        code = _icd(raw or "", f"diagnoses-{i}", label, problems)
        if code and facility and is_external_cause(code):
            problems.add(
                f"diagnoses-{i}",
                f"{label}: {code} is an external cause code; on the UB-04 it goes in FL 72.",
            )
        elif code:
            dx.append(code)
    tob, reasons = _ub04_fields(ub04 or UB04Entry(), dx, problems) if facility else ("", ())
    pos = "" if facility else _place_of_service(place_of_service, known_pos, problems)
    parsed = [_line(entry, n, facility, len(dx), problems) for n, entry in enumerate(lines)]
    service_lines = tuple(line for line in parsed if line is not None)
    if not (dx or service_lines or tob or reasons or problems):
        problems.add("form", "Enter at least one diagnosis or procedure line before submitting.")
    if problems:
        return None, problems
    return Claim(tuple(dx), service_lines, tob, reasons, place_of_service=pos), problems


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


def ub04_from_mapping(data: Mapping[str, object]) -> UB04Entry:
    """The UB-04 fields of a saved draft (absent on CMS-1500 drafts and older ones)."""

    def texts(name: str, limit: int) -> list[str]:
        raw = data.get(name)
        return [str(v)[:32] for v in raw[:limit]] if isinstance(raw, list) else []

    return UB04Entry(
        str(data.get("type_of_bill") or "")[:8],
        texts("reason_for_visit", MAX_REASONS_FOR_VISIT),
        texts("external_causes", MAX_EXTERNAL_CAUSES),
    )


def ub04_to_mapping(entry: UB04Entry) -> dict[str, object]:
    """How a draft stores the UB-04 fields (read back by ``ub04_from_mapping``)."""
    return {
        "type_of_bill": entry.type_of_bill,
        "reason_for_visit": list(entry.reasons),
        "external_causes": list(entry.external_causes),
    }
