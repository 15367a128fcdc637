"""How entered service lines are read and paired with keyed ones, verdict by verdict.

Each test pins the whole line verdict the feedback table draws (which keyed line an entry was
matched with, both lines as a coder reads them back, every element's verdict and the errors),
so a change to the pairing, the normalising or the element list shows up here. Real codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from trainer.core.claims import claim_from_dict, key_from_dict
from trainer.core.grading.grader import grade

DOS = date(2025, 11, 3)
KNEE_DX = ["M17.11"]
KNEE = {
    "diagnoses": KNEE_DX,
    "lines": [
        {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
        {"code": "J3301", "units": 4, "pointers": [1]},
    ],
}
Element = tuple[str, str | None, str | None, bool]


def grade_lines(key: dict[str, Any], answer: dict[str, Any], catalog):  # type: ignore[no-untyped-def]
    return grade(key_from_dict(key), claim_from_dict(answer), date_of_service=DOS, catalog=catalog)


def verdicts(key: dict[str, Any], answer: dict[str, Any], catalog) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = grade_lines(key, answer, catalog)
    return [v.to_dict() for v in result.lines if v.target == "line"]


def verdict(  # type: ignore[no-untyped-def]
    key_index, answer_index, expected, given, correct, elements: list[Element], errors=()
) -> dict[str, Any]:
    return {
        "target": "line",
        "key_index": key_index,
        "answer_index": answer_index,
        "expected": expected,
        "given": given,
        "correct": correct,
        "elements": [
            {"element": e, "expected": x, "given": g, "correct": c} for e, x, g, c in elements
        ],
        "errors": list(errors),
    }


def matched(
    code: str, mods: str = "", units: str = "1", pointer: str | None = "A"
) -> list[Element]:
    """The elements of a line entered exactly as keyed."""
    found: list[Element] = [
        ("code", code, code, True),
        ("modifier", mods, mods, True),
        ("units", units, units, True),
    ]
    if pointer is not None:
        found.append(("pointers", pointer, pointer, True))
    return found


KNEE_RIGHT = verdict(0, 0, "20610-RT x1", "20610-RT x1", True, matched("20610", "RT"))
DRUG_RIGHT = verdict(1, 1, "J3301 x4", "J3301 x4", True, matched("J3301", units="4"))


def test_each_wrong_element_is_marked_on_its_own_line_and_an_extra_line_follows(catalog):
    """Code-level accuracy counts the extra line: 1 right (M17.11) of 3 keyed + 1 extra."""
    given = {
        "diagnoses": KNEE_DX,
        "lines": [
            {"code": "20610", "modifiers": ["LT"], "pointers": [1]},
            {"code": "J3301", "units": 3, "pointers": [1]},
            {"code": "73560", "pointers": [1]},
        ],
    }
    assert verdicts(KNEE, given, catalog) == [
        verdict(
            0,
            0,
            "20610-RT x1",
            "20610-LT x1",
            False,
            [
                ("code", "20610", "20610", True),
                ("modifier", "RT", "LT", False),
                ("units", "1", "1", True),
                ("pointers", "A", "A", True),
            ],
            ["wrong_modifier"],
        ),
        verdict(
            1,
            1,
            "J3301 x4",
            "J3301 x3",
            False,
            [
                ("code", "J3301", "J3301", True),
                ("modifier", "", "", True),
                ("units", "4", "3", False),
                ("pointers", "A", "A", True),
            ],
            ["wrong_units"],
        ),
        verdict(None, 2, None, "73560 x1", False, [("code", None, "73560", False)], ["extra_code"]),
    ]
    result = grade_lines(KNEE, given, catalog)
    assert (result.code_correct, result.code_total) == (1, 4)


def test_a_keyed_line_left_off_is_missing_with_what_the_note_documents(catalog):
    given = {
        "diagnoses": KNEE_DX,
        "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1]}],
    }
    result = grade_lines(KNEE, given, catalog)
    assert [v.to_dict() for v in result.lines if v.target == "line"] == [
        KNEE_RIGHT,
        verdict(
            1, None, "J3301 x4", None, False, [("code", "J3301", None, False)], ["missing_code"]
        ),
    ]
    missing = [e.to_dict() for e in result.errors if e.type == "missing_code"]
    assert missing == [
        {
            "type": "missing_code",
            "expected": "J3301 x4",
            "given": None,
            "explanation": "You did not report J3301 (Injection, triamcinolone acetonide, not "
            "otherwise specified, 10 mg); the note documents it. Rule: Every documented "
            "condition or service that the encounter supports is coded.",
            "target": "line",
            "index": 1,
            "element": "code",
            "direction": "under",
        }
    ]


def test_lines_are_read_as_coders_type_them_and_blank_lines_are_no_items(catalog):
    given = {
        "diagnoses": KNEE_DX,
        "lines": [
            {"code": " 20610 ", "modifiers": [" rt ", " "], "pointers": [1]},
            {"code": "", "pointers": []},
            {"code": "j3301", "units": 4, "pointers": [1]},
        ],
    }
    drug = verdict(1, 2, "J3301 x4", "J3301 x4", True, matched("J3301", units="4"))
    assert verdicts(KNEE, given, catalog) == [KNEE_RIGHT, drug]


def test_right_and_left_lines_pair_by_their_side_whatever_the_order(catalog):
    key = {
        "diagnoses": ["M17.0"],
        "lines": [
            {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
            {"code": "20610", "modifiers": ["LT"], "pointers": [1]},
        ],
    }
    given = {"diagnoses": ["M17.0"], "lines": list(reversed(key["lines"]))}
    assert verdicts(key, given, catalog) == [
        verdict(0, 1, "20610-RT x1", "20610-RT x1", True, matched("20610", "RT")),
        verdict(1, 0, "20610-LT x1", "20610-LT x1", True, matched("20610", "LT")),
    ]


def test_a_keyed_alternate_code_is_right(catalog):
    key = {
        "diagnoses": KNEE_DX,
        "lines": [{"code": "20610", "modifiers": ["RT"], "pointers": [1], "alternates": ["20611"]}],
    }
    given = {
        "diagnoses": KNEE_DX,
        "lines": [{"code": "20611", "modifiers": ["RT"], "pointers": [1]}],
    }
    elements = matched("20610", "RT")
    elements[0] = ("code", "20610", "20611", True)
    assert verdicts(key, given, catalog) == [
        verdict(0, 0, "20610-RT x1", "20611-RT x1", True, elements)
    ]


def test_an_optional_keyed_line_left_off_is_no_item(catalog):
    key = {
        "diagnoses": KNEE_DX,
        "lines": [KNEE["lines"][0], {**KNEE["lines"][1], "optional": True}],
    }
    given = {"diagnoses": KNEE_DX, "lines": [KNEE["lines"][0]]}
    result = grade_lines(key, given, catalog)
    assert [v.to_dict() for v in result.lines if v.target == "line"] == [KNEE_RIGHT]
    assert result.score == 1.0


def test_an_add_on_without_its_primary_is_explained_as_that_not_as_an_extra(catalog):
    """11045 (debridement add-on) without 11042-11044 on the claim would not be paid."""
    given = {
        "diagnoses": KNEE_DX,
        "lines": [*KNEE["lines"], {"code": "11045", "pointers": [1]}],
    }
    assert verdicts(KNEE, given, catalog) == [
        KNEE_RIGHT,
        DRUG_RIGHT,
        verdict(
            None,
            2,
            None,
            "11045 x1",
            False,
            [("code", None, "11045", False)],
            ["addon_without_primary"],
        ),
    ]


# -- facility lines: a revenue code, no pointers ---------------------------------------------

ED = {
    "diagnoses": ["J06.9"],
    "lines": [{"code": "99284", "revenue_code": "0450"}],
    "setting": "facility",
}
REVENUE_RULE = (
    "On a facility claim each line's revenue code must match the department that provided the "
    "service and its CPT/HCPCS code."
)


def ed_line(revenue: str | None) -> dict[str, Any]:
    line: dict[str, Any] = {"code": "99284"}
    if revenue is not None:
        line["revenue_code"] = revenue
    return {"diagnoses": ["J06.9"], "lines": [line]}


def test_a_facility_line_is_graded_on_its_revenue_code_and_has_no_pointer(catalog):
    result = grade_lines(ED, ed_line("0510"), catalog)
    assert [v.to_dict() for v in result.lines if v.target == "line"] == [
        verdict(
            0,
            0,
            "0450 99284 x1",
            "0510 99284 x1",
            False,
            [*matched("99284", pointer=None), ("revenue_code", "0450", "0510", False)],
            ["wrong_revenue_code"],
        )
    ]
    assert [e.to_dict() for e in result.errors if e.target == "line"] == [
        {
            "type": "wrong_revenue_code",
            "expected": "0450",
            "given": "0510",
            "explanation": f"You put 99284 under revenue code 0510; the key uses 0450. "
            f"Rule: {REVENUE_RULE}",
            "target": "line",
            "index": 0,
            "element": "revenue_code",
            "direction": "neutral",
        }
    ]


def test_a_facility_line_without_a_revenue_code_says_none(catalog):
    result = grade_lines(ED, ed_line(None), catalog)
    (error,) = [e for e in result.errors if e.target == "line"]
    assert (error.type, error.given) == ("wrong_revenue_code", None)
    assert error.explanation.startswith("You put 99284 under revenue code none; the key uses 0450")
    assert result.lines[-1].given == "99284 x1"


def test_a_three_digit_revenue_code_is_read_with_its_leading_zero(catalog):
    result = grade_lines(ED, ed_line("450"), catalog)
    assert result.score == 1.0
    assert [v.given for v in result.lines if v.target == "line"] == ["0450 99284 x1"]


TRANSFUSION = {
    "diagnoses": ["D62"],
    "lines": [{"code": "P9016", "revenue_code": "0381"}],
    "setting": "facility",
}


def test_another_revenue_code_the_map_accepts_for_the_code_is_right(catalog):
    """P9016 (leukocyte-reduced red cells) may go under 0390 as well as the keyed 0381."""
    given = {"diagnoses": ["D62"], "lines": [{"code": "P9016", "revenue_code": "0390"}]}
    assert verdicts(TRANSFUSION, given, catalog) == [
        verdict(
            0,
            0,
            "0381 P9016 x1",
            "0390 P9016 x1",
            True,
            [*matched("P9016", pointer=None), ("revenue_code", "0381", "0390", True)],
        )
    ]


def test_the_map_accepts_another_revenue_code_only_for_the_keyed_code(catalog):
    """P9040 under 0390 is a wrong code, and its revenue code is not excused by P9040's map."""
    given = {"diagnoses": ["D62"], "lines": [{"code": "P9040", "revenue_code": "0390"}]}
    (line,) = verdicts(TRANSFUSION, given, catalog)
    assert line["errors"] == ["wrong_code", "wrong_revenue_code"]
    assert line["elements"][-1] == {
        "element": "revenue_code",
        "expected": "0381",
        "given": "0390",
        "correct": False,
    }


