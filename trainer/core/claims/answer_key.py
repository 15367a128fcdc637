"""The keyed solution of a chart: ``AnswerKey`` and the keyed entries it is made of.

Each keyed entry carries what the trainee never types: the codes also accepted in its place,
the rationale an explanation cites, whether it is optional, and the decoys (``NotCoded``) with
why they are not coded. An attempt stores its key in this JSON shape (``to_dict``) when the
chart is generated, so a later template edit never changes a graded chart's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .claim import Claim, ProcedureEntry, ServiceLine
from .limits import Setting


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
