"""Page and report figures of the benchmark: real gunicorn servers on loopback.

The practice page and a minimal Flask + Jinja + one-query page are both served by gunicorn with
2 sync workers and loaded alternately by the same client, so their quotient (``page_ratio``)
compares like with like on a shared, noisy machine. Every request goes to 127.0.0.1 only, and
every loop is bounded in time.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

CLIENTS = 8
ROUND_SECONDS = 3.0
ROUNDS = 3
PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    exe = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [
            exe,
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
            app_spec,
        ],
        env={**os.environ, **env},
    )
    try:
        _wait_ready(port)
        time.sleep(1.0)  # let both workers boot before load
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def _load(port: int, path: str, cookie: str, seconds: float) -> float:
    """Requests per second with CLIENTS keep-alive connections for a bounded time."""
    counts = [0] * CLIENTS
    errors = [0] * CLIENTS
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[i] += 1
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sum(errors):
        raise RuntimeError(f"{sum(errors)} non-200 responses from {path}")
    return sum(counts) / (time.monotonic() - start)


def _login_cookie(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = _cookies(response)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    body = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    )
    conn.request(
        "POST",
        "/auth/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"bench log-in failed with {response.status}")
    return _cookies(response)


def _cookies(response: http.client.HTTPResponse) -> str:
    """A Cookie header from every non-empty Set-Cookie of a response."""
    jar: list[str] = []
    for header in response.msg.get_all("Set-Cookie") or []:
        name_value = header.split(";")[0]
        if name_value.partition("=")[2]:
            jar.append(name_value)
    return "; ".join(jar)


def _prepare_practice(workdir: Path, index: Path) -> tuple[dict[str, str], int]:
    """A migrated database with one trainee and one open chart; returns env and attempt id."""
    from trainer import create_app
    from trainer.database import upgrade_schema
    from trainer.domain import domain
    from trainer.services.accounts import create_user
    from trainer.services.practice import choose_template, start_attempt

    db_path = workdir / "pages.sqlite"
    env = {
        "TRAINER_INSTANCE_PATH": str(workdir),
        "DATABASE_URL": f"sqlite:///{db_path}",
        "TRAINER_SECRET_KEY": secrets.token_hex(16),
        "TRAINER_CODESET_INDEX": str(index),
    }
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SECRET_KEY": "x",
            "CODESET_INDEX": str(index),
        }
    )
    with app.app_context():
        upgrade_schema()
        user = create_user("bench", PASSWORD)
        import random

        template = choose_template(domain().library, "orthopaedics", random.Random(1))
        attempt = start_attempt(user.id, template, seed=1)
        return env, attempt.id


def run_page_benchmarks(index: Path, workdir: Path, notes: list[str]) -> dict[str, Any]:
    env, attempt_id = _prepare_practice(workdir, index)
    base_env = {"BENCH_BASELINE_DB": str(workdir / "baseline.sqlite")}
    practice_rps: list[float] = []
    baseline_rps: list[float] = []
    with (
        gunicorn("trainer:create_app()", env) as practice_port,
        gunicorn("trainer.perf.baseline_app:create_baseline_app()", base_env) as baseline_port,
    ):
        cookie = _login_cookie(practice_port, "bench")
        path = f"/practice/attempt/{attempt_id}"
        _load(practice_port, path, cookie, 1.0)  # warm up both
        _load(baseline_port, "/", "", 1.0)
        for _ in range(ROUNDS):
            baseline_rps.append(_load(baseline_port, "/", "", ROUND_SECONDS))
            practice_rps.append(_load(practice_port, path, cookie, ROUND_SECONDS))
    practice = statistics.median(practice_rps)
    baseline = statistics.median(baseline_rps)
    notes.append(
        f"pages: {ROUNDS} alternating rounds of {ROUND_SECONDS:g}s, {CLIENTS} keep-alive clients, "
        "gunicorn 2 sync workers each, loopback; medians"
    )
    return {
        "practice_page_rps": practice,
        "baseline_page_rps": baseline,
        "page_ratio": practice / baseline if baseline else 0.0,
    }


def run_report_benchmark(
    workdir: Path, notes: list[str], trainees: int = 200, attempts_each: int = 500
) -> dict[str, Any]:
    """Median time of the cohort report over seeded attempts (200 x 500 = 100,000)."""
    from sqlalchemy import insert, select

    from trainer import create_app
    from trainer.database import upgrade_schema
    from trainer.extensions import db
    from trainer.models import Attempt, AttemptError, Cohort, CohortMember, User, utcnow
    from trainer.services.reports.cohort import PAGE_SIZE

    uri = f"sqlite:///{workdir / 'report.sqlite'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "x",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade_schema()
        from trainer.services.accounts import create_user

        sup = create_user("sup", PASSWORD, "supervisor")
        cohort = Cohort(name="Bench", supervisor_id=sup.id, join_code="BENCH001")
        db.session.add(cohort)
        db.session.flush()
        users = [
            User(username=f"t{i}", display_name=f"Trainee {i:03d}", password_hash="x")
            for i in range(trainees)
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=u.id) for u in users)
        from trainer.domain import domain

        templates = sorted(domain().library.templates.values(), key=lambda t: t.id)
        now = utcnow()
        rows = []
        for u in users:
            for j in range(attempts_each):
                template = templates[(j * 7 + u.id) % len(templates)]
                rows.append(
                    {
                        "user_id": u.id,
                        "template_id": template.id,
                        "template_version": 1,
                        "seed": j,
                        "specialty": template.specialty,
                        "setting": "professional",
                        "difficulty": 1,
                        "mode": "practice",
                        "policy": "strict",
                        "variant": {},
                        "status": "submitted",
                        "score": 1.0,
                        "code_correct": 3 + (j % 7 > 0),
                        "code_total": 4,
                        "chart_correct": j % 7 > 0,
                        "seconds_spent": 300,
                        "submitted_at": now - timedelta(minutes=j),
                        # The cost figures: one chart in seven under-codes its E/M a level
                        # (99214 keyed, 99213 coded: $36.23), one in eleven has a denied line.
                        "revenue_under_cents": 3623 if j % 7 == 0 else 0,
                        "revenue_over_cents": 6340 if j % 13 == 0 else 0,
                        "lines_denied": 1 if j % 11 == 0 else 0,
                        "lines_total": 2,
                        "em_key": "99214" if j % 3 else "",
                        "em_given": ("99213" if j % 7 == 0 else "99214") if j % 3 else "",
                    }
                )
        db.session.execute(insert(Attempt), rows)
        db.session.commit()
        wrong = db.session.execute(
            select(Attempt.id, Attempt.user_id, Attempt.specialty).where(
                Attempt.chart_correct.is_(False)
            )
        ).all()
        kinds = ("laterality", "specificity", "missing_modifier", "wrong_units")
        db.session.execute(
            insert(AttemptError),
            [
                {
                    "attempt_id": a,
                    "user_id": u,
                    "specialty": s,
                    "error_type": kinds[a % len(kinds)],
                    "code_family": "M17",
                    "explanation": "",
                }
                for a, u, s in wrong
            ],
        )
        db.session.commit()
        # The summary rows the report reads, filled as the migration's backfill fills them.
        from trainer.services.report_summaries import rebuild

        rebuild(db.session)
        db.session.commit()
        cohort_id = cohort.id
        del rows, wrong  # the seeding data is not part of a serving process
    import gc

    gc.collect()
    client = app.test_client()
    client.post("/auth/login", data={"username": "sup", "password": PASSWORD})
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        response = client.get(f"/supervise/cohorts/{cohort_id}/report")
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"report page answered {response.status_code}")
    notes.append(
        f"report: the cohort report page (every table, the cost tables and the E/M chart "
        f"included) over {trainees} trainees x {attempts_each} attempts with their error "
        f"rows: the per-trainee tables list the first page ({PAGE_SIZE} trainees), the cohort "
        "rows and cohort-wide tables every trainee; median of 7, SQLite"
    )
    return {"report_ms": statistics.median(timings)}
