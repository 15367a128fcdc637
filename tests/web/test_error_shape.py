"""One JSON error shape for every API error: ``{"error", "status"}`` (+ ``field`` and context).

Each error a client can meet is provoked for real (unknown path, wrong method, no token, bad
input, oversized body, rate limit, conflict, server fault) and its body checked against the
shape the OpenAPI document publishes, so the document and the responses cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import make_app
from trainer.extensions import db
from trainer.web.openapi import ERROR, spec

TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict}


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(ERROR["required"]) <= set(body), body
    assert set(body) <= set(ERROR["properties"]), body
    for name, value in body.items():
        assert isinstance(value, TYPES[ERROR["properties"][name]["type"]]), (name, value)
    assert body["status"] == status and body["error"].strip()
    return body


def test_the_openapi_document_publishes_the_one_error_shape(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document == spec()
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "status"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status == "default" or int(status) >= 400:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, status)
            assert "default" in operation["responses"], (path, method)


def test_unknown_path_wrong_method_and_no_credentials(client):
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404)
    assert_error_shape(client.get("/api/v1/grade"), 405)
    assert_error_shape(client.post("/api/v1/grade", json={}), 401)


def test_a_validation_error_names_the_field(client, auth):
    auth.login()
    body = assert_error_shape(
        client.get("/api/v1/codes/validate?code=M17.11&kind=icd10cm&dos=2026-02-30"), 400
    )
    assert body["field"] == "dos"
    body = assert_error_shape(client.post("/api/v1/exercises/start", json={"specialty": "x"}), 400)
    assert body["field"] == "specialty"


def test_an_oversized_or_broken_json_body(client, auth, app):
    auth.login()
    too_big = "x" * (app.config["JSON_MAX_BYTES"] + 1)
    assert_error_shape(
        client.post("/api/v1/grade", data=too_big, content_type="application/json"), 413
    )
    assert_error_shape(
        client.post("/api/v1/grade", data="{not json", content_type="application/json"), 400
    )


def test_the_rate_limit(client, auth, app):
    auth.login()
    headers = {"Accept": "application/json"}
    statuses = [
        client.post("/assignments/join", data={"code": "NOSUCHCODE"}, headers=headers).status_code
        for _ in range(6)
    ]
    assert statuses[-1] == 429, statuses
    assert_error_shape(
        client.post("/assignments/join", data={"code": "NOSUCHCODE"}, headers=headers), 429
    )


def test_a_second_api_submit_is_a_409_carrying_the_attempt(client, auth):
    auth.login()
    started = client.post("/api/v1/exercises/start", json={"specialty": "orthopaedics"})
    assert started.status_code == 201
    attempt_id = started.get_json()["attempt_id"]
    answer = {"answer": {"diagnoses": ["M17.11"], "lines": [{"code": "99213"}]}}
    assert client.post(f"/api/v1/attempts/{attempt_id}/submit", json=answer).status_code == 200
    again = client.post(f"/api/v1/attempts/{attempt_id}/submit", json=answer)
    body = assert_error_shape(again, 409)
    assert body["first_submission"] is False
    assert body["attempt"]["attempt_id"] == attempt_id
    assert body["attempt"]["status"] != "in_progress"


def test_the_autosave_errors_share_the_shape(client, auth):
    auth.login()
    started = client.post("/api/v1/exercises/start", json={"specialty": "orthopaedics"})
    attempt_id = started.get_json()["attempt_id"]
    url = f"/practice/attempt/{attempt_id}/draft"
    assert_error_shape(client.post(url, json=["not", "an", "object"]), 400)
    client.post(
        f"/api/v1/attempts/{attempt_id}/submit",
        json={"answer": {"diagnoses": ["M17.11"], "lines": [{"code": "99213"}]}},
    )
    assert_error_shape(client.post(url, json={"diagnoses": ["M17.11"]}), 409)


def test_a_server_fault(tmp_path, migrated_sqlite, codeset_index):
    app = make_app(tmp_path, migrated_sqlite, codeset_index, PROPAGATE_EXCEPTIONS=False)

    def fault() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/api/v1/fault", "fault", fault)
    body = assert_error_shape(app.test_client().get("/api/v1/fault"), 500)
    assert "a bug" not in body["error"]
    with app.app_context():
        db.engine.dispose()
