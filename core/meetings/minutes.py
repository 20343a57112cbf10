"""A meeting's minutes from draft to published, their corrections, and what the public sees.

The states, as a clerk runs them:

- **draft**: written and changed freely in the admin; the public meeting page says the
  minutes are not yet available.
- **approved**: agreed as a true record, either *at a later meeting of the same panel*
  (that meeting is recorded) or *by the chair* (their name and the date are recorded).
  The text as approved is kept as the first :class:`MinutesRevision`.
- **published**: on the public meeting page, with the attendance, apologies, substitutes,
  declarations of interest, decisions and actions arising. Most clerks publish as soon as
  the minutes are approved, so the approval form publishes at once unless the clerk
  unticks "publish now"; approved minutes held back are published later with one button.

A change to approved or published minutes is a correction: it needs a reason, keeps the
text as corrected in the history (with who, when and why), and the public page says when
the minutes were corrected. Every change goes through
:func:`core.concurrency.save_if_unchanged` on the meeting (its version), so two clerks never
overwrite each other, and is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

from core.attendance.models import InAttendance
from core.attendance.services import in_attendance_at
from core.audit import current_actor
from core.concurrency import commit_or_conflict, save_if_unchanged
from core.extensions import db
from core.meetings.models import (
    ActionArising,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MinutesState,
)
from core.meetings.record_models import Declaration, MinutesRevision
from core.meetings.services import MeetingError, actions_raised_at, as_utc, meeting_date
from core.modelbase import utcnow
from core.models import Membership, Seat
from core.translations import gettext as _


class ApprovedHow:
    """How minutes were approved."""

    AT_MEETING = "meeting"
    BY_CHAIR = "chair"


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else _("The system")


def save_minutes(meeting: Meeting, text: str, version: str | None,
                 reason: str | None = None) -> None:
    """Save the minutes' text. Drafts change freely; approved or published minutes are
    corrected, which needs a ``reason`` and is kept in the history. Raises
    :class:`~core.forms.EditConflict` if the meeting changed since the form was filled."""
    if meeting.minutes_state == MinutesState.DRAFT:
        save_if_unchanged(meeting, version, minutes=text)
        commit_or_conflict()
        return
    if not (reason or "").strip():
        raise MeetingError(_("Say why the approved minutes are being corrected"),
                           "minutes_reason")
    if text == meeting.minutes:
        raise MeetingError(_("The minutes are the same as those approved: change them to "
                             "correct them"), "minutes")
    save_if_unchanged(meeting, version, minutes=text, corrected_at=utcnow())
    db.session.add(MinutesRevision(council_id=meeting.council_id, meeting_id=meeting.id,
                                   text=text, state=meeting.minutes_state,
                                   recorded_by=_actor_label(), reason=reason.strip()))
    commit_or_conflict()


_LATER = (select(Meeting).where(Meeting.council_id == bindparam("council_id"),
                                Meeting.panel_id == bindparam("panel_id"),
                                Meeting.starts_at > bindparam("starts_at"),
                                Meeting.cancelled.is_(False))
          .order_by(Meeting.starts_at, Meeting.id))


def approving_meetings(meeting: Meeting) -> list[Meeting]:
    """The later meetings of the same panel (not cancelled) that may approve the minutes,
    earliest first (one query)."""
    return list(db.session.scalars(_LATER, {"council_id": meeting.council_id,
                                            "panel_id": meeting.panel_id,
                                            "starts_at": meeting.starts_at}))


def approve_minutes(meeting: Meeting, *, how: str, at_meeting_id: int | None,
                    chair: str | None, on: dt.date | None, publish: bool,
                    version: str | None) -> None:
    """Approve draft minutes at a later meeting of the panel or by the chair, and publish
    them at once when ``publish`` is true."""
    if meeting.minutes_state != MinutesState.DRAFT:
        raise MeetingError(_("These minutes are already approved"), "approved_how")
    if not (meeting.minutes or "").strip():
        raise MeetingError(_("Write the minutes before approving them"), "approved_how")
    if meeting.cancelled or as_utc(meeting.starts_at) > utcnow():
        raise MeetingError(_("Minutes can be approved once the meeting has been held"),
                           "approved_how")
    values: dict[str, object] = {"approved_how": how}
    if how == ApprovedHow.AT_MEETING:
        later = {m.id: m for m in approving_meetings(meeting)}
        if at_meeting_id not in later:
            raise MeetingError(_("Choose the later meeting of the panel that approved the "
                               "minutes"), "approved_at_meeting")
        values.update(approved_at_meeting_id=at_meeting_id, approved_by=None,
                      approved_on=meeting_date(later[at_meeting_id]))
    elif how == ApprovedHow.BY_CHAIR:
        if not (chair or "").strip():
            raise MeetingError(_("Enter the name of the chair who approved the minutes"),
                               "approved_by")
        if on is None or on < meeting_date(meeting) or on > utcnow().date():
            raise MeetingError(_("Enter the date the chair approved the minutes, on or after "
                                 "the meeting and not in the future"), "approved_on")
        values.update(approved_at_meeting_id=None, approved_by=chair.strip(),
                      approved_on=on)
    else:
        raise MeetingError(_("Choose how the minutes were approved"), "approved_how")
    state = MinutesState.PUBLISHED if publish else MinutesState.APPROVED
    values["minutes_state"] = state.value
    if publish:
        values["published_at"] = utcnow()
    save_if_unchanged(meeting, version, **values)
    db.session.add(MinutesRevision(council_id=meeting.council_id, meeting_id=meeting.id,
                                   text=meeting.minutes or "", state=MinutesState.APPROVED,
                                   recorded_by=_actor_label(), reason=None))
    commit_or_conflict()


def publish_minutes(meeting: Meeting, version: str | None) -> None:
    """Publish approved minutes on the public meeting page."""
    if meeting.minutes_state != MinutesState.APPROVED:
        raise MeetingError(_("Only approved minutes can be published"), "publish")
    save_if_unchanged(meeting, version, minutes_state=MinutesState.PUBLISHED.value,
                      published_at=utcnow())
    commit_or_conflict()


_HISTORY = (select(MinutesRevision)
            .where(MinutesRevision.council_id == bindparam("council_id"),
                   MinutesRevision.meeting_id == bindparam("meeting_id"))
            .order_by(MinutesRevision.recorded_at.desc(), MinutesRevision.id.desc()))


def minutes_history(meeting: Meeting) -> list[MinutesRevision]:
    """The approved text and each correction, newest first (one query)."""
    return list(db.session.scalars(_HISTORY, {"council_id": meeting.council_id,
                                              "meeting_id": meeting.id}))


# --- what the public sees ------------------------------------------------------------------


@dataclass
class AttendanceLine:
    """People recorded with one status in one seat's role: ``names`` of adults, and how many
    young people, who are never named."""

    role: str
    names: list[str] = field(default_factory=list)
    young_people: int = 0


@dataclass(frozen=True)
class SubstituteLine:
    """Someone who came in a member's place (``None`` names a young person, never shown)."""

    role: str
    substitute: str | None
    member: str | None


