"""The fresh-process figures of the benchmark: cold start, peak memory, a new worker's first page.

These cannot be measured inside the running benchmark (its modules are already imported and
its caches warm), so each runs a short script in a new Python process and reads what it prints.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path


def _run(script: str) -> list[str]:
    """What a fresh Python process running ``script`` prints, split into words."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()


COLD_START = """
import resource, time, sys
start = time.perf_counter()
from trainer import create_app
from trainer.domain import domain
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{db}", "SECRET_KEY": "b",
                  "CODESET_INDEX": "{index}"}})
with app.app_context():
    lib = domain().library
    cat = domain().catalog
    cat.search("knee", None, None, 10)
    elapsed = time.perf_counter() - start
    # RSS with the CMS tables in use: grade every template's key once (NCCI, MUE, add-on and
    # PFS look-ups for every code the library uses).
    from trainer.core.content.generation import generate
    from trainer.core.grading.grader import grade
    for t in lib.templates.values():
        v = generate(t, 0)
        grade(v.key, v.key.as_claim(), "strict", v.date_of_service, catalog=cat)
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_cold_start(index: Path, workdir: Path) -> tuple[float, float]:
    """Seconds to import, build the app and load library and catalog; peak RSS in MB."""
    runs = []
    for _ in range(3):
        script = COLD_START.format(db=workdir / "cold.sqlite", index=index)
        out = _run(script)
        runs.append((float(out[0]), float(out[1])))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


UPDATES_FIRST = """
import time
from trainer import create_app
from trainer.database import upgrade_schema
from trainer.services.accounts import create_user
config = {{"SQLALCHEMY_DATABASE_URI": "sqlite:///{db}", "SECRET_KEY": "b",
          "CODESET_INDEX": "{index}", "WTF_CSRF_ENABLED": False}}
setup = create_app(config)
with setup.app_context():
    upgrade_schema()
    create_user("bench-sup", "bench-password-1", "supervisor")
app = create_app(config)  # a fresh worker: nothing of the domain loaded, no page compiled
client = app.test_client()
client.post("/auth/login", data={{"username": "bench-sup", "password": "bench-password-1"}})
start = time.perf_counter()
response = client.get("/updates/icd10cm-2026")
assert response.status_code == 200, response.status_code
print((time.perf_counter() - start) * 1000)
"""


def bench_updates_first_request(index: Path, workdir: Path) -> float:
    """ms of a fresh worker's first request to the FY2026 "what changed" page (median of 3
    processes). It reads the refreshers ``trainer init-db`` precomputed into the instance
    folder; without them the figure is the full computation, as a worker would pay it."""
    runs = []
    for n in range(3):
        script = UPDATES_FIRST.format(db=workdir / f"updates{n}.sqlite", index=index)
        out = _run(script)
        runs.append(float(out[-1]))
    return statistics.median(runs)


__all__ = ["COLD_START", "UPDATES_FIRST", "bench_cold_start", "bench_updates_first_request"]
