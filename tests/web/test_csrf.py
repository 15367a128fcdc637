"""Every state-changing browser route refuses a request without the CSRF token."""

from __future__ import annotations

from trainer.services.accounts import create_user

PASSWORD = "correct-horse-battery"
# An LMS posts these from its own site (OIDC login initiation, the id_token form post), so a
# CSRF token cannot exist; the OIDC state cookie, the nonce and the id_token signature stand in.
LTI_PROTOCOL = {"/lti/login", "/lti/launch"}


def test_lti_protocol_posts_need_a_verified_launch(csrf_app):
    """Without a registered issuer, a state the tool issued and a signed id_token, nothing
    happens: no account, no session."""
    client = csrf_app.test_client()
    login = client.post("/lti/login", data={"iss": "https://evil.example", "login_hint": "x"})
    assert login.status_code == 400
    launch = client.post("/lti/launch", data={"id_token": "a.b.c", "state": "s"})
    assert launch.status_code == 400
    assert client.get("/progress/").status_code == 302  # still signed out


def test_every_form_post_needs_the_csrf_token(csrf_app):
    with csrf_app.app_context():
        create_user("trainee", PASSWORD)
    client = csrf_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    assert (
        client.post(
            "/auth/login", data={"username": "trainee", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    checked = []
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue  # JSON only: see test_api_ignores_cross_site_form_posts
        if rule.rule in LTI_PROTOCOL:
            continue  # cross-site by design: see test_lti_protocol_posts_need_a_verified_launch
        url = rule.rule
        for name in (
            "<int:attempt_id>",
            "<int:dispute_id>",
            "<int:assignment_id>",
            "<int:run_id>",
            "<int:cohort_id>",
            "<int:row_id>",
            "<int:token_id>",
            "<int:trainee_id>",
            "<int:context_pk>",
            "<int:platform_id>",
            "<int:user_id>",
            "<int:certificate_id>",
        ):
            url = url.replace(name, "1")
        url = url.replace("<slug>", "icd10cm-2026")
        response = client.post(url, data={"anything": "x"})
        assert response.status_code == 400, (url, response.status_code)
        assert b"form expired" in response.data or b"not sent by this site" in response.data
        checked.append(url)
    assert len(checked) >= 10


def test_api_ignores_cross_site_form_posts(csrf_app):
    """A cross-site form can only send form encodings; the API reads nothing but JSON, and a
    JSON POST from another site needs a CORS preflight this app never grants."""
    with csrf_app.app_context():
        create_user("trainee", PASSWORD)
    client = csrf_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    client.post(
        "/auth/login", data={"username": "trainee", "password": PASSWORD, "csrf_token": token}
    )
    for url in ("/api/v1/exercises/start", "/api/v1/attempts/1/submit", "/api/v1/grade"):
        response = client.post(url, data={"specialty": "orthopaedics"}, content_type="text/plain")
        assert response.status_code in (400, 404)
    response = client.options("/api/v1/grade", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
