"""Correcting a key regrades the answer; the stored key itself never changes."""

from datetime import date

from trainer.core.claims import key_from_dict
from trainer.core.grading.grader import grade
from trainer.core.grading.key_corrections import Correction, apply_corrections

DOS = date(2026, 3, 2)
KEY = key_from_dict(
    {"diagnoses": ["M17.12"], "lines": [{"code": "20610", "modifiers": ["LT"], "pointers": [1]}]}
)
ANSWER = key_from_dict(
    {"diagnoses": ["M17.11"], "lines": [{"code": "20610", "modifiers": ["LT"], "pointers": [1]}]}
).as_claim()


def test_replacing_a_wrong_key_code_turns_the_answer_right(catalog):
    assert not grade(KEY, ANSWER, "strict", DOS, catalog=catalog).chart_correct
    fixed = apply_corrections(KEY, [Correction({"M17.12": "M17.11"}, {}, "note says right")])
    assert fixed.diagnoses[0].code == "M17.11"
    assert "note says right" in fixed.diagnoses[0].rationale
    assert grade(fixed, ANSWER, "strict", DOS, catalog=catalog).chart_correct
    assert KEY.diagnoses[0].code == "M17.12"  # the original is untouched


def test_accepting_an_alternate(catalog):
    fixed = apply_corrections(KEY, [Correction({}, {"M17.12": ["M17.11"]})])
    assert fixed.diagnoses[0].code == "M17.12"
    assert grade(fixed, ANSWER, "strict", DOS, catalog=catalog).chart_correct


def test_corrections_apply_in_order():
    first = Correction({"M17.12": "M17.11"}, {})
    second = Correction({"M17.11": "M17.0"}, {})
    assert apply_corrections(KEY, [first, second]).diagnoses[0].code == "M17.0"


# --- changes that reach any part of a key (issue 17) -------------------------------------

import pytest  # noqa: E402

from trainer.core.claims import Claim, ServiceLine  # noqa: E402
from trainer.core.grading.key_corrections import (  # noqa: E402
    KeyChange,
    KeyChangeError,
    apply_change,
    changes_from,
)

# Iron-deficiency anaemia from heavy periods, an iron infusion: the key forgot the cause.
ANAEMIA = key_from_dict(
    {
        "diagnoses": ["D50.0", "Z79.899"],
        "lines": [
            {"code": "96365", "units": 1, "pointers": [1]},
            {"code": "J1756", "units": 2, "pointers": [1, 2]},
        ],
        "not_coded": [{"code": "N92.0", "reason": "not_documented"}],
    }
)


def test_adding_a_missing_diagnosis_shifts_the_pointers_and_drops_the_decoy(catalog):
    change = KeyChange("add_diagnosis", "N92.0", position=2, rationale="Cause documented.")
    fixed = apply_change(ANAEMIA, change, "the note names menorrhagia")
    assert [d.code for d in fixed.diagnoses] == ["D50.0", "N92.0", "Z79.899"]
    assert fixed.lines[1].line.pointers == (1, 3)  # Z79.899 moved from B to C
    assert "the note names menorrhagia" in fixed.diagnoses[1].rationale
    assert not fixed.not_coded
    answer = Claim(
        ("D50.0", "N92.0", "Z79.899"),
        (ServiceLine("96365", (), 1, None, (1,)), ServiceLine("J1756", (), 2, None, (1, 3))),
    )
    assert grade(fixed, answer, "strict", DOS, catalog=catalog).chart_correct
    assert not grade(ANAEMIA, answer, "strict", DOS, catalog=catalog).chart_correct


def test_removing_a_code_drops_its_pointers():
    fixed = apply_change(ANAEMIA, KeyChange("remove", "D50.0"))
    assert [d.code for d in fixed.diagnoses] == ["Z79.899"]
    assert fixed.lines[0].line.pointers == () and fixed.lines[1].line.pointers == (1,)
    no_line = apply_change(ANAEMIA, KeyChange("remove", "J1756"))
    assert [k.line.code for k in no_line.lines] == ["96365"]


def test_changing_units_modifiers_and_revenue_of_a_line(catalog):
    change = KeyChange("change_line", "J1756", modifiers=("JZ",), units=5, revenue_code="0636")
    fixed = apply_change(ANAEMIA, change, "500 mg at 100 mg per unit; no waste")
    line = fixed.lines[1].line
    assert (line.modifiers, line.units, line.revenue_code, line.pointers) == (
        ("JZ",),
        5,
        "0636",
        (1, 2),
    )
    assert "no waste" in fixed.lines[1].rationale
    assert ANAEMIA.lines[1].line.units == 2  # the stored key never changes


def test_adding_a_line_and_moving_a_diagnosis(catalog):
    added = apply_change(ANAEMIA, KeyChange("add_line", "85025", units=1, pointers=(1,)))
    assert added.lines[-1].line == ServiceLine("85025", (), 1, None, (1,))
    moved = apply_change(ANAEMIA, KeyChange("move_diagnosis", "Z79.899", position=1))
    assert [d.code for d in moved.diagnoses] == ["Z79.899", "D50.0"]
    assert moved.lines[0].line.pointers == (2,) and moved.lines[1].line.pointers == (2, 1)


