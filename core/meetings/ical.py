"""iCalendar files of meetings: one per meeting, and a feed per panel.

Meeting dates of a council committee are public, so the files carry only what a published
committee calendar would: the panel's name, when and where. Never who attends, the agenda
or the minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.meetings.models import Meeting
from core.meetings.services import local_start
from core.models import Council, Panel

if TYPE_CHECKING:  # icalendar is imported when a feed is asked for, not at every start
    from icalendar import Event

PRODID = "-//Corporate parenting toolkit//Meetings//EN"


def uid(council: Council, meeting: Meeting) -> str:
    """A UID that never changes for the meeting, whatever is changed about it."""
    return f"meeting-{meeting.id}.{council.slug}@corporate-parenting-toolkit"


def _event(council: Council, panel: Panel, meeting: Meeting, url: str | None,
           stamp: dt.datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid(council, meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", local_start(meeting))
    event.add("summary", panel.name)
    if meeting.location:
        event.add("location", meeting.location)
    if url:
        event.add("url", url)
    # Each saved change raises the version, so calendars take the newest copy.
    event.add("sequence", max(meeting.version - 1, 0))
    return event


def calendar(council: Council, panel: Panel, meetings: Sequence[Meeting], *,
             name: str | None = None, url: str | None = None) -> bytes:
    """An iCalendar document with one event per meeting (cancelled meetings left out), in
    Europe/London with its VTIMEZONE."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    held = [m for m in meetings if not m.cancelled]
    for meeting in held:
        cal.add_component(_event(council, panel, meeting, url, stamp))
    if held:
        days = [local_start(m).date() for m in held]
        cal.add_missing_timezones(first_date=min(days) - dt.timedelta(days=366),
                                  last_date=max(days) + dt.timedelta(days=366))
    return cal.to_ical()
