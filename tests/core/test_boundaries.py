"""Both sides of every threshold the grader, the claim edits and the status decision use.

Each test pins a boundary a mutation (``>`` for ``>=``, 40 for 45, 29 for 30) would move: the
value on the line and the value one step inside and outside it, on real codes.
"""

from __future__ import annotations

from datetime import date

import pytest

from trainer.core.claims import ServiceLine, claim_from_dict, key_from_dict
from trainer.core.grading.claim_edits import age_conflict, bypassed, replay_edits
from trainer.core.grading.em import time_code
from trainer.core.grading.grader import PatientFacts, grade
from trainer.core.grading.lookups import lookups_for
from trainer.core.stats.mastery import MIN_CHARTS, accuracy_status, wilson_interval

DOS = date(2025, 11, 3)


# ------------------------------------------------------------------ E/M time thresholds


@pytest.mark.parametrize(
    ("category", "minutes", "code"),
    [
        ("office_new", 14, None),
        ("office_new", 15, "99202"),
        ("office_new", 29, "99202"),
        ("office_new", 30, "99203"),
        ("office_new", 44, "99203"),
        ("office_new", 45, "99204"),  # 2021 office table: 45 minutes, not 40
        ("office_new", 59, "99204"),
        ("office_new", 60, "99205"),
        ("office_established", 9, None),
        ("office_established", 10, "99212"),
        ("office_established", 19, "99212"),
        ("office_established", 20, "99213"),
        ("office_established", 29, "99213"),
        ("office_established", 30, "99214"),
        ("office_established", 39, "99214"),
        ("office_established", 40, "99215"),
        ("ed", 90, None),  # ED levels are never chosen on time
    ],
)
def test_every_office_time_threshold_is_met_at_its_minute_and_not_one_before(
    category: str, minutes: int, code: str | None
) -> None:
    assert time_code(category, minutes) == code


# ------------------------------------------------------------------ MUE


def _one_line_key(units: int) -> object:
    return key_from_dict(
        {"diagnoses": ["M17.11"], "lines": [{"code": "20610", "modifiers": ["RT"], "units": units}]}
    )


def _one_line_answer(units: int) -> object:
    return claim_from_dict(
        {"diagnoses": ["M17.11"], "lines": [{"code": "20610", "modifiers": ["RT"], "units": units}]}
    )


def test_units_at_the_mue_are_wrong_units_and_one_over_is_an_mue_error(catalog) -> None:  # type: ignore[no-untyped-def]
    cap = catalog.mue("20610", DOS)
    assert cap == 2  # arthrocentesis of a major joint: 2 a day (one per knee)
    at_cap = grade(_one_line_key(1), _one_line_answer(cap), date_of_service=DOS, catalog=catalog)
    assert at_cap.error_types() == ("wrong_units",)
    over = grade(_one_line_key(1), _one_line_answer(cap + 1), date_of_service=DOS, catalog=catalog)
    assert over.error_types() == ("mue_exceeded",)


def test_the_claim_edit_pays_units_at_the_mue_and_denies_one_over(catalog) -> None:  # type: ignore[no-untyped-def]
    lk = lookups_for(catalog)
    cap = catalog.mue("20610", DOS)
    at_cap = replay_edits([ServiceLine("20610", ("RT",), cap, None, (1,))], ("M17.11",), DOS, lk)
    assert at_cap[0].action == "pay"
    over = replay_edits([ServiceLine("20610", ("RT",), cap + 1, None, (1,))], ("M17.11",), DOS, lk)
    assert (over[0].action, over[0].rule) == ("deny", "mue")
    # Units add up across lines of the same code on one date.
    split = [ServiceLine("20610", ("RT",), 1, None, (1,)), ServiceLine("20610", ("LT",), cap)]
    assert replay_edits(split, ("M17.11",), DOS, lk)[1].rule == "mue"


# ------------------------------------------------------------------ NCCI anatomic modifiers


def test_anatomic_modifiers_bypass_ncci_only_when_they_name_different_sites(catalog) -> None:  # type: ignore[no-untyped-def]
    # A real NCCI v30.2 practitioner pair with modifier indicator 1: 20611 (major joint with
    # ultrasound guidance) bundles 20610 (major joint without).
    edit = catalog.ncci_edit("20611", "20610", DOS)
    assert edit is not None and str(edit.modifier_indicator) == "1"
    lk = lookups_for(catalog)

    def column2(first: str, second: str) -> str:
        """The rule that decides the column 2 line (the second procedure is also reduced)."""
        lines = [ServiceLine("20611", (first,), 1, None, (1,)), ServiceLine("20610", (second,))]
        return replay_edits(lines, ("M17.11",), DOS, lk)[1].rule

    assert column2("RT", "LT") != "ncci_ptp"  # right knee and left knee: two sites
    assert column2("RT", "RT") == "ncci_ptp"  # same side: no separate site shown
    assert column2("LT", "LT") == "ncci_ptp"
    assert not bypassed({"RT"}, {"RT"}) and bypassed({"RT"}, {"LT"})
    assert not bypassed({"RT"}, set())  # one side alone shows no separate site
    assert bypassed({"F1"}, {"F2"}) and not bypassed({"F1"}, {"F1"})


