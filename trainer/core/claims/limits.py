"""The claim's limits and kinds: what a form field may hold, in one place.

Every validator (the entry form, the JSON API, the template check) and the OpenAPI document
read these numbers and shapes from here rather than re-typing them, so a limit changed here
changes everywhere. Plain values only (no dataclasses), so any part of the core can import
them without pulling in the claim shapes or their parsers.
"""

from __future__ import annotations

import re
from typing import Literal, TypeGuard, get_args

Setting = Literal["professional", "facility", "inpatient"]
ClaimForm = Literal["CMS-1500", "UB-04"]
CodeKind = Literal["icd10cm", "cpt", "hcpcs", "modifier", "revenue", "pos", "icd10pcs"]

SETTINGS: tuple[Setting, ...] = ("professional", "facility", "inpatient")
# Edit tables a key may name instead of its setting's own (AnswerKey.claim_type).
CLAIM_TYPES = ("", "dme")
CODE_KINDS: tuple[CodeKind, ...] = get_args(CodeKind)


def is_code_kind(value: object) -> TypeGuard[CodeKind]:
    """Whether a request's value names one of the code sets (narrows it for the type checker)."""
    return value in CODE_KINDS


MAX_DIAGNOSES = 12  # CMS-1500 box 21 holds A-L; the UB-04 holds more but trainees key 12 at most
MAX_LINES = 50
MAX_MODIFIERS = 4  # CMS-1500 24D and UB-04 FL44 both carry four
MAX_POINTERS = 4  # 24E points at up to four of box 21's diagnoses
MIN_UNITS = 1  # 24G/FL46: a service line reports at least one unit
MAX_UNITS = 9999
MAX_CODE_LENGTH = 16  # longer than any code, so a typo is read and graded, not refused
MAX_ALTERNATES = 10  # codes or whole claims a key accepts in place of its own
MAX_REASONS_FOR_VISIT = 3  # UB-04 FL 70 a-c
MAX_EXTERNAL_CAUSES = 3  # UB-04 FL 72 a-c
TYPE_OF_BILL_SHAPE = re.compile(r"^0[0-9]{3}$")  # FL 4: a leading zero, then three digits
# CMS-1500 box 24B: the two-digit CMS place-of-service code (11 office, 22 outpatient hospital).
PLACE_OF_SERVICE_SHAPE = re.compile(r"^[0-9]{2}$")


def is_external_cause(code: str) -> bool:
    """Whether an ICD-10-CM code is from chapter 20 (V00-Y99), which the UB-04 puts in FL 72."""
    return code[:1].upper() in ("V", "W", "X", "Y")


MAX_PROCEDURES = 25  # ICD-10-PCS procedures of a stay (the 837I carries 25; FL74 shows 6)
#: Diagnoses of an inpatient stay: the 837I carries the principal diagnosis and up to 24 others
#: (two HI "other diagnosis" segments of 12); the paper UB-04 shows 18 of them (FL 67 and
#: 67A-Q), the rest travel only on the 837I. The CMS-1500's 12 (box 21 A-L) stay MAX_DIAGNOSES.
MAX_INPATIENT_DIAGNOSES = 25
UB04_PAPER_DIAGNOSES = 18
#: Present-on-admission indicators (UB-04 FL67 8th position): yes, no, documentation
#: insufficient, clinically undetermined, and 1 = exempt from POA reporting.
POA_INDICATORS: tuple[str, ...] = ("Y", "N", "U", "W", "1")

# Why a key's decoy is not coded (``NotCoded.reason``), each with its wording and rule in
# ``grading.explanations.NOT_CODED``.
NOT_CODED_REASONS: tuple[str, ...] = (
    "not_documented",
    "uncertain_diagnosis",
    "integral_symptom",
    "excludes1",
    "ncci_bundled",
    "global_package",
    "duplicate",
    "history_of",
    "optional_not_required",
    "incidental_finding",
    "other_provider",
)