# -- the fuzzy pass: which entry stands for a keyed line -------------------------------------


def pairs(key: dict[str, Any], given: dict[str, Any], catalog) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    return [
        (v.key_index, v.answer_index, v.given, [e.type for e in v.errors])
        for v in grade_lines(key, given, catalog).lines
        if v.target == "line"
    ]


KNEE_ONLY = {"diagnoses": KNEE_DX, "lines": [KNEE["lines"][0]]}


def knee_entries(*codes: str) -> dict[str, Any]:
    lines = [{"code": c, "modifiers": ["RT"], "pointers": [1]} for c in codes]
    return {"diagnoses": KNEE_DX, "lines": lines}


def test_the_entry_sharing_the_longest_prefix_is_the_wrong_code(catalog):
    """20611 shares 2061 with the keyed 20610, 20605 only 206: 20611 stands for the keyed line
    (a wrong code), 20605 is extra, whatever the order they were entered in."""
    assert pairs(KNEE_ONLY, knee_entries("20605", "20611"), catalog) == [
        (0, 1, "20611-RT x1", ["wrong_code"]),
        (None, 0, "20605-RT x1", ["extra_code"]),
    ]


def test_an_unrelated_code_is_never_paired_with_a_keyed_line(catalog):
    """73560 (a knee X-ray) is not a wrong code for 20610: the injection is missing."""
    assert pairs(KNEE_ONLY, {"diagnoses": KNEE_DX, "lines": [{"code": "73560"}]}, catalog) == [
        (0, None, None, ["missing_code"]),
        (None, 0, "73560 x1", ["extra_code"]),
    ]


def test_another_level_of_the_same_em_family_is_paired_before_the_other_family(catalog):
    """Keyed 99213: 99214 (established, one level high) stands for it, not 99204 (new)."""
    key = {"diagnoses": ["J06.9"], "lines": [{"code": "99213", "pointers": [1]}]}
    given = {"diagnoses": ["J06.9"], "lines": [{"code": "99204"}, {"code": "99214"}]}
    assert [p[:3] for p in pairs(key, given, catalog)] == [
        (0, 1, "99214 x1"),
        (None, 0, "99204 x1"),
    ]
