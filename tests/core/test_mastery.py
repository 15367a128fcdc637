"""Accuracy statistics: the Wilson interval and the status a trainee is shown."""

import pytest

from trainer.core.stats.mastery import AccuracySummary, accuracy_status, wilson_interval


def test_wilson_interval_matches_the_textbook_value():
    # 95 of 100 correct: Wilson 95% interval is about 0.888-0.978 (Newcombe 1998).
    low, high = wilson_interval(95, 100)
    assert low == pytest.approx(0.8883, abs=5e-4)
    assert high == pytest.approx(0.9785, abs=5e-4)


def test_wilson_interval_of_perfect_small_sample_is_wide():
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0)
    assert low < 0.75  # ten perfect charts do not prove 95%


def test_no_evidence_gives_the_whole_range():
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_status_needs_thirty_charts_before_judging():
    assert accuracy_status(100, 100, charts=29) == "not_enough_data"


def test_status_uses_the_lower_bound_not_the_point_estimate():
    # 96% point estimate on 100 codes: lower bound ~0.90, so not yet at target.
    assert accuracy_status(96, 100, charts=40) == "below_target"
    # The same rate on 2,000 codes: lower bound ~0.951, at target.
    assert accuracy_status(1920, 2000, charts=400) == "at_target"


def test_elite_when_lower_bound_reaches_97_percent():
    assert accuracy_status(1980, 2000, charts=400) == "elite"


def test_summary_reports_gap_and_both_levels():
    summary = AccuracySummary(charts=40, charts_correct=30, codes_correct=180, codes_total=200)
    assert summary.code_accuracy == pytest.approx(0.9)
    assert summary.chart_accuracy == pytest.approx(0.75)
    assert summary.gap_to_target == pytest.approx(-0.05)
    assert summary.status == "below_target"


def test_missed_families_come_back_after_1_3_and_7_days():
    from datetime import date

    from trainer.core.stats.mastery import FamilyHistory

    missed = FamilyHistory("M17", date(2026, 3, 2))
    assert missed.due_on() == date(2026, 3, 3)
    once = FamilyHistory("M17", date(2026, 3, 2), 1, date(2026, 3, 3))
    assert once.due_on() == date(2026, 3, 6)
    twice = FamilyHistory("M17", date(2026, 3, 2), 2, date(2026, 3, 6))
    assert twice.due_on() == date(2026, 3, 13)
    assert FamilyHistory("M17", date(2026, 3, 2), 3, date(2026, 3, 13)).due_on() is None


def test_next_chart_prefers_due_reviews_then_the_weakest_specialty():
    from datetime import date

    from trainer.core.stats.mastery import FamilyHistory, choose_next

    summaries = {
        "orthopaedics": AccuracySummary(40, 35, 190, 200),
        "primary_care": AccuracySummary(40, 20, 150, 200),
    }
    by_specialty = {"orthopaedics": {"M17", "S52"}, "primary_care": {"E11", "992"}}
    due = [FamilyHistory("S52", date(2026, 3, 1))]
    pick = choose_next(summaries, due, by_specialty, date(2026, 3, 2))
    assert (pick.specialty, pick.family) == ("orthopaedics", "S52")
    # The reason is shown with the chart, before the answer: it must not name the family.
    assert "Spaced review" in pick.reason and "S52" not in pick.reason
    pick = choose_next(summaries, [], by_specialty, date(2026, 3, 2))
    assert pick.specialty == "primary_care" and pick.family is None
    assert "weakest" in pick.reason
    not_due = [FamilyHistory("S52", date(2026, 3, 2))]
    assert choose_next(summaries, not_due, by_specialty, date(2026, 3, 2)).family is None


def test_certification_needs_the_minimum_charts_and_a_lower_bound_at_target():
    from trainer.core.stats.mastery import CERTIFICATION_MIN_CHARTS, CertificationEvidence

    # All codes right: the Wilson lower bound reaches 95% at 73 codes (73/(73+z^2) = 0.95002),
    # not at 72 (0.94936).
    at = CertificationEvidence(CERTIFICATION_MIN_CHARTS, 0, 73, 73, 0.95)
    below = CertificationEvidence(CERTIFICATION_MIN_CHARTS, 0, 72, 72, 0.95)
    assert at.ready and at.shortfall() is None and 0.95 <= at.wilson_low < 0.9501
    assert not below.ready and "94.9%" in (below.shortfall() or "")
    # Perfect accuracy on too few charts is not evidence.
    few = CertificationEvidence(CERTIFICATION_MIN_CHARTS - 1, 0, 500, 500, 0.95)
    assert not few.ready and f"of the {CERTIFICATION_MIN_CHARTS} charts" in (few.shortfall() or "")
    assert not CertificationEvidence(40, 0, 0, 0, 0.95).ready
    # A higher (elite) target needs more.
    assert not CertificationEvidence(30, 0, 73, 73, 0.97).ready
