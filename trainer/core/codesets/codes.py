"""Codes as coders type them: case, dots and spaces normalised, nothing guessed.

Normalising never turns a wrong code into a right one: it only changes case, removes spaces,
puts the ICD-10-CM dot after the category, pads a three-digit revenue code with its leading 0.
Whether the result exists is the catalog's question, not this module's.
"""

from __future__ import annotations

import re

from trainer.core.claims import CodeKind
from trainer.core.integers import is_ascii_digits

_ICD = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")
_CPT = re.compile(r"^[0-9]{4}[0-9FTU]$")
_HCPCS = re.compile(r"^[A-V][0-9]{4}$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_REVENUE = re.compile(r"^[0-9]{3,4}$")


def _squash(code: str) -> str:
    return "".join(str(code).split()).upper()


def normalize(code: str, kind: CodeKind | None = None) -> str:
    """The canonical spelling of what was typed (``" m1711"`` -> ``"M17.11"``)."""
    text = _squash(code)
    kind = kind or guess_kind(text)
    if kind == "icd10cm":
        if text.count(".") > 1 or text.endswith("."):
            return text  # 'M17.' stays wrong: a trailing dot is not a complete code
        bare = text.replace(".", "")
        if "." in text and text.index(".") != 3:
            return text  # a dot in the wrong place is not silently moved
        return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"
    if kind == "revenue" and is_ascii_digits(text) and len(text) == 3:
        return "0" + text
    return text


def guess_kind(code: str) -> CodeKind | None:
    """The kind a code's shape says it is.

    A letter followed by four digits is HCPCS Level II (J3301) - except that ICD-10-CM codes
    also start with a letter; they differ in that an ICD-10-CM code's third character may be a
    letter and it is written with a dot after three characters, so a dotted or shorter/longer
    code is ICD-10-CM, and undotted 'letter + 4 digits' is read as HCPCS.
    """
    text = _squash(code)
    bare = text.replace(".", "")
    if _CPT.match(text):
        return "cpt"
    if "." not in text and _HCPCS.match(text):
        return "hcpcs"
    if _ICD.match(bare) and (("." in text and text.index(".") == 3) or "." not in text):
        return "icd10cm"
    if _REVENUE.match(text) and len(text) == 4:
        return "revenue"
    if _MODIFIER.match(text):
        return "modifier"
    return None
