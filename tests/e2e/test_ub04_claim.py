"""A facility chart in a real browser: coded on the UB-04's own fields, drawn as a UB-04."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_practice_flow import _open_key
from trainer.core.claims import is_external_cause
from trainer.services.accounts import create_user


def test_a_facility_chart_is_coded_and_drawn_as_a_ub04(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("fay", PASSWORD, "trainee", "Fay Facility")
    login(page, base, "fay", PASSWORD)
    page.select_option("#specialty", "emergency_facility")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    attempt_id, key = _open_key(live_app, "fay")

    # The entry panel is the UB-04's: FL 4, FL 67, FL 70, FL 72, revenue codes, no pointers.
    assert page.locator("#type_of_bill").count() == 1
    assert page.locator("#reason-0").count() == 1 and page.locator("#ecause-0").count() == 1
    assert page.locator("input[name$='-pointers']").count() == 0
    assert "FL 67" in page.inner_text("#entry-form")

    # FL 67 refuses a chapter 20 code (a 400 with the reason), so a keyed external cause
    # goes in FL 72; a chart whose key has none gets one there anyway, to see it drawn.
    clinical = [d.code for d in key.diagnoses if not is_external_cause(d.code)]
    external = [d.code for d in key.diagnoses if is_external_cause(d.code)] or ["W19.XXXA"]
    page.fill("#type_of_bill", key.type_of_bill)
    for i, code in enumerate(clinical):
        page.fill(f"#diagnoses-{i}", code)
    page.fill("#reason-0", key.reason_for_visit[0].code)
    for i, code in enumerate(external):
        page.fill(f"#ecause-{i}", code)
    for n, keyed in enumerate(key.lines):
        if page.locator(f"#lines-{n}-code").count() == 0:
            page.click("#add-line")
        page.fill(f"#lines-{n}-code", keyed.line.code)
        page.fill(f"#lines-{n}-units", str(keyed.line.units))
        page.fill(f"#lines-{n}-revenue", keyed.line.revenue_code or "")
    page.wait_for_selector("#save-state:has-text('Saved')")
    page.reload()  # the UB-04 fields survive in the draft
    assert page.input_value("#type_of_bill") == key.type_of_bill
    assert page.input_value("#ecause-0") == external[0]
    screenshot(page, "ub04-entry")

    page.click("#submit-answer")
    page.wait_for_url(re.compile(rf".*/practice/attempt/{attempt_id}/result$"))
    form = page.locator(".claimform.ub04")
    assert form.locator("[data-fl='4']").inner_text() == key.type_of_bill
    assert form.locator("[data-fl='67']").inner_text() == key.diagnoses[0].code.replace(".", "")
    assert form.locator("[data-fl='70a']").inner_text() == key.reason_for_visit[0].code.replace(
        ".", ""
    )
    assert form.locator("[data-fl='72a']").inner_text() == external[0].replace(".", "")
    text = form.inner_text()
    assert "Dx pointer" not in text and "24E" not in text
    assert "FL 70 reason for visit" in page.inner_text("main")
    screenshot(page, "ub04-feedback")
