"""Second-tier review on real grades: overrides rescore the chart; sampling is an audit's."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.core.test_grading import KNEE, knee_answer
from trainer.core.grading.grader import grade
from trainer.core.stats.review_sampling import (
    Override,
    ReviewError,
    Submission,
    apply_overrides,
    quarter_of,
    review_sample,
)

DOS = date(2025, 11, 3)


def _graded(catalog, policy="strict", **answer):  # type: ignore[no-untyped-def]
    return grade(KNEE, knee_answer(**answer), policy, DOS, catalog=catalog).to_dict()


def test_overriding_a_wrong_verdict_to_correct_rescores_every_policy(catalog):
    # Unspecified knee for a documented right knee: a specificity error on diagnosis 1.
    result = _graded(catalog, diagnoses=("M17.10", "Z79.899"))
    verdict = result["diagnoses"][0]
    assert not verdict["correct"] and result["score"] == 0.75
    reviewed = apply_overrides(
        result,
        [
            Override(
                "diagnosis",
                verdict["key_index"],
                verdict["answer_index"],
                True,
                "Side documented only in the plan; payer accepts unspecified for this audit.",
            )
        ],
    )
    assert reviewed["score"] == 1.0
    assert reviewed["scores"] == {"strict": 1.0, "audit": 1.0, "exam": 1.0}
    assert reviewed["chart_correct"] is True
    assert reviewed["code_correct"] == 4 and reviewed["code_total"] == 4
    assert not any(e["target"] == "diagnosis" and e["index"] == 0 for e in reviewed["errors"])
    assert reviewed["diagnoses"][0]["grader_correct"] is False
    assert result["score"] == 0.75  # the stored automatic grade is not modified


def test_overriding_a_right_verdict_to_wrong_adds_the_reviewers_reason(catalog):
    result = _graded(catalog)
    line = result["lines"][1]  # J3301 x4, right by the grader
    reviewed = apply_overrides(
        result,
        [
            Override(
                "line",
                line["key_index"],
                line["answer_index"],
                False,
                "The note says 80 mg were drawn up; check the documented dose.",
            )
        ],
    )
    assert reviewed["score"] == 0.75 and reviewed["chart_correct"] is False
    error = [e for e in reviewed["errors"] if e["type"] == "reviewer_override"]
    assert len(error) == 1 and "80 mg" in error[0]["explanation"]
    assert reviewed["lines"][1]["errors"] == ["reviewer_override"]


def test_accepting_an_extra_code_stops_it_counting_against_the_chart(catalog):
    result = _graded(catalog, diagnoses=("M17.11", "Z79.899", "M25.561"))
    extra = next(v for v in result["diagnoses"] if v["key_index"] is None)
    assert result["score"] == 0.8 and result["code_total"] == 5
    reviewed = apply_overrides(
        result,
        [
            Override(
                "diagnosis",
                None,
                extra["answer_index"],
                True,
                "Knee pain is documented separately as a new complaint.",
            )
        ],
    )
    assert reviewed["score"] == 1.0 and reviewed["code_total"] == 4


def test_an_override_needs_a_reason(catalog):
    result = _graded(catalog)
    with pytest.raises(ReviewError):
        apply_overrides(result, [Override("line", 0, 0, False, "  ")])


def test_an_override_that_no_longer_matches_is_reported_not_dropped(catalog):
    result = _graded(catalog)
    reviewed = apply_overrides(result, [Override("line", 7, 7, False, "gone")])
    assert reviewed["review"]["unmatched"][0]["key_index"] == 7
    assert reviewed["score"] == 1.0


def _subs(user, specialty, count, start):  # type: ignore[no-untyped-def]
    return [
        Submission(user * 1000 + i, user, specialty, start + timedelta(days=i))
        for i in range(count)
    ]


def test_every_chart_below_target_then_ten_per_quarter():
    start = datetime(2026, 1, 5, tzinfo=UTC)
    weak = _subs(1, "radiology", 25, start)
    strong = _subs(2, "radiology", 40, start) + _subs(2, "cardiology", 40, start + timedelta(90))
    chosen = review_sample(weak + strong, {(1, "radiology")}, per_quarter=10, salt="c1")
    assert all(chosen[s.attempt_id] == "below_target" for s in weak)
    sampled = [s for s in strong if s.attempt_id in chosen]
    per_quarter: dict[str, int] = {}
    for s in sampled:
        per_quarter[quarter_of(s.submitted_at)] = per_quarter.get(quarter_of(s.submitted_at), 0) + 1
    assert per_quarter == {"2026-Q1": 10, "2026-Q2": 10}
    # Stable: the same inputs draw the same charts (every server agrees, no state kept).
    assert review_sample(weak + strong, {(1, "radiology")}, 10, "c1") == chosen
    assert review_sample(weak + strong, {(1, "radiology")}, 10, "c2") != chosen


def test_sample_size_is_bounded():
    start = datetime(2026, 1, 5, tzinfo=UTC)
    subs = _subs(3, "fqhc", 30, start)
    assert review_sample(subs, set(), per_quarter=0) == {}
    assert len(review_sample(subs, set(), per_quarter=10_000)) == 30
