"""The API as an integrator meets it: a client generated from the served OpenAPI document.

openapi-python-client (a maintained generator) writes a typed Python client from
/api/v1/openapi.json of a live server; the test then drives token -> start -> submit ->
result -> cohort report, and the code-set diff, through that client only. A schema without
``items`` or ``operationId`` shows here as a missing model or a function named after a path.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from tests.conftest import make_app
from trainer.extensions import db
from trainer.models import Attempt, Cohort, CohortMember, User
from trainer.services.accounts import create_user
from trainer.services.practice import variant_of
from trainer.services.tokens import create_token

PASSWORD = "correct-horse-battery"


@pytest.fixture
def live(tmp_path: Path, migrated_sqlite: Path, codeset_index: Path) -> Iterator[tuple[Any, str]]:
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


def _generate(base: str, where: Path) -> Any:
    document = requests.get(f"{base}/api/v1/openapi.json", timeout=30).json()
    (where / "openapi.json").write_text(json.dumps(document))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(where / "openapi.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / "trainer_client"),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=where,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(where))
    for name in [m for m in sys.modules if m.startswith("trainer_client")]:
        del sys.modules[name]
    return importlib.import_module("trainer_client")


def test_a_generated_client_runs_the_integration_round_trip(live, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, base = live
    with app.app_context():
        trainee = create_user("trainee", PASSWORD)
        supervisor = create_user("supervisor", PASSWORD, "supervisor")
        cohort = Cohort(name="Day class", supervisor_id=supervisor.id, join_code="GENCLI")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        cohort_id = cohort.id
        trainee_token = create_token(db.session.get(User, trainee.id), "lms")
        supervisor_token = create_token(db.session.get(User, supervisor.id), "lms")
    try:
        client_pkg = _generate(base, tmp_path)
        api = importlib.import_module("trainer_client.api.default")
        models = importlib.import_module("trainer_client.models")
        for name in ("start_exercise", "submit_attempt", "get_attempt", "cohort_report"):
            importlib.import_module(f"trainer_client.api.default.{name}")
        client = client_pkg.AuthenticatedClient(base_url=base, token=trainee_token)

        started = api.start_exercise.sync(
            client=client, body=models.StartRequest.from_dict({"specialty": "orthopaedics"})
        )
        assert isinstance(started, models.Attempt), started
        assert started.status.value == "in_progress" and "<" in started.chart_html

        with app.app_context():
            key = variant_of(db.session.get(Attempt, started.attempt_id)).key.as_claim()
        answer = models.Claim.from_dict(
            {
                "diagnoses": list(key.diagnoses),
                "lines": [
                    {
                        "code": line.code,
                        "modifiers": list(line.modifiers),
                        "units": line.units,
                        "pointers": list(line.pointers),
                    }
                    for line in key.lines
                ],
                "place_of_service": key.place_of_service,  # box 24B, from the schema
            }
        )
        submitted = api.submit_attempt.sync(
            started.attempt_id,
            client=client,
            body=models.SubmitRequest(answer=answer, seconds=300),
        )
        assert isinstance(submitted, models.Attempt), submitted
        result = api.get_attempt.sync(started.attempt_id, client=client)
        assert isinstance(result.grade, models.Grade)  # a typed grade, not a bare dict
        assert result.grade.score == 1.0 and result.grade.errors == []
        assert all(isinstance(v, models.LineVerdict) for v in result.grade.lines)
        assert result.grade.lines[0].expected.startswith(key.lines[0].code)

        # Another trainee's attempt is not found through the client either.
        other = client_pkg.AuthenticatedClient(base_url=base, token=supervisor_token)
        hidden = api.get_attempt.sync_detailed(started.attempt_id, client=other)
        assert hidden.status_code == 404

        report = api.cohort_report.sync(cohort_id, client=other)
        assert isinstance(report, models.CohortReport), report
        (row,) = report.trainees
        assert row.name == "trainee" and row.charts == 1
        (spec,) = row.specialties.additional_properties.values()
        assert isinstance(spec, models.SpecialtyAccuracy) and spec.code_accuracy == 1.0

        diff_module = importlib.import_module("trainer_client.api.default.codeset_diff")
        diff = diff_module.sync(
            client=client, set_=models.CodesetDiffSet("icd10cm"), from_=2025, to=2026
        )
        assert isinstance(diff, models.CodeSetDiff)
        assert diff.counts.added == len(diff.added) > 0
        assert all(isinstance(item, models.CodeTitle) for item in diff.added)
    finally:
        if str(tmp_path) in sys.path:
            sys.path.remove(str(tmp_path))
