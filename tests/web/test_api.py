"""JSON API v1: grading, look-up, validation and diff, with 400s that name the field."""

import pytest

KNEE_KEY = {
    "diagnoses": ["M17.11"],
    "lines": [
        {"code": "20610", "modifiers": ["RT"], "units": 1, "pointers": [1]},
        {"code": "J3301", "units": 4, "pointers": [1]},
    ],
}


def grade_body(**changes):
    body = {
        "key": KNEE_KEY,
        "answer": KNEE_KEY,
        "policy": "strict",
        "date_of_service": "2026-03-02",
        "setting": "professional",
    }
    body.update(changes)
    return body


def test_api_needs_a_login(client, users):
    response = client.post("/api/v1/grade", json=grade_body())
    assert response.status_code == 401
    assert response.get_json()["error"] == "Authentication required."


def test_grading_the_key_against_itself_scores_100(client, auth):
    auth.login()
    data = client.post("/api/v1/grade", json=grade_body()).get_json()
    assert data["score"] == 1.0
    assert data["chart_correct"] is True
    assert data["errors"] == []


def test_unspecified_knee_is_a_laterality_or_specificity_error(client, auth):
    auth.login()
    answer = {**KNEE_KEY, "diagnoses": ["M17.9"]}
    data = client.post("/api/v1/grade", json=grade_body(answer=answer)).get_json()
    assert data["chart_correct"] is False
    types = {e["type"] for e in data["errors"]}
    assert types & {"specificity", "laterality"}
    assert any("M17.9" in e["explanation"] for e in data["errors"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"policy": "lenient"}, "policy"),
        ({"date_of_service": "03/02/2026"}, "date_of_service"),
        ({"date_of_service": None}, "date_of_service"),
        ({"setting": "outpatient"}, "setting"),
        ({"key": "M17.11"}, "key"),
        ({"answer": {"diagnoses": "M17.11"}}, "answer.diagnoses"),
        ({"answer": {"lines": [{"code": "20610", "units": "lots"}]}}, "answer.lines[0].units"),
        ({"date_of_service": "1999-01-01"}, "dos"),
    ],
)
def test_malformed_grade_requests_name_the_field(client, auth, changes, field):
    auth.login()
    response = client.post("/api/v1/grade", json=grade_body(**changes))
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_grade_runs_the_sex_edit_with_the_patient_given(client, auth):
    # 55700 (prostate biopsy) sits in the male genital system range: denied for a woman only.
    key = {"diagnoses": ["R97.20"], "lines": [{"code": "55700", "units": 1, "pointers": [1]}]}
    auth.login()
    female = {"age": 64, "sex": "F"}
    male = {"age": 64, "sex": "M", "payer": "Medicare Part B"}
    denied = client.post(
        "/api/v1/grade", json=grade_body(key=key, answer=key, patient=female)
    ).get_json()
    assert (denied["edits"][0]["action"], denied["edits"][0]["rule"]) == ("deny", "age_sex")
    paid = client.post("/api/v1/grade", json=grade_body(key=key, answer=key, patient=male))
    assert paid.get_json()["edits"][0]["action"] == "pay"
    unknown = client.post("/api/v1/grade", json=grade_body(key=key, answer=key)).get_json()
    assert unknown["edits"][0]["action"] == "pay"  # no patient, no age/sex edit


@pytest.mark.parametrize(
    ("patient", "field"),
    [
        ("F", "patient"),
        ({"age": -1, "sex": "F"}, "patient.age"),
        ({"age": True, "sex": "F"}, "patient.age"),
        ({"age": 40, "sex": "X"}, "patient.sex"),
        ({"age": 40, "sex": "M", "payer": 7}, "patient.payer"),
    ],
)
def test_bad_patient_is_a_400_naming_the_field(client, auth, patient, field):
    auth.login()
    response = client.post("/api/v1/grade", json=grade_body(patient=patient))
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_validate_carries_the_2026_note_for_cpt(client, auth):
    auth.login()
    data = client.get("/api/v1/codes/validate?code=74300&kind=cpt&dos=2026-02-02").get_json()
    assert data["valid"] is True
    assert "2025 code set" in data["note"]


@pytest.mark.parametrize("payload", [b"", b"{", b"\xff\xfe\x00", b"[]", b"x" * 10_000])
def test_garbage_bodies_are_400(client, auth, payload):
    auth.login()
    response = client.post("/api/v1/grade", data=payload, content_type="application/json")
    assert response.status_code == 400


def test_validate_reports_a_header_code(client, auth):
    auth.login()
    data = client.get("/api/v1/codes/validate?code=M17&kind=icd10cm&dos=2026-03-02").get_json()
    assert data["valid"] is False
    assert data["reason"] == "header"
    assert "M17.11" in data["suggestions"]


def test_validate_normalises_as_coders_type(client, auth):
    auth.login()
    data = client.get("/api/v1/codes/validate?code=m1711&kind=icd10cm&dos=2026-03-02").get_json()
    assert data == {**data, "valid": True, "code": "M17.11", "reason": None}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("code=M17.11&dos=2026-03-02", "kind"),
        ("code=M17.11&kind=icd9&dos=2026-03-02", "kind"),
        ("code=M17.11&kind=icd10cm&dos=yesterday", "dos"),
        ("kind=icd10cm&dos=2026-03-02", "code"),
        ("code=" + "M" * 100 + "&kind=icd10cm&dos=2026-03-02", "code"),
    ],
)
def test_validate_bad_parameters(client, auth, query, field):
    auth.login()
    response = client.get(f"/api/v1/codes/validate?{query}")
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_search_ranks_the_exact_code_first(client, auth):
    auth.login()
    data = client.get("/api/v1/codes/search?q=M17.11&dos=2026-03-02").get_json()
    assert data["results"][0]["code"] == "M17.11"


def test_search_needs_a_query(client, auth):
    auth.login()
    assert client.get("/api/v1/codes/search?q=").status_code == 400


def test_diff_counts_fy2025_to_fy2026(client, auth):
    auth.login()
    data = client.get("/api/v1/codesets/diff?set=icd10cm&from=2025&to=2026").get_json()
    assert 450 <= len(data["added"]) <= 520
    assert 20 <= len(data["deleted"]) <= 40


def test_diff_bad_year_is_400(client, auth):
    auth.login()
    response = client.get("/api/v1/codesets/diff?set=icd10cm&from=1990&to=2026")
    assert response.status_code == 400
    assert response.get_json()["field"] == "from"
