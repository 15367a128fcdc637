"""A facility chart is entered and drawn as a UB-04: FL 4, FL 67, FL 70, FL 72, no pointers."""

from __future__ import annotations

from tests.web.entry_forms import form_for, ub04_form
from tests.web.test_practice import key_of, start_chart
from trainer.extensions import db
from trainer.models import Attempt


def test_the_facility_panel_asks_for_fl4_fl70_fl72_and_no_pointers(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'name="type_of_bill"' in page
    assert 'name="reason-0"' in page and 'name="ecause-0"' in page
    assert "FL 67 Principal" in page
    assert "pointers" not in page and "Dx ptr" not in page


def test_the_keyed_ub04_scores_100_and_is_drawn_with_its_fields(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    key = key_of(app, attempt_id)
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=ub04_form(key))
    assert response.status_code == 303
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "Score 100%" in page
    assert '<td data-fl="4">0131</td>' in page
    assert f'<td data-fl="67">{key.diagnoses[0].code.replace(".", "")}</td>' in page
    assert f'<td data-fl="70a">{key.reason_for_visit[0].code.replace(".", "")}</td>' in page
    assert "24E Dx pointer" not in page
    with app.app_context():
        answer = db.session.get(Attempt, attempt_id).answer
    assert answer["type_of_bill"] == "0131"
    assert answer["reason_for_visit"][0] == key.reason_for_visit[0].code


def test_a_wrong_type_of_bill_is_graded_and_explained(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    data = ub04_form(key_of(app, attempt_id))
    data["type_of_bill"] = "0111"
    client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "wrong type of bill" in page
    assert "0131 (a hospital, outpatient, frequency 1)" in page


def test_external_cause_codes_go_in_fl72_on_the_form(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    data = ub04_form(key_of(app, attempt_id))
    data["diagnoses-5"] = "W01.0XXA"  # an external cause typed among the FL 67 diagnoses
    data["ecause-0"] = "I10"  # and a disease code in FL 72
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "is an external cause code; on the UB-04 it goes in FL 72" in body
    assert "FL 72a: I10 is not an external cause code" in body
    # The wrong FL 72 box is tied to its message, as every other field is (not by colour).
    assert 'name="ecause-0" value="I10"' in body
    box = body[body.index('id="ecause-0"') :]
    assert 'aria-invalid="true" aria-describedby="error-ecause-0"' in box[: box.index(">")]
    data.pop("diagnoses-5")
    data["ecause-0"] = "W01.0XXA"
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert '<td data-fl="72a">W010XXA</td>' in page


def test_a_bad_type_of_bill_is_a_400_naming_fl4(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    data = ub04_form(key_of(app, attempt_id))
    data["type_of_bill"] = "13A"
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert response.status_code == 400
    assert b"FL 4: the type of bill is a leading zero and three digits" in response.data


def test_the_ub04_draft_is_saved_and_restored(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    draft = {
        "diagnoses": ["R07.9"],
        "lines": [{"code": "99283", "revenue_code": "0450"}],
        "type_of_bill": "0131",
        "reason_for_visit": ["R07.89"],
        "external_causes": ["W01.0XXA"],
    }
    assert client.post(f"/practice/attempt/{attempt_id}/draft", json=draft).status_code == 200
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'value="0131"' in page and 'value="R07.89"' in page and 'value="W01.0XXA"' in page


def test_every_shipped_facility_key_is_accepted_by_the_panel(app, client, auth):
    """Each facility template's own key, typed into the UB-04 panel, is taken and graded (an
    external cause code goes to FL 72, never FL 67)."""
    from trainer.domain import domain
    from trainer.services.practice import start_attempt

    auth.login()
    with app.app_context():
        from trainer.models import User

        user_id = db.session.query(User.id).filter_by(username="trainee").scalar()
        facility = [t for t in domain().library.templates.values() if t.setting == "facility"]
        ids = [start_attempt(user_id, t, seed=1).id for t in facility]
    assert len(ids) >= 10
    for attempt_id in ids:
        response = client.post(
            f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id))
        )
        assert response.status_code == 303, attempt_id
        with app.app_context():
            assert db.session.get(Attempt, attempt_id).score == 1.0