@dataclass(frozen=True)
class DeclarationLine:
    """A declaration as published: by name, or by role for a young person."""

    who: str
    item: str | None
    kind: str
    nature: str


@dataclass(frozen=True)
class PublishedMinutes:
    """Everything the published minutes of a meeting show, for the partial template
    ``meetings/_minutes.html`` (the public page, and the minutes as a document)."""

    meeting: Meeting
    text: str
    approved_how: str | None
    approved_at: Meeting | None
    approved_by: str | None
    approved_on: dt.date | None
    published_at: dt.datetime | None
    corrected_at: dt.datetime | None
    present: list[AttendanceLine]
    apologies: list[AttendanceLine]
    absent: list[AttendanceLine]
    substitutes: list[SubstituteLine]
    #: Officers and guests, by name and role (never members: adults only).
    also_attending: list[InAttendance]
    declarations: list[DeclarationLine]
    decisions: list[AgendaItem]
    actions: list[ActionArising]


_ATTENDANCE = (
    select(Attendance, Membership, Seat)
    .join(Membership, Attendance.membership_id == Membership.id)
    .join(Seat, Membership.seat_id == Seat.id)
    .where(Attendance.council_id == bindparam("council_id"),
           Attendance.meeting_id == bindparam("meeting_id"))
    .options(joinedload(Attendance.substitute), joinedload(Membership.person))
    .order_by(Seat.position, Seat.id, Membership.id))
_YOUNG = exists().where(Membership.person_id == Declaration.person_id,
                        Membership.seat_id == Seat.id, Seat.young_people.is_(True))
