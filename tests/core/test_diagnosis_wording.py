"""Each diagnosis error exactly as the trainee reads it, and the verdicts the table draws.

The other grading tests check that an error is found; these pin the whole error (type, the
keyed and entered codes, the explanation with the documented fact and the guideline, the
position it marks, the revenue direction), so a change to the wording, the pairing or the
direction shows up here (mutation testing found most of these fields unchecked). Every case
below was read against the ICD-10-CM conventions in the domain brief: laterality, the 7th
character and placeholder X, headers, combination codes, duplicates, first-listed rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trainer.core.claims import claim_from_dict, key_from_dict
from trainer.core.grading.grader import grade

DOS = date(2025, 11, 3)  # FY2026 ICD-10-CM


def graded(key: Any, entered: list[str], catalog):  # type: ignore[no-untyped-def]
    if isinstance(key, list):
        key = {"diagnoses": key}
    answer = claim_from_dict({"diagnoses": entered, "lines": []})
    return grade(key_from_dict(key), answer, date_of_service=DOS, catalog=catalog)


def dx_errors(key: Any, entered: list[str], catalog) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    """[type, expected, given, explanation, index, element, direction] per diagnosis error."""
    return [
        [e.type, e.expected, e.given, e.explanation, e.index, e.element, e.direction]
        for e in graded(key, entered, catalog).errors
        if e.target == "diagnosis"
    ]


CASES = [
    pytest.param(
        ["M17.11"],
        ["M17.12"],
        [
            [
                "laterality",
                "M17.11",
                "M17.12",
                (
                    "You coded M17.12 (Unilateral primary osteoarthritis, left knee); the"
                    " note supports M17.11 (Unilateral primary osteoarthritis, right "
                    "knee). Rule: Documented laterality is coded: the side in the code "
                    "must match the note."
                ),
                0,
                "code",
                "neutral",
            ]
        ],
        id="laterality",
    ),
    pytest.param(
        ["S52.531A"],
        ["S52.531"],
        [
            [
                "seventh_character",
                "S52.531A",
                "S52.531",
                (
                    "You entered S52.531: S52.531 needs a 7th character (for example A "
                    "initial encounter, D subsequent, S sequela); the note supports "
                    "S52.531A (Colles' fracture of right radius, initial encounter for "
                    "closed fracture). Rule: This category needs a 7th character for the "
                    "encounter (A initial, D subsequent, S sequela, and more for "
                    "fractures); where the code is shorter than 6 characters the "
                    "placeholder X fills the gap."
                ),
                0,
                "code",
                "under",
            ]
        ],
        id="seventh_character_missing",
    ),
    pytest.param(
        ["T36.0X1A"],
        ["T36.01A"],
        [
            [
                "seventh_character",
                "T36.0X1A",
                "T36.01A",
                (
                    "You entered T36.01A: T36.01A is missing the placeholder X: the 7th "
                    "character must sit in the 7th position (T36.0X1A); the note supports"
                    " T36.0X1A (Poisoning by penicillins, accidental (unintentional), "
                    "initial encounter). Rule: This category needs a 7th character for "
                    "the encounter (A initial, D subsequent, S sequela, and more for "
                    "fractures); where the code is shorter than 6 characters the "
                    "placeholder X fills the gap."
                ),
                0,
                "code",
                "under",
            ]
        ],
        id="placeholder_missing",
    ),
    pytest.param(
        ["M17.11"],
        ["M17.1"],
        [
            [
                "header_code",
                "M17.11",
                "M17.1",
                (
                    "You entered M17.1, a header that needs more characters and is not "
                    "billable (its billable codes: M17.10, M17.11, M17.12); the note "
                    "supports M17.11 (Unilateral primary osteoarthritis, right knee). "
                    "Rule: A category or subcategory that has codes below it is a header,"
                    " not billable; report a complete code to the highest specificity "
                    "documented."
                ),
                0,
                "code",
                "under",
            ]
        ],
        id="header_with_its_codes",
    ),
    pytest.param(
        ["M17.11"],
        ["M17.99"],
        [
            [
                "invalid_code",
                "M17.11",
                "M17.99",
                (
                    "You entered M17.99: M17.99 is not an ICD-10-CM code; the note "
                    "supports M17.11 (Unilateral primary osteoarthritis, right knee). "
                    "Rule: Only codes that exist in the code set can be reported."
                ),
                0,
                "code",
                "under",
            ]
        ],
        id="invalid",
    ),
    pytest.param(
        ["E11.51"],
        ["E11.9"],
        [
            [
                "specificity",
                "E11.51",
                "E11.9",
                (
                    "You coded E11.9 (Type 2 diabetes mellitus without complications); "
                    "the note supports E11.51 (Type 2 diabetes mellitus with diabetic "
                    "peripheral angiopathy without gangrene). Rule: Code to the highest "
                    "specificity the documentation supports; an unspecified code is only "
                    "for when the note does not say more."
                ),
                0,
                "code",
                "neutral",
            ]
        ],
        id="specificity",
    ),
    pytest.param(
        ["I12.9", "N18.30"],
        ["I10", "N18.30"],
        [
            [
                "wrong_code",
                "I12.9",
                "I10",
                (
                    "You coded I10 (Essential (primary) hypertension); the note supports "
                    "I12.9 (Hypertensive chronic kidney disease with stage 1 through "
                    "stage 4 chronic kidney disease, or unspecified chronic kidney "
                    "disease). Rule: Where the classification has a combination code for "
                    "the conditions documented, it is reported instead of separate codes."
                ),
                0,
                "code",
                "neutral",
            ]
        ],
        id="combination_by_title",
    ),
    pytest.param(
        ["M17.11"],
        ["M17.11", "E11.9", "E11.9"],
        [
            [
                "extra_code",
                None,
                "E11.9",
                (
                    "You coded E11.9 (Type 2 diabetes mellitus without complications); "
                    "the key does not report it for this encounter. Rule: Report the "
                    "conditions and services the note documents for this encounter; "
                    "compare your codes with the key's codes and their rationales."
                ),
                1,
                "code",
                "over",
            ],
            [
                "extra_code",
                None,
                "E11.9",
                (
                    "You entered E11.9 twice; each code is reported once. Rule: A "
                    "diagnosis is reported once per claim; a service once, with its "
                    "units."
                ),
                2,
                "code",
                "over",
            ],
        ],
        id="extra_then_twice",
    ),
    pytest.param(
        ["M17.11"],
        ["M17.11", "Z99.999"],
        [
            [
                "invalid_code",
                None,
                "Z99.999",
                (
                    "You entered Z99.999: Z99.999 is not an ICD-10-CM code; the key has "
                    "no such code. Rule: Only codes that exist in the code set can be "
                    "reported."
                ),
                1,
                "code",
                "neutral",
            ]
        ],
        id="extra_invalid",
    ),
    pytest.param(
        ["M17.11"],
        ["M17.11", "E11"],
        [
            [
                "header_code",
                None,
                "E11",
                (
                    "You entered E11: E11 (Type 2 diabetes mellitus) is a header, not "
                    "billable: code to the highest specificity; the key has no such code."
                    " Rule: A category or subcategory that has codes below it is a "
                    "header, not billable; report a complete code to the highest "
                    "specificity documented."
                ),
                1,
                "code",
                "neutral",
            ]
        ],
        id="extra_header",
    ),
    pytest.param(
        ["Z12.11", "K63.5"],
        ["K63.5", "Z12.11"],
        [
            [
                "sequencing",
                "Z12.11",
                "K63.5",
                (
                    "You listed K63.5 first and Z12.11 in position 2; Z12.11 is the "
                    "first-listed diagnosis: Z12.11 is the screening the encounter was "
                    "for. Rule: For a screening encounter the screening Z code is "
                    "first-listed and a condition the screening finds is an additional "
                    "code (ICD-10-CM I.C.21.c.5)."
                ),
                1,
                "sequence",
                "neutral",
            ]
        ],
        id="screening_first",
    ),
    pytest.param(
        ["J06.9", "I10"],
        ["", "J06.9", "I10"],
        [
            [
                "sequencing",
                "J06.9",
                "",
                (
                    "You listed nothing first and J06.9 in position 2; J06.9 is the "
                    "first-listed diagnosis. Rule: The first-listed diagnosis is the "
                    "condition, problem or other reason shown in the record to be chiefly"
                    " responsible for the services of this encounter (ICD-10-CM IV.G)."
                ),
                1,
                "sequence",
                "neutral",
            ]
        ],
        id="nothing_first",
    ),
    pytest.param(
        ["S52.531A", "I10"],
        ["I10", "S52.531A"],
        [
            [
                "sequencing",
                "S52.531A",
                "I10",
                (
                    "You listed I10 first and S52.531A in position 2; S52.531A is the "
                    "first-listed diagnosis: S52.531A is the injury treated. Rule: The "
                    "injury treated is first-listed (the most serious injury first), and "
                    "external cause codes follow it (ICD-10-CM I.C.19.b, I.C.20)."
                ),
                1,
                "sequence",
                "neutral",
            ]
        ],
        id="injury_first",
    ),
    pytest.param(
        ["M17.11", "Z79.899"],
        ["M17.11", "E11.9"],
        [
            [
                "missing_code",
                "Z79.899",
                None,
                (
                    "You did not report Z79.899 (Other long term (current) drug therapy);"
                    " the note documents it. Rule: Every documented condition or service "
                    "that the encounter supports is coded."
                ),
                1,
                "code",
                "under",
            ],
            [
                "extra_code",
                None,
                "E11.9",
                (
                    "You coded E11.9 (Type 2 diabetes mellitus without complications); "
                    "the key does not report it for this encounter. Rule: Report the "
                    "conditions and services the note documents for this encounter; "
                    "compare your codes with the key's codes and their rationales."
                ),
                1,
                "code",
                "over",
            ],
        ],
        id="missing_and_extra",
    ),
]


@pytest.mark.parametrize(("key", "entered", "errors"), CASES)
def test_a_diagnosis_error_reads_in_full(catalog, key, entered, errors):  # type: ignore[no-untyped-def]
    assert dx_errors(key, entered, catalog) == errors


def verdicts(key: Any, entered: list[str], catalog) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    """(key index, answer index, expected, given, correct, elements, errors) per diagnosis."""
    return [
        (
            v.key_index,
            v.answer_index,
            v.expected,
            v.given,
            v.correct,
            [(e.element, e.expected, e.given, e.correct) for e in v.elements],
            [e.type for e in v.errors],
        )
        for v in graded(key, entered, catalog).diagnoses
    ]


def test_the_first_listed_verdict_carries_its_sequence_element(catalog):
    assert verdicts(["M17.11", "Z79.899"], ["M17.12", "Z79.899"], catalog) == [
        (
            0,
            0,
            "M17.11",
            "M17.12",
            False,
            [("code", "M17.11", "M17.12", False), ("sequence", "1", "1", True)],
            ["laterality"],
        ),
        (1, 1, "Z79.899", "Z79.899", True, [("code", "Z79.899", "Z79.899", True)], []),
    ]


def test_a_first_listed_code_in_second_place_is_right_as_a_code_wrong_in_order(catalog):
    assert verdicts(["Z12.11", "K63.5"], ["K63.5", "Z12.11"], catalog) == [
        (
            0,
            1,
            "Z12.11",
            "Z12.11",
            False,
            [("code", "Z12.11", "Z12.11", True), ("sequence", "1", "2", False)],
            ["sequencing"],
        ),
        (1, 0, "K63.5", "K63.5", True, [("code", "K63.5", "K63.5", True)], []),
    ]


def test_a_code_first_pair_entered_the_other_way_marks_the_early_code(catalog):
    """N18 says code first the diabetic CKD (E11.22): N18.30 in position 2 before E11.22 in
    position 3 is a sequencing error on N18.30, whatever the first-listed code."""
    key = ["J45.41", "E11.22", "N18.30"]
    result = graded(key, ["J45.41", "N18.30", "E11.22"], catalog)
    assert verdicts(key, ["J45.41", "N18.30", "E11.22"], catalog) == [
        (
            0,
            0,
            "J45.41",
            "J45.41",
            True,
            [("code", "J45.41", "J45.41", True), ("sequence", "1", "1", True)],
            [],
        ),
        (1, 2, "E11.22", "E11.22", True, [("code", "E11.22", "E11.22", True)], []),
        (
            2,
            1,
            "N18.30",
            "N18.30",
            False,
            [("code", "N18.30", "N18.30", True), ("sequence", "after E11.22", "2", False)],
            ["sequencing"],
        ),
    ]
    (error,) = result.errors
    assert (error.expected, error.given, error.index, error.element) == (
        "E11.22",
        "N18.30",
        1,
        "sequence",
    )
    assert error.explanation == (
        "You listed N18.30 in position 2, before E11.22 in position 3; Code first note at N18: "
        '"diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, E13.22)": E11.22 '
        "goes first. Rule: A code-first or use-additional-code note fixes the order: the code "
        "the note asks to be sequenced first goes before the other (ICD-10-CM I.A.13)."
    )


def test_missing_and_extra_codes_are_items_of_their_own(catalog):
    assert verdicts(["M17.11", "Z79.899"], ["M17.11", "E11.9"], catalog) == [
        (
            0,
            0,
            "M17.11",
            "M17.11",
            True,
            [("code", "M17.11", "M17.11", True), ("sequence", "1", "1", True)],
            [],
        ),
        (1, None, "Z79.899", None, False, [("code", "Z79.899", None, False)], ["missing_code"]),
        (None, 1, None, "E11.9", False, [("code", None, "E11.9", False)], ["extra_code"]),
    ]


def test_a_keyed_alternate_is_right(catalog):
    key = {"diagnoses": [{"code": "M17.11", "alternates": ["M17.10"]}]}
    assert verdicts(key, ["M17.10"], catalog) == [
        (
            0,
            0,
            "M17.11",
            "M17.10",
            True,
            [("code", "M17.11", "M17.10", True), ("sequence", "1", "1", True)],
            [],
        )
    ]


def test_an_optional_code_left_off_is_no_item(catalog):
    key = {"diagnoses": ["S52.531A", {"code": "Y92.000", "optional": True}]}
    result = graded(key, ["S52.531A"], catalog)
    assert [v.expected for v in result.diagnoses] == ["S52.531A"] and result.score == 1.0


def test_a_decoy_names_the_keys_reason_in_its_own_words(catalog):
    decoy = {
        "code": "R05.9",
        "reason": "integral_symptom",
        "rationale": "cough is part of the acute upper respiratory infection",
    }
    key = {"diagnoses": ["J06.9"], "not_coded": [decoy]}
    assert dx_errors(key, ["J06.9", "R05.9"], catalog) == [
        [
            "extra_code",
            None,
            "R05.9",
            "You coded R05.9 (Cough, unspecified); the sign or symptom is part of the confirmed "
            "diagnosis. Rule: Cough is part of the acute upper respiratory infection.",
            1,
            "code",
            "over",
        ]
    ]


# --- Sequencing: which rule the first-listed error cites, and order notes anywhere in the list.
# Mutation testing left these branches unexecuted or their wording unchecked.

_IA13_NOTE = (
    "Rule: A code-first or use-additional-code note fixes the order: the code the note asks to "
    "be sequenced first goes before the other (ICD-10-CM I.A.13)."
)
_IA13_MANIFESTATION = (
    "Rule: Etiology/manifestation convention: the underlying condition is sequenced first and "
    "the manifestation ('in diseases classified elsewhere') after it; a manifestation code is "
    "never first-listed (ICD-10-CM I.A.13)."
)
_IVG = (
    "Rule: The first-listed diagnosis is the condition, problem or other reason shown in the "
    "record to be chiefly responsible for the services of this encounter (ICD-10-CM IV.G)."
)
_SCREENING = (
    "Rule: For a screening encounter the screening Z code is first-listed and a condition the "
    "screening finds is an additional code (ICD-10-CM I.C.21.c.5)."
)

FIRST_LISTED = [
    pytest.param(
        ["E11.22", "N18.30"],
        ["N18.30", "E11.22"],
        "You listed N18.30 first and E11.22 in position 2; E11.22 is the first-listed "
        'diagnosis: Code first note at N18: "diabetic chronic kidney disease (E08.22, E09.22, '
        f'E10.22, E11.22, E13.22)". {_IA13_NOTE}',
        id="code-first-note",
    ),
    pytest.param(
        # H42's code-first list ("such as") does not name Marfan's syndrome: no note links
        # the two, but a manifestation code is never first-listed.
        ["Q87.40", "H42"],
        ["H42", "Q87.40"],
        "You listed H42 first and Q87.40 in position 2; Q87.40 is the first-listed diagnosis: "
        f"H42 is a manifestation code. {_IA13_MANIFESTATION}",
        id="manifestation-without-note",
    ),
    pytest.param(
        # D46.9 (myelodysplastic syndrome) is in D63.0's code-first range (C00-D49) but is
        # not a malignancy: the note's rule, not the malignancy-anaemia guideline.
        ["D46.9", "D63.0"],
        ["D63.0", "D46.9"],
        "You listed D63.0 first and D46.9 in position 2; D46.9 is the first-listed diagnosis: "
        f'Code first note at D63.0: "neoplasm (C00-D49)". {_IA13_NOTE}',
        id="anaemia-in-non-malignant-neoplasm",
    ),
    pytest.param(
        # The entered first code is not keyed (N18.4 for N18.30): the grader cannot show a
        # note applies to what the key holds, so it claims only the general rule.
        ["E11.22", "N18.30"],
        ["N18.4", "E11.22"],
        "You listed N18.4 first and E11.22 in position 2; E11.22 is the first-listed "
        f"diagnosis. {_IVG}",
        id="unkeyed-lead",
    ),
    pytest.param(
        ["Z13.1", "R73.03"],
        ["R73.03", "Z13.1"],
        "You listed R73.03 first and Z13.1 in position 2; Z13.1 is the first-listed diagnosis: "
        f"Z13.1 is the screening the encounter was for. {_SCREENING}",
        id="screening-Z13",
    ),
    pytest.param(
        ["Z11.3", "A54.00"],
        ["A54.00", "Z11.3"],
        "You listed A54.00 first and Z11.3 in position 2; Z11.3 is the first-listed diagnosis: "
        f"Z11.3 is the screening the encounter was for. {_SCREENING}",
        id="screening-Z11",
    ),
    pytest.param(
        # Two injuries: which is the most serious is the record's call, not a rule the grader
        # can show, so the injury guideline is not claimed.
        ["S52.531A", "S60.511A"],
        ["S60.511A", "S52.531A"],
        "You listed S60.511A first and S52.531A in position 2; S52.531A is the first-listed "
        f"diagnosis. {_IVG}",
        id="injury-after-injury",
    ),
]


@pytest.mark.parametrize(("key", "entered", "explanation"), FIRST_LISTED)
def test_a_first_listed_error_cites_the_rule_that_applies(catalog, key, entered, explanation):  # type: ignore[no-untyped-def]
    (error,) = [e for e in dx_errors(key, entered, catalog) if e[0] == "sequencing"]
    assert error == ["sequencing", key[0], entered[0], explanation, 1, "sequence", "neutral"]


PAIR_ORDER = [
    pytest.param(
        ["J45.41", "G30.9", "F02.80"],
        ["J45.41", "F02.80", "G30.9"],
        ["G30.9", "F02.80", 1],
        "You listed F02.80 in position 2, before G30.9 in position 3; Code first note at F02: "
        f'"Alzheimer\'s (G30.-)": G30.9 goes first. {_IA13_MANIFESTATION}',
        id="manifestation",
    ),
    pytest.param(
        ["E86.0", "C61", "D63.0"],
        ["E86.0", "D63.0", "C61"],
        ["C61", "D63.0", 1],
        "You listed D63.0 in position 2, before C61 in position 3; Code first note at D63.0: "
        '"neoplasm (C00-D49)": C61 goes first. Rule: When the encounter is for anaemia '
        "associated with a malignancy, the malignancy is sequenced first, followed by D63.0 "
        "(ICD-10-CM I.C.2.c.1).",
        id="malignancy-anaemia",
    ),
    pytest.param(
        # A malignancy ordered by another note (Z17 code first C50) is no anaemia case.
        ["J45.41", "C50.911", "Z17.0"],
        ["J45.41", "Z17.0", "C50.911"],
        ["C50.911", "Z17.0", 1],
        "You listed Z17.0 in position 2, before C50.911 in position 3; Code first note at Z17: "
        f'"malignant neoplasm of breast (C50.-)": C50.911 goes first. {_IA13_NOTE}',
        id="malignancy-other-note",
    ),
    pytest.param(
        # Z79.4 after E11.22 is in order and Z87.891 has no note with E11.22: neither stops
        # the search for the pair entered the wrong way round (N18.30 before E11.22).
        ["J45.41", "E11.22", "Z79.4", "Z87.891", "N18.30"],
        ["J45.41", "Z87.891", "N18.30", "E11.22", "Z79.4"],
        ["E11.22", "N18.30", 2],
        "You listed N18.30 in position 3, before E11.22 in position 4; Code first note at N18: "
        '"diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, E13.22)": E11.22 '
        f"goes first. {_IA13_NOTE}",
        id="past-pairs-in-order",
    ),
]


@pytest.mark.parametrize(("key", "entered", "where", "explanation"), PAIR_ORDER)
def test_an_order_note_pair_reversed_after_the_first_is_marked(  # type: ignore[no-untyped-def]
    catalog, key, entered, where, explanation
):
    errors = [e for e in graded(key, entered, catalog).errors if e.type == "sequencing"]
    assert [
        [e.expected, e.given, e.index, e.explanation, e.element, e.target, e.direction]
        for e in errors
    ] == [[*where, explanation, "sequence", "diagnosis", "neutral"]]


def test_the_first_listed_pair_is_judged_once(catalog):
    """N18.30 entered before E11.22, which the key lists first: one first-listed error (which
    names the note), not a second pair error on N18.30 as well."""
    result = graded(["E11.22", "N18.30", "Z79.4"], ["N18.30", "E11.22", "Z79.4"], catalog)
    assert [(e.type, e.expected, e.given, e.index) for e in result.errors] == [
        ("sequencing", "E11.22", "N18.30", 1)
    ]


def test_an_order_note_pair_is_graded_when_the_first_listed_code_is_missing(catalog):
    """The key's J45.41 left off, E11.22 and N18.30 entered the wrong way round: the code-first
    note still orders them (it used to be skipped when only two keyed codes were placed)."""
    key = ["J45.41", "E11.22", "N18.30"]
    assert verdicts(key, ["N18.30", "E11.22"], catalog) == [
        (0, None, "J45.41", None, False, [("code", "J45.41", None, False)], ["missing_code"]),
        (1, 1, "E11.22", "E11.22", True, [("code", "E11.22", "E11.22", True)], []),
        (
            2,
            0,
            "N18.30",
            "N18.30",
            False,
            [("code", "N18.30", "N18.30", True), ("sequence", "after E11.22", "1", False)],
            ["sequencing"],
        ),
    ]
    sequencing = [e for e in graded(key, ["N18.30", "E11.22"], catalog).errors][-1]
    assert (sequencing.expected, sequencing.given, sequencing.index) == ("E11.22", "N18.30", 0)
    assert sequencing.explanation.startswith(
        "You listed N18.30 in position 1, before E11.22 in position 2; Code first note at N18"
    )


# --- Pairing: the category pass and the same-condition pass.


def test_a_three_character_code_extended_is_paired_with_it(catalog):
    """I10 is complete at three characters; I10.9 does not exist. Paired (same category), it
    is one invalid-code error on the keyed I10, not a missing I10 plus an extra code."""
    assert dx_errors(["I10"], ["I10.9"], catalog) == [
        [
            "invalid_code",
            "I10",
            "I10.9",
            "You entered I10.9: I10.9 is not an ICD-10-CM code; the note supports I10 (Essential "
            "(primary) hypertension). Rule: Only codes that exist in the code set can be reported.",
            0,
            "code",
            "under",
        ]
    ]


def test_the_same_condition_in_another_block_of_the_chapter_is_a_wrong_code(catalog):
    """E09.9 (drug-induced diabetes) for E11.9 (type 2): same chapter, other block, same
    condition by title: one wrong-code error, not a missing and an extra code."""
    assert dx_errors(["E11.9"], ["E09.9"], catalog) == [
        [
            "wrong_code",
            "E11.9",
            "E09.9",
            "You coded E09.9 (Drug or chemical induced diabetes mellitus without complications); "
            "the note supports E11.9 (Type 2 diabetes mellitus without complications). Rule: The "
            "code must describe what the note documents.",
            0,
            "code",
            "neutral",
        ]
    ]


# --- Items: blank and optional keyed entries, missing codes, and what each verdict is about.


def test_a_blank_keyed_entry_is_skipped_and_the_rest_still_graded(catalog):
    result = graded(["M17.11", "", "Z79.899"], ["M17.11", "Z79.899"], catalog)
    assert [(v.key_index, v.answer_index, v.correct) for v in result.diagnoses] == [
        (0, 0, True),
        (2, 1, True),
    ]
    assert result.score == 1.0


def test_an_optional_code_left_off_does_not_hide_the_codes_after_it(catalog):
    key = {"diagnoses": ["S52.531A", {"code": "Y92.000", "optional": True}, "W01.0XXA"]}
    result = graded(key, ["S52.531A", "W01.0XXA"], catalog)
    assert [(v.key_index, v.answer_index, v.correct) for v in result.diagnoses] == [
        (0, 0, True),
        (2, 1, True),
    ]
    missed = graded(key, ["S52.531A"], catalog)
    assert [(v.key_index, [e.type for e in v.errors]) for v in missed.diagnoses] == [
        (0, []),
        (2, ["missing_code"]),
    ]


def test_a_missing_code_cites_the_keys_own_reason(catalog):
    key = {
        "diagnoses": [
            "M17.11",
            {"code": "Z79.899", "rationale": "The note lists daily meloxicam for the knee"},
        ]
    }
    assert dx_errors(key, ["M17.11", " ", ""], catalog) == [
        [
            "missing_code",
            "Z79.899",
            None,
            "You did not report Z79.899 (Other long term (current) drug therapy); the note "
            "documents it. Rule: The note lists daily meloxicam for the knee.",
            1,
            "code",
            "under",
        ]
    ]


def test_every_diagnosis_verdict_and_error_is_about_the_diagnosis_list(catalog):
    result = graded(["M17.11", "Z79.899"], ["M17.12", "E11.9", "S52.531"], catalog)
    assert [(v.target, v.key_index, v.answer_index) for v in result.diagnoses] == [
        ("diagnosis", 0, 0),
        ("diagnosis", 1, None),
        ("diagnosis", None, 1),
        ("diagnosis", None, 2),
    ]
    assert {e.target for e in result.errors} == {"diagnosis"}
    assert {e.target for v in result.diagnoses for e in v.errors} == {"diagnosis"}


def test_a_first_listed_error_with_no_rule_of_its_own_cites_the_keys_reason(catalog):
    """Two injuries, no guideline the grader can show: the key's own reason for the first-listed
    code is the rule the trainee reads (mutation testing: it was never checked)."""
    key = {
        "diagnoses": [
            {"code": "S52.531A", "rationale": "The fracture is what the visit treated"},
            "S60.511A",
        ]
    }
    (error,) = dx_errors(key, ["S60.511A", "S52.531A"], catalog)
    assert error[3] == (
        "You listed S60.511A first and S52.531A in position 2; S52.531A is the first-listed "
        "diagnosis. Rule: The fracture is what the visit treated."
    )
