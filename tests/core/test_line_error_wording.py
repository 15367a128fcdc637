"""Each procedure-line error exactly as the trainee reads it: type, expected and given values,
the explanation with its rule, the line and element it marks, and the revenue direction.

The other grading tests check that an error is found; these pin the whole error, so a change
to the wording, the element a line is marked on or the direction an auditor records shows up
here (mutation testing found most of these fields unchecked). Real codes throughout.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from trainer.core.claims import claim_from_dict, key_from_dict
from trainer.core.grading.grader import grade

DOS = date(2025, 11, 3)  # FY2026 ICD-10-CM, CY2025 CPT/HCPCS
KNEE_DX = ["M17.11"]
KNEE_LINE = {"code": "20610", "modifiers": ["RT"], "pointers": [1]}
KNEE = {"diagnoses": KNEE_DX, "lines": [KNEE_LINE]}
TITLE_20610 = "Arthrocentesis aspiration or injection major joint without imaging guidance"

RULE_MODIFIER = "The modifier tells the payer a fact about the service that the note supports."
RULE_EXTRA_MODIFIER = "A modifier is appended only when the note supports it."
RULE_UNITS = (
    "Units count what the code's descriptor measures (for a drug, the billing unit: 40 mg of "
    "a per-10-mg code is 4 units)."
)
RULE_MUE = (
    "Medically Unlikely Edits cap the units of a code per patient per day; a line over the cap "
    "is denied."
)
RULE_INVALID = "Only codes that exist in the code set can be reported."
RULE_DELETED = (
    "A code is valid only from its effective date until it is deleted; the code set in force "
    "on the date of service decides (ICD-10-CM changes each 1 October)."
)
RULE_ADDON = (
    "An add-on code describes work done in addition to a primary service and is paid only "
    "when one of its primary codes is on the same claim (NCCI add-on code edits)."
)
RULE_POINTER = (
    "The first diagnosis pointer on a line is the diagnosis that supports it; payers read "
    "medical necessity from it."
)
RULE_EXTRA = (
    "Report the conditions and services the note documents for this encounter; compare your "
    "codes with the key's codes and their rationales."
)


def line_errors(key: dict[str, Any], answer: dict[str, Any], catalog) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The line errors of grading ``answer`` against ``key``, as the feedback page gets them."""
    result = grade(
        key_from_dict(key), claim_from_dict(answer), date_of_service=DOS, catalog=catalog
    )
    return [e.to_dict() for e in result.errors if e.target == "line"]


def error(  # type: ignore[no-untyped-def]
    kind, expected, given, explanation, element, direction="neutral", index=0
) -> dict[str, Any]:
    return {
        "type": kind,
        "expected": expected,
        "given": given,
        "explanation": explanation,
        "target": "line",
        "index": index,
        "element": element,
        "direction": direction,
    }


def knee(**line: Any) -> dict[str, Any]:
    return {"diagnoses": KNEE_DX, "lines": [{"code": "20610", "pointers": [1], **line}]}


# -- modifiers -------------------------------------------------------------------------------


def test_a_missing_25_loses_the_separate_visit_and_names_the_keyed_rationale(catalog):
    key = {
        "diagnoses": KNEE_DX,
        "lines": [
            {"code": "99213", "modifiers": ["25"], "pointers": [1], "rationale": "separate E/M"},
            KNEE_LINE,
        ],
    }
    given = {"diagnoses": KNEE_DX, "lines": [{"code": "99213", "pointers": [1]}, KNEE_LINE]}
    assert line_errors(key, given, catalog) == [
        error(
            "missing_modifier",
            "25",
            None,
            "You reported 99213 without modifier 25; the note supports 99213-25. "
            "Rule: separate E/M.",
            "modifier",
            "under",
        )
    ]


