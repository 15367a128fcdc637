"""Browser: what errors cost, on the graded chart, the trainee's progress page and the cohort
report (the new tables, their CSV links and the server-drawn E/M chart)."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, submit_first_chart


def test_costs_on_the_chart_progress_and_report(live_app, page, cohort_with_trainee):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    cohort_id, _ = cohort_with_trainee(
        ("cara", "Cara Coder"), ("cboss", "Cost Supervisor"), "Cost class", "COST01"
    )

    login(page, base, "cara", PASSWORD)
    # Diabetes without its documented complications, and an office visit coded low.
    submit_first_chart(page, "hcc_risk_adjustment", "E11.9", "99212")
    costs = page.inner_text("#costs")
    assert "What your errors would cost" in costs
    assert "National unadjusted Medicare estimate" in costs
    assert "Revenue lost to undercoding" in costs and "$" in costs
    assert "Risk score of the key's diagnoses" in costs
    screenshot(page, "chart-costs")

    page.goto(f"{base}/progress/")
    claims = page.inner_text("#claims")
    assert "Clean claims, denials and productivity beside accuracy" in claims
    assert "Cara Coder" in claims
    assert "Revenue lost and at risk, per week" in page.inner_text("#revenue")
    assert page.locator("#em_levels svg rect").count() > 0  # the E/M chart, drawn inline
    assert (
        page.locator("#claims a:text-is('CSV')")
        .get_attribute("href")
        .endswith("/progress/costs/claims.csv")
    )
    screenshot(page, "progress-costs")
    page.click("text=Sign out")

    login(page, base, "cboss", PASSWORD)
    page.goto(f"{base}/supervise/cohorts/{cohort_id}/report")
    claims = page.inner_text("#claims")
    assert "Cara Coder" in claims and "em bias" in claims
    assert "Revenue lost and at risk, per week" in page.inner_text("#revenue")
    assert page.locator("#em_levels svg rect").count() > 0
    screenshot(page, "report-costs")
