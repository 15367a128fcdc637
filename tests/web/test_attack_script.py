"""An outside attacker's script against a live server: plain HTTP, CSRF on, as in production.

A trainee ("mallory") signs in through the real form and tries what an auditor would try:
the key of a chart she has not submitted (dispute before submit, result pages, the API),
an exam's grades before the exam closes, answers after the bell (API submit, autosave, the
form), another cohort's exports, and open redirects through ``next=``. Each test asserts that
the attempt finds nothing: a 4xx (or a redirect back), and no key code, rationale or grade
in any body she received.

"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import make_app
from trainer.domain import domain
from trainer.extensions import db
from trainer.models import Assignment, AssignmentRun, Attempt, Cohort, CohortMember, User, utcnow
from trainer.services.accounts import create_user
from trainer.services.assignments import create_assignment
from trainer.services.practice import start_attempt, variant_of

PASSWORD = "correct-horse-battery"
EVIL = "evil.example"


@dataclass
class Target:
    """The live server and what the attacker knows (her own account, cohort ids she guessed)."""

    app: Any
    url: str
    ids: dict[str, int]


@dataclass
class Attacker:
    """A plain HTTP client that keeps every response body it received."""

    base: str
    http: requests.Session = field(default_factory=requests.Session)
    seen: list[tuple[str, str, int, str]] = field(default_factory=list)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        response = self.http.request(method, self.base + path, **kwargs)
        self.seen.append((method, path, response.status_code, response.text))
        assert response.status_code < 500, f"{method} {path}: {response.status_code}"
        return response

    def csrf(self, path: str = "/") -> str:
        page = self.request("GET", path).text
        found = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def form(self, path: str, data: dict[str, str] | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.request(
            "POST", path, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs
        )

    def json(self, method: str, path: str, body: Any) -> requests.Response:
        return self.request(method, path, json=body, headers={"X-CSRFToken": self.csrf()})

    def login(self, username: str, next_path: str | None = None) -> requests.Response:
        page = self.request("GET", "/auth/login").text
        token = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert token
        params = {"next": next_path} if next_path is not None else None
        return self.request(
            "POST",
            "/auth/login",
            params=params,
            data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        )

    def bodies_since(self, start: int) -> list[str]:
        return [body for *_, body in self.seen[start:]]


def _world(app: Any) -> dict[str, int]:
    """Mallory in cohort A (with a practice set and a timed exam); a victim in cohort B."""
    with app.app_context():
        ids = {
            name: create_user(name, PASSWORD, role).id
            for name, role in (
                ("mallory", "trainee"),
                ("victim", "trainee"),
                ("sup_a", "supervisor"),
                ("sup_b", "supervisor"),
            )
        }
        cohorts = {}
        for label, sup, member in (("a", "sup_a", "mallory"), ("b", "sup_b", "victim")):
            cohort = Cohort(
                name=f"Cohort {label}", supervisor_id=ids[sup], join_code=f"JOIN{label}"
            )
            db.session.add(cohort)
            db.session.flush()
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=ids[member]))
            cohorts[label] = cohort.id
        db.session.commit()
        library = domain().library
        sup_a = db.session.get(User, ids["sup_a"])
        exam = create_assignment(
            sup_a,
            cohorts["a"],
            "Certification exam",
            library,
            specialty="orthopaedics",
            chart_count=2,
            mode="exam",
            time_limit_minutes=30,
        )
        template = sorted(library.by_specialty()["orthopaedics"], key=lambda t: t.id)[0]
        victim_attempt = start_attempt(ids["victim"], template, seed=7)
        return {
            **ids,
            "cohort_a": cohorts["a"],
            "cohort_b": cohorts["b"],
            "exam": exam.id,
            "victim_attempt": victim_attempt.id,
        }


@pytest.fixture
def target(tmp_path: Path, migrated_sqlite: Path, codeset_index: Path) -> Iterator[Target]:
    app = make_app(tmp_path, migrated_sqlite, codeset_index, WTF_CSRF_ENABLED=True)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash is a 500 the attacker sees
    ids = _world(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Target(app, f"http://127.0.0.1:{server.server_port}", ids)
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


def _secrets(app: Any, attempt_id: int) -> list[str]:
    """What must not leak for this attempt: each key line's rationale and the key codes."""
    with app.app_context():
        key = variant_of(db.session.get(Attempt, attempt_id)).key
        found = [d.rationale for d in key.diagnoses] + [k.rationale for k in key.lines]
        found += [f'"{k.line.code}"' for k in key.lines]  # a code as a JSON string value
    return [s for s in found if s and len(s) > 3]


def _leaks(bodies: list[str], secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(s in body for body in bodies)]


def _start_practice(mallory: Attacker) -> int:
    response = mallory.form("/practice/start", {"specialty": "orthopaedics"})
    assert response.status_code == 303
    found = re.search(r"/practice/attempt/(\d+)", response.headers["Location"])
    assert found
    return int(found.group(1))


