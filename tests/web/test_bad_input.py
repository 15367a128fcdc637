"""Bad input is a 4xx with a message that says what to fix, never a 500 (issue 14).

Each test here sends one input that answered with a 500 before the fix.
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Attempt, Cohort, CohortMember, User


@pytest.fixture
def server_errors(app):  # type: ignore[no-untyped-def]
    """Let the app answer 500s as a server would (the tests assert there are none)."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _cohort(app, users, name: str = "Night class") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        cohort = Cohort(name=name, supervisor_id=users["supervisor"], join_code="NIGHT1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=users["trainee"]))
        db.session.commit()
        return cohort.id


@pytest.mark.parametrize("limit", ["²", "٣", "１２", "9" * 30, "-1"])
def test_search_limit_with_unicode_or_huge_digits_is_a_400(server_errors, client, auth, limit):
    auth.login()
    response = client.get("/api/v1/codes/search", query_string={"q": "knee", "limit": limit})
    assert response.status_code == 400
    assert response.get_json()["field"] == "limit"


def test_codeset_diff_years_in_superscript_digits_are_a_400(server_errors, client, auth):
    auth.login()
    response = client.get(
        "/api/v1/codesets/diff", query_string={"set": "icd10cm", "from": "²⁰²⁵", "to": "2026"}
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "from"


@pytest.mark.parametrize("path", ["/practice/attempt/{}", "/api/v1/attempts/{}"])
def test_a_30_digit_id_in_a_url_is_a_404(server_errors, client, auth, path):
    auth.login()
    assert client.get(path.format("9" * 30)).status_code == 404
    assert client.get(path.format(2**63)).status_code == 404  # one past BIGINT
    assert client.get(path.format(2**31)).status_code == 404  # one past PostgreSQL INTEGER
    assert client.get(path.format("%D9%A3")).status_code == 404  # Arabic-Indic 3


def test_the_largest_id_is_looked_up_not_overflowed(server_errors, client, auth):
    auth.login()
    # 2**31-1 is the largest value of a PostgreSQL INTEGER id column: looked up, not found.
    assert client.get(f"/practice/attempt/{2**31 - 1}").status_code == 404


def test_a_refresher_slug_with_superscript_year_is_a_404(server_errors, client, auth):
    auth.login()
    assert client.get("/updates/icd10cm-²²²²").status_code == 404


def _claim(code: str = "27447", units: object = 1, pointers: object = (1,)) -> dict:
    return {
        "diagnoses": ["M17.11"],
        "lines": [{"code": code, "units": units, "pointers": pointers}],
    }


@pytest.mark.parametrize(
    "answer",
    [
        "not an object",
        {"diagnoses": [["M17.11"]], "lines": []},
        {"diagnoses": ["M17.11"], "lines": {"code": "27447"}},
        _claim(units="²"),
        _claim(pointers=["²"]),
        _claim(units="٣"),
    ],
)
def test_a_malformed_answer_to_the_api_submit_is_a_400_naming_the_field(
    server_errors, client, auth, answer
):
    auth.login()
    started = client.post("/api/v1/exercises/start", json={"specialty": "orthopaedics"})
    attempt_id = started.get_json()["attempt_id"]
    response = client.post(f"/api/v1/attempts/{attempt_id}/submit", json={"answer": answer})
    assert response.status_code == 400
    assert response.get_json()["field"].startswith("answer")
    with server_errors.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"  # nothing graded


def test_a_superscript_cpt_code_is_graded_as_wrong_not_a_crash(server_errors, client, auth):
    auth.login()
    body = {
        "key": _claim(),
        "answer": _claim(code="²²²²²"),
        "date_of_service": "2026-01-05",
    }
    response = client.post("/api/v1/grade", json=body)
    assert response.status_code == 200
    assert response.get_json()["code_correct"] < response.get_json()["code_total"]


@pytest.mark.parametrize("units", ["²", "٣", "１"])
def test_unicode_units_in_the_entry_panel_are_a_field_error(server_errors, client, auth, units):
    auth.login()
    started = client.post("/api/v1/exercises/start", json={"specialty": "orthopaedics"})
    attempt_id = started.get_json()["attempt_id"]
    response = client.post(
        f"/practice/attempt/{attempt_id}/submit",
        data={"diagnoses-0": "M17.11", "lines-0-code": "27447", "lines-0-units": units},
    )
    assert response.status_code == 400
    assert "units must be a whole number" in response.get_data(as_text=True)


def test_deeply_nested_json_is_a_400_json_error(server_errors, client, auth):
    auth.login()
    for path in ("/api/v1/grade", "/practice/attempt/1/draft"):
        response = client.post(path, data="[" * 100_000, content_type="application/json")
        assert response.status_code == 400, path
        assert "nests deeper than" in response.get_json()["error"]
    nested: object = "x"
    for _ in range(20):  # well under Python's limit, over JSON_MAX_DEPTH
        nested = [nested]
    shallow_but_too_deep = json.dumps({"answer": nested})
    response = client.post(
        "/api/v1/grade", data=shallow_but_too_deep, content_type="application/json"
    )
    assert response.status_code == 400


def test_an_oversized_json_body_is_a_413_json_error(server_errors, client, auth):
    auth.login()
    big = json.dumps({"answer": "x" * (server_errors.config["JSON_MAX_BYTES"] + 1)})
    response = client.post("/api/v1/grade", data=big, content_type="application/json")
    assert response.status_code == 413
    assert "at most" in response.get_json()["error"]


def test_invalid_json_is_a_400_that_says_so(server_errors, client, auth):
    auth.login()
    response = client.post(
        "/practice/attempt/1/draft", data="{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["error"]


@pytest.mark.parametrize(
    "target",
    [
        "/\r\nSet-Cookie:x=1",
        "/\\evil.example",
        "/\t/evil.example",
        "//evil.example",
        "https://evil.example/",
        "/ü",
    ],
)
def test_an_unsafe_next_is_ignored_after_log_in(server_errors, client, users, target):
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"username": "trainee", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_safe_next_is_still_followed(client, users):
    response = client.post(
        "/auth/login?next=/progress/%3Fx%3D1",
        data={"username": "trainee", "password": "correct-horse-battery"},
    )
    assert response.headers["Location"] == "/progress/?x=1"


def _import(client, cohort_id: int, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/supervise/cohorts/{cohort_id}/import",
        data={"file": (io.BytesIO(data), "trainees.csv")},
        content_type="multipart/form-data",
    )


def test_a_csv_with_old_mac_line_endings_imports_every_row(server_errors, client, auth, users):
    cohort_id = _cohort(server_errors, users)
    auth.login("supervisor")
    response = _import(
        client, cohort_id, b"name,email\rAnn Lee,ann@example.org\rBo Ng,bo@example.org\r"
    )
    assert response.status_code == 200
    assert "2 trainee(s) added" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        "name,email\nJosé,j@example.org\n".encode("cp1252"),
        b"%PDF-1.7\x00\x01",
    ],
)
def test_a_binary_or_non_utf8_file_is_a_400_that_says_what_to_upload(
    server_errors, client, auth, users, data
):
    cohort_id = _cohort(server_errors, users)
    auth.login("supervisor")
    response = _import(client, cohort_id, data)
    assert response.status_code == 400
    assert "CSV UTF-8" in response.get_data(as_text=True)
    with server_errors.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 4  # no account created


