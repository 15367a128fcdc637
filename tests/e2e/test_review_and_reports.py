"""Browser: a supervisor reviews a sampled chart and overrides a verdict; the trainee reads it;
the cohort report renders and prints; the code-update page assigns a refresher."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from trainer.extensions import db
from trainer.models import Cohort, CohortMember
from trainer.services.accounts import create_user


def test_review_override_report_and_refresher(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        trainee = create_user("rita", PASSWORD, "trainee", "Rita Trainee")
        boss = create_user("rev", PASSWORD, "supervisor", "Rex Reviewer")
        cohort = Cohort(name="Review class", supervisor_id=boss.id, join_code="REV001")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        cohort_id = cohort.id

    login(page, base, "rita", PASSWORD)
    page.select_option("#specialty", "primary_care")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    attempt_url = page.url
    page.fill("#diagnoses-0", "R69")  # an unhelpful code: wrong for every primary care chart
    page.fill("#lines-0-code", "99213")
    page.fill("#lines-0-pointers", "A")
    page.click("#submit-answer")
    page.wait_for_url(re.compile(r".*/result$"))
    page.click("text=Sign out")

    login(page, base, "rev", PASSWORD)
    page.goto(f"{base}/supervise/review/")
    assert "Every chart: trainee not yet at target" in page.inner_text("#review-queue")
    page.click('#review-queue a:text-is("Review")')
    page.wait_for_url(re.compile(r".*/supervise/review/\d+.*"))
    page.select_option("#dx-0-verdict", "correct")
    page.fill("#dx-0-reason", "Accepted for this exercise: the note gives no diagnosis.")
    page.fill("#comment", "Look for the assessment line first.")
    screenshot(page, "review-chart")
    page.click("text=Save review")
    page.wait_for_selector("text=Review saved (overridden)")

    page.goto(f"{base}/supervise/cohorts/{cohort_id}/report")
    main = page.inner_text("main")
    for title in ("Accuracy by specialty against target", "Item analysis by template"):
        assert title in main
    screenshot(page, "cohort-report")
    page.emulate_media(media="print")
    assert not page.is_visible("nav.report-nav")  # the printed report has no navigation
    page.emulate_media(media="screen")

    page.goto(f"{base}/updates/icd10cm-2026")
    assert "S30.1XXA → S30.11XA" in page.inner_text("main")
    page.select_option("#cohort", str(cohort_id))
    page.click("text=Assign to cohort")
    page.wait_for_selector("text=refresher assigned to Review class")
    screenshot(page, "code-update")
    page.click("text=Sign out")

    login(page, base, "rita", PASSWORD)
    page.goto(attempt_url + "/result")
    review = page.inner_text("#review")
    assert "Rex Reviewer" in review and "no diagnosis" in review and "assessment line" in review
    page.goto(f"{base}/assignments/")
    assert "FY2026 ICD-10-CM update refresher" in page.inner_text("main")
