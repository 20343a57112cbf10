"""Published meetings in a real browser: the public page with published minutes and a
paper, and the paper upload refusing a file, scanned with axe."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect

from core.extensions import db
from core.meetings.minutes import approve_minutes
from core.meetings.papers import papers_path
from core.models import Meeting
from tests.core.admin.test_access import OWN
from tests.e2e.test_admin import sign_in
from tests.e2e.test_public_pages import WCAG


def test_published_minutes_and_a_refused_upload_have_no_accessibility_violations(
        page: Page, live_server: str, app: Flask, make_user, own_data, tmp_path) -> None:
    with app.app_context():
        meeting = db.session.get(Meeting, 1)
        meeting.minutes = "The board heard from the children in care council."
        db.session.commit()
        approve_minutes(meeting, how="chair", at_meeting_id=None, chair="Cllr A",
                        on=meeting.starts_at.date(), publish=True, version=str(meeting.version))
        assert papers_path().is_dir()
    axe, problems = Axe(), []
    page.goto(live_server + f"/{OWN}/meetings/1")
    expect(page.get_by_text("The board heard from the children in care council.")).to_be_visible()
    expect(page.get_by_role("heading", name="Declarations of interest")).to_be_visible()
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        problems.append(f"public meeting:\n{results.generate_report()}")
    # the panel's page with its forward work programme (planned item 1 of own_data)
    page.goto(live_server + f"/{OWN}/panels/corporate-parenting-board")
    expect(page.get_by_role("heading", name="Forward work programme")).to_be_visible()
    expect(page.get_by_role("cell", name="Planned", exact=True)).to_be_visible()
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        problems.append(f"panel page:\n{results.generate_report()}")

    _, email = make_user("site_admin")
    sign_in(page, live_server, email)
    page.goto(live_server + f"/admin/{OWN}/meetings/1/agenda/1")
    page.get_by_label("Title of the paper").fill("Budget")
    bad = tmp_path / "budget.pdf"
    bad.write_bytes(b"not a pdf at all")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Upload the paper").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_text("not a real PDF file").first).to_be_visible()
    results = axe.run(page, options=WCAG)
    if results.violations_count:
        problems.append(f"refused upload:\n{results.generate_report()}")
    assert not problems, "\n\n".join(problems)


def test_a_clerk_writes_approves_and_publishes_minutes_in_the_browser(
        page: Page, live_server: str, make_user, own_data) -> None:
    _, email = make_user("panel_admin", OWN)
    sign_in(page, live_server, email)
    page.goto(live_server + f"/admin/{OWN}/meetings/1")
    page.get_by_role("link", name="Write, approve and publish the minutes").click()
    page.get_by_label("Minutes", exact=True).fill("The board agreed the sufficiency plan.")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text("Minutes saved.")).to_be_visible()

    # the item's decision, recorded with the minutes
    page.get_by_role("link", name="A report").click()
    page.get_by_label("Decision (optional)").fill("The board endorsed the report.")
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("Item saved.")).to_be_visible()

    page.goto(live_server + f"/admin/{OWN}/meetings/1/minutes")
    page.get_by_label("By the chair").check()
    page.get_by_label("Name of the chair who approved them").fill("Cllr A. Chair")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("Minutes approved and published.")).to_be_visible()
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()

    page.goto(live_server + f"/{OWN}/meetings/1")
    expect(page.get_by_text("The board agreed the sufficiency plan.")).to_be_visible()
    expect(page.get_by_text("Approved by the chair, Cllr A. Chair, on 12 March 2026.")
           ).to_be_visible()
    expect(page.get_by_text("The board endorsed the report.")).to_be_visible()
    expect(page.get_by_text("A foster carer")).to_be_visible()  # declaration 1 of own_data
