"""Browser: feedback, a dispute reaching the supervisor, and the progress page with its charts."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, submit_first_chart
from trainer.extensions import db
from trainer.models import User


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    login(page, base, username, PASSWORD)


def test_dispute_reaches_the_supervisor_and_progress_shows_charts(
    live_app, page, cohort_with_trainee
):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    cohort_with_trainee(("dee", "Dee Trainee"), ("boss", "Bo Supervisor"), "E2E", "E2E001")

    _login(page, base, "dee")
    # Difficulty 1: the office visit levelled by MDM, so the E/M panel shows.
    submit_first_chart(page, "primary_care", "E11.9", "99213", difficulty="1")
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
