"""Circulating the agenda pack in a real browser, to a real SMTP server on loopback: the
errors first (scanned by axe), then the messages and their log on the history page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from core.extensions import db
from core.models import Person
from tests.conftest import OWN
from tests.e2e.test_admin import sign_in
from tests.e2e.test_public_pages import WCAG


def test_circulate_the_agenda_pack(page: Page, live_server: str, app, make_user, own_data,
                                   smtp_server) -> None:
    with app.app_context():
        db.session.get(Person, 1).email = "ab@wight.example"
        db.session.commit()
    _, email = make_user("panel_admin", OWN)
    sign_in(page, live_server, email)
    page.goto(live_server + f"/admin/{OWN}/meetings/1")
    page.get_by_role("link", name="Send the agenda pack or minutes by email").click()
    expect(page.get_by_role("cell", name="ab@wight.example")).to_be_visible()
    page.get_by_label("Other recipients (optional)").fill("officer@wight.example\nnot-mail")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Choose what to send")).to_be_visible()
    expect(summary.get_by_role("link", name="Other recipients: “not-mail” is not an email "
                                            "address", exact=False)).to_be_visible()
    expect(page.get_by_label("Other recipients (optional)")).to_have_value(
        "officer@wight.example\nnot-mail")
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()
    page.get_by_label("The agenda pack").check()
    page.get_by_label("Other recipients (optional)").fill("officer@wight.example")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to 2 people.")).to_be_visible()
    expect(page.get_by_role("heading", name="Email about this meeting")).to_be_visible()
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["ab@wight.example",
                                                                   "officer@wight.example"]