def _start_exam(mallory: Attacker, target: Target) -> tuple[int, list[int]]:
    response = mallory.form(f"/assignments/{target.ids['exam']}/start")
    assert response.status_code == 303
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with target.app.app_context():
        attempts = db.session.scalars(select(Attempt.id).where(Attempt.run_id == run_id)).all()
    return run_id, sorted(attempts)


def _answer(app: Any, attempt_id: int) -> dict[str, Any]:
    """The right answer, as an attacker who somehow knew it would send it."""
    with app.app_context():
        claim = variant_of(db.session.get(Attempt, attempt_id)).key.as_claim()
    return {
        "diagnoses": list(claim.diagnoses),
        "lines": [
            {"code": line.code, "modifiers": list(line.modifiers), "units": line.units}
            for line in claim.lines
        ],
    }


def _signed_in(target: Target, username: str = "mallory") -> Attacker:
    attacker = Attacker(target.url)
    assert attacker.login(username).status_code == 302
    return attacker


def test_dispute_before_submit_reveals_no_key(target):
    mallory = _signed_in(target)
    attempt_id = _start_practice(mallory)
    start = len(mallory.seen)
    response = mallory.form(
        f"/practice/attempt/{attempt_id}/dispute",
        {"item": "", "citation": "The key is wrong: ICD-10-CM I.A.12.a says otherwise."},
    )
    assert 400 <= response.status_code < 500 or response.status_code in (302, 303)
    assert _leaks(mallory.bodies_since(start), _secrets(target.app, attempt_id)) == []


def test_result_pages_and_the_api_show_no_key_or_grade_before_submission(target):
    mallory = _signed_in(target)
    attempt_id = _start_practice(mallory)
    start = len(mallory.seen)
    result = mallory.request("GET", f"/practice/attempt/{attempt_id}/result")
    assert result.status_code == 302 and "/result" not in result.headers["Location"]
    chart = mallory.request("GET", f"/practice/attempt/{attempt_id}")
    assert chart.status_code == 200
    api = mallory.request("GET", f"/api/v1/attempts/{attempt_id}")
    assert api.status_code == 200 and "grade" not in api.json()
    assert _leaks(mallory.bodies_since(start), _secrets(target.app, attempt_id)) == []


def test_another_trainees_chart_is_not_found_by_id(target):
    mallory = _signed_in(target)
    victim = target.ids["victim_attempt"]
    start = len(mallory.seen)
    for path in (
        f"/practice/attempt/{victim}",
        f"/practice/attempt/{victim}/result",
        f"/api/v1/attempts/{victim}",
    ):
        assert mallory.request("GET", path).status_code == 404, path
    answer = {"answer": {"diagnoses": ["M17.11"], "lines": [{"code": "27447"}]}}
    assert mallory.json("POST", f"/api/v1/attempts/{victim}/submit", answer).status_code == 404
    assert mallory.json("POST", f"/practice/attempt/{victim}/draft", {}).status_code == 404
    assert _leaks(mallory.bodies_since(start), _secrets(target.app, victim)) == []


def test_an_open_exam_shows_no_grade_or_key_anywhere(target):
    mallory = _signed_in(target)
    run_id, attempts = _start_exam(mallory, target)
    first = attempts[0]
    start = len(mallory.seen)
    submitted = mallory.json(
        "POST", f"/api/v1/attempts/{first}/submit", {"answer": _answer(target.app, first)}
    )
    assert submitted.status_code == 200 and "grade" not in submitted.json()
    assert "grade" not in mallory.request("GET", f"/api/v1/attempts/{first}").json()
    result = mallory.request("GET", f"/practice/attempt/{first}/result")
    assert result.status_code == 302 and f"/assignments/run/{run_id}" in result.headers["Location"]
    mallory.request("GET", f"/assignments/run/{run_id}")
    secrets = _secrets(target.app, first) + _secrets(target.app, attempts[1])
    assert _leaks(mallory.bodies_since(start), secrets) == []


def test_disputing_a_submitted_exam_chart_before_the_exam_closes_reveals_no_key(target):
    mallory = _signed_in(target)
    _, attempts = _start_exam(mallory, target)
    first = attempts[0]
    mallory.json("POST", f"/api/v1/attempts/{first}/submit", {"answer": _answer(target.app, first)})
    start = len(mallory.seen)
    response = mallory.form(
        f"/practice/attempt/{first}/dispute",
        {"item": "", "citation": "The key is wrong: ICD-10-CM I.A.12.a says otherwise."},
    )
    assert 400 <= response.status_code < 500 or response.status_code in (302, 303)
    assert _leaks(mallory.bodies_since(start), _secrets(target.app, first)) == []


def _ring_the_bell(target: Target, run_id: int) -> None:
    with target.app.app_context():
        run = db.session.get(AssignmentRun, run_id)
        run.started_at = utcnow() - timedelta(minutes=40)
        run.deadline_at = utcnow() - timedelta(minutes=10)
        db.session.commit()


