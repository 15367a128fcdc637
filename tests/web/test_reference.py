"""The ED facility level criteria: a reference page beside the chart, not text on the chart."""

from __future__ import annotations

from tests.web.test_practice import form_for, key_of, start_chart


def test_a_trainee_reads_the_criteria(client, auth):
    auth.login()
    page = client.get("/reference/ed-facility-levels")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Advanced imaging (CT, MRI, ultrasound), IV or IM medication" in text
    assert "revenue code 0450" in text


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/reference/ed-facility-levels")
    assert response.status_code in (302, 401)
    assert response.status_code == 401 or "/auth/login" in response.headers["Location"]


def test_an_ed_facility_chart_links_the_criteria_and_never_prints_them(app, client, auth):
    auth.login()
    attempt_id = start_chart(client, "emergency_facility")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert 'href="/reference/ed-facility-levels"' in page
    assert "level criteria" not in page.split('class="chart-body"')[1].split("</div>")[0]
    client.post(f"/practice/attempt/{attempt_id}/submit", data=form_for(key_of(app, attempt_id)))
    result = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert 'href="/reference/ed-facility-levels"' in result


def test_an_office_chart_has_no_ed_reference(client, auth):
    auth.login()
    attempt_id = start_chart(client, "orthopaedics")
    page = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert "/reference/ed-facility-levels" not in page