def test_a_quote_left_open_in_pasted_rows_is_a_400(server_errors, client, auth, users):
    cohort_id = _cohort(server_errors, users)
    auth.login("supervisor")
    response = client.post(
        f"/supervise/cohorts/{cohort_id}/import", data={"rows": 'Ann,"ann@example.org\x00'}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("field", "path_format"),
    [
        ("per_quarter", "/supervise/review/cohorts/{}/sample"),
        ("user_id", "/supervise/cohorts/move"),
        ("chart_count", "/updates/icd10cm-2026/assign"),
    ],
)
@pytest.mark.parametrize("value", ["²", "٣", "9" * 30])
def test_supervisor_integer_fields_refuse_unicode_and_huge_digits(
    server_errors, client, auth, users, field, path_format, value
):
    cohort_id = _cohort(server_errors, users)
    auth.login("supervisor")
    data = {"cohort_id": str(cohort_id), "user_id": str(users["trainee"]), "per_quarter": "5"}
    data[field] = value
    response = client.post(path_format.format(cohort_id), data=data)
    assert response.status_code in (303, 400)
    with server_errors.app_context():
        assert db.session.get(Cohort, cohort_id).review_sample != 3  # '٣' was never read as 3


@pytest.mark.parametrize("field", ["chart_count", "difficulty", "time_limit_minutes"])
@pytest.mark.parametrize("value", ["٣", "１", "²"])
def test_form_integer_fields_take_only_ascii_digits(
    server_errors, client, auth, users, field, value
):
    cohort_id = _cohort(server_errors, users)
    auth.login("supervisor")
    data = {"cohort": str(cohort_id), "title": "Set", "chart_count": "2", "target": "95"}
    data[field] = value
    response = client.post("/supervise/assignments", data=data)
    assert response.status_code == 400
    assert "Enter a whole number using the digits 0-9." in response.get_data(as_text=True)


def test_a_cohort_name_outside_latin1_downloads_with_an_rfc5987_name(
    server_errors, client, auth, users
):
    cohort_id = _cohort(server_errors, users, name="Кардиология 心脏 2026")
    auth.login("supervisor")
    for path in (
        f"/supervise/cohorts/{cohort_id}/report.csv",
        f"/supervise/cohorts/{cohort_id}/report/matrix.csv",
    ):
        response = client.get(path)
        assert response.status_code == 200
        header = response.headers["Content-Disposition"]
        header.encode("latin-1")  # a real server must be able to send it
        assert 'filename="2026-' in header
        assert "filename*=UTF-8''%D0%9A%D0%B0" in header
        assert response.headers["Cache-Control"] == "no-store"


def test_a_nul_character_in_a_field_or_json_string_is_a_400(server_errors, client, auth, users):
    auth.login("supervisor")
    response = client.post("/supervise/cohorts", data={"name": "Night\x00class"})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert client.get("/lookup/", query_string={"q": "knee\x00"}).status_code == 400
    response = client.post("/api/v1/grade", json={"policy": "strict\x00"})
    assert response.status_code == 400 and "NUL" in response.get_json()["error"]
    with server_errors.app_context():
        assert db.session.scalar(select(func.count(Cohort.id))) == 0
