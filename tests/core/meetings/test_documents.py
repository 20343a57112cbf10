"""A meeting's agenda pack and minutes as PDF files: real PDFs, read back with pdftotext
and pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.audit import acting_as
from core.extensions import db
from core.meetings import documents, services
from core.meetings.agenda import edit_agenda_item
from core.meetings.minutes import (
    ApprovedHow,
    approve_minutes,
    minutes_public,
    save_minutes,
)
from core.meetings.papers import add_paper
from core.meetings.services import meeting_date
from core.models import Council, Meeting, Panel
from tests.conftest import SMALL_PDF, counting_queries
from tests.core.documents.pdfs import pdf_catalogue, pdf_text
from tests.core.growth import page

SLUG, PANEL = "herefordshire", "corporate-parenting-panel"
HELD = dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC)
FUTURE = dt.datetime(2030, 5, 8, 14, 30, tzinfo=dt.UTC)


def _council(slug: str = SLUG) -> Council:
    return db.session.scalar(select(Council).where(Council.slug == slug))


def _schedule(app: Flask, starts_at: dt.datetime = FUTURE, *, minutes: str | None = None,
              publish: bool = False, location: str | None = "Shire Hall, Hereford") -> int:
    """A meeting of Herefordshire's panel with its standing items, an added item and
    (optionally) minutes, a draft unless ``publish`` (approved by the chair and published)."""
    with app.app_context(), acting_as(None, "Clerk"):
        council = _council()
        panel = db.session.scalar(select(Panel).where(Panel.council_id == council.id,
                                                      Panel.key == PANEL))
        meeting = services.schedule_meeting(council, panel, starts_at=starts_at,
                                            location=location)
        services.add_agenda_item(meeting, title="Sufficiency strategy",
                                 description="For comment")
        if minutes is not None:
            save_minutes(meeting, minutes, str(meeting.version))
        if publish:
            approve_minutes(meeting, how=ApprovedHow.BY_CHAIR, at_meeting_id=None,
                            chair="Cllr Chair", on=meeting_date(meeting), publish=True,
                            version=str(meeting.version))
        return meeting.id


def _standing_titles(app: Flask, meeting_id: int) -> list[str]:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        return [item.title for item in meeting.agenda if item.standing]


def _pdf(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/pdf"
    assert re.fullmatch(r'inline; filename="[a-z_]+-meeting-\d+-(agenda-pack|minutes)\.pdf"',
                        response.headers["Content-Disposition"]), url
    body = response.get_data()
    assert body.startswith(b"%PDF-")
    return body


def test_the_agenda_pack_holds_the_council_the_agenda_in_order_and_the_standing_items(
        app: Flask, client: FlaskClient) -> None:
    meeting_id = _schedule(app)
    text = pdf_text(_pdf(client, f"/{SLUG}/meetings/{meeting_id}/agenda.pdf"))
    flat = " ".join(text.split())
    assert "Herefordshire Council" in text
    assert "Corporate parenting panel" in text and "Agenda pack" in text
    assert "Wednesday 8 May 2030, 15:30" in flat  # British Summer Time
    assert "Shire Hall, Hereford" in text
    standing = _standing_titles(app, meeting_id)
    assert standing, "Herefordshire's panel has standing items"
    agenda = flat[flat.index("Agenda 1."):flat.index("No papers have been published")]
    positions = [agenda.index(title) for title in [*standing, "Sufficiency strategy"]]
    assert positions == sorted(positions)
    assert "For comment" in agenda
    assert "Standing items These items are on every agenda" in flat
    assert "No papers have been published for this meeting." in flat
    assert "Actions carried forward" in flat
    assert "Page 1 of" in flat
    assert f"/{SLUG}/meetings/{meeting_id}" in flat  # the meeting's own page


def test_the_pack_prints_presenters_times_and_papers_exempt_ones_without_a_link(
        app: Flask, client: FlaskClient) -> None:
    meeting_id = _schedule(app)
    with app.app_context(), acting_as(None, "Clerk"):
        meeting = services.meeting_or_404(_council(), meeting_id)
        item = next(item for item in meeting.agenda if item.title == "Sufficiency strategy")
        edit_agenda_item(item, title=item.title, description=item.description,
                         presenter="Head of Commissioning", duration_minutes=20,
                         decision=None, version=str(item.version))
        for title, public in (("Sufficiency report", True), ("Placement costs", False)):
            add_paper(meeting, item, title=title, stream=io.BytesIO(SMALL_PDF),
                      filename="report.pdf", public=public,
                      exemption=None if public else "para-3")
    body = _pdf(client, f"/{SLUG}/meetings/{meeting_id}/agenda.pdf")
    flat = " ".join(pdf_text(body).split())
    assert "Presented by Head of Commissioning · Expected: 20 minutes" in flat
    assert "Papers: Sufficiency report; Placement costs" in flat
    assert "No papers have been published" not in flat
    assert "Exempt: not for publication" in flat
    links = _pdf_links(body)
    assert len(links) == 1 and f"/{SLUG}/meetings/{meeting_id}/papers/" in links[0]


def _pdf_links(body: bytes) -> list[str]:
    """The addresses of the links in a PDF."""
    from pypdf import PdfReader

    found = []
    for pdf_page in PdfReader(io.BytesIO(body)).pages:
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action and "/papers/" in str(action["/URI"]):
                found.append(str(action["/URI"]))
    return found


def test_the_pdf_is_tagged_titled_and_in_the_councils_language(app: Flask,
                                                                client: FlaskClient) -> None:
    meeting_id = _schedule(app)
    catalogue, info = pdf_catalogue(_pdf(client, f"/{SLUG}/meetings/{meeting_id}/agenda.pdf"))
    assert catalogue["/MarkInfo"]["/Marked"] is True
    assert "/StructTreeRoot" in catalogue
    assert catalogue["/Lang"] == "en-GB"
    assert info["/Author"] == "Herefordshire Council"
    assert info["/Title"] == "Agenda pack: Corporate parenting panel, 8 May 2030"


def test_a_kept_pdf_is_served_without_printing_it_again(
        app: Flask, client: FlaskClient, admin_client: FlaskClient,
        monkeypatch: pytest.MonkeyPatch) -> None:
    meeting_id = _schedule(app)
    printed: list[str] = []
    real = documents.render_pdf

    def counting(template: str, **context: object) -> bytes:
        printed.append(template)
        return real(template, **context)

    monkeypatch.setattr(documents, "render_pdf", counting)
    url = f"/{SLUG}/meetings/{meeting_id}/agenda.pdf"
    first = _pdf(client, url)
    with counting_queries(app) as counted:
        again = client.get(url)
    assert again.get_data() == first and printed == ["meetings/agenda_pack.html"]
    assert len(counted) == 1  # the council's revision, as for every kept page
    # the admin's link gets the same kept copy
    assert _pdf(admin_client, f"/admin/{SLUG}/meetings/{meeting_id}/agenda.pdf") == first
    assert len(printed) == 1
    # any change to the council gives a fresh one
    with app.app_context():
        meeting = services.meeting_or_404(_council(), meeting_id)
        services.add_agenda_item(meeting, title="Fostering update", description=None)
    assert "Fostering update" in pdf_text(_pdf(client, url))
    assert len(printed) == 2


def test_with_the_cache_off_every_request_prints(make_app, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    app = make_app()
    app.config["PAGE_CACHE"] = False
    meeting_id = _schedule(app)
    printed: list[str] = []
    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf",
                        lambda template, **c: printed.append(template) or real(template, **c))
    client = app.test_client()
    for _ in range(2):
        _pdf(client, f"/{SLUG}/meetings/{meeting_id}/agenda.pdf")
    assert len(printed) == 2


def test_minutes_are_public_once_published(
        app: Flask, client: FlaskClient, admin_client: FlaskClient) -> None:
    held = _schedule(app, HELD, minutes="The panel welcomed the new virtual school head.\n\n"
                     "It agreed the sufficiency strategy.", publish=True)
    coming = _schedule(app, FUTURE, minutes="Prepared in advance.")
    unwritten = _schedule(app, HELD + dt.timedelta(days=30))
    text = " ".join(pdf_text(_pdf(client, f"/{SLUG}/meetings/{held}/minutes.pdf")).split())
    assert "Herefordshire Council" in text and "Minutes" in text
    assert "The panel welcomed the new virtual school head." in text
    assert "It agreed the sufficiency strategy." in text
    assert "Draft" not in text
    for meeting_id in (coming, unwritten):
        assert client.get(f"/{SLUG}/meetings/{meeting_id}/minutes.pdf").status_code == 404
    # the public page links what is public
    show = page(client, f"/{SLUG}/meetings/{held}")
    assert f'href="/{SLUG}/meetings/{held}/minutes.pdf"' in show
    assert f'href="/{SLUG}/meetings/{held}/agenda.pdf"' in show
    assert "minutes.pdf" not in page(client, f"/{SLUG}/meetings/{coming}")
    # staff read the draft, marked as one
    draft = pdf_text(_pdf(admin_client, f"/admin/{SLUG}/meetings/{coming}/minutes.pdf"))
    assert "Draft: these minutes are not published." in " ".join(draft.split())
    assert admin_client.get(
        f"/admin/{SLUG}/meetings/{unwritten}/minutes.pdf").status_code == 404
    admin = page(admin_client, f"/admin/{SLUG}/meetings/{coming}")
    assert f'href="/admin/{SLUG}/meetings/{coming}/minutes.pdf"' in admin
    assert f'href="/admin/{SLUG}/meetings/{coming}/agenda.pdf"' in admin


def test_minutes_public_is_the_one_rule(app: Flask) -> None:
    for state, cancelled, public in (("published", False, True), ("published", True, False),
                                     ("approved", False, False), ("draft", False, False)):
        meeting = Meeting(starts_at=HELD, cancelled=cancelled, minutes="Agreed.",
                          minutes_state=state)
        assert minutes_public(meeting) is public, (state, cancelled)


def test_another_councils_meeting_has_no_documents(app: Flask, client: FlaskClient) -> None:
    held = _schedule(app, HELD, minutes="Agreed.", publish=True)
    for name in ("agenda.pdf", "minutes.pdf"):
        assert client.get(f"/isle_of_wight/meetings/{held}/{name}").status_code == 404
        assert client.get(f"/{SLUG}/meetings/{held + 100}/{name}").status_code == 404


def test_a_cancelled_meetings_pack_says_so(app: Flask, client: FlaskClient) -> None:
    meeting_id = _schedule(app)
    with app.app_context():
        meeting = services.meeting_or_404(_council(), meeting_id)
        services.update_meeting(meeting, starts_at=services.local_start(meeting),
                                location=meeting.location, cancelled=True,
                                version=str(meeting.version))
    text = pdf_text(_pdf(client, f"/{SLUG}/meetings/{meeting_id}/agenda.pdf"))
    assert "This meeting has been cancelled." in " ".join(text.split())


#: Held meetings' minutes, counted as the data grows (test_web counts the agenda packs).
GROWTH = (0, 5, 20)


def test_minutes_pdf_statements_do_not_grow_with_the_actions_agreed(
        app: Flask, client: FlaskClient, admin_client: FlaskClient) -> None:
    held = _schedule(app, HELD, minutes="Agreed.", publish=True)
    app.config["PAGE_CACHE"] = False  # print each time
    counts: dict[str, list[int]] = {"public": [], "admin": []}
    sizes = []
    added = 0
    for total in GROWTH:
        with app.app_context():
            meeting = services.meeting_or_404(_council(), held)
            for n in range(added, total):
                services.add_action(meeting, text=f"Grown action {n}", owner=f"Owner {n}",
                                    due=dt.date(2026, 6, 1))
        added = total
        for name, each, url in (("public", client, f"/{SLUG}/meetings/{held}/minutes.pdf"),
                                ("admin", admin_client,
                                 f"/admin/{SLUG}/meetings/{held}/minutes.pdf")):
            with counting_queries(app) as counted:
                body = _pdf(each, url)
            counts[name].append(len(counted))
        sizes.append(len(pdf_text(body)))
    assert len(set(counts["public"])) == 1 and len(set(counts["admin"])) == 1, counts
    assert sizes[0] < sizes[1] < sizes[2]
