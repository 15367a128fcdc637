"""``trainer loadtest``: a bounded locust run of simulated trainees against gunicorn on loopback."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from trainer.perf.pages import gunicorn

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PASSWORD = "load-test-password"


def _prepare(database_url: str, index: Path, accounts: int) -> None:
    from trainer import create_app
    from trainer.database import upgrade_schema
    from trainer.services.accounts import create_user

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "CODESET_INDEX": str(index)}
    )
    with app.app_context():
        upgrade_schema()
        for n in range(accounts):
            create_user(f"load{n}", PASSWORD)


def run_loadtest(
    index: Path,
    database_url: str | None,
    users: int = 50,
    seconds: int = 60,
    specialties: list[str] | None = None,
) -> dict[str, Any]:
    """Start gunicorn (2 sync workers), run locust headless, return errors and latencies."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = database_url or f"sqlite:///{work / 'load.sqlite'}"
        _prepare(url, index, users)
        env = {
            "TRAINER_INSTANCE_PATH": str(work),
            "DATABASE_URL": url,
            "TRAINER_SECRET_KEY": "load-test-secret",
            "TRAINER_CODESET_INDEX": str(index),
        }
        with gunicorn("trainer:create_app()", env) as port:
            locust = str(Path(sys.executable).with_name("locust"))
            subprocess.run(
                [
                    locust,
                    "-f",
                    str(LOCUSTFILE),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    "10",
                    "-t",
                    f"{seconds}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(work / "load"),
                    "--only-summary",
                    "--stop-timeout",
                    "10",
                ],
                env={
                    **os.environ,
                    "LOADTEST_ACCOUNTS": str(users),
                    "LOADTEST_PASSWORD": PASSWORD,
                    "LOADTEST_SPECIALTIES": ",".join(specialties or ["orthopaedics"]),
                },
                check=False,
                capture_output=True,
                text=True,
                timeout=seconds + 120,
            )
        with (work / "load_stats.csv").open() as handle:
            rows = list(csv.DictReader(handle))
        with (work / "load_failures.csv").open() as handle:
            failures = [
                {
                    "request": f"{r['Method']} {r['Name']}",
                    "error": r["Error"][:200],
                    "count": int(r["Occurrences"]),
                }
                for r in csv.DictReader(handle)
            ]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {
        "database": "postgresql" if database_url else "sqlite",
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "errors": failures,
        "by_request": {
            r["Name"]: {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "p95_ms": float(r["95%"]),
            }
            for r in rows
            if r["Name"] != "Aggregated"
        },
    }
