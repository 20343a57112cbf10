"""The whole meeting cycle, tried by a clerk as a new user would, in a real browser with
JavaScript switched off, against a real SMTP server on loopback: invited by email, the desk,
scheduling, an agenda item with its paper, the agenda pack as a PDF, circulation, attendance,
a declaration, minutes and a decision, an action arising, approval by the chair,
publication, the public page and minutes PDF, and the action carried forward to the next
meeting. No Word document and no other tool; axe scans every page the clerk sees."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from core.extensions import db
from core.meetings.services import local_datetime, schedule_meeting
from core.models import Council, Membership, Panel, Person, Seat
from tests.conftest import SMALL_PDF
from tests.core.auth.test_invitations import link_in
from tests.core.documents.pdfs import pdf_text
from tests.e2e.test_admin import sign_in
from tests.e2e.test_public_pages import WCAG

SLUG, PANEL, COUNCIL = "herefordshire", "corporate-parenting-panel", "Herefordshire Council"
STATIC = Path(__file__).parents[2] / "core" / "static"
PASSWORD = "a clerk's own passphrase"
#: The panel's members (seat key, name, email): three adults with an address, and a young
#: person with none, who is never named in public.
MEMBERS = [("seat-cabinet-member", "Cllr Ada Lovell", "ada@herefordshire.example"),
           ("seat-director-children", "Dee Director", "dee@herefordshire.example"),
           ("seat-lead-nurse", "Nia Nurse", "nia@herefordshire.example"),
           ("seat-your-voice-matters", "Kai", None)]
MINUTES = "The panel welcomed the new care leavers' offer and heard from Your Voice Matters."
DECISION = "The panel endorsed the sufficiency strategy."
ACTION = "Report the uptake of the care leavers' offer"


def _set_up(app: Flask, held_on: dt.date) -> int:
    """The panel's members, and the meeting held last week (scheduled by the previous clerk,
    nothing on its agenda yet); returns the meeting's id."""
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == SLUG))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        seats = {s.key: s for s in db.session.scalars(select(Seat).where(
            Seat.panel_id == panel.id))}
        for key, name, email in MEMBERS:
            db.session.add(Membership(
                council_id=council.id, seat=seats[key], start=dt.date(2025, 1, 1),
                person=Person(council_id=council.id, name=name, email=email)))
        db.session.commit()
        meeting = schedule_meeting(council, panel, location="Shire Hall, Hereford",
                                   starts_at=local_datetime(held_on, dt.time(17, 30)))
        return meeting.id


def _pdf(page: Page, link: str) -> str:
    """The text of the PDF the link on the page opens (inline, under a file name), fetched
    with the page's cookies, spaces squeezed."""
    href = page.get_by_role("link", name=link).get_attribute("href")
    assert href, link
    answer = page.request.get(urljoin(page.url, href))
    assert answer.ok and answer.headers["content-type"] == "application/pdf", link
    assert answer.headers["content-disposition"].startswith("inline; filename="), link
    body = answer.body()
    assert body.startswith(b"%PDF-"), link
    return " ".join(pdf_text(body).split())


