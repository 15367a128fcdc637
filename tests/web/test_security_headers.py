"""Every response carries the security headers; the CSP allows no inline script."""


def test_headers_on_pages(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client, auth):
    auth.login()
    for path in ("/", "/progress/", "/auth/login"):
        body = client.get(path).get_data(as_text=True)
        assert "<script>" not in body and "onclick=" not in body


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"That page does not exist" in response.data
    assert b"Traceback" not in response.data


def test_oversized_requests_are_413_with_a_message(client, auth):
    auth.login()
    response = client.post(
        "/api/v1/grade", data=b"x" * (3 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.get_json()["error"]
    page = client.post("/practice/start", data={"specialty": "x" * (3 * 1024 * 1024)})
    assert page.status_code == 413 and b"too large" in page.data


def test_api_answers_and_csv_exports_are_never_cached(client, auth):
    auth.login()
    api = client.get("/api/v1/codes/validate?code=M17.11&kind=icd10cm&dos=2026-03-02")
    assert api.status_code == 200 and api.headers["Cache-Control"] == "no-store"
    spec = client.get("/api/v1/openapi.json")
    assert spec.headers["Cache-Control"] == "no-store"
    auth.logout()
    auth.login("supervisor")
    client.post("/supervise/cohorts", data={"name": "Export"})
    from sqlalchemy import select

    from trainer.extensions import db
    from trainer.models import Cohort

    with client.application.app_context():
        cohort_id = db.session.scalar(select(Cohort.id))
    csv = client.get(f"/supervise/cohorts/{cohort_id}/report.csv")
    assert csv.mimetype == "text/csv" and csv.headers["Cache-Control"] == "no-store"


def test_hsts_only_when_served_over_https(tmp_path, migrated_sqlite, codeset_index, client):
    from tests.conftest import make_app

    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    https = make_app(tmp_path, migrated_sqlite, codeset_index, HTTPS=True)
    header = https.test_client().get("/auth/login").headers["Strict-Transport-Security"]
    assert header.startswith("max-age=31536000")
