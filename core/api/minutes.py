"""The one door through which minutes reach the public API: the published text, by the
one rule for public minutes (:func:`core.meetings.minutes.minutes_public`)."""

from __future__ import annotations

from core.meetings.minutes import minutes_public
from core.meetings.models import Meeting


def published_minutes_for_api(meeting: Meeting) -> str | None:
    """The published minutes of ``meeting``, or ``None`` while they are a draft, approved
    but held back, or the meeting was cancelled."""
    return (meeting.minutes or None) if minutes_public(meeting) else None
