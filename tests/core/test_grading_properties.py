"""Properties: a key graded against itself is perfect; nothing a user sends crashes the grader."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.core.claims import (
    AnswerKey,
    Claim,
    EMFacts,
    KeyedDiagnosis,
    KeyedLine,
    ServiceLine,
)
from trainer.core.grading.grader import POLICIES, PatientFacts, grade

REAL_DX = [
    "M17.11",
    "M17.12",
    "M17.9",
    "Z79.899",
    "I10",
    "I12.9",
    "N18.30",
    "S52.501A",
    "T36.0X1A",
    "Z12.11",
    "K63.5",
    "O80",
    "N40.0",
    "P07.30",
    "E11.9",
    "M17.1",
]
REAL_PROC = [
    "20610",
    "J3301",
    "99213",
    "99214",
    "99284",
    "93000",
    "93010",
    "45385",
    "73721",
    "76805",
    "55700",
    "11042",
]
MODIFIERS = ["RT", "LT", "50", "59", "XS", "25", "26", "TC", "PT", "51", "GA"]
LEVELS = ["straightforward", "low", "moderate", "high"]

junk = st.text(max_size=12)
dx_code = st.one_of(st.sampled_from(REAL_DX), junk)
proc_code = st.one_of(st.sampled_from(REAL_PROC), junk)
lines = st.builds(
    ServiceLine,
    code=proc_code,
    modifiers=st.lists(st.one_of(st.sampled_from(MODIFIERS), junk), max_size=4).map(tuple),
    units=st.integers(min_value=-5, max_value=99_999),
    revenue_code=st.one_of(st.none(), st.sampled_from(["0450", "0510", "450", "0636"]), junk),
    pointers=st.lists(st.integers(min_value=-1, max_value=14), max_size=4).map(tuple),
)
claims = st.builds(
    Claim,
    diagnoses=st.lists(dx_code, max_size=8).map(tuple),
    lines=st.lists(lines, max_size=6).map(tuple),
)
em_facts = st.one_of(
    st.none(),
    st.builds(
        EMFacts,
        category=st.sampled_from(["office_new", "office_established", "ed"]),
        problems=st.sampled_from(LEVELS),
        data=st.sampled_from(LEVELS),
        risk=st.sampled_from(LEVELS),
        total_minutes=st.one_of(st.none(), st.integers(min_value=1, max_value=300)),
    ),
)
keys = st.builds(
    AnswerKey,
    diagnoses=st.lists(
        st.builds(
            KeyedDiagnosis, code=dx_code, alternates=st.lists(dx_code, max_size=2).map(tuple)
        ),
        max_size=6,
    ).map(tuple),
    lines=st.lists(
        st.builds(KeyedLine, line=lines, alternates=st.lists(proc_code, max_size=2).map(tuple)),
        max_size=5,
    ).map(tuple),
    setting=st.sampled_from(["professional", "facility"]),
    alternate_sets=st.lists(claims, max_size=2).map(tuple),
    em=em_facts,
)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
patients = st.one_of(
    st.none(),
    st.builds(
        PatientFacts, age=st.integers(min_value=0, max_value=120), sex=st.sampled_from(["F", "M"])
    ),
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(key=keys, dos=dates)
def test_a_key_graded_against_itself_scores_full_marks_under_every_policy(catalog, key, dos):
    for policy in POLICIES:
        result = grade(key, key.as_claim(), policy, dos, catalog=catalog)
        assert result.score == 1.0, (policy, result.error_types())
        assert result.chart_correct


@SETTINGS
@given(key=keys, answer=claims, dos=dates, patient=patients, policy=st.sampled_from(POLICIES))
def test_no_input_crashes_the_grader(catalog, key, answer, dos, patient, policy):
    result = grade(key, answer, policy, dos, catalog=catalog, patient=patient)
    assert 0.0 <= result.score <= 1.0
    assert len(result.edits) == len(answer.lines)
    assert all(error.explanation for error in result.errors)
    result.to_dict()
