"""Box 24B on the professional entry panel: drawn, saved in the draft, checked, graded."""

from __future__ import annotations

from tests.web.entry_forms import form_for
from tests.web.test_practice import key_of, start_chart
from trainer.core.pricing.pfs import is_facility_pos, price_claim
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Attempt


def _wrong(pos: str) -> str:
    """A POS of the other payment setting: office for a facility chart, hospital otherwise."""
    return "11" if is_facility_pos(pos) else "22"


def test_the_professional_panel_asks_for_24b_and_the_ub04_does_not(app, client, auth):
    auth.login()
    professional = start_chart(client, "orthopaedics")
    page = client.get(f"/practice/attempt/{professional}").get_data(as_text=True)
    assert 'name="place_of_service"' in page and "24B Place of service" in page
    facility = start_chart(client, "emergency_facility")
    page = client.get(f"/practice/attempt/{facility}").get_data(as_text=True)
    assert 'name="place_of_service"' not in page
    inpatient = start_chart(client, "inpatient")
    page = client.get(f"/practice/attempt/{inpatient}").get_data(as_text=True)
    assert 'name="place_of_service"' not in page


def test_the_keyed_pos_scores_100_and_is_drawn_in_24b(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    assert key.place_of_service
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key))
    assert response.status_code == 303
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "Score 100%" in page
    assert f'<td data-box="24B">{key.place_of_service}</td>' in page
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).answer["place_of_service"] == (
            key.place_of_service
        )


