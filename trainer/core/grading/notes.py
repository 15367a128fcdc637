"""Reading the ICD-10-CM tabular notes the grader cites: Excludes1, code first, use additional.

The notes are text ("type 1 diabetes mellitus (E10.-)", "neoplasm (C00-D49)", "stage of
chronic kidney disease (N18.1-N18.6)"); this module finds the code references in them and
answers two questions about a pair of entered codes: does an Excludes1 note forbid coding
them together (ICD-10-CM I.A.12.a), and does a "code first" / "use additional code" note fix
their order (I.A.13 and the etiology/manifestation convention)?
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from trainer.core.grading.lookups import Lookups

_CODE = r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"
# A range (C00-D49, N18.1-N18.6) or one code, maybe open ("E73.-", "I50.4-"); a reference
# qualified by " with" ("E08-E13 with .42") is too loose to match on and is skipped.
_REF = re.compile(rf"(?P<lo>{_CODE})\s*-\s*(?P<hi>{_CODE})|(?P<one>{_CODE})(?:\.?-)?")


@dataclass(frozen=True, slots=True)
class Note:
    """One note item that links two codes: where it sits, its kind and its words."""

    holder: str  # the code or category the note is printed under
    kind: str  # excludes1 | code_first | use_additional
    text: str

    def quoted(self) -> str:
        """The note as a coder cites it: ``Excludes1 at E11: "type 1 diabetes ... (E10.-)"``."""
        label = {
            "excludes1": "Excludes1",
            "code_first": "Code first",
            "use_additional": "Use additional code",
        }.get(self.kind, self.kind)
        words = " ".join(self.text.split())
        return f'{label} note at {self.holder}: "{words}"'


def _bare(code: str) -> str:
    return code.replace(".", "").upper()


def refers_to(text: str, code: str) -> bool:
    """Whether the note text names ``code`` (itself, a category above it, or a range)."""
    target = _bare(code)
    for match in _REF.finditer(text):
        rest = text[match.end() : match.end() + 6]
        if rest.strip().startswith("with"):
            continue
        if match.group("one"):
            if target.startswith(_bare(match.group("one"))):
                return True
            continue
        lo, hi = _bare(match.group("lo")), _bare(match.group("hi"))
        if lo <= target[: len(lo)] and target[: len(hi)] <= hi:
            return True
    return False


def _linking(code: str, other: str, kinds: tuple[str, ...], lk: Lookups) -> Note | None:
    for holder, kind, text in lk.notes(code):
        if kind not in kinds:
            continue
        # A note never links a code with codes inside its own category (the note's scope).
        if _bare(other).startswith(_bare(holder)):
            continue
        lines = text.splitlines() or [text]
        lead = lines[0].strip() if lines[0].strip().endswith(":") else ""
        for line in lines:
            if refers_to(line, other):
                words = f"{lead} {line.strip()}" if lead and line.strip() != lead else line
                return Note(holder, kind, words.strip())
    return None


@lru_cache(maxsize=65536)
def excludes1(code: str, other: str, lk: Lookups) -> Note | None:
    """The Excludes1 note, on either code, that forbids reporting the two together."""
    return _linking(code, other, ("excludes1",), lk) or _linking(other, code, ("excludes1",), lk)


@lru_cache(maxsize=65536)
def order_note(first: str, second: str, lk: Lookups) -> Note | None:
    """A note that puts ``first`` before ``second``: a "code first" note on ``second`` that
    names ``first``, or a "use additional code" note on ``first`` that names ``second``."""
    return _linking(second, first, ("code_first",), lk) or _linking(
        first, second, ("use_additional",), lk
    )


def is_manifestation(code: str, lk: Lookups) -> bool:
    """Manifestation codes carry "in diseases classified elsewhere" in their title."""
    return "classified elsewhere" in lk.title(code, "icd10cm").lower()


__all__ = ["Note", "excludes1", "is_manifestation", "order_note", "refers_to"]