def test_a_wrong_side_is_paired_first_and_the_other_missing_modifier_follows(catalog):
    """Keyed RT and XS, entered LT: the first missing modifier is read as the wrong one (RT
    for LT), the one left over (XS, a distinct-service modifier) as missing: payment lost."""
    key = {"diagnoses": KNEE_DX, "lines": [{**KNEE_LINE, "modifiers": ["RT", "XS"]}]}
    assert line_errors(key, knee(modifiers=["LT"]), catalog) == [
        error(
            "wrong_modifier",
            "RT",
            "LT",
            "You appended LT to 20610; the note supports RT. Rule: The modifier must match "
            "what was done (side, digit, component, distinct service).",
            "modifier",
        ),
        error(
            "missing_modifier",
            "XS",
            None,
            f"You reported 20610 without modifier XS; the note supports 20610-XS. "
            f"Rule: {RULE_MODIFIER}",
            "modifier",
            "under",
        ),
    ]


CHEST_DX = ["R05.9"]


def chest(*modifiers: str) -> dict[str, Any]:
    return {"diagnoses": CHEST_DX, "lines": [{"code": "71046", "modifiers": list(modifiers)}]}


def test_a_missing_26_bills_the_global_service_over_the_reading(catalog):
    assert line_errors(chest("26"), chest(), catalog) == [
        error(
            "missing_modifier",
            "26",
            None,
            f"You reported 71046 without modifier 26; the note supports 71046-26. "
            f"Rule: {RULE_MODIFIER}",
            "modifier",
            "over",
        )
    ]


@pytest.mark.parametrize(
    ("modifier", "direction"),
    [("26", "under"), ("TC", "under"), ("59", "over"), ("76", "neutral")],
)
def test_an_extra_modifier_has_the_direction_of_what_it_claims(catalog, modifier, direction):
    """26/TC on a global service bill a component only (under); 59 unbundles (over); a repeat
    modifier changes no payment direction."""
    assert line_errors(chest(), chest(modifier), catalog) == [
        error(
            "extra_modifier",
            None,
            modifier,
            f"You appended {modifier} to 71046; the note does not support it. "
            f"Rule: {RULE_EXTRA_MODIFIER}",
            "modifier",
            direction,
        )
    ]


def test_a_missing_side_modifier_is_neutral(catalog):
    assert line_errors(KNEE, knee(), catalog) == [
        error(
            "missing_modifier",
            "RT",
            None,
            f"You reported 20610 without modifier RT; the note supports 20610-RT. "
            f"Rule: {RULE_MODIFIER}",
            "modifier",
        )
    ]


# -- units -----------------------------------------------------------------------------------


def drug(code: str, units: int) -> dict[str, Any]:
    return {"diagnoses": KNEE_DX, "lines": [{"code": code, "units": units, "pointers": [1]}]}


@pytest.mark.parametrize(("units", "direction"), [(3, "under"), (5, "over")])
def test_drug_units_name_the_billing_unit_and_the_documented_dose(catalog, units, direction):
    assert line_errors(drug("J3301", 4), drug("J3301", units), catalog) == [
        error(
            "wrong_units",
            "4",
            str(units),
            f"You reported {units} units of J3301; J3301 is billed per 10 mg: the documented "
            f"40 mg is 4 units. Rule: {RULE_UNITS}",
            "units",
            direction,
        )
    ]


def test_a_cms_unit_given_as_per_1_ml_is_read_once(catalog):
    """A9156's CMS descriptor unit is "per 1 ml": the sentence said "billed per per 1 ml" and
    "3 units of per 1 ml" before the leading "per" was read as part of the phrase."""
    assert line_errors(drug("A9156", 3), drug("A9156", 4), catalog) == [
        error(
            "wrong_units",
            "3",
            "4",
            "You reported 4 units of A9156; A9156 is billed per 1 ml: the documented 3 ml is "
            f"3 units. Rule: {RULE_UNITS}",
            "units",
            "over",
        )
    ]


def test_a_dose_capped_unit_is_one_unit_a_dose(catalog):
    """A9503 is billed "up to 30 millicuries" a study dose: a cap, not a measure to multiply."""
    assert line_errors(drug("A9503", 1), drug("A9503", 2), catalog) == [
        error(
            "mue_exceeded",
            "1",
            "2",
            "You reported 2 units of A9503, over its MUE of 1 a day; A9503 is billed per dose "
            f"of up to 30 millicuries, one unit a dose: 1 unit. Rule: {RULE_MUE}",
            "units",
            "over",
        )
    ]