def test_a_wrong_pos_is_graded_explained_and_drawn_as_entered(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    data = form_for(key)
    data["place_of_service"] = _wrong(key.place_of_service)
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "Score 100%" not in page
    assert f"You entered place of service {data['place_of_service']} (" in page
    assert "site of service payment differential, ch. 12 §20.4.2" in page
    assert f'<td data-box="24B">{data["place_of_service"]}</td>' in page
    with app.app_context():
        item = db.session.get(Attempt, attempt_id)
        grade = item.grades[-1].result
        under, over = item.revenue_under_cents, item.revenue_over_cents
    (error,) = [e for e in grade["errors"] if e["type"] == "wrong_place_of_service"]
    assert (error["expected"], error["given"]) == (key.place_of_service, data["place_of_service"])
    assert error["direction"] == ("over" if is_facility_pos(key.place_of_service) else "under")
    # The attempt's revenue figures carry the PE difference (every keyed line is right): the
    # key's lines at the entered setting minus at the keyed one (0 where one PE is NA).
    with app.app_context():
        lines = [k.line for k in key.lines]
        at = {
            pos: price_claim(lines, domain().catalog, facility=is_facility_pos(pos)).total
            for pos in (key.place_of_service, data["place_of_service"])
        }
    assert over - under == int((at[data["place_of_service"]] - at[key.place_of_service]) * 100)


def test_a_non_numeric_pos_is_a_400_naming_box_24b_and_keeps_what_was_typed(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data["place_of_service"] = "1A"
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Box 24B: the place of service is a two-digit CMS code" in body
    box = body[body.index('id="place_of_service"') :]
    tag = box[: box.index(">")]
    assert 'value="1A"' in tag
    assert 'aria-invalid="true" aria-describedby="error-place_of_service"' in tag
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "in_progress"


def test_an_unknown_pos_code_is_a_400(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data["place_of_service"] = "98"
    response = client.post(f"/practice/attempt/{attempt_id}/submit", data=data)
    assert response.status_code == 400
    assert b"Box 24B: 98 is not a code of the CMS place-of-service set." in response.data


def test_a_blank_pos_is_graded_not_refused(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    data = form_for(key_of(app, attempt_id))
    data.pop("place_of_service")
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    page = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "You left box 24B (place of service) empty" in page


def test_the_draft_keeps_24b_and_an_old_draft_loads_without_it(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    saved = client.post(
        f"/practice/attempt/{attempt_id}/draft",
        json={"diagnoses": ["M17.11"], "lines": [], "place_of_service": "22"},
    )
    assert saved.status_code == 200
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).draft["place_of_service"] == "22"
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'value="22"' in page[page.index('id="place_of_service"') :][:400]
    with app.app_context():  # a draft saved before box 24B existed
        item = db.session.get(Attempt, attempt_id)
        item.draft = {"diagnoses": ["M17.11"], "lines": [{"code": "20610"}]}
        db.session.commit()
    response = client.get(f"/practice/attempt/{attempt_id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'value="M17.11"' in body
    assert 'value=""' in body[body.index('id="place_of_service"') :][:400]


def test_the_api_refuses_an_unknown_pos_with_a_400(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    answer = {**key.as_claim().to_dict(), "place_of_service": "98"}
    response = client.post(f"/api/v1/attempts/{attempt_id}/submit", json={"answer": answer})
    assert response.status_code == 400
    assert response.get_json()["field"] == "answer.place_of_service"
    bad = {**answer, "place_of_service": "x1"}
    response = client.post(f"/api/v1/attempts/{attempt_id}/submit", json={"answer": bad})
    assert response.status_code == 400
    assert "two-digit" in response.get_json()["error"]
    ok = {**answer, "place_of_service": key.place_of_service}
    response = client.post(f"/api/v1/attempts/{attempt_id}/submit", json={"answer": ok})
    assert response.status_code == 200
    assert response.get_json()["grade"]["score"] == 1.0


def test_the_progress_page_and_the_api_contract_name_the_slug(app, client, auth):
    auth.login()
    attempt_id = start_chart(client)
    key = key_of(app, attempt_id)
    data = {**form_for(key), "place_of_service": _wrong(key.place_of_service)}
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    progress = client.get("/progress/").get_data(as_text=True)
    assert "Wrong place of service (CMS-1500 box 24B): 1" in progress
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schemas["Claim"]["properties"]["place_of_service"]["pattern"] == "^[0-9]{2}$"
    assert "wrong_place_of_service" in schemas["GradeError"]["properties"]["type"]["enum"]
    assert "place_of_service" in schemas["GradeError"]["properties"]["target"]["enum"]


def test_the_closing_bell_grades_the_drafts_24b(app, client, auth):
    """An exam's deadline grades what was saved: box 24B is part of it (a malformed one is
    graded as left empty, since no form can be sent back)."""
    from trainer.services.practice import draft_claim

    auth.login()
    attempt_id = start_chart(client)
    for typed, kept in (("22", "22"), ("2x", ""), (None, "")):
        body = {"diagnoses": ["M17.11"], "lines": [{"code": "20610", "pointers": "A"}]}
        if typed is not None:
            body["place_of_service"] = typed
        assert client.post(f"/practice/attempt/{attempt_id}/draft", json=body).status_code == 200
        with app.app_context():
            claim = draft_claim(db.session.get(Attempt, attempt_id))
        assert claim.place_of_service == kept, typed
        assert claim.diagnoses == ("M17.11",)
    with app.app_context():  # a broken line does not drop the POS either
        item = db.session.get(Attempt, attempt_id)
        item.draft = {
            "diagnoses": ["M17.11"],
            "lines": [{"code": "2061"}],
            "place_of_service": "11",
        }
        db.session.commit()
        claim = draft_claim(db.session.get(Attempt, attempt_id))
    assert (claim.diagnoses, claim.lines, claim.place_of_service) == (("M17.11",), (), "11")


def _chart_body(page: str) -> str:
    start = page.index('<div class="chart-body">')
    return page[start : page.index("</article>", start)]


def test_the_chart_page_and_the_api_chart_do_not_show_the_keyed_pos(app, client, auth):
    """Box 24B is graded: before submission the chart says "Emergency department" in its
    header, never "Place of service | 23" (stop 26 printed the code). The API's chart and its
    summary do not carry the POS or the template title (which names what the chart teaches)."""
    auth.login()
    attempt_id = start_chart(client, "emergency_professional")
    key = key_of(app, attempt_id)
    assert key.place_of_service == "23"
    body = _chart_body(client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True))
    assert "Place of service" not in body
    assert "<td>23</td>" not in body
    assert "<td><strong>Location</strong></td>\n<td>Emergency department</td>" in body
    client.post(f"/practice/attempt/{attempt_id}/skip")

    started = client.post("/api/v1/exercises/start", json={"specialty": "emergency_professional"})
    assert started.status_code == 201
    data = started.get_json()
    assert "Place of service" not in data["chart_html"]
    assert "<td>23</td>" not in data["chart_html"]
    assert "Emergency department" in data["chart_html"]
    assert "title" not in data and "grade" not in data
    assert "23" not in str({k: v for k, v in data.items() if k != "chart_html"})
    api_key = key_of(app, data["attempt_id"])
    before = client.get(f"/api/v1/attempts/{data['attempt_id']}").get_json()
    assert "title" not in before
    answer = api_key.as_claim().to_dict()
    done = client.post(f"/api/v1/attempts/{data['attempt_id']}/submit", json={"answer": answer})
    assert done.status_code == 200
    after = done.get_json()
    assert after["title"] and after["grade"]["score"] == 1.0  # shown with the feedback


def test_the_issue_17_slugs_reach_the_progress_page_from_a_real_chart(app, client, auth, users):
    """Done-when of issue 17: excludes1_conflict and addon_without_primary are graded on a
    shipped chart and counted on the progress page by their labels (the API contract lists
    them: test_keys_audit.test_the_api_contract_lists_the_error_types)."""
    from trainer.services.practice import start_attempt

    with app.app_context():
        library = domain().library
        template = next(
            t
            for t in library.templates.values()
            if t.slug == "heart-failure-admission-history-and-physical"
        )
        attempt_id = start_attempt(users["trainee"], template, seed=3).id
    auth.login()
    key = key_of(app, attempt_id)
    assert "E11.9" in [d.code for d in key.diagnoses]
    data = form_for(key)
    n = len(key.diagnoses)
    data[f"diagnoses-{n}"] = "E10.9"  # E10 Excludes1 type 2 diabetes (E11.-)
    row = len(key.lines)
    data.update(
        {f"lines-{row}-code": "99292", f"lines-{row}-units": "1", f"lines-{row}-pointers": "A"}
    )
    assert client.post(f"/practice/attempt/{attempt_id}/submit", data=data).status_code == 303
    with app.app_context():
        grade = db.session.get(Attempt, attempt_id).grades[-1].result
    types = {e["type"] for e in grade["errors"]}
    assert {"excludes1_conflict", "addon_without_primary"} <= types
    progress = client.get("/progress/").get_data(as_text=True)
    assert "Excludes1 conflict: 1" in progress
    assert "Add-on code without its primary: 1" in progress
