"""Browser: a supervisor adds a co-instructor and hands the cohort over; a trainee reads and
prints their own certificate, and sees it marked revoked once revoked (issue 22)."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_supervisor_tools import _class
from tests.web.test_certification import _history
from trainer.extensions import db
from trainer.models import Cohort
from trainer.services.accounts import create_user


def test_add_a_co_instructor_then_hand_the_cohort_over(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    ids = _class(live_app)
    with live_app.app_context():
        create_user("kim", PASSWORD, "supervisor", "Kim Colleague")
    login(page, base, "boss", PASSWORD)
    page.goto(f"{base}/supervise/")
    page.locator("section.card", has_text="Day").locator("text=Instructors").first.click()
    page.wait_for_url(re.compile(rf".*/supervise/cohorts/{ids['day']}/instructors$"))
    page.fill("#co-instructor", "kim")
    page.click('button:text-is("Add co-instructor")')
    page.wait_for_selector("text=Kim Colleague co-instructs Day now.")
    assert "Co-instructor" in page.locator("#instructors tr", has_text="Kim Colleague").inner_text()
    # A typo is a clear message, not a change.
    page.fill("#new-owner", "nobody")
    page.check('input[name="confirm"]')
    page.click('button:text-is("Hand over")')
    page.wait_for_selector("text=No active supervisor has that username.")
    page.fill("#new-owner", "kim")
    page.check('input[name="confirm"]')
    page.click('button:text-is("Hand over")')
    page.wait_for_selector("text=Day is Kim Colleague's now")
    screenshot(page, "cohort-handed-over")
    with live_app.app_context():
        assert db.session.get(Cohort, ids["day"]).supervisor.username == "kim"
    page.click("text=Sign out")
    login(page, base, "kim", PASSWORD)
    page.goto(f"{base}/supervise/")
    assert "Rita Trainee" in page.locator("section.card", has_text="Day").inner_text()


def test_a_trainee_reads_prints_and_sees_a_revoked_certificate(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    ids = _class(live_app)
    with live_app.app_context():
        _history(ids["rita"], "orthopaedics", 30, 90, 90)
    login(page, base, "boss", PASSWORD)
    page.goto(f"{base}/supervise/trainees/{ids['rita']}")
    page.click("text=Certify in Orthopaedics")
    page.wait_for_url(re.compile(r".*/supervise/certificates/\d+$"))
    certificate_url = page.url
    page.click("text=Sign out")

    login(page, base, "rita", PASSWORD)
    page.goto(f"{base}/progress/")
    page.click("#certificates-link")
    row = page.locator("#certificates tr", has_text="Orthopaedics")
    assert "Valid" in row.inner_text() and "Bea Boss" in row.inner_text()
    row.locator("a").click()
    page.wait_for_url(re.compile(r".*/progress/certificates/\d+$"))
    own_url = page.url
    assert "Rita Trainee" in page.inner_text("#certificate")
    assert page.locator("#revoke-form").count() == 0
    page.emulate_media(media="print")
    assert page.is_visible("#certificate") and not page.is_visible("header.topbar")
    screenshot(page, "trainee-certificate-print")
    page.emulate_media(media="screen")
    page.click("text=Sign out")

    login(page, base, "boss", PASSWORD)
    page.goto(certificate_url)
    page.fill("#reason", "Coded with outside help.")
    page.click("text=Revoke certificate")
    page.wait_for_selector("text=Certificate revoked")
    page.click("text=Sign out")

    login(page, base, "rita", PASSWORD)
    page.goto(f"{base}/progress/certificates")
    row = page.locator("#certificates tr", has_text="Orthopaedics")
    assert "Revoked" in row.inner_text() and "outside help" in row.inner_text()
    row.locator("a").click()
    assert "REVOKED" in page.inner_text("#certificate")
    # Another trainee's certificate is not there for them.
    page.click("text=Sign out")
    login(page, base, "sam", PASSWORD)
    response = page.goto(own_url)
    assert response is not None and response.status == 404
    page.goto(f"{base}/progress/certificates")
    assert "No certificates yet" in page.inner_text("main")
