"""Pair practice through the pages: one encounter coded as the professional, then the facility
claim; both grades side by side; the same access rules as any chart."""

from __future__ import annotations

import re

from markupsafe import escape

from tests.web.test_practice import form_for, key_of
from trainer.extensions import db
from trainer.models import Attempt, PracticePair


def _start_pair(client) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    response = client.post("/practice/pair/start")
    assert response.status_code == 303
    match = re.search(r"/practice/attempt/(\d+)$", response.headers["Location"])
    assert match
    professional_id = int(match.group(1))
    pair = db.session.query(PracticePair).filter_by(professional_attempt_id=professional_id).one()
    return pair.id, professional_id, pair.facility_attempt_id


def test_the_pair_is_one_encounter_coded_twice_and_ends_on_both_grades(app, client, auth):
    auth.login()
    with app.app_context():
        pair_id, pro_id, fac_id = _start_pair(client)
        pro, fac = db.session.get(Attempt, pro_id), db.session.get(Attempt, fac_id)
        assert (pro.setting, fac.setting) == ("professional", "facility")
        assert pro.variant["patient"] == fac.variant["patient"]
        assert pro.variant["date_of_service"] == fac.variant["date_of_service"]
        assert pro.variant["choices"] == fac.variant["choices"]
    page = client.get(f"/practice/attempt/{pro_id}").get_data(as_text=True)
    assert "Pair: chart 1 of 2, the professional claim" in page
    # The pair page sends the trainee to the chart still open, never to a grade.
    assert (
        client.get(f"/practice/pair/{pair_id}")
        .headers["Location"]
        .endswith(f"/practice/attempt/{pro_id}")
    )
    pro_key, fac_key = key_of(app, pro_id), key_of(app, fac_id)
    done = client.post(f"/practice/attempt/{pro_id}/submit", data=form_for(pro_key))
    assert done.headers["Location"].endswith(f"/practice/pair/{pair_id}")
    assert (
        client.get(f"/practice/pair/{pair_id}")
        .headers["Location"]
        .endswith(f"/practice/attempt/{fac_id}")
    )
    page = client.get(f"/practice/attempt/{fac_id}").get_data(as_text=True)
    assert "Pair: chart 2 of 2, the facility claim" in page
    assert 'name="type_of_bill"' in page
    client.post(f"/practice/attempt/{fac_id}/submit", data=form_for(fac_key))
    page = client.get(f"/practice/pair/{pair_id}").get_data(as_text=True)
    assert page.count("Score 100%") == 2
    assert "What differs between the two claims" in page
    # Every facility line shows its revenue code; a professional -26 line is explained.
    for keyed in fac_key.lines:
        assert f"rev {keyed.line.revenue_code} {keyed.line.code}" in page
    if any("26" in k.line.modifiers for k in pro_key.lines):
        assert "26 on the professional line" in page
    assert f"FL 4 type of bill {fac_key.type_of_bill}" in page
    assert "Revenue codes on the facility lines" in page


def test_the_second_chart_shows_no_key_and_the_pair_page_no_grade_until_both_are_done(
    app, client, auth
):
    auth.login()
    with app.app_context():
        pair_id, pro_id, fac_id = _start_pair(client)
    fac_key = key_of(app, fac_id)
    client.post(f"/practice/attempt/{pro_id}/submit", data=form_for(key_of(app, pro_id)))
    page = client.get(f"/practice/attempt/{fac_id}").get_data(as_text=True)
    for keyed in fac_key.lines:  # the whole rationale (its opening may quote the chart)
        assert str(escape(keyed.rationale)) not in page and keyed.rationale not in page
    assert "What differs" not in page
    # The open facility chart's own result is closed, as for any chart.
    assert client.get(f"/practice/attempt/{fac_id}/result").status_code == 302
    assert client.get(f"/practice/pair/{pair_id}").status_code == 302


def test_the_first_grade_stays_closed_until_the_second_chart_is_submitted(app, client, auth):
    """The two claims share the encounter's diagnoses: the professional key, open while the
    facility chart is still being coded, would give its answers away. Neither the result page,
    the API nor a dispute reaches it until both charts are in."""
    auth.login()
    with app.app_context():
        pair_id, pro_id, fac_id = _start_pair(client)
    pro_key, fac_key = key_of(app, pro_id), key_of(app, fac_id)
    wrong = form_for(pro_key)
    wrong["diagnoses-0"] = "Z00.00"
    client.post(f"/practice/attempt/{pro_id}/submit", data=wrong)
    closed = client.get(f"/practice/attempt/{pro_id}/result")
    assert closed.status_code == 302
    assert closed.headers["Location"].endswith(f"/practice/pair/{pair_id}")
    api = client.get(f"/api/v1/attempts/{pro_id}").get_json()
    assert api["status"] == "submitted" and "grade" not in api and "title" not in api
    disputed = client.post(
        f"/practice/attempt/{pro_id}/dispute",
        data={"item": pro_key.diagnoses[0].code, "citation": "I.B.1"},
    )
    assert disputed.status_code == 409
    client.post(f"/practice/attempt/{fac_id}/submit", data=form_for(fac_key))
    opened = client.get(f"/practice/attempt/{pro_id}/result")
    assert opened.status_code == 200
    assert pro_key.diagnoses[0].code in opened.get_data(as_text=True)
    assert "grade" in client.get(f"/api/v1/attempts/{pro_id}").get_json()


def test_another_trainee_and_a_supervisor_cannot_open_the_pair(app, client, auth):
    auth.login()
    with app.app_context():
        pair_id, pro_id, fac_id = _start_pair(client)
    for attempt_id in (pro_id, fac_id):
        client.post(
            f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id))
        )
    assert client.get(f"/practice/pair/{pair_id}").status_code == 200
    for other in ("other", "supervisor"):
        auth.logout()
        auth.login(other)
        assert client.get(f"/practice/pair/{pair_id}").status_code == 404
        assert client.get(f"/practice/attempt/{pro_id}").status_code == 404
    auth.logout()
    assert client.get(f"/practice/pair/{pair_id}").status_code in (302, 401)


def test_bad_pair_ids_are_a_404_and_starting_needs_a_login(client, auth):
    assert client.post("/practice/pair/start").status_code in (302, 401)
    auth.login()
    assert client.get("/practice/pair/999999").status_code == 404
    assert client.get("/practice/pair/abc").status_code == 404
    assert client.get("/practice/pair/-1").status_code == 404


def test_a_skipped_chart_leaves_the_pair_page_with_what_was_coded(app, client, auth):
    auth.login()
    with app.app_context():
        pair_id, pro_id, fac_id = _start_pair(client)
    assert client.post(f"/practice/attempt/{pro_id}/skip").status_code == 303
    # The skipped professional chart no longer blocks: the facility chart is next.
    assert (
        client.get(f"/practice/pair/{pair_id}")
        .headers["Location"]
        .endswith(f"/practice/attempt/{fac_id}")
    )
    client.post(f"/practice/attempt/{fac_id}/submit", data=form_for(key_of(app, fac_id)))
    page = client.get(f"/practice/pair/{pair_id}").get_data(as_text=True)
    assert "Skipped: this chart was not coded." in page
    assert "Score 100%" in page
    assert "What differs" not in page  # the skipped chart's key is never shown