def test_units_of_a_service_say_one_unit_in_the_singular(catalog):
    assert line_errors(KNEE, knee(modifiers=["RT"], units=2), catalog) == [
        error(
            "wrong_units",
            "1",
            "2",
            f"You reported 2 units of 20610; the note supports 1 unit. Rule: {RULE_UNITS}",
            "units",
            "over",
        )
    ]


def injection(setting: str, units: int) -> dict[str, Any]:
    line: dict[str, Any] = {"code": "96372", "units": units, "pointers": [1]}
    if setting == "facility":
        line = {"code": "96372", "units": units, "revenue_code": "0260"}
    return {"diagnoses": ["M54.50"], "lines": [line], "setting": setting}


@pytest.mark.parametrize(("setting", "cap"), [("professional", 4), ("facility", 5)])
def test_the_mue_cap_is_the_claim_types_own(catalog, setting, cap):
    """96372's practitioner MUE is 4 a day, its outpatient hospital MUE 5: the cap itself is
    wrong units, one over it is the MUE error, each with the setting's own cap."""
    key = injection(setting, 1)
    at_cap = line_errors(key, injection(setting, cap), catalog)
    assert [e["type"] for e in at_cap] == ["wrong_units"]
    assert line_errors(key, injection(setting, cap + 1), catalog) == [
        error(
            "mue_exceeded",
            "1",
            str(cap + 1),
            f"You reported {cap + 1} units of 96372, over its MUE of {cap} a day; the note "
            f"supports 1 unit. Rule: {RULE_MUE}",
            "units",
            "over",
        )
    ]


# -- the code itself -------------------------------------------------------------------------


def test_a_wrong_code_names_both_codes_with_their_titles(catalog):
    assert line_errors(KNEE, knee(code="20611", modifiers=["RT"]), catalog) == [
        error(
            "wrong_code",
            "20610",
            "20611",
            "You reported 20611 (Arthrocentesis aspiration or injection major joint with "
            f"ultrasound guidance); the note supports 20610 ({TITLE_20610}). "
            "Rule: The code must describe what the note documents.",
            "code",
        )
    ]


def test_an_invalid_code_in_place_of_the_keyed_one_leaves_the_service_unpaid(catalog):
    assert line_errors(KNEE, knee(code="20619", modifiers=["RT"]), catalog) == [
        error(
            "invalid_code",
            "20610",
            "20619",
            f"You entered 20619: 20619 is not a CPT code; the note supports 20610 "
            f"({TITLE_20610}). Rule: {RULE_INVALID}",
            "code",
            "under",
        )
    ]


def test_a_deleted_cpt_code_is_not_valid_on_the_date_of_service(catalog):
    """49204 was deleted on 1 January 2025 (CPT 2025); 49205 stands for the service."""
    key = {"diagnoses": ["C56.1"], "lines": [{"code": "49205", "pointers": [1]}]}
    given = {"diagnoses": ["C56.1"], "lines": [{"code": "49204", "pointers": [1]}]}
    deleted = (
        "You entered 49204: 49204 was deleted on 2025-01-01 (CPT 2025) and is not valid on "
        "2025-11-03"
    )
    assert line_errors(key, given, catalog) == [
        error(
            "not_valid_on_dos",
            "49205",
            "49204",
            f"{deleted}; the note supports 49205 (CPT description licensed by the AMA (not "
            f"included)). Rule: {RULE_DELETED}",
            "code",
            "under",
        )
    ]
    extra = {**given, "lines": [{"code": "49205", "pointers": [1]}, *given["lines"]]}
    assert line_errors(key, extra, catalog) == [
        error(
            "not_valid_on_dos",
            None,
            "49204",
            f"{deleted}; the key has no such line. Rule: {RULE_DELETED}",
            "code",
            index=1,
        )
    ]


