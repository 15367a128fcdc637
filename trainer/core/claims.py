"""Claims, answer keys and answers: the shared vocabulary of the domain core.

Every part of the core speaks in these frozen dataclasses: the generator produces an
``AnswerKey``, the trainee's form becomes a ``Claim``, the grader compares the two. They
serialise to plain dicts (the JSON shape of ``POST /api/v1/grade``) so that an attempt can
store its key exactly as it was when the chart was generated, whatever happens to the
template later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeGuard, get_args

from .integers import IntegerInputError, parse_int

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


class ClaimFormatError(ValueError):
    """Raised when a dict cannot be read as a claim; the message names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One procedure line: CMS-1500 24D-24G, or UB-04 FL42-46 on a facility claim.

    ``pointers`` are 1-based positions in the claim's diagnosis list (24E's A-L).
    """

    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    revenue_code: str | None = None
    pointers: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "modifiers": list(self.modifiers),
            "units": self.units,
            "revenue_code": self.revenue_code,
            "pointers": list(self.pointers),
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """What a coder submits: diagnoses first-listed first, then service lines.

    On a UB-04 the diagnoses are FL 67 (principal), FL 67A-Q (other) and FL 72 (external
    cause codes, which are always chapter 20 codes, so the form can tell them apart);
    ``type_of_bill`` is FL 4 and ``reason_for_visit`` FL 70 a-c. A CMS-1500 has neither; it has
    ``place_of_service`` (box 24B), one code for the claim since all its lines share it.
    An inpatient claim lists the principal diagnosis first, carries a POA indicator per
    diagnosis (``poa``, aligned with ``diagnoses``) and ICD-10-PCS ``procedures`` instead of
    service lines; both stay empty, and out of the JSON, on other claims.
    """

    diagnoses: tuple[str, ...] = ()
    lines: tuple[ServiceLine, ...] = ()
    type_of_bill: str = ""
    reason_for_visit: tuple[str, ...] = ()
    poa: tuple[str, ...] = ()
    procedures: tuple[ProcedureEntry, ...] = ()
    place_of_service: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "diagnoses": list(self.diagnoses),
            "lines": [line.to_dict() for line in self.lines],
        }
        if self.place_of_service:
            data["place_of_service"] = self.place_of_service
        if self.type_of_bill:
            data["type_of_bill"] = self.type_of_bill
        if self.reason_for_visit:
            data["reason_for_visit"] = list(self.reason_for_visit)
        if self.poa:
            data["poa"] = list(self.poa)
        if self.procedures:
            data["procedures"] = [p.to_dict() for p in self.procedures]
        return data


@dataclass(frozen=True, slots=True)
class KeyedDiagnosis:
    """A diagnosis in the key, with the codes also accepted in its place and why it is coded."""

    code: str
    rationale: str = ""
    alternates: tuple[str, ...] = ()
    optional: bool = False  # guideline-optional (Y92/Y93/Y99...): right if entered, not missed
    poa: str = ""  # inpatient: the present-on-admission indicator the record supports
    poa_rationale: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "rationale": self.rationale,
            "alternates": list(self.alternates),
        }
        if self.optional:
            data["optional"] = True
        if self.poa:
            data["poa"] = self.poa
            data["poa_rationale"] = self.poa_rationale
        return data


@dataclass(frozen=True, slots=True)
class ProcedureEntry:
    """An ICD-10-PCS procedure of an inpatient stay (UB-04 FL74) and the day it was done."""

    code: str
    date: str = ""  # ISO date as entered; graded against the key's (``procedure_date``)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "date": self.date}


@dataclass(frozen=True, slots=True)
class KeyedProcedure:
    """A keyed ICD-10-PCS procedure, the codes also accepted, and why it is coded so.

    ``date`` is the day the procedure note documents (ISO); empty on keys written before
    procedure dates were graded, which then leave the entered date ungraded."""

    code: str
    rationale: str = ""
    alternates: tuple[str, ...] = ()
    date: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rationale": self.rationale,
            "alternates": list(self.alternates),
            "date": self.date,
        }


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


@dataclass(frozen=True, slots=True)
class NotCoded:
    """A decoy the key names: a code a trainee may be tempted to report, and why it is not.

    The grader cannot know from the code alone why an extra code is wrong (an uncertain
    diagnosis, a symptom integral to the confirmed one, a history-of coded as active); the
    template author who wrote the chart does, and says so here.
    """

    code: str
    reason: str
    rationale: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "rationale": self.rationale}


@dataclass(frozen=True, slots=True)
class KeyedLine:
    """A keyed service line, the codes also accepted for it, and the rule it rests on."""

    line: ServiceLine
    rationale: str = ""
    alternates: tuple[str, ...] = ()
    # Modifiers a coder may rightly add or leave off (informational LT/RT, for example).
    optional_modifiers: tuple[str, ...] = ()
    optional: bool = False  # a documented service a coder may report; omitting it is no error

    def to_dict(self) -> dict[str, Any]:
        data = self.line.to_dict()
        data["rationale"] = self.rationale
        data["alternates"] = list(self.alternates)
        if self.optional_modifiers:
            data["optional_modifiers"] = list(self.optional_modifiers)
        if self.optional:
            data["optional"] = True
        return data


@dataclass(frozen=True, slots=True)
class EMFacts:
    """The E/M facts documented in a chart, so the grader can explain a level.

    Levels are the MDM level names of the 2021 office table: "straightforward", "low",
    "moderate", "high". ``total_minutes`` is set only when the note documents total time.
    """

    category: Literal["office_new", "office_established", "ed"]
    problems: str
    data: str
    risk: str
    total_minutes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "problems": self.problems,
            "data": self.data,
            "risk": self.risk,
            "total_minutes": self.total_minutes,
        }


@dataclass(frozen=True, slots=True)
class AnswerKey:
    """The keyed solution of one generated chart.

    ``alternate_sets`` holds whole alternative claims that are equally correct (for example a
    combination code in place of two codes); the grader scores against whichever fits best.
    """

    diagnoses: tuple[KeyedDiagnosis, ...] = ()
    lines: tuple[KeyedLine, ...] = ()
    setting: Setting = "professional"
    alternate_sets: tuple[Claim, ...] = ()
    em: EMFacts | None = None
    not_coded: tuple[NotCoded, ...] = ()
    # UB-04 only: FL 4 and FL 70 (empty: not keyed, so not graded).
    type_of_bill: str = ""
    reason_for_visit: tuple[KeyedDiagnosis, ...] = ()
    # The CMS edit tables the claim is checked against when they are not the setting's own:
    # "dme" for a DMEPOS supplier claim (CMS-1500 to the DME MAC), whose HCPCS A/E/K/L codes
    # carry a practitioner MUE of 0 (not payable to a physician) but a real supplier MUE.
    claim_type: str = ""
    # Inpatient only: the ICD-10-PCS procedures of the stay (UB-04 FL 74).
    procedures: tuple[KeyedProcedure, ...] = ()
    # CMS-1500 only: box 24B, the variant's place of service. Empty (keys stored before POS
    # was graded, and every UB-04) means not graded.
    place_of_service: str = ""

    def edit_setting(self) -> str:
        """The setting the claim-edit replay and MUE look-ups use."""
        return self.claim_type or self.setting

    def as_claim(self) -> Claim:
        """The key's own primary answer: what a perfect trainee would enter."""
        inpatient = self.setting == "inpatient"
        return Claim(
            diagnoses=tuple(d.code for d in self.diagnoses),
            lines=tuple(k.line for k in self.lines),
            type_of_bill=self.type_of_bill,
            reason_for_visit=tuple(d.code for d in self.reason_for_visit),
            poa=tuple(d.poa for d in self.diagnoses) if inpatient else (),
            procedures=tuple(ProcedureEntry(p.code, p.date) for p in self.procedures),
            place_of_service=self.place_of_service,
        )

    def to_dict(self) -> dict[str, Any]:
        data = {
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "lines": [k.to_dict() for k in self.lines],
            "setting": self.setting,
            "alternates": [c.to_dict() for c in self.alternate_sets],
            "em": self.em.to_dict() if self.em else None,
            "not_coded": [n.to_dict() for n in self.not_coded],
            **({"claim_type": self.claim_type} if self.claim_type else {}),
            **({"type_of_bill": self.type_of_bill} if self.type_of_bill else {}),
            **({"place_of_service": self.place_of_service} if self.place_of_service else {}),
            **(
                {"reason_for_visit": [d.to_dict() for d in self.reason_for_visit]}
                if self.reason_for_visit
                else {}
            ),
        }
        if self.procedures:
            data["procedures"] = [p.to_dict() for p in self.procedures]
        return data


