"""Browser fixtures: the real app served on loopback, driven by Debian's Chromium.

Playwright's own browser download cannot work here, so Playwright drives /usr/bin/chromium.
Without Chromium the tests skip, unless TRAINER_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, make_app
from trainer.extensions import db
from trainer.models import Cohort, CohortMember
from trainer.services.accounts import create_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("TRAINER_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install -y chromium)")
        pytest.skip("Debian's Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path: Path, migrated_sqlite: Path, codeset_index: Path):  # type: ignore[no-untyped-def]
    """The app (CSRF on, as in production) on a loopback port in a background thread."""
    app = make_app(tmp_path, migrated_sqlite, codeset_index, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


#: ``(username, display name)`` of an account the fixture creates.
Person = tuple[str, str]


@pytest.fixture
def cohort_with_trainee(live_app) -> Callable[..., tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Make a supervisor's cohort with one trainee in it (all with ``PASSWORD``); returns
    ``(cohort_id, trainee_id)``. Names are the caller's, as the pages it checks show them."""

    def make(trainee: Person, supervisor: Person, name: str, join_code: str) -> tuple[int, int]:
        with live_app.app_context():
            member = create_user(trainee[0], PASSWORD, "trainee", trainee[1])
            boss = create_user(supervisor[0], PASSWORD, "supervisor", supervisor[1])
            cohort = Cohort(name=name, supervisor_id=boss.id, join_code=join_code)
            db.session.add(cohort)
            db.session.flush()
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=member.id))
            db.session.commit()
            return cohort.id, member.id

    return make


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


AXE = Path(__file__).resolve().parent / "data" / "axe-core" / "axe.min.js"  # vendored, see README
#: The impacts that fail a page (axe's scale: minor, moderate, serious, critical). Set
#: AXE_IMPACTS=minor,moderate,serious,critical to see every finding while working on a page.
AXE_FAILING = tuple(os.environ.get("AXE_IMPACTS", "serious,critical").split(","))


def axe_violations(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA
    rules and axe's best practices). The page's context must bypass the CSP (``axe_page``):
    the app allows no inline script, and axe is injected as one."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                (n["target"], n.get("failureSummary", "").replace("\n", " ")) for n in v["nodes"]
            ][:5],
        }
        for v in results["violations"]
        if v["impact"] in AXE_FAILING
    ]


def axe_report(page, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per serious or critical axe violation of the page, named for the report."""
    return [
        f"{name} ({page.url}): {v['impact']} {v['rule']}: {v['help']}; {v['nodes']}"
        for v in axe_violations(page)
    ]


def assert_accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Fail with every serious or critical axe violation of the page."""
    found = axe_report(page, name)
    assert not found, "axe:\n" + "\n".join(found)


@pytest.fixture
def axe_page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A page whose context bypasses the Content-Security-Policy, so axe can be injected."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real form, by keyboard, and wait for the practice home."""
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def submit_first_chart(  # type: ignore[no-untyped-def]
    page, specialty: str, diagnosis: str, code: str, difficulty: str | None = None
) -> str:
    """From the practice home: get a chart, enter one diagnosis and one line pointing at it,
    submit and wait for the graded result. Returns the chart's URL."""
    page.select_option("#specialty", specialty)
    if difficulty is not None:
        page.fill("#difficulty", difficulty)
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    attempt_url: str = page.url
    page.fill("#diagnoses-0", diagnosis)
    page.fill("#lines-0-code", code)
    page.fill("#lines-0-pointers", "A")
    page.click("#submit-answer")
    page.wait_for_url(re.compile(r".*/result$"))
    return attempt_url