def _graded_answer(target: Target, attempt_id: int) -> dict[str, Any] | None:
    with target.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return attempt.answer if attempt.status == "submitted" else None


def test_an_api_submit_after_the_bell_is_refused(target):
    mallory = _signed_in(target)
    run_id, attempts = _start_exam(mallory, target)
    _ring_the_bell(target, run_id)
    late = mallory.json(
        "POST",
        f"/api/v1/attempts/{attempts[0]}/submit",
        {"answer": _answer(target.app, attempts[0])},
    )
    assert 400 <= late.status_code < 500 and late.status_code != 404
    assert "closed" in late.json()["error"]
    # The bell closed the exam, so its feedback is open now: but it grades what was saved
    # before the bell, never the late answer.
    assert _graded_answer(target, attempts[0]) != _answer(target.app, attempts[0])


def test_an_autosave_after_the_bell_is_refused(target):
    mallory = _signed_in(target)
    run_id, attempts = _start_exam(mallory, target)
    _ring_the_bell(target, run_id)
    late = mallory.json(
        "POST", f"/practice/attempt/{attempts[0]}/draft", _answer(target.app, attempts[0])
    )
    assert 400 <= late.status_code < 500
    with target.app.app_context():
        assert not (db.session.get(Attempt, attempts[0]).draft or {}).get("diagnoses")


def test_a_form_submit_after_the_bell_does_not_take_the_late_answer(target):
    mallory = _signed_in(target)
    run_id, attempts = _start_exam(mallory, target)
    _ring_the_bell(target, run_id)
    answer = _answer(target.app, attempts[0])
    data = {f"diagnoses-{i}": code for i, code in enumerate(answer["diagnoses"])}
    for n, line in enumerate(answer["lines"]):
        data[f"lines-{n}-code"] = line["code"]
    response = mallory.form(f"/practice/attempt/{attempts[0]}/submit", data)
    assert response.status_code in (303, 400, 403, 409)
    assert _graded_answer(target, attempts[0]) != answer


@pytest.mark.parametrize("username", ["mallory", "sup_a"])
def test_another_cohorts_exports_are_refused(target, username):
    attacker = _signed_in(target, username)
    cohort_b = target.ids["cohort_b"]
    start = len(attacker.seen)
    paths = [
        f"/supervise/cohorts/{cohort_b}/report.csv",
        f"/supervise/cohorts/{cohort_b}/report",
        f"/api/v1/cohorts/{cohort_b}/report",
    ]
    with target.app.app_context():
        from trainer.services.reports import cohort_report

        cohort = db.session.get(Cohort, cohort_b)
        tables = cohort_report(cohort, domain().library, 0.95, 0.97).tables
    paths += [f"/supervise/cohorts/{cohort_b}/report/{t}.csv" for t in tables]
    for path in paths:
        status = attacker.request("GET", path).status_code
        assert status in (403, 404), f"{username} {path}: {status}"
    assert all("victim" not in body for body in attacker.bodies_since(start))


@pytest.mark.parametrize(
    "next_path",
    [
        f"//{EVIL}/",
        f"https://{EVIL}/",
        f"/\\{EVIL}",
        f"/\t/{EVIL}",
        f"/\r\nLocation: https://{EVIL}/",
        f"http:{EVIL}",
        f"/%2F{EVIL}",
        "javascript:alert(1)",
    ],
)
def test_next_never_leaves_the_site(target, next_path):
    attacker = Attacker(target.url)
    response = attacker.login("mallory", next_path)
    assert response.status_code == 302
    location = response.headers["Location"]
    # Browsers read a backslash as '/' and drop tabs and newlines, so none may remain.
    assert not re.search(r"[\\\s]", location), location
    landed = urlsplit(urljoin(target.url + "/auth/login", location))
    assert landed.netloc == urlsplit(target.url).netloc and landed.scheme == "http", location


def test_the_attack_found_nothing_to_report_in_any_body(target):
    """The whole script in one sitting, ending with the no-leak check over every body."""
    mallory = _signed_in(target)
    practice = _start_practice(mallory)
    mallory.request("GET", f"/practice/attempt/{practice}/result")
    mallory.request("GET", f"/api/v1/attempts/{practice}")
    _, exam_attempts = _start_exam(mallory, target)
    for attempt_id in exam_attempts:
        mallory.request("GET", f"/practice/attempt/{attempt_id}")
        mallory.request("GET", f"/api/v1/attempts/{attempt_id}")
    secrets = [s for a in [practice, *exam_attempts] for s in _secrets(target.app, a)]
    assert _leaks(mallory.bodies_since(0), secrets) == []
    assert all(status < 500 for _, _, status, _ in mallory.seen)
    with target.app.app_context():
        assert db.session.get(Assignment, target.ids["exam"]) is not None
