"""The API as integrators meet it: a Python client generated from the served OpenAPI document
(openapi-python-client, a maintained generator) runs token -> start -> submit -> result ->
cohort report against a live server, with every response parsed into its typed model."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_app
from trainer.extensions import db
from trainer.models import Attempt, Cohort, CohortMember, User
from trainer.services.accounts import create_user
from trainer.services.practice import variant_of
from trainer.services.tokens import create_token

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def live(tmp_path, migrated_sqlite, codeset_index):  # type: ignore[no-untyped-def]
    app = make_app(tmp_path, migrated_sqlite, codeset_index)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


def _generate(base: str, where: Path):  # type: ignore[no-untyped-def]
    """Generate the client package ``trainer_api_client`` from the served document."""
    document = where / "openapi.json"
    document.write_bytes(requests.get(f"{base}/api/v1/openapi.json", timeout=10).content)
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(where / "trainer_api_client"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator warns when it has to drop a schema or a response (an array without
    # `items`, an unsupported construct): none may be dropped.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        return {
            name: importlib.import_module(f"trainer_api_client.{name}")
            for name in (
                "client",
                "api.default.start_exercise",
                "api.default.submit_attempt",
                "api.default.get_attempt",
                "api.default.cohort_report",
                "models",
            )
        }
    finally:
        sys.path.remove(str(where))


def test_a_generated_client_runs_the_whole_flow(live, tmp_path):  # type: ignore[no-untyped-def]
    app, base = live
    with app.app_context():
        trainee = create_user("lms-trainee", PASSWORD)
        boss = create_user("lms-boss", PASSWORD, "supervisor")
        cohort = Cohort(name="LMS course", supervisor_id=boss.id, join_code="LMS1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        cohort_id, trainee_id = cohort.id, trainee.id
        trainee_token = create_token(db.session.get(User, trainee.id), "lms")
        boss_token = create_token(db.session.get(User, boss.id), "lms")
    mods = _generate(base, tmp_path)
    models = mods["models"]
    client = mods["client"].AuthenticatedClient(base_url=base, token=trainee_token)

    started = mods["api.default.start_exercise"].sync_detailed(
        client=client, body=models.StartExerciseBody(specialty="orthopaedics")
    )
    assert started.status_code == 201
    chart = started.parsed
    assert (
        chart.status.value == "in_progress"
        and chart.chart_html
        and chart.specialty == "orthopaedics"
    )

    with app.app_context():
        key = variant_of(db.session.get(Attempt, chart.attempt_id)).key.as_claim().to_dict()
    body = models.SubmitAttemptBody.from_dict({"answer": key, "seconds": 95})
    submitted = mods["api.default.submit_attempt"].sync(
        attempt_id=chart.attempt_id, client=client, body=body
    )
    assert submitted.first_submission is True and submitted.status.value == "submitted"

    result = mods["api.default.get_attempt"].sync(attempt_id=chart.attempt_id, client=client)
    grade = result.grade
    assert grade.score == 1.0 and grade.chart_correct and grade.errors == []
    assert grade.policy.value == "strict" and grade.code_correct == grade.code_total > 0
    assert all(item.correct for item in grade.diagnoses + grade.lines)
    assert grade.diagnoses[0].elements[0].element.value == "code"

    # The trainee's token is not a supervisor's: the typed 403 model, not a crash.
    refused = mods["api.default.cohort_report"].sync_detailed(cohort_id=cohort_id, client=client)
    assert refused.status_code == 403
    boss_client = mods["client"].AuthenticatedClient(base_url=base, token=boss_token)
    report = mods["api.default.cohort_report"].sync(cohort_id=cohort_id, client=boss_client)
    assert report.cohort.name == "LMS course"
    (row,) = report.trainees
    assert row.user_id == trainee_id and row.charts == 1
    figures = row.specialties["orthopaedics"]
    assert figures.charts == 1 and figures.status.value == "not_enough_data"
    assert figures.code_accuracy == 1.0 and len(figures.interval) == 2


def _walk(node, path="$"):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _walk(value, f"{path}[{n}]")


def test_every_operation_is_named_and_every_array_has_items():
    from trainer.core.grading.types import ERROR_TYPES, POLICIES
    from trainer.web.openapi import spec

    document = spec()
    ids = []
    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("operationId") and operation.get("summary"), (method, route)
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids)) == 8
    untyped = [
        p for p, node in _walk(document) if node.get("type") == "array" and "items" not in node
    ]
    assert untyped == []
    grade = document["paths"]["/api/v1/grade"]["post"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert grade["properties"]["errors"]["items"]["properties"]["type"]["enum"] == list(ERROR_TYPES)
    assert grade["properties"]["policy"]["enum"] == list(POLICIES)
