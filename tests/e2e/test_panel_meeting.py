"""A Herefordshire panel meeting run end to end in a real browser, as a panel administrator."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.test_admin import sign_in
from tests.e2e.test_public_pages import WCAG

PANEL = "/admin/herefordshire/panels/corporate-parenting-panel"
MEETINGS = "/admin/herefordshire/meetings/panels/corporate-parenting-panel"


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def appoint(page: Page, live_server: str, seat: str, name: str) -> None:
    page.goto(live_server + PANEL + "/appoint")
    page.get_by_label("Seat").select_option(label=seat)
    page.get_by_label("Or someone new: their name").fill(name)
    fill_date(page, "Start", "1", "5", "2026")
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_text(name).first).to_be_visible()


def test_run_a_panel_meeting_from_appointment_to_carried_action(
        page: Page, live_server: str, make_user) -> None:
    _, email = make_user("panel_admin", "herefordshire")
    sign_in(page, live_server, email)

    # membership: the chair and a young people's representative
    appoint(page, live_server, "Cabinet member for children and families (Chair)", "Cllr Ada")
    appoint(page, live_server,
            "Your Voice Matters representatives supported by participation officer", "J.B.")
    page.goto(live_server + PANEL)
    expect(page.get_by_text("The chair's seat")).to_have_count(0)

    # two meetings scheduled from the panel's two-monthly cycle
    page.goto(live_server + MEETINGS)
    fill_date(page, "Date of the first meeting", "2", "12", "2026")
    page.locator("#cycle_time").fill("17:30")
    page.get_by_label("How many meetings").fill("2")
    page.get_by_role("button", name="Preview the dates").click()
    expect(page.get_by_role("heading", name="Check the dates of the meetings")).to_be_visible()
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()
    page.get_by_role("button", name="Schedule these 2 meetings").click()
    expect(page.get_by_text("2 February 2027")).to_be_visible()
    page.get_by_role("link", name="2 December 2026").first.click()

    # the agenda opens with the standing item
    expect(page.get_by_text("Your Voice Matters").first).to_be_visible()

    # attendance, on its own page: the chair present, the young person sends apologies
    page.get_by_role("link", name="Record attendance").click()
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()
    page.get_by_role("group", name="Cllr Ada").get_by_label("Present").check()
    page.get_by_role("group", name="J.B.").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    expect(page.get_by_text("Quorum rule not stated").first).to_be_visible()
    expect(page.get_by_role("cell", name="Apologies")).to_be_visible()

    # minutes, on their own page, and an action arising
    meeting_url = page.url.split("#")[0]
    page.get_by_role("link", name="Write, approve and publish the minutes").click()
    page.get_by_label("Minutes", exact=True).fill(
        "Your Voice Matters raised bus passes for care leavers.")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text("bus passes for care leavers").first).to_be_visible()
    page.goto(meeting_url)
    page.get_by_label("Action", exact=True).fill("Ask transport about free bus passes")
    page.get_by_label("Or who will do it, in words").fill(
        "Head of service for looked after children")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Ask transport about free bus passes").first).to_be_visible()

    # carried forward to the next meeting until it is closed
    page.goto(live_server + MEETINGS)
    page.get_by_role("link", name="2 February 2027").first.click()
    expect(page.get_by_text("Actions arising from previous meetings").first).to_be_visible()
    expect(page.get_by_text("Ask transport about free bus passes").first).to_be_visible()
