"""ICD-10-PCS codes in a look-up that names no code set, for words that describe a procedure.

A coder who types "cholecystectomy" or "hip replacement" codes the professional claim in CPT
and the inpatient stay in ICD-10-PCS, so the look-up offers both. The curated terms name the
usual PCS code of a common procedure (``terms.csv``); for other procedure words the PCS title
search fills in, placed after the CPT hits and never before the best ICD-10-CM hit, so a
diagnosis the words also describe keeps its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from trainer.core.codesets.results import SearchHit
from trainer.core.codesets.search_query import Line, line_label

#: Word endings and nouns that name an operation or a procedure rather than a condition.
_PROCEDURE_WORD = re.compile(
    r"\b(?:\w+(?:ectomy|otomy|ostomy|oscopy|plasty|pexy|rrhaphy|centesis|tripsy)|"
    r"replacement|placement|insertion|removal|transfusion|ventilation|dialysis|hemodialysis|"
    r"catheterization|cath|biopsy|excision|resection|repair|fusion|drainage|amputation|"
    r"implant|implantation|intubation|pcs)\b"
)
#: How many PCS title hits a procedure-like query gets (the curated terms may add more).
PCS_EXTRA = 2
#: Words the PCS title search cannot use: it asks for every word, and PCS titles never say
#: these ("total knee arthroplasty pcs").
_NOT_IN_PCS = re.compile(r"\b(?:pcs|total|surgery|procedure|mechanical)\b")


def names_pcs(text: str) -> bool:
    """The query names ICD-10-PCS ("total knee arthroplasty pcs"): its PCS codes come first."""
    return re.search(r"\bpcs\b", text.lower()) is not None


def looks_like_procedure(text: str) -> bool:
    return _PROCEDURE_WORD.search(text.lower()) is not None


def pcs_words(text: str) -> str:
    """The query as the PCS title search should see it."""
    return " ".join(_NOT_IN_PCS.sub(" ", text.lower()).split())


def pcs_after_cpt(hits: Sequence[SearchHit]) -> list[SearchHit]:
    """The engine's hits with each ICD-10-PCS hit (a lay term's) that ranked above a CPT or
    HCPCS hit of the top five moved just below the last of them: the professional claim's
    code first, whatever the two terms scored ("colonoscopy" is 45378 before 0DJD8ZZ)."""
    top = list(hits[:5])
    last = max((i for i, h in enumerate(top) if h.kind in ("cpt", "hcpcs")), default=-1)
    if last < 0:
        return list(hits)
    ahead = [h for h in top[:last] if h.kind == "icd10pcs"]
    if not ahead:
        return list(hits)
    kept = [h for h in top[: last + 1] if h.kind != "icd10pcs"]
    return [*kept, *ahead, *top[last + 1 :], *hits[5:]]


def with_pcs(hits: Sequence[SearchHit], pcs: Sequence[SearchHit], limit: int) -> list[SearchHit]:
    """``hits`` with the PCS hits placed after the last CPT/HCPCS hit of the top five, and
    never above the first ICD-10-CM hit or the first CPT/HCPCS hit."""
    seen = {(h.code, h.kind) for h in hits}
    extra = [h for h in pcs if (h.code, h.kind) not in seen]
    if not extra:
        return list(hits)[:limit]
    top = list(hits[:5])
    at = 1 if top else 0
    for index, hit in enumerate(top):
        if hit.kind in ("cpt", "hcpcs"):
            at = max(at, index + 1)
    first_icd = next((i for i, h in enumerate(top) if h.kind == "icd10cm"), None)
    if first_icd is not None:
        at = max(at, first_icd + 1)
    at = min(at, len(hits))
    return [*hits[:at], *extra, *hits[at:]][:limit]


def pcs_term_hit(
    pcs_term: Callable[[str, date | None], tuple[str, bool] | None],
    line: Line,
    score: float,
    dos: date | None,
) -> SearchHit | None:
    """A lay term that names an ICD-10-PCS code ("hip replacement" -> 0SR90JZ): the
    inpatient procedure code a coder reaches for next to the CPT code."""
    found = pcs_term(line.code, dos)
    if found is None:
        return None
    title, valid = found
    note = "" if valid else f"not valid on {dos}"
    return SearchHit(
        line.code, "icd10pcs", title, True, score - (0 if valid else 40), note, line_label(line)
    )