def test_a_new_clerk_runs_the_whole_meeting_cycle_in_the_browser(
        browser: Browser, live_server: str, app: Flask, make_user, smtp_server,
        tmp_path) -> None:
    today = dt.date.today()
    held_on, next_on = today - dt.timedelta(days=7), today + dt.timedelta(days=30)
    held = _set_up(app, held_on)
    _, admin_email = make_user("council_admin", SLUG)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # axe needs JavaScript (its scan runs on timers): each page the clerk sees is scanned as
    # a copy, in a page of a second context that runs scripts
    scanner = browser.new_context().new_page()
    # its copies take the static files from the folder (fast, and no request for the live
    # server to drop when the next copy replaces the page)
    scanner.route("**/static/**", lambda route: route.fulfill(
        path=STATIC / route.request.url.split("/static/", 1)[1].split("?", 1)[0]))
    problems: list[str] = []
    scanned: list[str] = []

    def scan() -> None:
        """Axe on the page the clerk sees, as it is (with its messages and errors)."""
        page.wait_for_load_state("load")
        html = page.content().replace("<head>", f'<head><base href="{page.url}">', 1)
        scanner.set_content(html, wait_until="load")
        results = Axe().run(scanner, options=WCAG)
        scanned.append(page.url)
        if results.violations_count:
            problems.append(f"{page.url}:\n{results.generate_report()}")

    # 1. The council's administrator invites the clerk, who accepts from the email.
    sign_in(page, live_server, admin_email)
    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_label("Email address").fill("new.clerk@herefordshire.example")
    page.get_by_label("Panel administrator").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to new.clerk@herefordshire.example.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    invitation = smtp_server.to("new.clerk@herefordshire.example")
    assert len(invitation) == 1
    page.goto(live_server + link_in(invitation[0].text))
    scan()
    page.get_by_label("Your name").fill("Clerk Jones")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm the new password").fill(PASSWORD)
    page.get_by_role("button", name="Create your account").click()
    expect(page.get_by_text("Signed in as new.clerk@herefordshire.example")).to_be_visible()
    expect(page).to_have_url(f"{live_server}/admin/{SLUG}/desk")
    # the desk: no next meeting yet, which is what is missing
    expect(page.get_by_text("No meeting scheduled.").first).to_be_visible()
    scan()

    # 2. The clerk schedules the next meeting, in a month, from the desk.
    page.get_by_role("link", name="Schedule meetings").first.click()
    scan()
    schedule = page.locator("form", has=page.get_by_role("button", name="Schedule the meeting"))
    schedule.get_by_label("Day").fill(str(next_on.day))
    schedule.get_by_label("Month").fill(str(next_on.month))
    schedule.get_by_label("Year").fill(str(next_on.year))
    schedule.get_by_label("Start time").fill("17:30")
    schedule.get_by_label("Where (optional)").fill("Shire Hall, Hereford")
    schedule.get_by_role("button", name="Schedule the meeting").click()
    scan()
    page.get_by_role("link", name="Desk", exact=True).click()
    expect(page.get_by_text("Nothing on the agenda beyond the standing items.")).to_be_visible()
    scan()

    # ... and prepares the meeting held last week (set up by the previous clerk)
    page.get_by_role("link", name="Meetings", exact=True).click()
    scan()
    page.get_by_role("link", name=re.compile("All meetings of")).first.click()
    page.locator("table", has_text="Past meetings").get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server}/admin/{SLUG}/meetings/{held}")
    scan()
    page.get_by_label("Item", exact=True).fill("Sufficiency strategy")
    page.get_by_role("button", name="Add to the agenda").click()
    scan()
    page.get_by_role("link", name="Sufficiency strategy").first.click()
    page.get_by_label("Presented by (optional)").fill("Director of children and families")
    page.get_by_label("Expected time in minutes (optional)").fill("20")
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("Item saved.")).to_be_visible()
    scan()
    paper = tmp_path / "sufficiency-strategy.pdf"
    paper.write_bytes(SMALL_PDF)
    page.get_by_label("Title of the paper").fill("Sufficiency strategy 2026 to 2029")
    page.get_by_label("File").set_input_files(str(paper))
    page.get_by_label("Public: downloadable from the public meeting page").check()
    page.get_by_role("button", name="Upload the paper").click()
    expect(page.get_by_text("Sufficiency strategy 2026 to 2029").first).to_be_visible()
    scan()
    page.goto(f"{live_server}/admin/{SLUG}/meetings/{held}")
    pack = _pdf(page, "Agenda pack (PDF)")
    for text in (COUNCIL, "Sufficiency strategy", "Sufficiency strategy 2026 to 2029",
                 "Director of children and families"):
        assert text in pack, text

    # 3. Circulates the agenda pack: one message per member with an address, PDF attached.
    page.get_by_role("link", name="Send the agenda pack or minutes by email").click()
    scan()
    page.get_by_label("The agenda pack").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to 3 people.")).to_be_visible()
    scan()
    sent = {m.rcpt_tos[0]: m for m in smtp_server.messages
            if m.rcpt_tos != ["new.clerk@herefordshire.example"]}
    assert len(sent) == len(smtp_server.messages) - 1  # one message each
    assert sorted(sent) == sorted(email for _, _, email in MEMBERS if email)
    for address, message in sent.items():
        attached = message.attachments
        assert len(attached) == 1 and attached[0][1].startswith(b"%PDF-"), address
        assert "Sufficiency strategy" in " ".join(pdf_text(attached[0][1]).split())
    page.goto(f"{live_server}/admin/{SLUG}/meetings/{held}")
    page.get_by_role("link", name="History of changes to this meeting").click()
    for address in sent:
        expect(page.get_by_text(address).first).to_be_visible()
    scan()

    # 4. Attendance, an officer in attendance, a declaration, minutes, a decision, an action.
    page.goto(f"{live_server}/admin/{SLUG}/meetings/{held}")
    page.get_by_role("link", name="Record attendance").first.click()
    scan()
    page.get_by_role("group", name="Nia Nurse").get_by_label("Apologies").check()
    page.get_by_role("button", name="Mark everyone not yet marked as present").click()
    expect(page.get_by_text("Everyone not already marked is now marked present.")).to_be_visible()
    expect(page.get_by_role("group", name="Kai").get_by_label("Present")).to_be_checked()
    expect(page.get_by_role("group", name="Nia Nurse").get_by_label("Apologies")).to_be_checked()
    scan()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    page.get_by_role("link", name="Record attendance").first.click()
    page.get_by_label("Name", exact=True).fill("Sam Officer")
    page.get_by_label("Role or organisation (optional)").fill("Virtual school headteacher")
    page.get_by_role("button", name="Add to those in attendance").click()
    expect(page.get_by_role("cell", name="Sam Officer", exact=True)).to_be_visible()
    scan()

    page.goto(f"{live_server}/admin/{SLUG}/meetings/{held}")
    page.get_by_role("link", name="Write, approve and publish the minutes").click()
    scan()
    page.get_by_label("Who declared the interest").select_option(label="Cllr Ada Lovell")
    page.get_by_label("On which item (optional)").select_option(label="Sufficiency strategy")
    page.get_by_label("Other interest").check()
    page.get_by_label("Nature of the interest").fill("Is a foster carer for the council")
    page.get_by_role("button", name="Record the declaration").click()
    expect(page.get_by_text("Is a foster carer for the council").first).to_be_visible()
    scan()
    page.get_by_label("Minutes", exact=True).fill(MINUTES)
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text("Minutes saved.")).to_be_visible()
    scan()
    page.get_by_role("link", name="Sufficiency strategy").first.click()
    page.get_by_label("Decision (optional)").fill(DECISION)
    page.get_by_role("button", name="Save the item").click()
    expect(page.get_by_text("Item saved.")).to_be_visible()

    page.goto(f"{live_server}/admin/{SLUG}/meetings/{held}")
    page.get_by_label("Action", exact=True).fill(ACTION)
    page.get_by_label("Who will do it: someone recorded").select_option(label="Dee Director")
    due = today + dt.timedelta(days=60)
    action_form = page.locator("form", has=page.get_by_role("button", name="Add the action"))
    action_form.get_by_label("Day").fill(str(due.day))
    action_form.get_by_label("Month").fill(str(due.month))
    action_form.get_by_label("Year").fill(str(due.year))
    action_form.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name=ACTION)).to_be_visible()
    scan()

    # 5. The chair approves the minutes; they are published.
    page.get_by_role("link", name="Write, approve and publish the minutes").click()
    page.get_by_label("By the chair").check()
    page.get_by_label("Name of the chair who approved them").fill("Cllr Ada Lovell")
    approve = page.locator("form", has=page.get_by_role("button", name="Approve the minutes"))
    approve.get_by_label("Day").fill(str(today.day))
    approve.get_by_label("Month").fill(str(today.month))
    approve.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Publish the minutes on the public meeting page now").check()
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("Minutes approved and published.")).to_be_visible()
    scan()
    page.get_by_role("button", name="Sign out").click()

    # ... the public page, signed out
    page.goto(f"{live_server}/{SLUG}/meetings/{held}")
    scan()
    public = page.locator("main")
    expect(public.get_by_text(MINUTES)).to_be_visible()
    expect(public.get_by_text("Approved by the chair, Cllr Ada Lovell")).to_be_visible()
    text = public.inner_text()
    for shown in ("Cabinet member for children and families (Chair): Cllr Ada Lovell",
                  "1 young person", "Lead nurse for children in care",
                  "Is a foster carer for the council", DECISION, ACTION, "Dee Director",
                  "Sufficiency strategy 2026 to 2029",
                  "Also in attendance", "Sam Officer, Virtual school headteacher"):
        assert shown in text, shown
    assert not re.search(r"\bKai\b", text), "a young person is named in public"
    minutes = _pdf(page, "Minutes (PDF)")
    for shown in (COUNCIL, MINUTES, DECISION, ACTION, "Sam Officer"):
        assert shown in minutes, shown
    assert not re.search(r"\bKai\b", minutes)

    # 6. The next meeting's agenda carries the open action forward, in public and admin.
    page.goto(f"{live_server}/{SLUG}/panels/{PANEL}")
    scan()
    page.get_by_role("link", name=re.compile(next_on.strftime("%B %Y").lstrip("0"))).first.click()
    expect(page.get_by_text(ACTION).first).to_be_visible()
    scan()
    next_public = page.url
    page.goto(live_server + "/login")
    scan()
    page.get_by_label("Email address").fill("new.clerk@herefordshire.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=re.compile(next_on.strftime("%-d %B %Y"))).first.click()
    expect(page.locator("#carried")).to_be_visible()
    expect(page.get_by_role("heading", name=ACTION)).to_be_visible()
    scan()
    assert next_public.rsplit("/", 1)[-1] in page.url
    context.close()
    scanner.context.close()
    assert len(scanned) >= 20
    assert not problems, "\n\n".join(problems)
