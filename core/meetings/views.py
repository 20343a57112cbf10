"""Public pages of a council's panel meetings: each meeting's agenda with its public papers,
its minutes once published (core/meetings/minutes.py), and calendar files (calendar apps
cannot sign in). Draft or unpublished minutes and exempt papers stay in the admin."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, g, render_template, url_for

from core.councils.scoping import council_blueprint
from core.meetings import ical
from core.meetings.minutes import published_minutes
from core.meetings.papers import papers_by_item
from core.meetings.services import (
    carried_forward,
    local_start,
    meeting_or_404,
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
    meeting = meeting_or_404(g.council, meeting_id)
    return render_template("meetings/show.html", council=g.council, meeting=meeting,
                           panel=meeting.panel, start=local_start(meeting),
                           carried=carried_forward(meeting), today=dt.date.today(),
                           papers=papers_by_item(meeting, public_only=True),
                           minutes=published_minutes(meeting))


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@meeting_feeds.get("/panels/<key>/meetings.ics")
def panel_feed(key: str) -> Response:
    panel = panel_or_404(g.council, key)
    body = ical.calendar(g.council, panel, meetings_of(panel, include_cancelled=False),
                         name=panel.name, url=url_for("panels.show", key=panel.key,
                                                      _external=True))
    return _ics(body, f"{panel.key}.ics")


@meeting_feeds.get("/meetings/<int:meeting_id>.ics")
def meeting_file(meeting_id: int) -> Response:
    meeting = meeting_or_404(g.council, meeting_id, agenda=False)
    if meeting.cancelled:
        abort(404)
    body = ical.calendar(g.council, meeting.panel, [meeting],
                         url=url_for("panels.show", key=meeting.panel.key, _external=True))
    return _ics(body, f"meeting-{meeting.id}.ics")
