"""The first vertical slice in a real browser: log in, code a chart by keyboard, read feedback."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot
from trainer.extensions import db
from trainer.models import Attempt
from trainer.services.accounts import create_user
from trainer.services.practice import variant_of


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    login(page, base, username, PASSWORD)


def _open_key(app, username: str):  # type: ignore[no-untyped-def]
    with app.app_context():
        attempt = db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()
        return attempt.id, variant_of(attempt).key


def test_trainee_codes_a_chart_and_sees_feedback(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("pat", PASSWORD, "trainee", "Pat Trainee")
    _login(page, base, "pat")
    screenshot(page, "home")

    page.select_option("#specialty", "orthopaedics")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    attempt_id, key = _open_key(live_app, "pat")
    # The key is not in the page before submission.
    body = page.content()
    for dx in key.diagnoses:
        assert dx.code not in body
    screenshot(page, "chart")

    # Keyboard only: type each diagnosis, Enter moves to the next field.
    page.focus("#diagnoses-0")
    for dx in key.diagnoses:
        page.keyboard.type(dx.code)
        page.keyboard.press("Enter")
    for n, keyed in enumerate(key.lines):
        page.focus(f"#lines-{n}-code")
        page.keyboard.type(keyed.line.code)
        for m, modifier in enumerate(keyed.line.modifiers):
            page.fill(f"#lines-{n}-mod{m + 1}", modifier)
        page.fill(f"#lines-{n}-units", str(keyed.line.units))
        letters = "".join("ABCDEFGHIJKL"[p - 1] for p in keyed.line.pointers)
        page.fill(f"#lines-{n}-pointers", letters)
    page.fill("#place_of_service", key.place_of_service)  # box 24B, once for the claim
    page.wait_for_selector("#save-state:has-text('Saved')")

    # The draft survives a reload, box 24B with it.
    page.reload()
    assert page.input_value("#diagnoses-0") == key.diagnoses[0].code
    assert key.place_of_service
    assert page.input_value("#place_of_service") == key.place_of_service

    page.click("#submit-answer")
    page.wait_for_url(re.compile(rf".*/practice/attempt/{attempt_id}/result$"))
    text = page.inner_text("main")
    assert "Every line matches the key" in text
    assert "fully correct" in text
    assert "95%" in text
    screenshot(page, "feedback")


def test_wrong_answer_shows_the_explanation(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("sam", PASSWORD, "trainee", "Sam Trainee")
    _login(page, base, "sam")
    page.select_option("#specialty", "orthopaedics")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    page.fill("#diagnoses-0", "R69")
    page.click("#submit-answer")
    page.wait_for_url(re.compile(r".*/result$"))
    text = page.inner_text("main")
    assert "not fully correct" in text
    assert "What to learn from this chart" in text


def test_malformed_code_is_sent_back_not_graded(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("lee", PASSWORD, "trainee", "Lee Trainee")
    _login(page, base, "lee")
    page.select_option("#specialty", "orthopaedics")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    page.fill("#diagnoses-0", "M17.")
    page.click("#submit-answer")
    assert "not an ICD-10-CM code shape" in page.inner_text(".problems")
    with live_app.app_context():
        assert db.session.scalars(select(Attempt.status)).all() == ["in_progress"]


def test_type_ahead_by_keyboard(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("ana", PASSWORD, "trainee", "Ana Trainee")
    _login(page, base, "ana")
    page.select_option("#specialty", "orthopaedics")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    page.focus("#diagnoses-0")
    page.keyboard.type("M17.1")
    page.wait_for_selector(".typeahead li[data-code='M17.11']")
    assert "header: not billable" in page.inner_text(".typeahead li[data-code='M17.1']")
    screenshot(page, "type-ahead")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#diagnoses-0") == "M17.11"
    assert page.is_hidden(".typeahead")


def test_type_ahead_is_a_combobox_and_a_pick_moves_on(live_app, page):  # type: ignore[no-untyped-def]
    """Tab takes the highlighted suggestion and moves focus (a modifier typed next is not
    appended to the code); each entered code shows its title or why it is not a code."""
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("ben", PASSWORD, "trainee", "Ben Trainee")
    _login(page, base, "ben")
    page.select_option("#specialty", "orthopaedics")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    page.focus("#diagnoses-0")
    assert page.get_attribute("#diagnoses-0", "role") == "combobox"
    page.keyboard.type("M17.1")
    page.wait_for_selector(".typeahead li[data-code='M17.11']")
    assert page.get_attribute("#diagnoses-0", "aria-expanded") == "true"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    active = page.get_attribute("#diagnoses-0", "aria-activedescendant")
    assert page.get_attribute(f"#{active}", "data-code") == "M17.11"
    page.keyboard.press("Tab")
    assert page.input_value("#diagnoses-0") == "M17.11"
    assert page.evaluate("document.activeElement.id") != "diagnoses-0"
    page.wait_for_selector("#diagnoses-0-status.ok")
    assert "right knee" in page.inner_text("#diagnoses-0-status")
    page.fill("#lines-0-code", "9921325")
    page.focus("#lines-0-units")
    page.wait_for_selector("#lines-0-code-status.bad")
    assert "9921325 is not a CPT code" in page.inner_text("#lines-0-code-status")
    assert page.get_attribute("#lines-0-code", "aria-invalid") == "true"
    assert page.get_attribute("#lines-0-pointers", "placeholder") is None


def test_below_1000_px_the_chart_does_not_cover_the_entry_fields(live_app, page):  # type: ignore[no-untyped-def]
    """At 200% zoom on a laptop (here an 800 px wide window) every focused field is visible."""
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("cy", PASSWORD, "trainee", "Cy Trainee")
    page.set_viewport_size({"width": 800, "height": 700})
    _login(page, base, "cy")
    page.select_option("#specialty", "orthopaedics")
    page.click("text=Get a chart")
    page.wait_for_url(re.compile(r".*/practice/attempt/\d+$"))
    hidden = page.evaluate(
        """() => Array.from(document.querySelectorAll('#entry-form input:not([type=hidden])'))
          .filter((el) => {
            el.focus();
            const box = el.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const hit = document.elementFromPoint(x, y);
            return hit !== el;
          }).map((el) => el.id)"""
    )
    assert hidden == []
