"""Browser: what errors cost, on the graded chart, the trainee's progress page and the cohort
report (the new tables, their CSV links and the server-drawn E/M chart)."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from trainer.extensions import db
from trainer.models import Cohort, CohortMember
from trainer.services.accounts import create_user


def test_costs_on_the_chart_progress_and_report(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        trainee = create_user("cara", PASSWORD, "trainee", "Cara Coder")
        boss = create_user("cboss", PASSWORD, "supervisor", "Cost Supervisor")
        cohort = Cohort(name="Cost class", supervisor_id=boss.id, join_code="COST01")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        cohort_id = cohort.id

    login(page, base, "cara", PASSWORD)
    page.select_option("#specialty", "hcc_risk_adjustment")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    page.fill("#diagnoses-0", "E11.9")  # diabetes without its documented complications
    page.fill("#lines-0-code", "99212")  # an office visit coded low
    page.fill("#lines-0-pointers", "A")
    page.click("#submit-answer")
    page.wait_for_url(re.compile(r".*/result$"))
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
