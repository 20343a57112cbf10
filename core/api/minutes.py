"""The one door through which minutes reach the public API.

Minutes are published only once they are approved. Until the meeting records know which
minutes are approved, this gives none: every meeting's ``minutes`` is ``null``.
"""

from __future__ import annotations

from core.meetings.models import Meeting


def published_minutes_for_api(meeting: Meeting) -> str | None:
    """The approved, published minutes of ``meeting``, or ``None``.

    TO WIRE AT MERGE (issue 12, minutes states on branch i12-records): return the text of
    the minutes once their state is approved or published, and ``None`` while they are a
    draft. Nothing else in the API reads ``Meeting.minutes``, so this is the only change
    needed; tests/core/api/test_meetings.py asserts that drafts never show.
    """
    return None