# --------------------------------------------------------------------------- parsing


def _as_list(value: Any, field_name: str, limit: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ClaimFormatError(field_name, "must be a list")
    if len(value) > limit:
        raise ClaimFormatError(field_name, f"at most {limit} entries")
    return list(value)


def _as_code(value: Any, field_name: str) -> str:
    if not isinstance(value, str):
        raise ClaimFormatError(field_name, "must be a string code")
    text = value.strip()
    if len(text) > MAX_CODE_LENGTH:
        raise ClaimFormatError(field_name, f"a code is at most {MAX_CODE_LENGTH} characters")
    return text


def _as_int(value: Any, field_name: str, low: int, high: int) -> int:
    try:
        return parse_int(value, field_name, low, high)
    except IntegerInputError as exc:
        raise ClaimFormatError(field_name, f"must be {exc.message}") from exc


def line_from_dict(data: Any, where: str = "lines[0]") -> ServiceLine:
    """Read one service line from its JSON shape, naming the field that is wrong."""
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object")
    code = _as_code(data.get("code"), f"{where}.code")
    modifiers = tuple(
        _as_code(m, f"{where}.modifiers[{i}]")
        for i, m in enumerate(_as_list(data.get("modifiers"), f"{where}.modifiers", MAX_MODIFIERS))
        if not (isinstance(m, str) and not m.strip())
    )
    units_raw = data.get("units", 1)
    units = (
        1 if units_raw in (None, "") else _as_int(units_raw, f"{where}.units", MIN_UNITS, MAX_UNITS)
    )
    rev = data.get("revenue_code")
    revenue = None if rev in (None, "") else _as_code(rev, f"{where}.revenue_code")
    pointers = tuple(
        _as_int(p, f"{where}.pointers[{i}]", 1, MAX_DIAGNOSES)
        for i, p in enumerate(_as_list(data.get("pointers"), f"{where}.pointers", MAX_POINTERS))
    )
    return ServiceLine(code, modifiers, units, revenue, pointers)


def diagnosis_limit(setting: str | None, data: Mapping[str, Any] | None = None) -> int:
    """How many diagnoses a claim of this setting carries: 25 on an inpatient claim (837I),
    12 otherwise. Without a setting, a claim that carries POA indicators or PCS procedures is
    an inpatient claim (only those do): a stored inpatient answer re-read by costs or disputes."""
    if setting == "inpatient":
        return MAX_INPATIENT_DIAGNOSES
    if setting is None and data is not None and (data.get("poa") or data.get("procedures")):
        return MAX_INPATIENT_DIAGNOSES
    return MAX_DIAGNOSES


def claim_from_dict(data: Any, where: str = "claim", setting: str | None = None) -> Claim:
    """Read a claim from its JSON shape; raises ClaimFormatError naming the bad field."""
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object with 'diagnoses' and 'lines'")
    limit = diagnosis_limit(setting, data)
    diagnoses = tuple(
        _as_code(d, f"{where}.diagnoses[{i}]")
        for i, d in enumerate(_as_list(data.get("diagnoses"), f"{where}.diagnoses", limit))
    )
    lines = tuple(
        line_from_dict(item, f"{where}.lines[{i}]")
        for i, item in enumerate(_as_list(data.get("lines"), f"{where}.lines", MAX_LINES))
    )
    reasons = tuple(
        _as_code(d, f"{where}.reason_for_visit[{i}]")
        for i, d in enumerate(
            _as_list(
                data.get("reason_for_visit"), f"{where}.reason_for_visit", MAX_REASONS_FOR_VISIT
            )
        )
    )
    poa = tuple(
        _as_poa(p, f"{where}.poa[{i}]")
        for i, p in enumerate(_as_list(data.get("poa"), f"{where}.poa", limit))
    )
    procedures = tuple(
        _procedure_from_dict(p, f"{where}.procedures[{i}]")
        for i, p in enumerate(
            _as_list(data.get("procedures"), f"{where}.procedures", MAX_PROCEDURES)
        )
    )
    return Claim(
        diagnoses,
        lines,
        _type_of_bill(data.get("type_of_bill"), where),
        reasons,
        poa=poa,
        procedures=procedures,
        place_of_service=place_of_service(data.get("place_of_service"), where),
    )


def place_of_service(value: Any, where: str) -> str:
    """Box 24B as the two-digit CMS code; empty when not given. Whether the code exists is
    the code set's question (``Catalog.validate(code, "pos", dos)``), not the shape's."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not PLACE_OF_SERVICE_SHAPE.match(value.strip()):
        raise ClaimFormatError(
            f"{where}.place_of_service",
            "must be a two-digit CMS place-of-service code (e.g. 11 office, 22 hospital "
            "outpatient)",
        )
    return value.strip()


def _type_of_bill(value: Any, where: str) -> str:
    """FL 4 as four digits with the leading zero; empty when not given."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or not TYPE_OF_BILL_SHAPE.match(value.strip()):
        raise ClaimFormatError(
            f"{where}.type_of_bill", "must be four digits with a leading zero (e.g. 0131)"
        )
    return value.strip()


def _as_poa(value: Any, field_name: str) -> str:
    """A POA indicator as typed ("y" -> "Y"); blank stays blank (graded as missing)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ClaimFormatError(field_name, "must be one of Y, N, U, W, 1 or blank")
    text = value.strip().upper()
    if text and text not in POA_INDICATORS:
        raise ClaimFormatError(field_name, "must be one of Y, N, U, W, 1 or blank")
    return text


def _as_date_text(value: Any, field_name: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > 10:
        raise ClaimFormatError(field_name, "must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise ClaimFormatError(field_name, "must be a date YYYY-MM-DD") from exc


def _procedure_from_dict(data: Any, where: str) -> ProcedureEntry:
    if isinstance(data, str):
        return ProcedureEntry(_as_code(data, where))
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be a code or an object with 'code' and 'date'")
    return ProcedureEntry(
        _as_code(data.get("code"), f"{where}.code"),
        _as_date_text(data.get("date"), f"{where}.date"),
    )


def key_from_dict(data: Any, setting: Setting | None = None, where: str = "key") -> AnswerKey:
    """Read an answer key: the claim shape, where entries may also carry rationale/alternates.

    Diagnoses may be plain strings (the API's shape) or objects with ``code``.
    """
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object with 'diagnoses' and 'lines'")
    diagnoses = _keyed_diagnoses(
        data.get("diagnoses"),
        f"{where}.diagnoses",
        diagnosis_limit(str(setting or data.get("setting") or "professional")),
    )
    reasons = _keyed_diagnoses(
        data.get("reason_for_visit"), f"{where}.reason_for_visit", MAX_REASONS_FOR_VISIT
    )
    lines: list[KeyedLine] = []
    for i, item in enumerate(_as_list(data.get("lines"), f"{where}.lines", MAX_LINES)):
        spot = f"{where}.lines[{i}]"
        line = line_from_dict(item, spot)
        alts = _as_list(item.get("alternates"), f"{spot}.alternates", MAX_ALTERNATES)
        optional = _as_list(
            item.get("optional_modifiers"), f"{spot}.optional_modifiers", MAX_MODIFIERS
        )
        lines.append(
            KeyedLine(
                line,
                str(item.get("rationale") or ""),
                tuple(_as_code(a, f"{spot}.alternates") for a in alts),
                tuple(_as_code(m, f"{spot}.optional_modifiers").upper() for m in optional if m),
                _as_flag(item.get("optional"), f"{spot}.optional"),
            )
        )
    alternate_sets = tuple(
        claim_from_dict(c, f"{where}.alternates[{i}]")
        for i, c in enumerate(
            _as_list(data.get("alternates"), f"{where}.alternates", MAX_ALTERNATES)
        )
    )
    chosen = setting or data.get("setting") or "professional"
    if chosen not in SETTINGS:
        raise ClaimFormatError("setting", "must be 'professional', 'facility' or 'inpatient'")
    em_raw = data.get("em")
    em = _em_from_dict(em_raw, f"{where}.em") if em_raw else None
    not_coded = tuple(
        _not_coded_from_dict(item, f"{where}.not_coded[{i}]")
        for i, item in enumerate(_as_list(data.get("not_coded"), f"{where}.not_coded", 20))
    )
    claim_type = str(data.get("claim_type") or "")
    if claim_type not in CLAIM_TYPES:
        raise ClaimFormatError("claim_type", "must be empty or 'dme'")
    procedures = []
    for i, item in enumerate(
        _as_list(data.get("procedures"), f"{where}.procedures", MAX_PROCEDURES)
    ):
        spot = f"{where}.procedures[{i}]"
        if not isinstance(item, Mapping):
            item = {"code": item}
        alts = _as_list(item.get("alternates"), f"{spot}.alternates", MAX_ALTERNATES)
        procedures.append(
            KeyedProcedure(
                _as_code(item.get("code"), f"{spot}.code").upper(),
                str(item.get("rationale") or ""),
                tuple(_as_code(a, f"{spot}.alternates").upper() for a in alts),
                _as_date_text(item.get("date"), f"{spot}.date"),
            )
        )
    return AnswerKey(
        diagnoses,
        tuple(lines),
        chosen,
        alternate_sets,
        em,
        not_coded,
        _type_of_bill(data.get("type_of_bill"), where),
        reasons,
        claim_type=claim_type,
        procedures=tuple(procedures),
        place_of_service=place_of_service(data.get("place_of_service"), where),
    )


def _keyed_diagnoses(value: Any, where: str, limit: int) -> tuple[KeyedDiagnosis, ...]:
    """Keyed ICD-10-CM entries: plain strings (the API's shape) or objects with ``code``
    (and, on an inpatient key, the POA indicator the record supports)."""
    found: list[KeyedDiagnosis] = []
    for i, item in enumerate(_as_list(value, where, limit)):
        spot = f"{where}[{i}]"
        if isinstance(item, Mapping):
            alts = _as_list(item.get("alternates"), f"{spot}.alternates", MAX_ALTERNATES)
            found.append(
                KeyedDiagnosis(
                    _as_code(item.get("code"), f"{spot}.code"),
                    str(item.get("rationale") or ""),
                    tuple(_as_code(a, f"{spot}.alternates") for a in alts),
                    _as_flag(item.get("optional"), f"{spot}.optional"),
                    _as_poa(item.get("poa"), f"{spot}.poa"),
                    str(item.get("poa_rationale") or ""),
                )
            )
        else:
            found.append(KeyedDiagnosis(_as_code(item, spot)))
    return tuple(found)


def _as_flag(value: Any, field_name: str) -> bool:
    text = str(value).strip().lower() if isinstance(value, str) else value
    if text in (None, "", False, "false"):
        return False
    if text in (True, "true"):
        return True
    raise ClaimFormatError(field_name, "must be true or false")


def _not_coded_from_dict(data: Any, where: str) -> NotCoded:
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object with 'code' and 'reason'")
    reason = str(data.get("reason") or "")
    if reason not in NOT_CODED_REASONS:
        raise ClaimFormatError(f"{where}.reason", f"must be one of {', '.join(NOT_CODED_REASONS)}")
    return NotCoded(
        _as_code(data.get("code"), f"{where}.code"), reason, str(data.get("rationale") or "")
    )


_EM_LEVELS = ("straightforward", "low", "moderate", "high")


def _em_from_dict(data: Any, where: str) -> EMFacts:
    if not isinstance(data, Mapping):
        raise ClaimFormatError(where, "must be an object")
    category = data.get("category")
    if category not in ("office_new", "office_established", "ed"):
        raise ClaimFormatError(f"{where}.category", "must be office_new, office_established or ed")
    levels = {}
    for element in ("problems", "data", "risk"):
        value = data.get(element)
        if value not in _EM_LEVELS:
            raise ClaimFormatError(f"{where}.{element}", f"must be one of {', '.join(_EM_LEVELS)}")
        levels[element] = value
    minutes = data.get("total_minutes")
    total = None if minutes is None else _as_int(minutes, f"{where}.total_minutes", 1, 1440)
    return EMFacts(category, levels["problems"], levels["data"], levels["risk"], total)


def pointer_letters(pointers: Sequence[int]) -> str:
    """Render 1-based diagnosis pointers as the CMS-1500 letters A-L."""
    return "".join("ABCDEFGHIJKL"[p - 1] for p in pointers if 1 <= p <= MAX_DIAGNOSES)


__all__ = [
    "AnswerKey",
    "Claim",
    "ClaimFormatError",
    "ClaimForm",
    "CodeKind",
    "EMFacts",
    "KeyedDiagnosis",
    "KeyedLine",
    "MAX_EXTERNAL_CAUSES",
    "MAX_REASONS_FOR_VISIT",
    "KeyedProcedure",
    "MAX_INPATIENT_DIAGNOSES",
    "MAX_PROCEDURES",
    "UB04_PAPER_DIAGNOSES",
    "diagnosis_limit",
    "NOT_CODED_REASONS",
    "PLACE_OF_SERVICE_SHAPE",
    "POA_INDICATORS",
    "ProcedureEntry",
    "NotCoded",
    "ServiceLine",
    "Setting",
    "claim_from_dict",
    "is_external_cause",
    "key_from_dict",
    "line_from_dict",
    "place_of_service",
    "pointer_letters",
]
