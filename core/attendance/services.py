"""Officers and guests in attendance at a meeting, and the register filled in for everyone.

Officers and guests are not members: they hold no seat, are never counted towards quorum
and never appear in the attendance statistics. Every change is audited by the session's
flush (:mod:`core.audit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from flask import abort
from sqlalchemy import bindparam, select

from core import row_reads
from core.attendance.models import InAttendance
from core.extensions import db
from core.meetings.models import AttendanceStatus, Meeting

if TYPE_CHECKING:
    from core.meetings.services import MeetingRecord

#: Built once: who was in attendance at one meeting, in the order recorded.
_IN_ATTENDANCE = (select(*row_reads.record_columns(InAttendance))
                  .where(InAttendance.council_id == bindparam("council_id"),
                         InAttendance.meeting_id == bindparam("meeting_id"))
                  .order_by(InAttendance.id))


class InAttendanceRow(row_reads.row_class(InAttendance)):  # type: ignore[misc]
    """An officer or guest recorded at a meeting, as the pages and the minutes show them:
    the row's columns by attribute."""

    __slots__ = ()


def in_attendance_read(meeting: Meeting | MeetingRecord) -> row_reads.Read:
    """The statement :func:`in_attendance_at` runs, for a page to send with others."""
    return row_reads.Read(_IN_ATTENDANCE, {"council_id": meeting.council_id,
                                           "meeting_id": meeting.id})


def in_attendance_at(meeting: Meeting | MeetingRecord) -> list[InAttendanceRow]:
    """The officers and guests recorded at ``meeting`` (a meeting or its record), in the
    order recorded (one statement of their rows)."""
    return list(map(InAttendanceRow._make, row_reads.rows(*in_attendance_read(meeting))))


def add_in_attendance(meeting: Meeting, *, name: str, role: str | None) -> InAttendance:
    """Record an officer or guest as in attendance at ``meeting``."""
    row = InAttendance(council_id=meeting.council_id, meeting_id=meeting.id,
                       name=name.strip(), role=(role or "").strip() or None)
    db.session.add(row)
    db.session.commit()
    return row


def in_attendance_or_404(meeting: Meeting, row_id: int) -> InAttendance:
    """One officer or guest recorded at ``meeting``, or a 404."""
    row = db.session.scalar(select(InAttendance).where(
        InAttendance.council_id == meeting.council_id, InAttendance.meeting_id == meeting.id,
        InAttendance.id == row_id))
    if row is None:
        abort(404)
    return row


def remove_in_attendance(row: InAttendance) -> None:
    """Take an officer or guest off the meeting's list (the audit log keeps who it was)."""
    db.session.delete(row)
    db.session.commit()


def everyone_present(membership_ids: Iterable[int], chosen: Mapping[int, str | None]
                     ) -> dict[int, str]:
    """Each membership's status with every one not yet chosen made *present*: what "mark
    all present" fills the register with (a status already chosen, such as apologies, is
    kept)."""
    return {mid: chosen.get(mid) or AttendanceStatus.PRESENT.value for mid in membership_ids}
