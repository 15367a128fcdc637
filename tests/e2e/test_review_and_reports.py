"""Browser: a supervisor reviews a sampled chart and overrides a verdict; the trainee reads it;
the cohort report renders and prints; the code-update page assigns a refresher."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, submit_first_chart


def test_review_override_report_and_refresher(live_app, page, cohort_with_trainee):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    cohort_id, _ = cohort_with_trainee(
        ("rita", "Rita Trainee"), ("rev", "Rex Reviewer"), "Review class", "REV001"
    )

    login(page, base, "rita", PASSWORD)
    # R69, an unhelpful code: wrong for every primary care chart.
    attempt_url = submit_first_chart(page, "primary_care", "R69", "99213")
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
