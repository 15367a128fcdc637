"""The practice loop through the test client: start, autosave, submit once, feedback, progress."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.web.entry_forms import form_for
from tests.web.html_attrs import attributes_by_id
from trainer.extensions import db
from trainer.models import Attempt, AttemptGrade
from trainer.services.practice import variant_of


def start_chart(client, specialty: str = "orthopaedics") -> int:  # type: ignore[no-untyped-def]
    response = client.post("/practice/start", data={"specialty": specialty})
    assert response.status_code == 303, response.data
    match = re.search(r"/practice/attempt/(\d+)$", response.headers["Location"])
    assert match
    return int(match.group(1))


def key_of(app, attempt_id: int):  # type: ignore[no-untyped-def]
    with app.app_context():
        return variant_of(db.session.get(Attempt, attempt_id)).key


def test_home_lists_specialties(client, auth):
    auth.login()
    body = client.get("/").get_data(as_text=True)
    assert "Orthopaedics" in body
    assert "Get a chart" in body


def test_chart_page_shows_the_chart_but_never_the_key(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    body = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    key = key_of(app, attempt_id)
    assert "Date of service" in body or "DOS" in body
    for dx in key.diagnoses:
        assert dx.code not in body
        assert dx.rationale not in body


def test_starting_again_resumes_the_open_chart(client, auth):
    auth.login()
    assert start_chart(client) == start_chart(client)


def test_unknown_specialty_is_refused(client, auth):
    auth.login()
    response = client.post("/practice/start", data={"specialty": "astrology"})
    assert response.status_code == 400
    assert "Choose one of the listed specialties" in response.get_data(as_text=True)
    response = client.post("/practice/start", data={"specialty": "x" * 10_000, "difficulty": "9"})
    assert response.status_code == 400


def test_the_keyed_answer_scores_100_and_counts_once(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    first = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert first.status_code == 303
    second = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)  # double click
    assert second.status_code == 303
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "Every line matches the key" in page
    assert "Score 100%" in page
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.chart_correct
        assert db.session.scalar(select(func.count(AttemptGrade.id))) == 1


def test_a_wrong_answer_is_explained(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data["diagnoses-0"] = "R69"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "not fully correct" in page
    assert "R69" in page
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).chart_correct is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("diagnoses-0", "M17.", "not an ICD-10-CM code shape"),
        ("diagnoses-0", "<script>alert(1)</script>", "not an ICD-10-CM code shape"),
        ("lines-0-code", "99999999", "is not a CPT"),
        ("lines-0-units", "many", "units must be a whole number"),
        ("lines-0-code", "9" * 10_000, "is not a CPT"),
    ],
)
def test_malformed_entries_are_400_and_cost_nothing(app, client, auth, field, value, message):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data[field] = value
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    assert "<script>alert(1)</script>" not in body
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"


def test_non_utf8_form_data_is_a_clear_400(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    response = client.post(
        f"/practice/attempt/{attempt_id}/submit",
        data=b"diagnoses-0=%FF%FE%80&seconds=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert b"Traceback" not in response.data


def test_empty_submission_is_400(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data={"seconds": "5"})
    assert response.status_code == 400
    assert b"Enter at least one diagnosis" in response.data


def test_draft_is_saved_and_restored(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    draft = {"diagnoses": ["M17.1"], "lines": [{"code": "2061", "modifiers": ["RT"]}]}
    response = client.post(f"/practice/attempt/{attempt_id}/draft", json=draft)
    assert response.status_code == 200
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'value="M17.1"' in page and 'value="2061"' in page


@pytest.mark.parametrize("payload", [b"not json", b"[1,2]", b"\xff\xfe"])
def test_bad_drafts_are_400(client, auth, payload):
    auth.login()
    attempt_id = start_chart(client)
    response = client.post(
        f"/practice/attempt/{attempt_id}/draft", data=payload, content_type="application/json"
    )
    assert response.status_code == 400


def test_another_trainees_chart_is_404(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    auth.logout()
    auth.login("other")
    assert client.get(f"/practice/attempt/{attempt_id}").status_code == 404
    assert client.get(f"/practice/attempt/{attempt_id}/result").status_code == 404
    response = client.post(f"/practice/attempt/{attempt_id}/draft", json={"diagnoses": []})
    assert response.status_code == 404


def test_progress_shows_the_specialty_against_target(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id)))
    page = client.get("/progress/").get_data(as_text=True)
    assert "Orthopaedics" in page
    assert "Not enough data" in page
    assert "95%" in page


def test_skip_abandons_without_counting(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    client.post(f"/practice/attempt/{attempt_id}/skip")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "abandoned"
    assert start_chart(client) != attempt_id


def test_feedback_shows_the_answer_as_a_cms1500(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key))
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "CMS-1500" in page and "24E Dx pointer" in page
    assert key.diagnoses[0].code.replace(".", "") in page  # box 21 prints codes without dots


def test_progress_charts_are_svg_with_no_external_script(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data["diagnoses-0"] = "R69"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    for path in ("/progress/trend.svg", "/progress/errors.svg"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        body = response.get_data(as_text=True)
        assert "<svg" in body and "http://kozea.github.io" not in body
        assert "<script src" not in body.replace("'", '"') and 'src="http' not in body
    assert "Benchmark 95%" in client.get("/progress/trend.svg").get_data(as_text=True)


def test_weakest_area_explains_why_the_chart_was_chosen(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "weakest")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert "Why this chart:" in page


def test_a_missed_family_comes_back_the_next_day(app, client, auth):
    from datetime import timedelta

    from trainer.models import utcnow

    auth.login()
    attempt_id = start_chart(client, "orthopaedics")
    key = key_of(app, attempt_id)
    data = form_for(key)
    data["diagnoses-0"] = "R69"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.submitted_at = utcnow() - timedelta(days=1)
        db.session.commit()
    family = key.diagnoses[0].code.replace(".", "")[:3]
    again = start_chart(client, "weakest")
    page = client.get(f"/practice/attempt/{again}").get_data(as_text=True)
    why = page.split("Why this chart:", 1)[1].split("</p>", 1)[0]
    assert "Spaced review: you missed a code" in why and family not in why  # no key hint
    assert family in "".join(d.code for d in key_of(app, again).diagnoses).replace(".", "")


MENISCUS = "e7266bd1-6b4a-41c8-8fbd-9dde9bbd74ad"  # keys M23.2- (old tear) or S83.2- (acute)


def _miss_first_diagnosis(app, client, attempt_id: int) -> None:  # type: ignore[no-untyped-def]
    """Submit the key with R69 in place of its first diagnosis, dated yesterday (due today)."""
    from datetime import timedelta

    from trainer.models import utcnow

    data = form_for(key_of(app, attempt_id))
    data["diagnoses-0"] = "R69"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    with app.app_context():
        db.session.get(Attempt, attempt_id).submitted_at = utcnow() - timedelta(days=1)
        db.session.commit()


def test_a_missed_m23_code_comes_back_as_the_m23_variant_every_time(app, client, auth, users):
    """The meniscus template keys M23 in its old-tear variants and S83 in its acute ones: the
    review of a missed M23 code must draw an old-tear variant, not a coin toss between them."""
    from trainer.domain import domain
    from trainer.services.practice import start_attempt

    auth.login()
    with app.app_context():
        template = domain().library.get(MENISCUS)
        old_tear = {"cause": "old tear, degenerative derangement"}
        missed = start_attempt(users["trainee"], template, choices=old_tear).id
    assert key_of(app, missed).diagnoses[0].code.startswith("M23.22")
    _miss_first_diagnosis(app, client, missed)
    for _ in range(8):  # the old code served S83 half the time: 8 draws all M23 is 1 in 256
        again = start_chart(client, "weakest")
        page = client.get(f"/practice/attempt/{again}").get_data(as_text=True)
        assert "Spaced review: you missed a code of this specialty" in page
        assert "M23" not in page  # the reason shown before the answer names no code family
        assert any(d.code.startswith("M23") for d in key_of(app, again).diagnoses)
        client.post(f"/practice/attempt/{again}/skip")


def test_a_drill_serves_the_variant_holding_the_family_of_the_last_error(app, client, auth, users):
    from trainer.domain import domain
    from trainer.services.practice import start_attempt

    auth.login()
    with app.app_context():
        template = domain().library.get(MENISCUS)
        acute = {"cause": "acute twisting injury"}
        missed = start_attempt(users["trainee"], template, choices=acute).id
    assert key_of(app, missed).diagnoses[0].code.startswith("S83.23")
    _miss_first_diagnosis(app, client, missed)
    with app.app_context():
        from trainer.models import AttemptError

        error_type = db.session.scalars(
            select(AttemptError.error_type).where(AttemptError.code_family == "S83")
        ).first()
    for _ in range(8):
        response = client.post("/practice/drill", data={"error_type": error_type})
        drill_id = int(response.headers["Location"].rsplit("/", 1)[1])
        assert any(d.code.startswith("S83") for d in key_of(app, drill_id).diagnoses)


def test_one_click_drill_on_an_error_type(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "orthopaedics")
    data = form_for(key_of(app, attempt_id))
    data["diagnoses-0"] = "R69"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    page = client.get("/progress/").get_data(as_text=True)
    assert "Drill this" in page
    with app.app_context():
        from trainer.models import AttemptError

        error_type = db.session.scalars(select(AttemptError.error_type)).first()
    response = client.post("/practice/drill", data={"error_type": error_type})
    assert response.status_code == 303
    drill_id = int(response.headers["Location"].rsplit("/", 1)[1])
    body = client.get(f"/practice/attempt/{drill_id}").get_data(as_text=True)
    why = body.split("Why this chart:", 1)[1].split("</p>", 1)[0]
    assert "Drill on" in why
    family = key_of(app, attempt_id).diagnoses[0].code.replace(".", "")[:3]
    assert family not in why  # the reason must not name the code family of the key
    assert client.post("/practice/drill", data={"error_type": "x" * 500}).status_code == 400


def test_progress_names_error_types_by_their_labels(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    data = form_for(key)
    data[f"diagnoses-{len(key.diagnoses)}"] = "R69"  # an extra, unsupported code
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    page = client.get("/progress/").get_data(as_text=True)
    assert "Extra or unsupported code: 1" in page


def test_a_field_that_fails_validation_is_marked_invalid_without_js(app, client, auth):
    # A screen reader hears which field is wrong from the page the server sends: the field
    # is aria-invalid and described by its own message in the list above the form.
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data["diagnoses-0"] = "M17."
    data["lines-0-units"] = "many"
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert response.status_code == 400
    found = attributes_by_id(response.get_data(as_text=True))
    for field in ("diagnoses-0", "lines-0-units"):
        assert found[field].get("aria-invalid") == "true"
        assert found[field]["aria-describedby"] == f"error-{field}"
        assert found[f"error-{field}"]["tag"] == "li"
    for field in ("lines-0-code", "diagnoses-1"):
        assert "aria-invalid" not in found[field]


def test_wrong_graded_entries_are_marked_invalid_and_described_by_their_verdict(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    data = form_for(key)
    data["diagnoses-0"] = "R69"  # wrong for every orthopaedic chart
    data["lines-0-units"] = str(key.lines[0].line.units + 1)
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    found = attributes_by_id(page)
    assert found["dx-given-0"]["aria-invalid"] == "true"
    assert found["dx-given-0"]["aria-describedby"] == "dx-verdict-0"
    assert "dx-verdict-0" in found
    line = found["line-given-0"]
    assert line["aria-invalid"] == "true"
    described = line["aria-describedby"].split()
    assert described[0] == "line-verdict-0" and "line-0-units" in described
    assert all(ref in found for ref in described)  # each reference names a real element
    if len(key.diagnoses) > 1:
        assert "aria-invalid" not in found["dx-given-1"]  # a right entry is not marked
