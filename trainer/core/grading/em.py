"""E/M levels from medical decision making (MDM) or total time, and why a level was chosen.

The 2021 office rules (and the 2023 rules for the emergency department) make the level the
MDM level met by at least two of its three elements: problems addressed, data reviewed and
analysed, and risk of patient management. With three elements, "met by two" is simply the
middle one once they are sorted, which is what :func:`mdm_level` computes.

Office visits may instead be levelled on total time on the date of service when the note
documents it; a coder may use whichever of MDM or time gives the higher level, so
:func:`em_level` takes the higher. Emergency department visits have no time option.
99281 (a visit that may not need a physician or other qualified professional) is never the
result of an MDM level: straightforward MDM is 99282.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from trainer.core.claims import EMFacts

EMCategory = Literal["office_new", "office_established", "ed"]
MDM_LEVELS: tuple[str, ...] = ("straightforward", "low", "moderate", "high")
ELEMENTS: tuple[str, ...] = ("problems", "data", "risk")

# Codes for straightforward, low, moderate and high MDM, per category.
LEVEL_CODES: dict[str, tuple[str, ...]] = {
    "office_new": ("99202", "99203", "99204", "99205"),
    "office_established": ("99212", "99213", "99214", "99215"),
    "ed": ("99282", "99283", "99284", "99285"),
}
# Minimum total minutes for each level (2021+ office thresholds; time is met or exceeded).
TIME_THRESHOLDS: dict[str, tuple[int, ...]] = {
    "office_new": (15, 30, 45, 60),
    "office_established": (10, 20, 30, 40),
}
# Every code of a family, so that another level of the same family is an E/M level error.
FAMILY_CODES: dict[str, tuple[str, ...]] = {
    "office_new": LEVEL_CODES["office_new"],
    "office_established": ("99211", *LEVEL_CODES["office_established"]),
    "ed": ("99281", *LEVEL_CODES["ed"]),
}
_FAMILY_OF: dict[str, str] = {code: fam for fam, codes in FAMILY_CODES.items() for code in codes}

# How each element's level reads in the AMA table, in plain words.
ELEMENT_WORDS: dict[str, tuple[str, ...]] = {
    "problems": (
        "one self-limited or minor problem",
        "two or more minor problems, one stable chronic illness or one acute uncomplicated illness",
        "a chronic illness with exacerbation, two or more stable chronic illnesses, an "
        "undiagnosed new problem with uncertain prognosis or an acute illness with systemic "
        "symptoms",
        "a chronic illness with severe exacerbation or a threat to life or bodily function",
    ),
    "data": (
        "minimal or no data",
        "limited data (e.g. two tests or documents reviewed or ordered)",
        "moderate data (e.g. three items, or independent interpretation of a test)",
        "extensive data (e.g. two of three categories, such as discussion with an external "
        "physician)",
    ),
    "risk": (
        "minimal risk",
        "low risk (e.g. over-the-counter drugs)",
        "moderate risk (e.g. prescription drug management)",
        "high risk (e.g. drug therapy needing intensive monitoring, or a decision about "
        "hospitalisation or major surgery)",
    ),
}


@dataclass(frozen=True, slots=True)
class ElementLevel:
    """One MDM element: its documented level, whether it set the level, whether it departs."""

    element: str
    level: str
    words: str
    sets_level: bool
    departs: bool


@dataclass(frozen=True, slots=True)
class EMExplanation:
    """Why the keyed E/M level is what it is, and where a trainee's level departs from it."""

    category: str
    code: str
    basis: Literal["mdm", "time"]
    mdm_level: str
    mdm_code: str
    elements: tuple[ElementLevel, ...]
    deciding: tuple[str, ...]
    total_minutes: int | None
    time_code: str | None
    given_code: str | None
    given_level: str | None
    departs: tuple[str, ...]
    summary: str

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "code": self.code,
            "basis": self.basis,
            "mdm_level": self.mdm_level,
            "mdm_code": self.mdm_code,
            "elements": [
                {
                    "element": e.element,
                    "level": e.level,
                    "words": e.words,
                    "sets_level": e.sets_level,
                    "departs": e.departs,
                }
                for e in self.elements
            ],
            "deciding": list(self.deciding),
            "total_minutes": self.total_minutes,
            "time_code": self.time_code,
            "given_code": self.given_code,
            "given_level": self.given_level,
            "departs": list(self.departs),
            "summary": self.summary,
        }


def _rank(level: str) -> int:
    """Position of an MDM level name; unknown names count as straightforward."""
    try:
        return MDM_LEVELS.index(level)
    except ValueError:
        return 0


def mdm_level(problems: str, data: str, risk: str) -> str:
    """The MDM level met or exceeded by at least two of the three elements (the middle one)."""
    ranks = sorted((_rank(problems), _rank(data), _rank(risk)))
    return MDM_LEVELS[ranks[1]]


def em_family(code: str) -> str | None:
    """The E/M family of a code (office_new, office_established, ed) or None."""
    return _FAMILY_OF.get(code)


def code_level(code: str) -> int | None:
    """The level rank of an E/M code within its family (0 for 99211/99281, 1.. above)."""
    family = _FAMILY_OF.get(code)
    if family is None:
        return None
    return FAMILY_CODES[family].index(code)


