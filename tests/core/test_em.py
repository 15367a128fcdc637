"""E/M levels: MDM by two of three elements, office time thresholds, ED on MDM only."""

import pytest

from trainer.core.claims import EMFacts
from trainer.core.grading.em import (
    code_level,
    em_family,
    em_level,
    explain_em,
    mdm_level,
    time_code,
)


@pytest.mark.parametrize(
    ("problems", "data", "risk", "level"),
    [
        ("moderate", "low", "moderate", "moderate"),  # problems + risk set it
        ("high", "straightforward", "low", "low"),  # only one element is high
        ("low", "low", "high", "low"),
        ("high", "high", "straightforward", "high"),
        ("straightforward", "moderate", "straightforward", "straightforward"),
        ("low", "moderate", "high", "moderate"),  # the middle of three
    ],
)
def test_mdm_is_the_level_two_of_three_elements_meet(problems, data, risk, level):
    assert mdm_level(problems, data, risk) == level


def test_established_office_visit_from_mdm():
    # Two stable chronic illnesses (moderate problems), prescription drug management
    # (moderate risk), one lab reviewed (low data): moderate MDM, 99214.
    facts = EMFacts("office_established", "moderate", "low", "moderate")
    assert em_level(facts) == "99214"


def test_new_patient_office_visit_from_mdm():
    assert em_level(EMFacts("office_new", "low", "low", "straightforward")) == "99203"
    assert em_level(EMFacts("office_new", "high", "high", "moderate")) == "99205"


def test_time_wins_when_it_gives_the_higher_level():
    # Low MDM is 99213, but 42 minutes of total time meets the 40-minute 99215 threshold.
    facts = EMFacts("office_established", "low", "low", "low", total_minutes=42)
    assert em_level(facts) == "99215"
    explanation = explain_em(facts, "99213")
    assert explanation.basis == "time"
    assert explanation.time_code == "99215"
    assert "time" in explanation.departs


def test_mdm_wins_when_time_is_lower():
    facts = EMFacts("office_new", "moderate", "moderate", "moderate", total_minutes=20)
    assert em_level(facts) == "99204"
    assert explain_em(facts).basis == "mdm"


@pytest.mark.parametrize(
    ("category", "minutes", "code"),
    [
        ("office_new", 14, None),
        ("office_new", 15, "99202"),
        ("office_new", 30, "99203"),
        ("office_new", 59, "99204"),
        ("office_new", 60, "99205"),
        ("office_established", 9, None),
        ("office_established", 10, "99212"),
        ("office_established", 20, "99213"),
        ("office_established", 30, "99214"),
        ("office_established", 40, "99215"),
        ("ed", 90, None),  # ED visits are never levelled on time
    ],
)
def test_time_thresholds(category, minutes, code):
    assert time_code(category, minutes) == code


def test_ed_levels_follow_mdm_only_and_straightforward_is_99282():
    assert em_level(EMFacts("ed", "straightforward", "straightforward", "low")) == "99282"
    assert em_level(EMFacts("ed", "moderate", "moderate", "low")) == "99284"
    assert em_level(EMFacts("ed", "high", "low", "high", total_minutes=200)) == "99285"
    assert "never on time" in explain_em(EMFacts("ed", "low", "low", "low")).summary


def test_explanation_names_the_deciding_elements_and_where_the_trainee_departs():
    facts = EMFacts("office_established", "low", "straightforward", "low")
    explanation = explain_em(facts, "99214")
    assert explanation.code == "99213"
    assert explanation.deciding == ("problems", "risk")
    # 99214 claims moderate MDM: every element falls short of moderate.
    assert explanation.departs == ("problems", "data", "risk")
    assert explanation.given_level == "moderate"
    assert "99214" in explanation.summary and "99213" in explanation.summary
    by_name = {e.element: e for e in explanation.elements}
    assert by_name["data"].sets_level is False
    assert "prescription" not in by_name["risk"].words


def test_under_levelled_visit_departs_on_the_elements_that_support_more():
    facts = EMFacts("office_established", "moderate", "low", "moderate")
    explanation = explain_em(facts, "99213")
    assert explanation.code == "99214"
    assert explanation.departs == ("problems", "risk")


def test_all_three_elements_at_the_level_report_two_deciders():
    facts = EMFacts("office_new", "moderate", "moderate", "moderate")
    assert len(explain_em(facts).deciding) == 2


def test_families_and_levels():
    assert em_family("99214") == "office_established"
    assert em_family("99203") == "office_new"
    assert em_family("99284") == "ed"
    assert em_family("20610") is None
    assert code_level("99215") > code_level("99213")
    assert code_level("99281") == 0
