"""The E/M explanation a trainee reads, pinned whole for each path through it.

The level (MDM by two of three elements, or office time where it is higher; ED on MDM only),
which elements set it, where an entered code departs (over- or under-levelled, below
straightforward, time), and the summary sentence (2021 office / 2023 ED E/M rules).
"""

from __future__ import annotations

from typing import Any

import pytest

from trainer.core.claims import EMFacts
from trainer.core.grading.em import explain_em

CASES = [
    pytest.param(
        ("office_established", "moderate", "low", "moderate", None),
        "99213",
        (
            "99214",
            "mdm",
            "moderate",
            "99214",
            [
                ("problems", "moderate", True, True),
                ("data", "low", False, False),
                ("risk", "moderate", True, True),
            ],
            ["problems", "risk"],
            None,
            "low",
            ["problems", "risk"],
            (
                "Problems moderate, data low, risk moderate: problems and risk meet "
                "moderate MDM (two of three elements set the level), so MDM supports "
                "99214. You reported 99213, which claims low MDM; the note supports "
                "99214."
            ),
        ),
        id="under_levelled",
    ),
    pytest.param(
        ("office_established", "low", "straightforward", "low", None),
        "99215",
        (
            "99213",
            "mdm",
            "low",
            "99213",
            [
                ("problems", "low", True, True),
                ("data", "straightforward", False, True),
                ("risk", "low", True, True),
            ],
            ["problems", "risk"],
            None,
            "high",
            ["problems", "data", "risk"],
            (
                "Problems low, data straightforward, risk low: problems and risk meet low"
                " MDM (two of three elements set the level), so MDM supports 99213. You "
                "reported 99215, which claims high MDM; the note supports 99213."
            ),
        ),
        id="over_levelled",
    ),
    pytest.param(
        ("office_new", "low", "low", "low", 50),
        "99203",
        (
            "99204",
            "time",
            "low",
            "99203",
            [
                ("problems", "low", True, False),
                ("data", "low", True, False),
                ("risk", "low", False, False),
            ],
            ["problems", "data"],
            "99204",
            "low",
            ["time"],
            (
                "Problems low, data low, risk low: problems and data meet low MDM (two of"
                " three elements set the level), so MDM supports 99203. Total time 50 min"
                " supports 99204. Time gives the higher level, so 99204 is reported. You "
                "reported 99203, which claims low MDM; the note supports 99204."
            ),
        ),
        id="time_gives_the_higher_level",
    ),
    pytest.param(
        ("office_established", "low", "low", "low", 5),
        None,
        (
            "99213",
            "mdm",
            "low",
            "99213",
            [
                ("problems", "low", True, False),
                ("data", "low", True, False),
                ("risk", "low", False, False),
            ],
            ["problems", "data"],
            None,
            None,
            [],
            (
                "Problems low, data low, risk low: problems and data meet low MDM (two of"
                " three elements set the level), so MDM supports 99213. Total time 5 min "
                "is below the lowest threshold."
            ),
        ),
        id="time_below_the_lowest_threshold",
    ),
    pytest.param(
        ("office_established", "moderate", "moderate", "low", 25),
        "99214",
        (
            "99214",
            "mdm",
            "moderate",
            "99214",
            [
                ("problems", "moderate", True, False),
                ("data", "moderate", True, False),
                ("risk", "low", False, False),
            ],
            ["problems", "data"],
            "99213",
            "moderate",
            [],
            (
                "Problems moderate, data moderate, risk low: problems and data meet "
                "moderate MDM (two of three elements set the level), so MDM supports "
                "99214. Total time 25 min supports 99213."
            ),
        ),
        id="time_lower_than_mdm",
    ),
    pytest.param(
        ("ed", "high", "moderate", "high", None),
        "99284",
        (
            "99285",
            "mdm",
            "high",
            "99285",
            [
                ("problems", "high", True, True),
                ("data", "moderate", False, False),
                ("risk", "high", True, True),
            ],
            ["problems", "risk"],
            None,
            "moderate",
            ["problems", "risk"],
            (
                "Problems high, data moderate, risk high: problems and risk meet high MDM"
                " (two of three elements set the level), so MDM supports 99285. Emergency"
                " department levels are chosen on MDM only, never on time. You reported "
                "99284, which claims moderate MDM; the note supports 99285."
            ),
        ),
        id="ed_on_mdm_only",
    ),
    pytest.param(
        ("office_established", "low", "low", "moderate", None),
        "99211",
        (
            "99213",
            "mdm",
            "low",
            "99213",
            [
                ("problems", "low", True, True),
                ("data", "low", False, True),
                ("risk", "moderate", True, True),
            ],
            ["problems", "risk"],
            None,
            "below straightforward",
            ["problems", "data", "risk"],
            (
                "Problems low, data low, risk moderate: problems and risk meet low MDM "
                "(two of three elements set the level), so MDM supports 99213. You "
                "reported 99211, which claims below straightforward MDM; the note "
                "supports 99213."
            ),
        ),
        id="below_straightforward",
    ),
    pytest.param(
        ("office_established", "low", "low", "moderate", None),
        "99203",
        (
            "99213",
            "mdm",
            "low",
            "99213",
            [
                ("problems", "low", True, False),
                ("data", "low", False, False),
                ("risk", "moderate", True, False),
            ],
            ["problems", "risk"],
            None,
            None,
            [],
            (
                "Problems low, data low, risk moderate: problems and risk meet low MDM "
                "(two of three elements set the level), so MDM supports 99213."
            ),
        ),
        id="another_family",
    ),
    pytest.param(
        ("office_new", "moderate", "high", "moderate", None),
        None,
        (
            "99204",
            "mdm",
            "moderate",
            "99204",
            [
                ("problems", "moderate", True, False),
                ("data", "high", True, False),
                ("risk", "moderate", False, False),
            ],
            ["problems", "data"],
            None,
            None,
            [],
            (
                "Problems moderate, data high, risk moderate: problems and data meet "
                "moderate MDM (two of three elements set the level), so MDM supports "
                "99204."
            ),
        ),
        id="all_three_meet_it",
    ),
]


def explained(facts: tuple[Any, ...], given: str | None) -> tuple[Any, ...]:
    e = explain_em(EMFacts(*facts), given)
    return (
        e.code,
        e.basis,
        e.mdm_level,
        e.mdm_code,
        [(x.element, x.level, x.sets_level, x.departs) for x in e.elements],
        list(e.deciding),
        e.time_code,
        e.given_level,
        list(e.departs),
        e.summary,
    )


@pytest.mark.parametrize(("facts", "given", "expected"), CASES)
def test_the_explanation_reads_in_full(facts, given, expected):  # type: ignore[no-untyped-def]
    assert explained(facts, given) == expected
    # The facts and the entered code are carried through as given.
    e = explain_em(EMFacts(*facts), given)
    assert (e.category, e.total_minutes, e.given_code) == (facts[0], facts[4], given)
    assert e.to_dict()["elements"][0]["words"] == e.elements[0].words
