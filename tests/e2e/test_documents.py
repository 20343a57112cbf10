"""A meeting's documents in a real browser: the public meeting page links its agenda pack
and minutes, passes axe, and each link gives a PDF holding the meeting."""

from __future__ import annotations

import datetime as dt

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select

from core.audit import acting_as
from core.extensions import db
from core.meetings import services
from core.meetings.minutes import ApprovedHow, approve_minutes, save_minutes
from core.models import Council, Panel
from tests.core.documents.pdfs import pdf_text
from tests.e2e.test_public_pages import WCAG


def _held_meeting(app: Flask) -> int:
    """A held meeting with an agenda item and its minutes approved by the chair and
    published."""
    with app.app_context(), acting_as(None, "Clerk"):
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id))
        meeting = services.schedule_meeting(
            council, panel, starts_at=dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC),
            location="Shire Hall, Hereford")
        services.add_agenda_item(meeting, title="Sufficiency strategy", description=None)
        save_minutes(meeting, "The panel agreed the sufficiency strategy.",
                     str(meeting.version))
        approve_minutes(meeting, how=ApprovedHow.BY_CHAIR, at_meeting_id=None,
                        chair="Cllr Chair", on=dt.date(2026, 3, 5), publish=True,
                        version=str(meeting.version))
        return meeting.id


def test_the_meeting_page_links_its_pdfs(page: Page, live_server: str, app: Flask) -> None:
    meeting_id = _held_meeting(app)
    page.goto(f"{live_server}/herefordshire/meetings/{meeting_id}")
    results = Axe().run(page, options=WCAG)
    assert not results.violations_count, results.generate_report()
    expected = {"Agenda pack (PDF)": "Sufficiency strategy",
                "Minutes (PDF)": "The panel agreed the sufficiency strategy."}
    for link, text in expected.items():
        # the PDFs open in the browser (Content-Disposition: inline): fetched as it would
        href = page.get_by_role("link", name=link).get_attribute("href")
        answer = page.request.get(live_server + href)
        assert answer.ok and answer.headers["content-type"] == "application/pdf", link
        assert answer.headers["content-disposition"].startswith("inline; filename="), link
        body = answer.body()
        assert body.startswith(b"%PDF-"), link
        content = " ".join(pdf_text(body).split())
        assert "Herefordshire Council" in content and text in content, link