def test_an_invalid_extra_line_is_named_invalid_not_extra(catalog):
    given = {"diagnoses": KNEE_DX, "lines": [KNEE_LINE, {"code": "99201", "pointers": [1]}]}
    assert line_errors(KNEE, given, catalog) == [
        error(
            "invalid_code",
            None,
            "99201",
            f"You entered 99201: 99201 is not a CPT code; the key has no such line. "
            f"Rule: {RULE_INVALID}",
            "code",
            index=1,
        )
    ]


def test_an_extra_line_the_key_does_not_hold_claims_no_rule_it_cannot_name(catalog):
    given = {"diagnoses": KNEE_DX, "lines": [KNEE_LINE, {"code": "73560", "pointers": [1]}]}
    assert line_errors(KNEE, given, catalog) == [
        error(
            "extra_code",
            None,
            "73560",
            "You reported 73560 (X-ray knee one or two views); the key does not report it for "
            f"this encounter. Rule: {RULE_EXTRA}",
            "code",
            "over",
            index=1,
        )
    ]


def test_an_em_code_entered_for_a_procedure_is_an_extra_line_not_a_level(catalog):
    """An E/M code never pairs with a procedure: the procedure is missing, the visit extra."""
    errors = line_errors(KNEE, knee(code="99213", modifiers=["RT"]), catalog)
    assert [(e["type"], e["given"], e["direction"]) for e in errors] == [
        ("missing_code", None, "under"),
        ("extra_code", "99213", "over"),
    ]


# -- add-on codes ----------------------------------------------------------------------------


def test_an_add_on_without_its_primary_lists_all_six_primaries(catalog):
    """0663T has six type 1 primaries (96409-96417): all listed, no ellipsis."""
    key = {"diagnoses": ["C50.911"], "lines": [{"code": "96413", "pointers": [1]}]}
    given = {"diagnoses": ["C50.911"], "lines": [{"code": "0663T", "pointers": [1]}]}
    listed = "96409, 96411, 96413, 96415, 96416, 96417"
    addon = [e for e in line_errors(key, given, catalog) if e["type"] == "addon_without_primary"]
    assert addon == [
        error(
            "addon_without_primary",
            listed,
            "0663T",
            f"You reported the add-on code 0663T without its primary service; CMS pays 0663T "
            f"only with one of {listed} on the same claim (NCCI add-on code edit, type 1). "
            f"Rule: {RULE_ADDON}",
            "code",
            "over",
        )
    ]


def test_an_add_on_with_seven_primaries_lists_six_and_an_ellipsis(catalog):
    key = {"diagnoses": ["K57.30"], "lines": [{"code": "44140", "pointers": [1]}]}
    given = {"diagnoses": ["K57.30"], "lines": [{"code": "44139", "pointers": [1]}]}
    addon = [e for e in line_errors(key, given, catalog) if e["type"] == "addon_without_primary"]
    assert [e["expected"] for e in addon] == ["44140, 44141, 44143, 44144, 44145, 44146, ..."]


def test_a_type_2_add_on_is_not_held_to_a_primary_list(catalog):
    """15777 is a type 2 add-on (no primary list to check): an unkeyed 15777 is an extra line."""
    given = {"diagnoses": KNEE_DX, "lines": [KNEE_LINE, {"code": "15777", "pointers": [1]}]}
    assert [e["type"] for e in line_errors(KNEE, given, catalog)] == ["extra_code"]


# -- pointers --------------------------------------------------------------------------------

TWO_DX = ["M17.11", "E11.9"]
POINTER_KEY = {"diagnoses": TWO_DX, "lines": [KNEE_LINE]}


def pointed(pointers: list[int], diagnoses: list[str] = TWO_DX) -> dict[str, Any]:
    line = {"code": "20610", "modifiers": ["RT"], "pointers": pointers}
    return {"diagnoses": diagnoses, "lines": [line]}


