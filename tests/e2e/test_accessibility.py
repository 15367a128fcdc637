"""axe-core on every main page, in the states a coder meets them: no serious or critical
violation (axe-core is vendored under tests/e2e/data/axe-core; nothing is downloaded)."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import axe_report, axe_violations, login


def test_axe_finds_a_violation_it_is_given(live_app, axe_page):  # type: ignore[no-untyped-def]
    """The check can fail: an image with no text alternative is one of axe's critical rules."""
    page = axe_page
    page.goto(f"{live_app.config['LIVE_URL']}/auth/login")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/x.png';"
        " document.querySelector('main').appendChild(i); }"
    )
    assert "image-alt" in {v["rule"] for v in axe_violations(page)}


def test_main_pages_have_no_serious_or_critical_violations(live_app, axe_page, cohort_with_trainee):  # type: ignore[no-untyped-def]
    page = axe_page
    base = live_app.config["LIVE_URL"]
    found: list[str] = []  # every page is checked, then the test fails with all they have

    def assert_accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
        found.extend(axe_report(page, name))

    cohort_id, trainee_id = cohort_with_trainee(
        ("ada", "Ada Trainee"), ("sue", "Sue Supervisor"), "Axe class", "AXE001"
    )

    page.goto(f"{base}/auth/login")
    assert_accessible(page, "login")
    page.fill("#username", "ada")
    page.fill("#password", "not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, "login with an error")

    login(page, base, "ada", PASSWORD)
    assert_accessible(page, "practice home")

    page.goto(f"{base}/lookup/?q=pneumonia")
    page.wait_for_selector("#results a:has-text('J18.9')")
    assert_accessible(page, "look-up with results")
    page.goto(f"{base}/lookup/icd10cm/J18.9")
    assert_accessible(page, "code page")

    page.goto(f"{base}/")
    page.select_option("#specialty", "primary_care")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    assert_accessible(page, "chart entry")
    page.focus("#lines-0-code")
    page.keyboard.type("9921")
    page.wait_for_selector(".typeahead li[role=option]")
    assert_accessible(page, "chart entry with the type-ahead open")
    page.keyboard.press("Escape")

    page.fill("#diagnoses-0", "M17.")  # not a code shape: the form comes back with the error
    page.fill("#lines-0-code", "99213")
    page.fill("#lines-0-pointers", "A")
    with page.expect_navigation():
        page.click("#submit-answer")
    page.wait_for_selector(".problems")
    assert_accessible(page, "chart entry with validation errors")

    page.fill("#diagnoses-0", "R69")
    page.click("#submit-answer")
    page.wait_for_url(re.compile(r".*/result$"))
    assert_accessible(page, "graded chart")

    page.goto(f"{base}/progress/")
    page.wait_for_function(
        "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    assert_accessible(page, "progress")
    page.goto(f"{base}/assignments/")
    assert_accessible(page, "trainee assignments")

    page.click("text=Sign out")
    login(page, base, "sue", PASSWORD)
    page.goto(f"{base}/supervise/review/")
    assert_accessible(page, "supervisor review queue")
    page.click('#review-queue a:text-is("Review")')
    page.wait_for_url(re.compile(r".*/supervise/review/\d+.*"))
    assert_accessible(page, "supervisor review of a chart")
    page.goto(f"{base}/supervise/cohorts/{cohort_id}/report")
    assert_accessible(page, "cohort report")
    page.goto(f"{base}/updates/icd10cm-2026")
    assert_accessible(page, "what changed")
    for path, name in (
        ("/supervise/", "supervisor home"),
        ("/supervise/disputes", "disputes"),
        ("/supervise/assignments", "supervisor assignments"),
        (f"/supervise/trainees/{trainee_id}", "per-trainee page"),
        ("/supervise/templates/", "authored templates"),
        ("/supervise/templates/new", "template editor"),
        ("/updates/", "code updates"),
        ("/account/tokens", "API tokens"),
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        assert_accessible(page, name)
    assert not found, "axe (serious or critical):\n" + "\n".join(found)
