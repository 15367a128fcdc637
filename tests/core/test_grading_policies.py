"""The three scoring policies on the same answers, and the audit's revenue direction."""

from datetime import date

import pytest

from trainer.core.claims import claim_from_dict, key_from_dict
from trainer.core.grading.grader import grade

DOS = date(2025, 11, 3)

# Knee injection: four keyed items, two diagnoses and two lines.
KEY = key_from_dict(
    {
        "diagnoses": ["M17.11", "Z79.899"],
        "lines": [
            {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
            {"code": "J3301", "units": 4, "pointers": [1]},
        ],
    }
)


def graded(policy, diagnoses, lines, catalog):
    claim = claim_from_dict({"diagnoses": diagnoses, "lines": lines})
    return grade(KEY, claim, policy, DOS, catalog=catalog)


RIGHT_LINES = [
    {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
    {"code": "J3301", "units": 4, "pointers": [1]},
]


def test_strict_a_wrong_modifier_makes_the_whole_line_wrong(catalog):
    lines = [{"code": "20610", "modifiers": ["LT"], "pointers": [1]}, RIGHT_LINES[1]]
    result = graded("strict", ["M17.11", "Z79.899"], lines, catalog)
    assert result.score == pytest.approx(3 / 4)
    assert result.lines[0].correct is False
    code_element = result.lines[0].elements[0]
    assert code_element.element == "code" and code_element.correct  # the code itself is right


def test_strict_divides_by_the_number_entered_when_more_than_the_key(catalog):
    result = graded("strict", ["M17.11", "Z79.899", "E11.9", "I10"], RIGHT_LINES, catalog)
    assert result.score == pytest.approx(4 / 6)


def test_audit_counts_extra_codes_in_the_denominator(catalog):
    result = graded("audit", ["M17.11", "Z79.899", "E11.9"], RIGHT_LINES, catalog)
    assert (result.code_correct, result.code_total) == (4, 5)
    assert result.score == pytest.approx(4 / 5)
    assert result.code_accuracy == result.score
    assert result.chart_correct is False


def test_audit_records_the_revenue_direction_of_each_error(catalog):
    lines = [
        {"code": "20610", "modifiers": ["RT"], "pointers": [1]},
        {"code": "J3301", "units": 2, "pointers": [1]},
    ]
    result = graded("audit", ["M17.11", "Z79.899", "E11.9"], lines, catalog)
    directions = {e.type: e.direction for e in result.errors}
    assert directions == {"extra_code": "over", "wrong_units": "under"}
    assert result.revenue_direction == {"under": 1, "over": 1, "neutral": 0}


def test_exam_one_point_per_keyed_item_and_extras_cost_a_point(catalog):
    result = graded("exam", ["M17.11", "Z79.899", "E11.9"], RIGHT_LINES, catalog)
    assert result.score == pytest.approx((4 - 1) / 4)
    nothing = graded("exam", ["E11.9", "I10", "J06.9"], [], catalog)
    assert nothing.score == 0.0


def test_chart_correct_only_when_every_item_is_right(catalog):
    assert graded("audit", ["M17.11", "Z79.899"], RIGHT_LINES, catalog).chart_correct
    assert not graded("audit", ["M17.11"], RIGHT_LINES, catalog).chart_correct


def test_all_three_scores_are_reported_whatever_the_policy(catalog):
    result = graded("strict", ["M17.11", "Z79.899", "E11.9"], RIGHT_LINES, catalog)
    scores = dict(result.scores)
    assert scores == {
        "strict": pytest.approx(4 / 5),
        "audit": pytest.approx(4 / 5),
        "exam": pytest.approx(3 / 4),
    }


def test_an_unknown_policy_is_a_programming_error(catalog):
    with pytest.raises(ValueError, match="policy"):
        graded("lenient", [], [], catalog)