_DECLARATIONS = (
    select(Declaration, _YOUNG.label("young"))
    .where(Declaration.council_id == bindparam("council_id"),
           Declaration.meeting_id == bindparam("meeting_id"))
    .options(joinedload(Declaration.person), joinedload(Declaration.agenda_item))
    .order_by(Declaration.id))
_APPROVER = (select(Meeting).where(Meeting.council_id == bindparam("council_id"),
                                   Meeting.id == bindparam("approver_id")))


def interest_label(kind: str) -> str:
    """The words for a kind of interest (:class:`~core.meetings.record_models.InterestKind`)."""
    return (_("Disclosable pecuniary interest") if kind == "pecuniary"
            else _("Other interest"))


def declaration_lines(meeting: Meeting) -> list[DeclarationLine]:
    """The meeting's declarations as published: a young person by role, never by name
    (one query)."""
    lines = []
    for declaration, young in db.session.execute(_DECLARATIONS, {
            "council_id": meeting.council_id, "meeting_id": meeting.id}):
        who = (_("A young people's representative") if young else declaration.person.name)
        item = declaration.agenda_item.title if declaration.agenda_item else None
        lines.append(DeclarationLine(who=who, item=item, kind=interest_label(declaration.kind),
                                     nature=declaration.nature))
    return lines


def _line(lines: dict[str, AttendanceLine], seat: Seat, name: str) -> None:
    line = lines.setdefault(seat.role, AttendanceLine(role=seat.role))
    if seat.young_people:
        line.young_people += 1
    else:
        line.names.append(name)


def minutes_public(meeting: Meeting) -> bool:
    """The one rule for who may read a meeting's minutes: the public may (on the meeting's
    page, as a PDF, and sent to members by email) once they are published and the meeting
    was not cancelled. Drafts and approved minutes held back stay with staff."""
    return meeting.minutes_state == MinutesState.PUBLISHED and not meeting.cancelled


def published_minutes(meeting: Meeting) -> PublishedMinutes | None:
    """The published minutes of ``meeting`` with all they show, or ``None`` while they are
    not public (:func:`minutes_public`)."""
    return minutes_record(meeting) if minutes_public(meeting) else None


def minutes_record(meeting: Meeting) -> PublishedMinutes:
    """The minutes of ``meeting`` with all they show, in whatever state (staff's draft PDF
    prints them too; the public get them only through :func:`published_minutes`).
    A fixed number of queries whatever the size of the meeting."""
    params = {"council_id": meeting.council_id, "meeting_id": meeting.id}
    present: dict[str, AttendanceLine] = {}
    apologies: dict[str, AttendanceLine] = {}
    absent: dict[str, AttendanceLine] = {}
    substitutes = []
    for row, membership, seat in db.session.execute(_ATTENDANCE, params).unique():
        name = membership.person.name
        if row.status == AttendanceStatus.PRESENT:
            _line(present, seat, name)
        elif row.status == AttendanceStatus.APOLOGIES:
            _line(apologies, seat, name)
        elif row.status == AttendanceStatus.ABSENT:
            _line(absent, seat, name)
        elif row.status == AttendanceStatus.SUBSTITUTE:
            young = seat.young_people
            substitutes.append(SubstituteLine(
                role=seat.role, member=None if young else name,
                substitute=None if young or row.substitute is None else row.substitute.name))
    approved_at = (db.session.scalar(_APPROVER, {"council_id": meeting.council_id,
                                                 "approver_id": meeting.approved_at_meeting_id})
                   if meeting.approved_at_meeting_id else None)
    # the agenda comes with the meeting (core.meetings.services.meeting_or_404)
    decisions = [item for item in meeting.agenda if item.decision]
    return PublishedMinutes(
        meeting=meeting, text=meeting.minutes or "", approved_how=meeting.approved_how,
        approved_at=approved_at, approved_by=meeting.approved_by,
        approved_on=meeting.approved_on, published_at=meeting.published_at,
        corrected_at=meeting.corrected_at, present=list(present.values()),
        apologies=list(apologies.values()), absent=list(absent.values()),
        substitutes=substitutes, also_attending=in_attendance_at(meeting),
        declarations=declaration_lines(meeting),
        decisions=decisions, actions=actions_raised_at(meeting))
