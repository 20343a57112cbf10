"""Putting right a mistaken appointment: correcting its start date and on whose behalf it is
held, or withdrawing it as if it had never been made.

Both are audited like every change (:mod:`core.audit`): a correction records the values
before and after; a withdrawal deletes the membership and the attendance recorded against
it, and the audit log keeps every deleted row's values, so the mistake can still be traced.
Ending a membership (:func:`core.panels.membership.end_membership`) is different: the person
did hold the seat, until a date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.dates import day_words
from core.extensions import db
from core.forms import check_version
from core.meetings.models import Attendance, Meeting
from core.meetings.services import as_utc, local_datetime
from core.models import Membership
from core.panels.membership import MembershipError
from core.translations import gettext as _
from core.translations import ngettext


def attendance_count(membership: Membership) -> int:
    """At how many meetings attendance is recorded against the membership (one query)."""
    return db.session.scalar(select(func.count(Attendance.id)).where(
        Attendance.council_id == membership.council_id,
        Attendance.membership_id == membership.id)) or 0


def _overlapping_other(membership: Membership, start: dt.date) -> Membership | None:
    query = select(Membership).where(
        Membership.council_id == membership.council_id,
        Membership.seat_id == membership.seat_id, Membership.person_id == membership.person_id,
        Membership.id != membership.id,
        (Membership.end.is_(None)) | (Membership.end >= start))
    if membership.end is not None:
        query = query.where(Membership.start <= membership.end)
    return db.session.scalar(query.order_by(Membership.start).limit(1))


def correct_membership(membership: Membership, *, start: dt.date, on_behalf_of: str | None,
                       version: str | None) -> None:
    """Correct the start date and on whose behalf the seat is held, if the membership is
    still at ``version`` (else :class:`~core.forms.EditConflict`, nothing saved).

    Refused (:class:`~core.panels.membership.MembershipError` naming the field) when the
    start would fall after the end of term, overlap another membership of the same person
    in the same seat, or come after a meeting whose attendance is recorded against this
    membership (withdraw that attendance first, or keep the earlier start).
    """
    check_version(membership, version)  # a stale form is a conflict before anything else
    lock_for_write(membership.seat.panel)  # as appointments do: checks and write never cross
    check_version(membership, version)
    if membership.end is not None and start > membership.end:
        raise MembershipError("start", _(
            "The start must be on or before the end of term (%(end)s)",
            end=day_words(membership.end)))
    clash = _overlapping_other(membership, start)
    if clash is not None:
        raise MembershipError("start", _(
            "%(name)s also holds this seat from %(start)s: the two memberships would overlap.",
            name=membership.person.name, start=day_words(clash.start)))
    before = db.session.scalar(
        select(func.count(Attendance.id)).join(Meeting, Attendance.meeting_id == Meeting.id)
        .where(Attendance.council_id == membership.council_id,
               Attendance.membership_id == membership.id,
               Meeting.starts_at < as_utc(local_datetime(start, dt.time())))) or 0
    if before:
        raise MembershipError("start", ngettext(
            "Attendance is recorded for this membership at %(num)d meeting before that date. "
            "Choose a start on or before it.",
            "Attendance is recorded for this membership at %(num)d meetings before that date. "
            "Choose a start on or before the first of them.", before))
    save_if_unchanged(membership, version, start=start,
                      on_behalf_of=(on_behalf_of or "").strip() or None)
    commit_or_conflict()


def withdraw_membership(membership: Membership, *, version: str | None) -> int:
    """Withdraw a mistaken appointment as if it had never been made: the membership and the
    attendance recorded against it are deleted (the audit log keeps their values). Returns
    how many attendance records went. Raises :class:`~core.forms.EditConflict` if someone
    saved the membership since ``version``."""
    check_version(membership, version)
    lock_for_write(membership.seat.panel)
    check_version(membership, version)
    rows = list(db.session.scalars(select(Attendance).where(
        Attendance.council_id == membership.council_id,
        Attendance.membership_id == membership.id)))
    for row in rows:
        db.session.delete(row)
    db.session.flush()  # attendance first: it points at the membership
    db.session.delete(membership)
    commit_or_conflict()
    return len(rows)
