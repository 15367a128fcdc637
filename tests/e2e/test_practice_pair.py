"""The professional + facility pair in a real browser: one encounter, two claims, one result."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from trainer.extensions import db
from trainer.models import Attempt, PracticePair
from trainer.services.accounts import create_user
from trainer.services.practice import variant_of


def _fill(page, key) -> None:  # type: ignore[no-untyped-def]
    """The entry panel filled with a key (CMS-1500 pointers, or the UB-04's FL 4 and FL 70)."""
    facility = key.setting == "facility"
    if facility:
        page.fill("#type_of_bill", key.type_of_bill)
        if key.reason_for_visit:
            page.fill("#reason-0", key.reason_for_visit[0].code)
    else:  # the CMS-1500's box 24B
        page.fill("#place_of_service", key.place_of_service)
    for i, dx in enumerate(key.diagnoses):
        page.fill(f"#diagnoses-{i}", dx.code)
    for n, keyed in enumerate(key.lines):
        if page.locator(f"#lines-{n}-code").count() == 0:
            page.click("#add-line")
        page.fill(f"#lines-{n}-code", keyed.line.code)
        for m, modifier in enumerate(keyed.line.modifiers):
            page.fill(f"#lines-{n}-mod{m + 1}", modifier)
        page.fill(f"#lines-{n}-units", str(keyed.line.units))
        if facility:
            page.fill(f"#lines-{n}-revenue", keyed.line.revenue_code or "")
        else:
            letters = "".join("ABCDEFGHIJKL"[p - 1] for p in keyed.line.pointers)
            page.fill(f"#lines-{n}-pointers", letters)
    page.wait_for_selector("#save-state:has-text('Saved')")


def test_a_pair_is_coded_twice_and_ends_on_both_grades(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("paula", PASSWORD, "trainee", "Paula Pair")
    login(page, base, "paula", PASSWORD)
    page.click("text=Get a professional + facility pair")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    with live_app.app_context():
        pair = db.session.scalars(select(PracticePair).order_by(PracticePair.id.desc())).first()
        pro = variant_of(db.session.get(Attempt, pair.professional_attempt_id))
        fac = variant_of(db.session.get(Attempt, pair.facility_attempt_id))
        pair_id = pair.id
    assert "chart 1 of 2, the professional claim" in page.inner_text("header.chart-meta")
    assert pro.patient.name in page.inner_text(".chart-body")
    _fill(page, pro.key)
    page.click("#submit-answer")
    # Straight on to the facility chart of the same encounter: same patient, no grade yet.
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    assert "chart 2 of 2, the facility claim" in page.inner_text("header.chart-meta")
    assert pro.patient.name in page.inner_text(".chart-body")
    assert "What differs" not in page.content()
    _fill(page, fac.key)
    page.click("#submit-answer")
    page.wait_for_url(re.compile(rf".*/practice/pair/{pair_id}$"))
    text = page.inner_text("main")
    assert text.count("Score 100%") == 2
    assert "What differs between the two claims" in text
    assert f"FL 4 type of bill {fac.key.type_of_bill}" in text
    screenshot(page, "pair-result")
