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
