"""Browser: feedback, a dispute reaching the supervisor, and the progress page with its charts."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from trainer.extensions import db
from trainer.models import Cohort, CohortMember, User
from trainer.services.accounts import create_user


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    login(page, base, username, PASSWORD)


def test_dispute_reaches_the_supervisor_and_progress_shows_charts(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        trainee = create_user("dee", PASSWORD, "trainee", "Dee Trainee")
        boss = create_user("boss", PASSWORD, "supervisor", "Bo Supervisor")
        cohort = Cohort(name="E2E", supervisor_id=boss.id, join_code="E2E001")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()

    _login(page, base, "dee")
    page.select_option("#specialty", "primary_care")
    page.fill("#difficulty", "1")  # the office visit levelled by MDM, so the E/M panel shows
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    page.fill("#diagnoses-0", "E11.9")
    page.fill("#lines-0-code", "99213")
    page.fill("#lines-0-pointers", "A")
    page.click("#submit-answer")
    page.wait_for_url(re.compile(r".*/result$"))
    assert "CMS-1500" in page.inner_text("main")
    assert "E/M level" in page.inner_text("main")
    page.fill("#dispute-citation", "The visit level follows the time documented (AMA 2021).")
    page.click("text=Send dispute")
    page.wait_for_selector("text=Dispute sent to your supervisor")
    screenshot(page, "feedback-with-dispute")

    page.goto(f"{base}/progress/")
    assert "Primary care" in page.inner_text("main")
    page.wait_for_function(
        "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    screenshot(page, "progress")

    page.click("text=Sign out")
    _login(page, base, "boss")
    page.goto(f"{base}/supervise/disputes")
    assert "time documented" in page.inner_text("main")
    screenshot(page, "supervisor-disputes")
    with live_app.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "dee"))