def test_a_facility_line_added_carries_no_pointers():
    facility = key_from_dict({"setting": "facility", "diagnoses": ["R55"], "lines": []})
    fixed = apply_change(
        facility, KeyChange("add_line", "93005", revenue_code="0730", pointers=(1,))
    )
    assert fixed.lines[0].line.pointers == () and fixed.lines[0].line.revenue_code == "0730"


def test_a_change_whose_target_is_gone_is_skipped():
    assert apply_change(ANAEMIA, KeyChange("change_line", "99213", units=2)) == ANAEMIA
    assert apply_change(ANAEMIA, KeyChange("add_diagnosis", "D50.0")) == ANAEMIA


def test_changes_round_trip_and_bad_ones_are_refused():
    change = KeyChange("change_line", "J1756", modifiers=("JZ",), units=5)
    assert changes_from([change.to_dict()]) == (change,)
    with pytest.raises(KeyChangeError, match="one of"):
        changes_from([{"op": "rename", "code": "I10"}])
    with pytest.raises(KeyChangeError, match="units"):
        changes_from([{"op": "change_line", "code": "J1756", "units": "0"}])
    with pytest.raises(KeyChangeError, match="position"):
        changes_from([{"op": "move_diagnosis", "code": "I10"}])


# --- how far a correction reaches in the sequence: 25 on an inpatient claim, 12 otherwise ---

from dataclasses import replace  # noqa: E402

from trainer.core.grading.key_corrections import diagnosis_problem  # noqa: E402

# Real FY2026 ICD-10-CM codes a long stay may carry as secondary diagnoses.
SECONDARIES = (
    "E78.5 I10 E66.9 Z79.4 Z87.891 K21.9 F32.A G47.33 M81.0 N40.0 E03.9 Z79.01 Z95.5 "
    "I48.91 J45.909 F41.9 M19.90 E55.9 D64.9 G89.29 Z79.899 Z86.73 Z88.0 Z91.81 H40.9"
).split()


def _key(setting: str, count: int):  # type: ignore[no-untyped-def]
    data = {"setting": setting, "diagnoses": SECONDARIES[:count]}
    if setting == "inpatient":
        data["diagnoses"] = [{"code": c, "poa": "Y"} for c in SECONDARIES[:count]]
    return key_from_dict(data)


def test_an_inpatient_key_keeps_every_diagnosis_up_to_the_25th():
    """An add once cut the sequence at 12 on every key: an inpatient key of 14 lost its 13th
    and 14th diagnoses, and the added one, without a word."""
    key = _key("inpatient", 14)
    added = apply_change(key, KeyChange("add_diagnosis", "E87.1", position=13))
    assert [d.code for d in added.diagnoses] == [*SECONDARIES[:12], "E87.1", *SECONDARIES[12:14]]
    moved = apply_change(_key("inpatient", 25), KeyChange("move_diagnosis", "E78.5", position=25))
    assert [d.code for d in moved.diagnoses] == [*SECONDARIES[1:25], "E78.5"]
    assert diagnosis_problem(key, KeyChange("add_diagnosis", "E87.1", position=25)) is None


def test_a_change_is_read_up_to_position_25_and_held_to_its_claim():
    assert changes_from([{"op": "move_diagnosis", "code": "I10", "position": "25"}]) == (
        KeyChange("move_diagnosis", "I10", position=25),
    )
    with pytest.raises(KeyChangeError, match="position must be"):
        changes_from([{"op": "move_diagnosis", "code": "I10", "position": "26"}])
    move_13 = KeyChange("move_diagnosis", "I10", position=13)
    assert diagnosis_problem(_key("inpatient", 14), move_13) is None
    assert diagnosis_problem(_key("professional", 12), move_13) == (
        "I10: position 13 is past the claim's last diagnosis: a CMS-1500 carries 12 "
        "diagnoses (box 21, A-L)."
    )
    assert "outpatient UB-04 is keyed with at most 12" in str(
        diagnosis_problem(_key("facility", 12), move_13)
    )
    assert diagnosis_problem(_key("professional", 12), replace(move_13, position=12)) is None


def test_an_add_past_a_full_claim_is_a_problem_not_a_silent_drop():
    add = KeyChange("add_diagnosis", "E87.1")
    assert diagnosis_problem(_key("professional", 11), add) is None
    assert diagnosis_problem(_key("professional", 12), add) == (
        "E87.1 cannot be added: the key already holds 12 diagnoses and a CMS-1500 carries 12 "
        "diagnoses (box 21, A-L); remove one first."
    )
    assert diagnosis_problem(_key("inpatient", 24), add) is None
    assert "837I: the principal diagnosis and 24 others" in str(
        diagnosis_problem(_key("inpatient", 25), add)
    )
    assert diagnosis_problem(_key("professional", 12), KeyChange("remove", "I10")) is None


def test_a_correction_with_too_many_changes_is_refused_not_cut():
    """Once the changes past the 20th were dropped without a word."""
    adds = [{"op": "add_diagnosis", "code": c} for c in SECONDARIES]
    assert len(changes_from(adds)) == len(SECONDARIES) == 25
    with pytest.raises(KeyChangeError, match="at most 25 changes"):
        changes_from([*adds, {"op": "remove", "code": "I10"}])
