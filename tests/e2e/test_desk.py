"""The clerk's desk, "My actions" and the attendance register in a real browser: where each
lands after signing in, what they show, the register filled by "mark all present", every
error at once, officers in attendance, and axe on each page."""

from __future__ import annotations

import datetime as dt

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.auth.models import User
from core.extensions import db
from core.meetings.services import local_datetime, schedule_meeting
from core.models import Action, ActionOwner, Council, Membership, Panel, Person, Seat
from tests.e2e.test_admin import sign_in
from tests.e2e.test_public_pages import WCAG

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"


def _no_violations(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()


def _meeting_with_members(app: Flask) -> None:
    """A meeting of Herefordshire's panel in three weeks, and three members."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        seats = {s.key: s for s in db.session.scalars(select(Seat).where(
            Seat.panel_id == panel.id))}
        for key, name in [("seat-cabinet-member", "Cllr Ada"),
                          ("seat-director-children", "Dee Director"),
                          ("seat-lead-nurse", "Nia Nurse")]:
            db.session.add(Membership(council_id=council.id, seat=seats[key],
                                      start=dt.date(2025, 1, 1),
                                      person=Person(council_id=council.id, name=name)))
        db.session.commit()
        schedule_meeting(council, panel, location="Shire Hall", starts_at=local_datetime(
            dt.date.today() + dt.timedelta(days=21), dt.time(17, 30)))


def test_a_clerk_lands_on_the_desk_and_records_attendance(page: Page, live_server: str,
                                                          app: Flask, make_user) -> None:
    _meeting_with_members(app)
    _, email = make_user("panel_admin", SLUG)
    sign_in(page, live_server, email)
    expect(page).to_have_url(f"{live_server}/admin/{SLUG}/desk")
    expect(page.get_by_role("heading", name="Desk", level=1)).to_be_visible()
    expect(page.get_by_text("Nothing on the agenda beyond the standing items.")).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="Record attendance and apologies").click()
    page.get_by_role("group", name="Nia Nurse").get_by_label("Apologies").check()
    page.get_by_role("button", name="Mark everyone not yet marked as present").click()
    expect(page.get_by_text("Everyone not already marked is now marked present.")).to_be_visible()
    expect(page.get_by_role("group", name="Cllr Ada").get_by_label("Present")).to_be_checked()
    expect(page.get_by_role("group", name="Nia Nurse").get_by_label("Apologies")).to_be_checked()
    _no_violations(page)

    # two rows in error: both listed in the summary at once
    page.get_by_role("group", name="Cllr Ada").get_by_label("Substitute").check()
    page.get_by_role("group", name="Dee Director").get_by_label("Substitute").check()
    page.get_by_role("button", name="Save the attendance").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose who substituted for Cllr Ada or type their "
                                             "name")).to_be_visible()
    expect(summary.get_by_role("link", name="Choose who substituted for Dee Director or type "
                                             "their name")).to_be_visible()
    _no_violations(page)

    page.get_by_role("group", name="Cllr Ada").get_by_label("Present").check()
    page.get_by_role("group", name="Dee Director").get_by_label("Present").check()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()

    # an officer in attendance
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Name", exact=True).fill("Sam Officer")
    page.get_by_label("Role or organisation (optional)").fill("Virtual School Head")
    page.get_by_role("button", name="Add to those in attendance").click()
    expect(page.get_by_role("cell", name="Sam Officer", exact=True)).to_be_visible()
    _no_violations(page)

    # back on the desk: the apology is counted
    page.get_by_role("link", name="Desk", exact=True).click()
    expect(page.get_by_text("1 apology recorded.")).to_be_visible()


def test_a_contributor_lands_on_my_actions(page: Page, live_server: str, app: Flask,
                                           make_user) -> None:
    _, email = make_user("contributor", "bracknell_forest")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        action = db.session.scalar(select(Action).where(Action.key == "action-1.1")
                                   .join(Council, Action.council_id == Council.id)
                                   .where(Council.slug == "bracknell_forest"))
        action.due = dt.date.today() - dt.timedelta(days=10)
        db.session.add(ActionOwner(council_id=action.council_id, action_id=action.id,
                                   user_id=user.id))
        db.session.commit()
    sign_in(page, live_server, email)
    expect(page).to_have_url(f"{live_server}/admin/bracknell_forest/my-actions")
    expect(page.get_by_text("You own 1 action of the action plan.")).to_be_visible()
    _no_violations(page)
    page.get_by_role("link", name="Report progress").click()
    expect(page.get_by_role("heading", name="Post a progress update")).to_be_visible()
