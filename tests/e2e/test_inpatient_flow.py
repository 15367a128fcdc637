"""An inpatient chart in a real browser: principal and secondary diagnoses with POA, PCS
procedures, autosave, submit, the UB-04 inpatient block and both MS-DRGs."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from trainer.extensions import db
from trainer.models import Attempt
from trainer.services.accounts import create_user
from trainer.services.practice import variant_of


def test_trainee_codes_an_inpatient_stay_end_to_end(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("ina", PASSWORD, "trainee", "Ina Trainee")
    login(page, base, "ina", PASSWORD)
    page.select_option("#specialty", "inpatient")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    with live_app.app_context():
        attempt = db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()
        attempt_id, key = attempt.id, variant_of(attempt).key
    assert key.setting == "inpatient"
    body = page.content()
    for dx in key.diagnoses:
        assert dx.code not in body
    for proc in key.procedures:
        assert proc.code not in body

    for i, dx in enumerate(key.diagnoses):
        page.fill(f"#diagnoses-{i}", dx.code)
        page.select_option(f"#poa-{i}", dx.poa)
    for n, proc in enumerate(key.procedures):
        page.fill(f"#procedures-{n}-code", proc.code)
        page.fill(f"#procedures-{n}-date", proc.date)  # the date its procedure note prints
    # "Add diagnosis" adds a row with its own POA select, labelled as the UB-04 numbers it.
    rows = page.locator("#dx-rows li").count()

    def saved_with_the_added_row(response) -> bool:  # type: ignore[no-untyped-def]
        if not response.url.endswith("/draft"):
            return False
        return len(response.request.post_data_json["diagnoses"]) == rows + 1

    with page.expect_response(saved_with_the_added_row):
        page.click("#add-inpatient-dx")
    assert page.locator("#dx-rows li").count() == rows + 1
    added = f"#diagnoses-{rows}"
    assert page.get_attribute(added, "name") == f"diagnoses-{rows}"
    assert page.get_attribute(f"#poa-{rows}", "name") == f"poa-{rows}"
    assert page.inner_text(f"label[for='diagnoses-{rows}']") == f"67{'ABCDEFGH'[rows - 1]}"
    assert page.input_value(added) == "" and page.input_value(f"#poa-{rows}") == ""
    page.keyboard.press("Escape")
    page.wait_for_selector("#save-state:has-text('Saved')")
    page.reload()  # the draft, POA and the added row included, survives a reload
    assert page.input_value("#diagnoses-0") == key.diagnoses[0].code
    assert page.input_value("#poa-0") == key.diagnoses[0].poa
    assert page.locator("#dx-rows li").count() == rows + 1
    # "Add procedure" adds an FL 74 row (code and date) past the four shown; saved with the draft.
    procs = page.locator("#procedures tbody tr").count()

    def saved_with_the_added_procedure(response) -> bool:  # type: ignore[no-untyped-def]
        if not response.url.endswith("/draft"):
            return False
        return len(response.request.post_data_json["procedures"]) == procs + 1

    with page.expect_response(saved_with_the_added_procedure):
        page.click("#add-procedure")
    assert page.get_attribute(f"#procedures-{procs}-code", "name") == f"procedures-{procs}-code"
    assert page.get_attribute(f"#procedures-{procs}-date", "name") == f"procedures-{procs}-date"
    assert page.input_value(f"#procedures-{procs}-code") == ""
    page.keyboard.press("Escape")
    screenshot(page, "inpatient-chart")

    page.click("#submit-answer")
    page.wait_for_url(re.compile(rf".*/practice/attempt/{attempt_id}/result$"))
    text = page.inner_text("main")
    assert "UB-04 (CMS-1450), inpatient" in text
    assert "Same MS-DRG as the key." in text
    assert "procedure_date" not in text and "Procedure date of" not in text
    drg_key = page.inner_text("#drg-key")
    assert drg_key == page.inner_text("#drg-given") == page.inner_text("#ub04-drg")
    screenshot(page, "inpatient-feedback")