@pytest.mark.parametrize(
    ("pointers", "diagnoses", "given", "entered", "lead"),
    [
        ([2, 1], TWO_DX, "BA", "Line 20610 points first at B (E11.9)", "M17.11"),
        ([], TWO_DX, None, "Line 20610 points at no diagnosis", "M17.11"),
        (
            [2],
            ["M17.9", "E11.9"],
            "B",
            "Line 20610 points first at B (E11.9)",
            "M17.11 (not on your claim)",
        ),
    ],
)
def test_a_wrong_first_pointer_says_where_it_points(
    catalog, pointers, diagnoses, given, entered, lead
):  # type: ignore[no-untyped-def]
    errors = line_errors(POINTER_KEY, pointed(pointers, diagnoses), catalog)
    assert [e for e in errors if e["element"] == "pointers"] == [
        error(
            "wrong_pointer",
            "A",
            given,
            f"{entered}; the first pointer must be the diagnosis that supports the line, "
            f"{lead}. Rule: {RULE_POINTER}",
            "pointers",
        )
    ]


def test_the_pointer_verdict_shows_the_keyed_and_the_entered_letters(catalog):
    result = grade(
        key_from_dict(POINTER_KEY),
        claim_from_dict(pointed([2, 1])),
        date_of_service=DOS,
        catalog=catalog,
    )
    verdict = next(e for e in result.lines[0].elements if e.element == "pointers")
    assert (verdict.expected, verdict.given, verdict.correct) == ("A", "BA", False)


# -- extra lines with a reason ---------------------------------------------------------------

TITLE_99213 = "Office visit established patient low decision making or 20+ minutes"


def test_an_unbundled_line_names_the_pair_the_indicator_and_the_ptp_rationale(catalog):
    key = {"diagnoses": ["R00.2"], "lines": [{"code": "93000", "pointers": [1]}]}
    given = {
        "diagnoses": ["R00.2"],
        "lines": [{"code": "93000", "pointers": [1]}, {"code": "93010", "pointers": [1]}],
    }
    assert line_errors(key, given, catalog) == [
        error(
            "ncci_unbundled",
            "93000",
            "93010",
            "You reported 93010 with 93000; NCCI bundles 93010 into 93000 (modifier indicator "
            "1) and the note supports no separate service. Rule: HCPCS/CPT procedure code "
            "definition.",
            "code",
            "over",
            index=1,
        )
    ]


def test_a_line_entered_twice_is_a_duplicate(catalog):
    key = {"diagnoses": ["J06.9"], "lines": [{"code": "99213", "pointers": [1]}]}
    line = {"code": "99213", "pointers": [1]}
    assert line_errors(key, {"diagnoses": ["J06.9"], "lines": [line, line]}, catalog) == [
        error(
            "extra_code",
            None,
            "99213",
            f"You reported 99213 ({TITLE_99213}) on more than one line; each code is reported "
            "once. Rule: A diagnosis is reported once per claim; a service once, with its units.",
            "code",
            "over",
            index=1,
        )
    ]


def test_the_same_code_with_other_modifiers_is_not_called_a_duplicate(catalog):
    """99213 and 99213-25 are two lines the trainee meant as two services: the second is an
    extra line the key lacks, not "each code is reported once"."""
    key = {"diagnoses": ["J06.9"], "lines": [{"code": "99213", "pointers": [1]}]}
    given = {
        "diagnoses": ["J06.9"],
        "lines": [
            {"code": "99213", "pointers": [1]},
            {"code": "99213", "modifiers": ["25"], "pointers": [1]},
        ],
    }
    assert line_errors(key, given, catalog) == [
        error(
            "extra_code",
            None,
            "99213",
            f"You reported 99213 ({TITLE_99213}); the key does not report it for this "
            "encounter. Rule: Report the conditions and services the note documents for this "
            "encounter; compare your codes with the key's codes and their rationales.",
            "code",
            "over",
            index=1,
        )
    ]


