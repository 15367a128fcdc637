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