def time_code(category: str, minutes: int | None) -> str | None:
    """The highest office code whose time threshold the documented minutes meet."""
    thresholds = TIME_THRESHOLDS.get(category)
    if thresholds is None or minutes is None:
        return None
    best = None
    for code, low in zip(LEVEL_CODES[category], thresholds, strict=True):
        if minutes >= low:
            best = code
    return best


def em_level(facts: EMFacts) -> str:
    """The E/M code the facts support: MDM, or time where documented if that is higher."""
    level = mdm_level(facts.problems, facts.data, facts.risk)
    codes = LEVEL_CODES.get(facts.category, LEVEL_CODES["office_established"])
    by_mdm = codes[_rank(level)]
    by_time = time_code(facts.category, facts.total_minutes)
    if by_time is not None and codes.index(by_time) > codes.index(by_mdm):
        return by_time
    return by_mdm


def _given_level(category: str, given: str | None) -> str | None:
    """The MDM level a given code claims, when it belongs to the same family."""
    if given is None:
        return None
    codes = LEVEL_CODES.get(category, ())
    if given in codes:
        return MDM_LEVELS[codes.index(given)]
    if given in FAMILY_CODES.get(category, ()):
        return "below straightforward"
    return None


@lru_cache(maxsize=1024)
def explain_em(facts: EMFacts, given_code: str | None = None) -> EMExplanation:
    """Explain the level the facts support and, for a given code, the elements that depart.

    Memoised: the facts and codes form a small domain, and grading asks again for every chart.
    """
    levels = {"problems": facts.problems, "data": facts.data, "risk": facts.risk}
    mdm = mdm_level(facts.problems, facts.data, facts.risk)
    mdm_rank = _rank(mdm)
    codes = LEVEL_CODES.get(facts.category, LEVEL_CODES["office_established"])
    mdm_code = codes[mdm_rank]
    code = em_level(facts)
    by_time = time_code(facts.category, facts.total_minutes)
    basis: Literal["mdm", "time"] = "time" if code != mdm_code else "mdm"
    deciding = tuple(e for e in ELEMENTS if _rank(levels[e]) >= mdm_rank)
    if len(deciding) > 2:  # all three meet it; the two highest are the ones that set it
        deciding = tuple(sorted(deciding, key=lambda e: -_rank(levels[e]))[:2])
        deciding = tuple(e for e in ELEMENTS if e in deciding)
    given_level = _given_level(facts.category, given_code)
    departs: tuple[str, ...] = ()
    if given_code is not None and given_code != code and given_level is not None:
        given_rank = _rank(given_level) if given_level in MDM_LEVELS else -1
        if given_rank > mdm_rank:  # over-levelled: elements that fall short of the claim
            departs = tuple(e for e in ELEMENTS if _rank(levels[e]) < given_rank)
        else:  # under-levelled: the elements that support more than was claimed
            departs = tuple(e for e in ELEMENTS if _rank(levels[e]) > given_rank)
            if basis == "time":  # the documented time, not MDM, supports the higher level
                departs = (*departs, "time")
    elements = tuple(
        ElementLevel(
            e,
            levels[e],
            ELEMENT_WORDS[e][_rank(levels[e])],
            e in deciding,
            e in departs,
        )
        for e in ELEMENTS
    )
    summary = _summary(facts, code, mdm, mdm_code, deciding, by_time, given_code, given_level)
    return EMExplanation(
        facts.category,
        code,
        basis,
        mdm,
        mdm_code,
        elements,
        deciding,
        facts.total_minutes,
        by_time,
        given_code,
        given_level,
        departs,
        summary,
    )


def _summary(
    facts: EMFacts,
    code: str,
    mdm: str,
    mdm_code: str,
    deciding: tuple[str, ...],
    by_time: str | None,
    given: str | None,
    given_level: str | None,
) -> str:
    """One paragraph a trainee can read: the elements, the two that decide, time if used."""
    parts = [
        f"Problems {facts.problems}, data {facts.data}, risk {facts.risk}: "
        f"{' and '.join(deciding)} meet {mdm} MDM (two of three elements set the level), "
        f"so MDM supports {mdm_code}."
    ]
    if facts.category == "ed":
        parts.append("Emergency department levels are chosen on MDM only, never on time.")
    elif facts.total_minutes is not None:
        if by_time is None:
            parts.append(f"Total time {facts.total_minutes} min is below the lowest threshold.")
        else:
            parts.append(f"Total time {facts.total_minutes} min supports {by_time}.")
        if code != mdm_code:
            parts.append(f"Time gives the higher level, so {code} is reported.")
    if given is not None and given != code and given_level is not None:
        parts.append(
            f"You reported {given}, which claims {given_level} MDM; the note supports {code}."
        )
    return " ".join(parts)


__all__ = [
    "ELEMENTS",
    "EMExplanation",
    "ElementLevel",
    "FAMILY_CODES",
    "LEVEL_CODES",
    "MDM_LEVELS",
    "TIME_THRESHOLDS",
    "code_level",
    "em_family",
    "em_level",
    "explain_em",
    "mdm_level",
    "time_code",
]
