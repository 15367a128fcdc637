"""Look-up in a real browser: results appear as you type; the keyboard opens a code."""

from __future__ import annotations

from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot
from trainer.services.accounts import create_user


def test_search_as_you_type_and_open_by_keyboard(live_app, page):  # type: ignore[no-untyped-def]
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        create_user("kim", PASSWORD, "trainee", "Kim Trainee")
    page.goto(f"{base}/auth/login")
    page.fill("#username", "kim")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/lookup/")
    page.focus("#q")
    page.keyboard.type("osteoarthritis right knee")
    page.wait_for_selector("#results a:has-text('M17.11')")
    screenshot(page, "lookup")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/lookup/icd10cm/**")
    assert "osteoarthritis" in page.inner_text("h1").lower()