# ------------------------------------------------------------------ newborn and perinatal age


@pytest.mark.parametrize(
    ("code", "age", "conflict"),
    [
        ("Z38.00", 0, False),  # liveborn infant: the birth record only
        ("Z38.00", 1, True),
        ("P07.30", 17, False),  # perinatal conditions may be coded into adolescence
        ("P07.30", 18, True),
        ("99213", 40, False),  # not a diagnosis: no age edit
    ],
)
def test_newborn_and_perinatal_codes_at_the_age_boundaries(
    code: str, age: int, conflict: bool
) -> None:
    assert age_conflict(code, age) is conflict


def test_a_newborn_code_a_year_after_birth_denies_the_line(catalog) -> None:  # type: ignore[no-untyped-def]
    lk = lookups_for(catalog)
    lines = [ServiceLine("99213", (), 1, None, (1,))]
    one = PatientFacts(age=1, sex="F")
    zero = PatientFacts(age=0, sex="F")
    assert replay_edits(lines, ("Z38.00",), DOS, lk, "professional", one)[0].rule == "age_sex"
    assert replay_edits(lines, ("Z38.00",), DOS, lk, "professional", zero)[0].action == "pay"


# ------------------------------------------------------------------ the status decision


def test_status_needs_exactly_the_minimum_number_of_charts() -> None:
    assert MIN_CHARTS == 30
    assert accuracy_status(400, 400, MIN_CHARTS - 1) == "not_enough_data"
    assert accuracy_status(400, 400, MIN_CHARTS) == "elite"
    assert accuracy_status(0, 0, 100) == "not_enough_data"  # no codes, no judgement


def test_the_status_uses_the_95_percent_wilson_bound_at_the_target() -> None:
    # 109/110: lower bound 0.9503 at z = 1.96 (at target); at z = 2.0 it would be 0.9489.
    assert wilson_interval(109, 110)[0] == pytest.approx(0.95029, abs=1e-5)
    assert accuracy_status(109, 110, 30) == "at_target"
    assert accuracy_status(108, 110, 30) == "below_target"
    # 104/105: 0.9480 at z = 1.96 (below); a z of 1.9 would put it at 0.9501, at target.
    assert accuracy_status(104, 105, 30) == "below_target"


def test_elite_starts_where_the_lower_bound_reaches_the_elite_level() -> None:
    assert accuracy_status(125, 125, 30) == "elite"  # lower bound 0.9702
    assert accuracy_status(124, 125, 30) == "at_target"
    assert accuracy_status(125, 125, 30, target=0.95, elite=0.971) == "at_target"


# ------------------------------------------------------------------ survivors of mutmut


def test_wilson_interval_edges() -> None:
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(1, 1) == pytest.approx((0.2065, 1.0), abs=1e-4)
    assert accuracy_status(1, 1, 30) == "below_target"  # one code is evidence, if little


def test_an_unknown_mdm_element_level_counts_as_straightforward() -> None:
    from trainer.core.grading.em import mdm_level

    assert mdm_level("unheard-of", "unheard-of", "low") == "straightforward"
    assert mdm_level("unheard-of", "low", "low") == "low"


def test_the_em_explanation_serialises_every_field_under_its_name() -> None:
    from trainer.core.claims import EMFacts
    from trainer.core.grading.em import explain_em

    facts = EMFacts("office_established", "moderate", "low", "moderate", total_minutes=25)
    data = explain_em(facts, "99213").to_dict()
    assert {k: data[k] for k in ("category", "code", "basis", "mdm_level", "mdm_code")} == {
        "category": "office_established",
        "code": "99214",
        "basis": "mdm",
        "mdm_level": "moderate",
        "mdm_code": "99214",
    }
    assert (data["total_minutes"], data["time_code"]) == (25, "99213")
    assert (data["given_code"], data["given_level"]) == ("99213", "low")
    assert data["deciding"] == ["problems", "risk"]
    assert data["departs"] == ["problems", "risk"]
    assert [e["element"] for e in data["elements"]] == ["problems", "data", "risk"]
    problems = data["elements"][0]
    assert (problems["level"], problems["sets_level"], problems["departs"]) == (
        "moderate",
        True,
        True,
    )
    assert problems["words"].startswith("a chronic illness with exacerbation")
    assert data["elements"][1]["sets_level"] is False
    assert "99214" in data["summary"] and "99213" in data["summary"]
    assert set(data) == {
        "category", "code", "basis", "mdm_level", "mdm_code", "elements", "deciding",
        "total_minutes", "time_code", "given_code", "given_level", "departs", "summary",
    }  # fmt: skip


def test_the_level_a_given_code_claims() -> None:
    from trainer.core.claims import EMFacts
    from trainer.core.grading.em import explain_em

    facts = EMFacts("office_established", "low", "low", "low")
    assert explain_em(facts, "99211").given_level == "below straightforward"
    assert explain_em(facts, "99203").given_level is None  # a new-patient code: no level here
    assert explain_em(facts, None).given_level is None
    assert explain_em(facts, "99215").given_level == "high"
