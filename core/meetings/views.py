"""Public pages of a council's panel meetings: each meeting's agenda with its public papers,
its minutes once published (core/meetings/minutes.py), its agenda pack and published minutes
as PDF files, and calendar files (calendar apps cannot sign in). Draft or unpublished
minutes and exempt papers stay in the admin."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, g, render_template, url_for

from core import row_reads
from core.councils.scoping import council_blueprint
from core.documents.render import pdf_response
from core.meetings import documents, ical
from core.meetings.minutes import minutes_public, published_minutes
from core.meetings.models import Meeting
from core.meetings.papers import papers_by_item, papers_by_item_read
from core.meetings.services import (
    carried_forward,
    carried_forward_read,
    local_start,
    meeting_or_404,
    meeting_record_or_404,
    meeting_record_read,
    meetings_of,
    panel_or_404,
)
from core.page_cache import cache_pages

meeting_feeds = council_blueprint("meeting_feeds", __name__)
meeting_pages = cache_pages(council_blueprint("meetings", __name__, "/meetings"))


@meeting_pages.get("/<int:meeting_id>")
def show(meeting_id: int) -> str:
    """A meeting's agenda in order with its public papers, the actions arising it reviews,
    and its minutes once published."""
    # every read needs only the URL's meeting id: sent together with the meeting's own
    with row_reads.together(meeting_record_read(g.council, meeting_id),
                            carried_forward_read(g.council.id, meeting_id),
                            papers_by_item_read(g.council.id, meeting_id, public_only=True)):
        meeting = meeting_record_or_404(g.council, meeting_id)
        carried, papers = carried_forward(meeting), papers_by_item(meeting, public_only=True)
    minutes = published_minutes(meeting)
    return render_template("meetings/show.html", council=g.council, meeting=meeting,
                           panel=meeting.panel, start=local_start(meeting),
                           carried=carried, today=dt.date.today(), papers=papers,
                           minutes=minutes, minutes_public=minutes is not None)


@meeting_pages.get("/<int:meeting_id>/agenda.pdf")
def agenda_pdf(meeting_id: int) -> Response:
    """The meeting's agenda pack as a PDF (kept like the pages)."""
    return pdf_response(documents.agenda_pack_pdf(g.council, meeting_id),
                        documents.filename(g.council, meeting_id, "agenda-pack"))


@meeting_pages.get("/<int:meeting_id>/minutes.pdf")
def minutes_pdf(meeting_id: int) -> Response:
    """The meeting's minutes as a PDF, once they are public (a 404 before)."""
    meeting = meeting_or_404(g.council, meeting_id, agenda=False)
    if not minutes_public(meeting):
        abort(404)
    return pdf_response(documents.minutes_pdf(g.council, meeting),
                        documents.filename(g.council, meeting.id, "minutes"))


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def _page(meeting: Meeting) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _external=True)


def _pack(meeting: Meeting) -> str:
    return url_for("meetings.agenda_pdf", meeting_id=meeting.id, _external=True)


@meeting_feeds.get("/panels/<key>/meetings.ics")
def panel_feed(key: str) -> Response:
    """Every meeting of the panel, cancelled ones marked so."""
    panel = panel_or_404(g.council, key)
    body = ical.calendar(g.council, panel, meetings_of(panel), name=panel.name, page=_page,
                         pack=_pack)
    return _ics(body, f"{panel.key}.ics")


@meeting_feeds.get("/meetings/<int:meeting_id>.ics")
def meeting_file(meeting_id: int) -> Response:
    """One meeting; a cancelled one as cancelled, so that a calendar holding it learns."""
    meeting = meeting_or_404(g.council, meeting_id, agenda=False)
    body = ical.calendar(g.council, meeting.panel, [meeting], page=_page, pack=_pack)
    return _ics(body, f"meeting-{meeting.id}.ics")
