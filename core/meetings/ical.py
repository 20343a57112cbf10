"""iCalendar files of meetings: one per meeting, and a feed per panel.

Meeting dates of a council committee are public, so the files carry only what a published
committee calendar would: the panel's name, when (start and end) and where, the meeting's
own page and its agenda pack (a public document). Never who attends or the minutes. A
cancelled meeting stays, with ``STATUS:CANCELLED``, so that calendars which had it show it
cancelled rather than keep it or silently drop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from core.meetings.models import Meeting
from core.meetings.services import local_start
from core.models import Council, Panel

if TYPE_CHECKING:  # icalendar is imported when a feed is asked for, not at every start
    from icalendar import Event

PRODID = "-//Corporate parenting toolkit//Meetings//EN"
#: How long every meeting is taken to last: neither a panel nor its plugin's meeting cycle
#: says how long its meetings are, and two hours is a usual length for a council committee.
MEETING_LENGTH = dt.timedelta(hours=2)

#: A meeting's address (its public page, or its agenda pack).
Links = Callable[[Meeting], str]


def uid(council: Council, meeting: Meeting) -> str:
    """A UID that never changes for the meeting, whatever is changed about it."""
    return f"meeting-{meeting.id}.{council.slug}@corporate-parenting-toolkit"


def _event(council: Council, panel: Panel, meeting: Meeting, stamp: dt.datetime, *,
           page: Links, pack: Links) -> Event:
    from icalendar import Event, vUri

    start = local_start(meeting)
    event = Event()
    event.add("uid", uid(council, meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", panel.name)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", page(meeting))
    if meeting.cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("attach", vUri(pack(meeting)), parameters={"FMTTYPE": "application/pdf"})
    # Each saved change raises the version, so calendars take the newest copy.
    event.add("sequence", max(meeting.version - 1, 0))
    return event


def calendar(council: Council, panel: Panel, meetings: Sequence[Meeting], *, page: Links,
             pack: Links, name: str | None = None) -> bytes:
    """An iCalendar document with one event per meeting, cancelled ones included (as
    cancelled), in Europe/London with its VTIMEZONE. ``page`` and ``pack`` give each
    meeting's public page (the event's URL) and agenda pack (attached to the events of
    meetings still on)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for meeting in meetings:
        cal.add_component(_event(council, panel, meeting, stamp, page=page, pack=pack))
    if meetings:
        days = [local_start(m).date() for m in meetings]
        cal.add_missing_timezones(first_date=min(days) - dt.timedelta(days=366),
                                  last_date=max(days) + dt.timedelta(days=366))
    return cal.to_ical()