def test_a_decoy_entered_twice_gives_the_decoys_reason_not_duplicate(catalog):
    """The key's decoy says why the code is not reported at all; that wins over "once"."""
    decoy = {"code": "99213", "reason": "global_package", "rationale": ""}
    key = {
        "diagnoses": ["S52.531D"],
        "lines": [{"code": "99024", "pointers": [1]}],
        "not_coded": [decoy],
    }
    extra = {"code": "99213", "pointers": [1]}
    given = {"diagnoses": ["S52.531D"], "lines": [{"code": "99024", "pointers": [1]}, extra, extra]}
    shown = (
        f"You reported 99213 ({TITLE_99213}); the service is part of the global surgical "
        f"package. Rule: {GLOBAL_RULE}"
    )
    assert [e["explanation"] for e in line_errors(key, given, catalog)] == [shown, shown]


GLOBAL_RULE = (
    "Care included in a procedure's global period is paid with the procedure and not billed "
    "separately (CMS Claims Processing Manual ch. 12 \u00a740.1; CPT surgical package)."
)


@pytest.mark.parametrize(
    ("rationale", "shown"),
    [
        (
            "the follow-up falls inside the 90-day global period of the fracture care",
            "The follow-up falls inside the 90-day global period of the fracture care.",
        ),
        ("", GLOBAL_RULE),
    ],
)
def test_a_decoy_visit_in_the_global_period_gives_the_keys_reason(catalog, rationale, shown):
    """The key's decoy names why the visit is not billed; its own words win over the rule."""
    decoy = {"code": "99213", "reason": "global_package", "rationale": rationale}
    key = {
        "diagnoses": ["S52.531D"],
        "lines": [{"code": "99024", "pointers": [1]}],
        "not_coded": [decoy],
    }
    given = {
        "diagnoses": ["S52.531D"],
        "lines": [{"code": "99024", "pointers": [1]}, {"code": "99213", "pointers": [1]}],
    }
    assert line_errors(key, given, catalog) == [
        error(
            "extra_code",
            None,
            "99213",
            f"You reported 99213 ({TITLE_99213}); the service is part of the global surgical "
            f"package. Rule: {shown}",
            "code",
            "over",
            index=1,
        )
    ]


# -- E/M levels and the key's rationale ------------------------------------------------------


def visit(code: str, rationale: str = "") -> dict[str, Any]:
    line: dict[str, Any] = {"code": code, "pointers": [1]}
    if rationale:
        line["rationale"] = rationale
    return {"diagnoses": ["J06.9"], "lines": [line]}


def test_a_level_too_high_is_over_coding_with_the_keys_reason(catalog):
    key = visit("99213", "low MDM: an acute uncomplicated illness and OTC drugs")
    assert line_errors(key, visit("99214"), catalog) == [
        error(
            "em_level_high",
            "99213",
            "99214",
            "You reported 99214; the documentation supports 99213. Rule: low MDM: an acute "
            "uncomplicated illness and OTC drugs.",
            "code",
            "over",
        )
    ]


def test_a_level_too_low_loses_revenue_and_says_how_levels_are_set(catalog):
    assert line_errors(visit("99213"), visit("99212"), catalog) == [
        error(
            "em_level_low",
            "99213",
            "99212",
            "You reported 99212; the documentation supports 99213. Rule: The E/M level is set "
            "by medical decision making (two of three elements) or by total time where "
            "documented; reporting a lower level than the note supports loses revenue.",
            "code",
            "under",
        )
    ]


def test_a_wrong_code_cites_the_keyed_lines_rationale(catalog):
    key = {"diagnoses": KNEE_DX, "lines": [{**KNEE_LINE, "rationale": "the knee is a major joint"}]}
    (found,) = line_errors(key, knee(code="20611", modifiers=["RT"]), catalog)
    assert found["type"] == "wrong_code"
    assert found["explanation"].endswith("Rule: the knee is a major joint.")
    (invalid,) = line_errors(key, knee(code="20619", modifiers=["RT"]), catalog)
    assert invalid["type"] == "invalid_code"
    assert invalid["explanation"].endswith("Rule: the knee is a major joint.")
