"""Scheduling a panel's meetings, their agendas, attendance, quorum, minutes and actions arising.

Times are stored in UTC and shown in Europe/London, where every council served sits. A
meeting's *date* (for standing items and for who holds a seat) is its local date.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from flask import abort
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from core import row_reads
from core.audit import AuditEvent
from core.concurrency import commit_or_conflict, conflict, lock_for_write, save_if_unchanged
from core.dates import day_words
from core.extensions import db
from core.forms import check_version
from core.meetings.models import (
    ActionArising,
    ActionArisingStatus,
    AgendaItem,
    AgendaItemKind,
    AgendaItemKinds,
    ArisingState,
    Attendance,
    AttendanceStatus,
    Meeting,
)
from core.meetings.record_models import Declaration, MinutesRevision, Paper
from core.meetings.working_days import next_working_day
from core.models import Council, Membership, Panel, Person, Seat, StandingItem
from core.panels.membership import Named, current_memberships, held_on
from core.panels.models import PanelTerms
from core.panels.reads import PANEL_BY_KEY, AnyPanel, NamedPanel, panel_params
from core.translations import gettext as _

#: Where the councils served are: meeting times are typed and shown in this zone.
LONDON = ZoneInfo("Europe/London")
#: The most meetings scheduled from a cycle at once (two years of monthly meetings).
MAX_FROM_CYCLE = 24
#: Statuses that put someone in the room.
IN_THE_ROOM = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.SUBSTITUTE})


class MeetingError(Exception):
    """Something the rules refuse, with a message for the person who asked and, where one
    field is at fault, that field's name."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- times ---------------------------------------------------------------------------------


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC; a naive value (SQLite gives these back) is taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def local_start(meeting: Meeting) -> dt.datetime:
    """When the meeting starts, in Europe/London."""
    return _in_london(meeting.starts_at)


@functools.lru_cache(maxsize=4096)
def _in_london(moment: dt.datetime) -> dt.datetime:
    """``moment`` (naive: UTC) in Europe/London, converted once: a list of a hundred
    meetings asks for each one's start three times."""
    return as_utc(moment).astimezone(LONDON)


def meeting_date(meeting: Meeting) -> dt.date:
    """The meeting's local date."""
    return local_start(meeting).date()


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A day and a wall-clock time in Europe/London."""
    return dt.datetime.combine(day, time, tzinfo=LONDON)


# --- reading -------------------------------------------------------------------------------


def panel_or_404(council: Council, key: str) -> Panel:
    """One panel of ``council`` (without its seats), or a 404."""
    panel = db.session.scalar(select(Panel).where(
        Panel.council_id == council.id, Panel.key == key, Panel.archived_at.is_(None)))
    if panel is None:
        abort(404)
    return panel


def panels_of(council: Council) -> list[Panel]:
    """The council's panels in the plugin's order (one query)."""
    return list(db.session.scalars(select(Panel).where(
        Panel.council_id == council.id, Panel.archived_at.is_(None)).order_by(Panel.position)))


_MEETING = (select(Meeting).join(Meeting.panel)
            .where(Meeting.id == bindparam("meeting_id"),
                   Meeting.council_id == bindparam("council_id"))
            .options(contains_eager(Meeting.panel)))
#: Built once each, with and without the agenda.
_MEETING_WITH_AGENDA = _MEETING.options(joinedload(Meeting.agenda))


def meeting_or_404(council: Council, meeting_id: int, *, agenda: bool = True) -> Meeting:
    """One meeting of ``council`` with its panel and (unless ``agenda`` is false) its
    agenda, in one query, or a 404. Meetings of a panel the plugin no longer defines stay
    readable: they are the council's record."""
    meeting = db.session.execute(_MEETING_WITH_AGENDA if agenda else _MEETING,
                                 {"meeting_id": meeting_id, "council_id": council.id}
                                 ).unique().scalar_one_or_none()
    if meeting is None:
        abort(404)
    return meeting


class AgendaItemRow(row_reads.row_class(AgendaItem, AgendaItemKinds)):  # type: ignore[misc]
    """An agenda item as the public meeting page and the API show it: its columns by
    attribute and where it came from (:class:`~core.meetings.models.AgendaItemKinds`)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class MeetingPanel:
    """The panel of a meeting, as the public meeting page and the API name it."""

    id: int
    key: str
    name: str


class MeetingRecord(row_reads.row_class(  # type: ignore[misc]
        Meeting, extra=("panel", "agenda"))):
    """A meeting as the pages that only read it show it: its columns by attribute, its
    panel (a :class:`MeetingPanel`, or for the clerk's page a :class:`PanelRow`) and its
    agenda in order (:class:`AgendaItemRow`). A change is made to the model
    (:func:`meeting_or_404`)."""

    __slots__ = ()


_MEETING_WIDTH = len(row_reads.record_columns(Meeting))
#: Built once (the public meeting page and the API's meeting run it on every render): the
#: meeting's columns, its panel's key and name, and its agenda items (one row each).
_MEETING_RECORD = (
    select(*row_reads.record_columns(Meeting), Panel.id, Panel.key, Panel.name,
           *row_reads.record_columns(AgendaItem))
    .join(Panel, Meeting.panel_id == Panel.id)
    .outerjoin(AgendaItem, and_(AgendaItem.meeting_id == Meeting.id,
                                AgendaItem.council_id == Meeting.council_id))
    .where(Meeting.id == bindparam("meeting_id"), Meeting.council_id == bindparam("council_id"))
    .order_by(AgendaItem.position, AgendaItem.id))


class PanelRow(row_reads.row_class(Panel, PanelTerms)):  # type: ignore[misc]
    """A meeting's panel as the clerk's meeting page reads it: its columns by attribute,
    with its cycle and quorum rule (:class:`~core.panels.models.PanelTerms`)."""

    __slots__ = ()


_PANEL_WIDTH = len(row_reads.record_columns(Panel))
#: The clerk's meeting page's: as :data:`_MEETING_RECORD`, with the panel's whole row.
_CLERKS_MEETING = (
    select(*row_reads.record_columns(Meeting), *row_reads.record_columns(Panel),
           *row_reads.record_columns(AgendaItem))
    .join(Panel, Meeting.panel_id == Panel.id)
    .outerjoin(AgendaItem, and_(AgendaItem.meeting_id == Meeting.id,
                                AgendaItem.council_id == Meeting.council_id))
    .where(Meeting.id == bindparam("meeting_id"), Meeting.council_id == bindparam("council_id"))
    .order_by(AgendaItem.position, AgendaItem.id))


def meeting_record_read(council: Council, meeting_id: int, *, clerks: bool = False
                        ) -> row_reads.Read:
    """The statement :func:`meeting_record_or_404` runs, for a page to send with others
    (the meeting's id is the URL's, so reads of what hangs from it need not wait for it)."""
    return row_reads.Read(_CLERKS_MEETING if clerks else _MEETING_RECORD,
                          {"meeting_id": meeting_id, "council_id": council.id})


def meeting_record_or_404(council: Council, meeting_id: int, *, clerks: bool = False
                          ) -> MeetingRecord:
    """One meeting of ``council`` with its panel and its agenda, as the pages that only
    read it use it (one statement), or a 404: the panel's key and name (a
    :class:`MeetingPanel`) for the public pages and the API, its whole row (a
    :class:`PanelRow`) for the clerk's page (``clerks``). Meetings of a panel the plugin no
    longer defines stay readable, as with :func:`meeting_or_404`."""
    panel_width, make_panel = ((_PANEL_WIDTH, PanelRow._make) if clerks
                               else (3, lambda columns: MeetingPanel(*columns)))
    items = _MEETING_WIDTH + panel_width
    meeting: MeetingRecord | None = None
    for row in row_reads.rows(*meeting_record_read(council, meeting_id, clerks=clerks)):
        if meeting is None:
            meeting = MeetingRecord._make((*row[:_MEETING_WIDTH],
                                           make_panel(row[_MEETING_WIDTH:items]), []))
        if row[items] is not None:
            meeting.agenda.append(AgendaItemRow._make(row[items:]))
    if meeting is None:
        abort(404)
    return meeting


def meetings_of(panel: Panel, *, include_cancelled: bool = True) -> list[Meeting]:
    """The panel's meetings, earliest first (one query)."""
    query = select(Meeting).where(Meeting.council_id == panel.council_id,
                                  Meeting.panel_id == panel.id)
    if not include_cancelled:
        query = query.where(Meeting.cancelled.is_(False))
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


#: How many past meetings a panel's public page lists.
RECENT_MEETINGS = 6


@dataclass(frozen=True, slots=True)
class MeetingLink:
    """A meeting as the panel's page lists it: a link to it, when, and whether it was
    cancelled."""

    id: int
    starts_at: dt.datetime
    cancelled: bool


#: A panel's meetings (parameters ``council_id`` and ``panel_key``: :data:`PANEL_BY_KEY`).
_PANELS_MEETINGS = (Meeting.council_id == bindparam("council_id"),
                    Meeting.panel_id == PANEL_BY_KEY)
#: The latest ``past`` of a panel's meetings before ``start``, latest first.
_LATEST_BEFORE = (select(Meeting.id, Meeting.starts_at, Meeting.cancelled)
                  .where(*_PANELS_MEETINGS, Meeting.starts_at < bindparam("start"))
                  .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
                  .limit(bindparam("past"))
                  .subquery())
#: Built once (the public panel page runs it on every render): the panel's meetings from
#: ``start`` on, and the latest ``past`` before it, in time order. Two parts, each sought
#: in the index of a panel's meetings by start (``ix_meeting_panel_starts``): one read
#: with an ``OR`` between them walked every meeting of the panel, its whole history.
_AROUND = (union_all(select(Meeting.id, Meeting.starts_at, Meeting.cancelled)
                     .where(*_PANELS_MEETINGS, Meeting.starts_at >= bindparam("start")),
                     select(*_LATEST_BEFORE.c))
           .order_by("starts_at", "id"))


def meetings_around_read(panel: NamedPanel, today: dt.date, past: int = RECENT_MEETINGS
                         ) -> row_reads.Read:
    """The statement :func:`meetings_around` runs, for a page to send with others."""
    return row_reads.Read(_AROUND, {
        **panel_params(panel), "start": as_utc(local_datetime(today, dt.time())),
        "past": past})


def meetings_around(panel: AnyPanel, today: dt.date, past: int = RECENT_MEETINGS
                    ) -> tuple[list[MeetingLink], list[MeetingLink]]:
    """(meetings from ``today`` on, earliest first; the latest ``past`` before it, latest
    first), cancelled ones included: one statement whatever the length of the panel's
    history (those from today on, and those among the latest ``past`` before it). Days,
    not hours, divide them, so the answer holds all day."""
    read = meetings_around_read(panel, today, past)
    start = read.params["start"]
    upcoming: list[MeetingLink] = []
    held: list[MeetingLink] = []
    for meeting_id, starts_at, cancelled in row_reads.rows(*read):
        starts_at = as_utc(starts_at)
        (upcoming if starts_at >= start else held).append(
            MeetingLink(meeting_id, starts_at, cancelled))
    return upcoming, held[::-1]


def split_upcoming(meetings: Iterable[Meeting], now: dt.datetime | None = None
                   ) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming earliest first, past latest first); a meeting is past from its start."""
    now = as_utc(now or dt.datetime.now(dt.UTC))
    ordered = sorted(meetings, key=lambda m: (as_utc(m.starts_at), m.id))
    upcoming = [m for m in ordered if as_utc(m.starts_at) >= now]
    past = [m for m in reversed(ordered) if as_utc(m.starts_at) < now]
    return upcoming, past


def upcoming_by_panel(council: Council, now: dt.datetime | None = None
                      ) -> dict[int, list[Meeting]]:
    """Each panel's meetings from now on, earliest first (one query)."""
    now = as_utc(now or dt.datetime.now(dt.UTC))
    rows = db.session.scalars(select(Meeting).where(
        Meeting.council_id == council.id, Meeting.starts_at >= now)
        .order_by(Meeting.starts_at, Meeting.id))
    found: dict[int, list[Meeting]] = {}
    for meeting in rows:
        found.setdefault(meeting.panel_id, []).append(meeting)
    return found


# --- scheduling ----------------------------------------------------------------------------


def cycle_refusal(panel: Panel) -> str | None:
    """Why the panel's meetings cannot be scheduled from its cycle, or ``None`` if they can."""
    if panel.cycle_every_months is not None:
        return None
    return _("The meeting cycle of %(panel)s does not say how many months apart its meetings "
             "are, so their dates cannot be worked out from it. Schedule each meeting by hand.",
             panel=panel.name)


def cycle_dates(panel: Panel, first: dt.datetime, count: int) -> list[dt.datetime]:
    """``count`` start times from ``first``, ``panel.cycle_every_months`` months apart.

    Each is counted from ``first`` (not from the one before), so a meeting on the 31st
    falls on the last day of shorter months and returns to the 31st after them. Refuses
    when the cycle does not state its interval in months.
    """
    refusal = cycle_refusal(panel)
    if refusal:
        raise MeetingError(refusal)
    if not 1 <= count <= MAX_FROM_CYCLE:
        raise MeetingError(_("Schedule from 1 to %(most)d meetings at once", most=MAX_FROM_CYCLE),
                           "count")
    return [first + relativedelta(months=panel.cycle_every_months * n) for n in range(count)]


@dataclass(frozen=True)
class ProposedMeeting:
    """A start time worked out from a panel's cycle, moved to a working day if need be.

    ``asked`` is the date the cycle gave when it was not a working day of the council's
    nation, and ``holiday`` the bank holiday it fell on, if that is why it moved.
    """

    starts_at: dt.datetime
    asked: dt.date | None = None
    holiday: str | None = None

    @property
    def moved(self) -> bool:
        return self.asked is not None


def proposed_meetings(council: Council, panel: Panel, first: dt.datetime, count: int
                      ) -> list[ProposedMeeting]:
    """The meetings :func:`schedule_from_cycle` would schedule: :func:`cycle_dates`, each
    on a working day of ``council.nation`` (see :mod:`core.meetings.working_days`), at the
    same local time. Refuses as :func:`cycle_dates` does."""
    proposed = []
    for start in cycle_dates(panel, first.astimezone(LONDON), count):
        day = next_working_day(council.nation, start.date())
        proposed.append(ProposedMeeting(
            starts_at=dt.datetime.combine(day.day, start.timetz()), asked=day.asked,
            holiday=day.holiday))
    return proposed


def proposal_digest(proposed: Sequence[ProposedMeeting]) -> str:
    """A short digest of the start times proposed, carried by the confirmation form so
    that what is scheduled is exactly what the clerk was shown."""
    text = "|".join(as_utc(p.starts_at).isoformat() for p in proposed)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def refuse_clashes(panel: Panel, starts: Sequence[dt.datetime]) -> None:
    """Refuse a second meeting of the panel on a day it already meets (cancelled ones aside),
    holding the panel until the commit so that no other scheduling crosses the check."""
    lock_for_write(panel)
    taken = {meeting_date(m) for m in meetings_of(panel, include_cancelled=False)}
    clashes = sorted({s.astimezone(LONDON).date() for s in starts} & taken)
    if clashes:
        raise MeetingError(_(
            "%(panel)s already has a meeting on %(dates)s. Change or cancel that meeting "
            "first.", panel=panel.name,
            dates=", ".join(day_words(day) for day in clashes)))


def schedule_from_cycle(council: Council, panel: Panel, *, first: dt.datetime, count: int,
                        location: str | None, digest: str | None = None) -> list[Meeting]:
    """Schedule ``count`` meetings from ``first`` on the panel's cycle, each on a working
    day (:func:`proposed_meetings`), with their agendas. With ``digest`` (from
    :func:`proposal_digest` of the dates the clerk was shown), refuses when the dates
    worked out now are not those."""
    proposed = proposed_meetings(council, panel, first, count)
    if digest is not None and digest != proposal_digest(proposed):
        raise MeetingError(_("The dates worked out now are not the ones you were shown. "
                             "Check them again."), "cycle_first_on")
    starts = [p.starts_at for p in proposed]
    refuse_clashes(panel, starts)
    meetings = [_create(council, panel, start, location) for start in starts]
    db.session.commit()
    return meetings


def schedule_meeting(council: Council, panel: Panel, *, starts_at: dt.datetime,
                     location: str | None) -> Meeting:
    """Schedule one meeting by hand, with its agenda."""
    refuse_clashes(panel, [starts_at])
    meeting = _create(council, panel, starts_at, location)
    db.session.commit()
    return meeting


def _create(council: Council, panel: Panel, starts_at: dt.datetime, location: str | None
            ) -> Meeting:
    meeting = Meeting(council_id=council.id, panel_id=panel.id, starts_at=as_utc(starts_at),
                      location=location or None, cancelled=False)
    meeting.panel = panel
    db.session.add(meeting)
    db.session.flush()
    build_agenda(council, meeting)
    return meeting


def update_meeting(meeting: Meeting, *, starts_at: dt.datetime, location: str | None,
                   cancelled: bool, version: str | None) -> None:
    """Change when and where a meeting is, or cancel it (or undo the cancellation)."""
    check_version(meeting, version)
    if not cancelled and (meeting.cancelled or as_utc(meeting.starts_at) != as_utc(starts_at)):
        lock_for_write(meeting.panel)  # no other meeting of the panel moves to the day meanwhile
        others = [m for m in meetings_of(meeting.panel, include_cancelled=False)
                  if m.id != meeting.id]
        day = starts_at.astimezone(LONDON).date()
        if any(meeting_date(m) == day for m in others):
            raise MeetingError(_("%(panel)s already has a meeting on %(date)s.",
                                 panel=meeting.panel.name,
                                 date=day_words(day)), "starts_on")
    save_if_unchanged(meeting, version, starts_at=as_utc(starts_at),
                      location=location or None, cancelled=cancelled)
    commit_or_conflict()


# --- agenda --------------------------------------------------------------------------------


def actions_arising_title() -> str:
    return _("Actions arising from previous meetings")


def build_agenda(council: Council, meeting: Meeting) -> list[AgendaItem]:
    """Open the meeting's agenda: the panel's standing items (as the plugin defines them,
    synced), then an item for the actions arising from earlier meetings when any are open."""
    standing = db.session.scalars(select(StandingItem).where(
        StandingItem.council_id == council.id, StandingItem.panel_id == meeting.panel_id,
        StandingItem.archived_at.is_(None)).order_by(StandingItem.position))
    items = [AgendaItem(council_id=council.id, title=item.title,
                        description=item.description, standing_item_id=item.id,
                        kind=AgendaItemKind.STANDING)
             for item in standing]
    if open_actions_before(meeting):
        items.append(AgendaItem(council_id=council.id, title=actions_arising_title(),
                                kind=AgendaItemKind.ACTIONS_ARISING))
    for position, item in enumerate(items):
        item.position = position
        meeting.agenda.append(item)
    db.session.flush()
    return items


def add_agenda_item(meeting: Meeting, *, title: str, description: str | None) -> AgendaItem:
    """Add an item at the end of the agenda (the meeting held, so two additions at once
    each get their own place)."""
    lock_for_write(meeting)
    position = 1 + max((item.position for item in meeting.agenda), default=-1)
    item = AgendaItem(council_id=meeting.council_id, title=title,
                      description=description or None, position=position,
                      kind=AgendaItemKind.ADDED)
    meeting.agenda.append(item)
    db.session.commit()
    return item


def change_agenda_item(meeting: Meeting, item_id: int, change: str) -> AgendaItem:
    """Move an added item up or down among the added items, or remove it.

    Standing items and the actions arising item stay where they are. The meeting is held
    until the commit, so two changes at once apply one after the other.
    """
    lock_for_write(meeting)
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise MeetingError(_("That item is not on this meeting's agenda."), "item")
    if not item.added:
        raise MeetingError(_("Standing items and actions arising cannot be moved or removed."),
                           "item")
    ordered = sorted(meeting.agenda, key=lambda i: (i.position, i.id))
    added = [i for i in ordered if i.added]
    index = added.index(item)
    if change == "remove":
        meeting.agenda.remove(item)
        db.session.delete(item)
        added.remove(item)
    elif change in ("up", "down"):
        other = index - 1 if change == "up" else index + 1
        if 0 <= other < len(added):
            added[index], added[other] = added[other], added[index]
    else:
        raise MeetingError(_("Choose to move the item up or down, or to remove it."), "change")
    for position, each in enumerate([*(i for i in ordered if not i.added), *added]):
        each.position = position
    db.session.commit()
    return item


def _ensure_actions_arising_item(meeting: Meeting) -> None:
    """Give a later meeting the actions arising item, after its standing items."""
    if any(item.kind == AgendaItemKind.ACTIONS_ARISING for item in meeting.agenda):
        return
    ordered = sorted(meeting.agenda, key=lambda i: (i.position, i.id))
    standing = [i for i in ordered if i.standing]
    rest = [i for i in ordered if not i.standing]
    new = AgendaItem(council_id=meeting.council_id, title=actions_arising_title(),
                     kind=AgendaItemKind.ACTIONS_ARISING)
    meeting.agenda.append(new)
    for position, item in enumerate([*standing, new, *rest]):
        item.position = position


# --- attendance and quorum -----------------------------------------------------------------


def attendance_of(meeting: Meeting, *, fresh: bool = False) -> dict[int, Attendance]:
    """The meeting's attendance by membership id, with substitutes (one query); with
    ``fresh``, rows this session already holds are read again from the database."""
    rows = db.session.scalars(
        select(Attendance).where(Attendance.council_id == meeting.council_id,
                                 Attendance.meeting_id == meeting.id)
        .options(joinedload(Attendance.substitute))
        .execution_options(populate_existing=fresh))
    return {row.membership_id: row for row in rows}


@dataclass(frozen=True, slots=True)
class SeatFacts:
    """What the register and the quorum need of a seat."""

    role: str
    voting: bool | None
    young_people: bool


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """A membership on the register of a meeting, read as a narrow row: its person's name
    and its seat's facts (for the page and :func:`quorum`, as a :class:`Membership`)."""

    id: int
    person: Named
    seat: SeatFacts

    @property
    def person_id(self) -> int:
        return self.person.id


@dataclass(frozen=True, slots=True)
class Recorded:
    """What is recorded of one member at a meeting (for the page and :func:`quorum`, as an
    :class:`Attendance`)."""

    status: str
    substitute: Named | None

    @property
    def substitute_id(self) -> int | None:
        return self.substitute.id if self.substitute else None


_SUBSTITUTE = aliased(Person)
#: Each membership held on a day with what a meeting recorded of it (built once).
_REGISTER = (
    select(Membership.id, Person.id, Person.name, Seat.role, Seat.voting, Seat.young_people,
           Attendance.status, _SUBSTITUTE.id, _SUBSTITUTE.name)
    .join(Seat, Membership.seat_id == Seat.id)
    .join(Person, Membership.person_id == Person.id)
    .outerjoin(Attendance, and_(Attendance.council_id == bindparam("council_id"),
                                Attendance.meeting_id == bindparam("meeting_id"),
                                Attendance.membership_id == Membership.id))
    .outerjoin(_SUBSTITUTE, Attendance.substitute_id == _SUBSTITUTE.id)
    .where(Membership.council_id == bindparam("council_id"),
           Seat.panel_id == bindparam("panel_id"), Seat.archived_at.is_(None),
           held_on(bindparam("on")))
    .order_by(Seat.position, Seat.id, Membership.start, Membership.id)
)


def register_read(meeting: Meeting | MeetingRecord) -> row_reads.Read:
    """The statement :func:`register_of` runs, for a page to send with others."""
    return row_reads.Read(_REGISTER, {"council_id": meeting.council_id,
                                      "meeting_id": meeting.id, "panel_id": meeting.panel_id,
                                      "on": meeting_date(meeting)})


def register_of(meeting: Meeting | MeetingRecord
                ) -> tuple[list[RegisterLine], dict[int, Recorded]]:
    """Who held a seat of the panel on the meeting's date (as :func:`current_memberships`,
    in seat order), and what is recorded of each by membership id (as
    :func:`attendance_of`, those not recorded left out): one statement of narrow rows, for
    pages that show the register."""
    lines: list[RegisterLine] = []
    recorded: dict[int, Recorded] = {}
    for (membership_id, person_id, name, role, voting, young_people, status, substitute_id,
         substitute_name) in row_reads.rows(*register_read(meeting)):
        lines.append(RegisterLine(membership_id, Named(person_id, name),
                                  SeatFacts(role, voting, young_people)))
        if status is not None:
            recorded[membership_id] = Recorded(status, None if substitute_id is None
                                               else Named(substitute_id, substitute_name))
    return lines, recorded


def attendance_fingerprint(attendance: Mapping[int, Attendance]) -> str:
    """A short digest of what is recorded, so that a form filled from an older state is
    detected as a conflict rather than overwriting what someone else recorded."""
    parts = sorted(f"{mid}:{row.status}:{row.substitute_id or ''}"
                   for mid, row in attendance.items())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class AttendanceEntry:
    """What the form says about one membership: a status and, for a substitute, who."""

    status: str
    substitute_id: int | None = None
    substitute_name: str | None = None


def record_attendance(meeting: Meeting, entries: Mapping[int, AttendanceEntry], *,
                      fingerprint: str | None) -> None:
    """Record each member's attendance; memberships not in ``entries`` are left as they are.

    A substitute is someone already recorded in the council (``substitute_id``) or a name
    typed in; a typed name that matches someone recorded (ignoring case) is that person,
    otherwise a new person is recorded.
    """
    lock_for_write(meeting)  # two saves of this meeting's attendance never cross
    current = {m.id: m for m in current_memberships(meeting.panel, meeting_date(meeting))}
    recorded = attendance_of(meeting, fresh=True)
    if fingerprint != attendance_fingerprint(recorded):
        raise conflict()
    people = {p.id: p for p in people_of_by_ids(meeting.council_id, [
        e.substitute_id for e in entries.values() if e.substitute_id])}
    for membership_id, entry in entries.items():
        membership = current.get(membership_id)
        if membership is None:
            raise MeetingError(_("That person does not hold a seat on the meeting date."))
        substitute = None
        if entry.status == AttendanceStatus.SUBSTITUTE:
            substitute = _substitute(meeting.council_id, entry, people)
            if substitute.id is not None and substitute.id == membership.person_id:
                raise MeetingError(_("%(name)s cannot substitute for themselves.",
                                     name=membership.person.name),
                                   f"substitute_{membership_id}")
        row = recorded.get(membership_id)
        if row is None:
            row = Attendance(council_id=meeting.council_id, meeting_id=meeting.id,
                             membership_id=membership_id, status=entry.status)
            db.session.add(row)
        row.status = entry.status
        row.substitute = substitute
    commit_or_conflict()  # a first recording another save beat us to is a conflict


def people_of_by_ids(council_id: int, ids: Sequence[int]) -> list[Person]:
    if not ids:
        return []
    return list(db.session.scalars(select(Person).where(Person.council_id == council_id,
                                                        Person.id.in_(ids))))


def _substitute(council_id: int, entry: AttendanceEntry, people: Mapping[int, Person]
                ) -> Person:
    if entry.substitute_id:
        person = people.get(entry.substitute_id)
        if person is None:
            raise MeetingError(_("Choose someone recorded in this council"))
        return person
    name = (entry.substitute_name or "").strip()
    if not name:
        raise MeetingError(_("Choose the substitute or type their name"))
    existing = db.session.scalar(select(Person).where(
        Person.council_id == council_id, func.lower(Person.name) == name.lower())
        .order_by(Person.id).limit(1))
    if existing is not None:
        return existing
    person = Person(council_id=council_id, name=name)
    db.session.add(person)
    return person


@dataclass(frozen=True)
class QuorumResult:
    """How many people count towards quorum, how many are needed, and whether it is met."""

    counted: int
    needed: int | None
    rule_text: str | None
    young_people_count: bool

    @property
    def stated(self) -> bool:
        return self.needed is not None

    @property
    def met(self) -> bool | None:
        """``None`` when the panel states no quorum number: nothing is invented."""
        return None if self.needed is None else self.counted >= self.needed


def quorum(panel: Panel, memberships: Iterable[Membership | RegisterLine],
           attendance: Mapping[int, Attendance | Recorded]) -> QuorumResult:
    """Work out the quorum of a meeting from who is in the room.

    The rule:

    - A member counts when recorded *present*, or when a *substitute* came in their place
      (the substitute fills the seat for the meeting, so the substitute is the one counted).
      Apologies, absent and not yet recorded do not count.
    - Only seats that count towards quorum, by :meth:`Panel.counts_towards_quorum`: voting
      seats, and young people's seats only when the quorum rule says they count.
    - Each person counts once, even if they hold two seats or substitute for two members.
    - The number needed is the panel's ``quorum_count``. When the panel states none, no
      number is invented: :attr:`QuorumResult.met` is ``None`` and the pages say
      "Quorum rule not stated".
    """
    people: set[int | str] = set()
    for membership in memberships:
        row = attendance.get(membership.id)
        if row is None or row.status not in IN_THE_ROOM:
            continue
        if not panel.counts_towards_quorum(membership.seat):
            continue
        if row.status == AttendanceStatus.SUBSTITUTE:
            if row.substitute_id is None:
                continue
            people.add(row.substitute_id)
        else:
            people.add(membership.person_id)
    return QuorumResult(counted=len(people), needed=panel.quorum_count,
                        rule_text=panel.quorum_text,
                        young_people_count=panel.quorum_young_people_count is True)


# --- history of changes (the minutes themselves: core/meetings/minutes.py) -------------


def last_change_to_attendance(meeting: Meeting) -> AuditEvent | None:
    """The latest audit event of the meeting's attendance (one query)."""
    return db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.council_id == meeting.council_id,
            AuditEvent.record_type == Attendance.__tablename__,
            or_(AuditEvent.record_id.in_(select(Attendance.id).where(
                Attendance.meeting_id == meeting.id)),
                AuditEvent.after["meeting_id"].as_integer() == meeting.id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1))


def meeting_history(meeting: Meeting) -> list[AuditEvent]:
    """Every audit event of the meeting, its agenda items, attendance, the actions arising
    it raised, its papers, declarations of interest and minutes' history, newest first
    (one query).

    Rows are found by id while they exist; items since removed are found by the
    ``meeting_id`` their creation and removal recorded.
    """
    def of(model: type, *, through: str = "meeting_id") -> object:
        column = getattr(model, through)
        return and_(AuditEvent.record_type == model.__tablename__, or_(
            AuditEvent.record_id.in_(select(model.id).where(column == meeting.id)),
            AuditEvent.after[through].as_integer() == meeting.id,
            AuditEvent.before[through].as_integer() == meeting.id))

    return list(db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.council_id == meeting.council_id,
            or_(and_(AuditEvent.record_type == Meeting.__tablename__,
                     AuditEvent.record_id == meeting.id),
                of(AgendaItem), of(Attendance), of(ActionArising), of(Paper),
                of(Declaration), of(MinutesRevision)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


# --- actions arising -----------------------------------------------------------------------


def open_actions_before(meeting: Meeting) -> bool:
    """Whether any action arising from an earlier meeting of the panel is open (one query)."""
    raised = aliased(Meeting)
    return db.session.scalar(
        select(func.count(ActionArising.id)).join(raised, ActionArising.meeting)
        .where(ActionArising.council_id == meeting.council_id,
               ActionArising.panel_id == meeting.panel_id,
               ActionArising.status == ActionArisingStatus.OPEN,
               raised.starts_at < meeting.starts_at)) > 0


#: Built once (its eager load costs more to build than to run).
_RAISED_AT = (select(ActionArising)
              .where(ActionArising.council_id == bindparam("council_id"),
                     ActionArising.meeting_id == bindparam("meeting_id"))
              .options(joinedload(ActionArising.closed_at_meeting))
              .order_by(ActionArising.id))


def actions_raised_at(meeting: Meeting) -> list[ActionArising]:
    """The actions arising that this meeting agreed, in the order added (one query)."""
    return list(db.session.scalars(_RAISED_AT, {"council_id": meeting.council_id,
                                                "meeting_id": meeting.id}))


_RAISED, _CLOSED = aliased(Meeting), aliased(Meeting)


def _panel_actions(*columns: Any) -> Select[Any]:
    """The panel's actions (``columns`` of them), each with the meeting that raised it and
    the one that closed it, oldest first."""
    return (select(*columns)
            .join(_RAISED, ActionArising.meeting)
            .outerjoin(_CLOSED, ActionArising.closed_at_meeting)
            .where(ActionArising.council_id == bindparam("council_id"),
                   ActionArising.panel_id == bindparam("panel_id"))
            .order_by(_RAISED.starts_at, ActionArising.id))


def _carried_to(starts_at: Any) -> ColumnElement[bool]:
    """Raised at an earlier meeting of the panel and open at the one starting at
    ``starts_at``: still open, or closed at that meeting or a later one."""
    return and_(_RAISED.starts_at < starts_at,
                or_(ActionArising.status == ActionArisingStatus.OPEN,
                    _CLOSED.starts_at >= starts_at))


#: The meeting the actions are carried to, found by its id (the URL's): its panel and
#: start are then the database's to join, not a read the page must wait for first.
_CARRIED_TO_MEETING = aliased(Meeting)
#: Built once each (their aliases and eager loads cost more to build than to run).
_CARRIED_FORWARD = (
    select(*row_reads.record_columns(ActionArising))
    .join(_CARRIED_TO_MEETING, and_(
        _CARRIED_TO_MEETING.id == bindparam("meeting_id"),
        _CARRIED_TO_MEETING.council_id == bindparam("council_id"),
        _CARRIED_TO_MEETING.panel_id == ActionArising.panel_id))
    .join(_RAISED, ActionArising.meeting)
    .outerjoin(_CLOSED, ActionArising.closed_at_meeting)
    .where(ActionArising.council_id == bindparam("council_id"),
           _carried_to(_CARRIED_TO_MEETING.starts_at))
    .order_by(_RAISED.starts_at, ActionArising.id))
_CARRIED_AND_RAISED = (
    _panel_actions(*row_reads.record_columns(ActionArising), _RAISED.starts_at, _CLOSED.starts_at)
    .where(or_(_carried_to(bindparam("starts_at")),
               ActionArising.meeting_id == bindparam("meeting_id"))))


class ArisingRow(row_reads.row_class(ActionArising, ArisingState)):  # type: ignore[misc]
    """An action arising as the meeting's page and its agenda pack show it: its columns
    by attribute, and where it stands (:class:`~core.meetings.models.ArisingState`)."""

    __slots__ = ()


class ArisingLine(row_reads.row_class(  # type: ignore[misc]
        ActionArising, ArisingState, extra=("raised_at", "closed_at"))):
    """An action arising as the meeting's admin page shows it: an :class:`ArisingRow`
    with the start of the meeting that agreed it (``raised_at``) and of the one that
    closed it (``closed_at``, ``None`` while it is open)."""

    __slots__ = ()


def carried_forward_read(council_id: int, meeting_id: int) -> row_reads.Read:
    """The statement :func:`carried_forward` runs, for a page to send with others (with
    the meeting's own read: it needs only the meeting's id)."""
    return row_reads.Read(_CARRIED_FORWARD, {"council_id": council_id,
                                             "meeting_id": meeting_id})


def carried_forward(meeting: Meeting) -> list[ArisingRow]:
    """Actions arising from earlier meetings of the panel that were open at this one: still
    open, or closed at this meeting or a later one (one statement), oldest first."""
    return list(map(ArisingRow._make, row_reads.rows(
        *carried_forward_read(meeting.council_id, meeting.id))))


def carried_and_raised_read(meeting: Meeting | MeetingRecord) -> row_reads.Read:
    """The statement :func:`carried_and_raised` runs, for a page to send with others."""
    return row_reads.Read(_CARRIED_AND_RAISED, {
        "council_id": meeting.council_id, "panel_id": meeting.panel_id,
        "starts_at": meeting.starts_at, "meeting_id": meeting.id})


def carried_and_raised(meeting: Meeting | MeetingRecord
                       ) -> tuple[list[ArisingLine], list[ArisingLine]]:
    """(:func:`carried_forward`, :func:`actions_raised_at`) as :class:`ArisingLine` rows,
    in one statement, for the meeting's admin page, which shows both."""
    carried: list[ArisingLine] = []
    raised: list[ArisingLine] = []
    for row in row_reads.rows(*carried_and_raised_read(meeting)):
        action = ArisingLine._make(row)
        (raised if action.meeting_id == meeting.id else carried).append(action)
    return carried, raised


def action_or_404(meeting: Meeting, action_id: int) -> ActionArising:
    """An action arising shown on this meeting's page (raised here or earlier), or a 404."""
    raised = aliased(Meeting)
    action = db.session.scalar(
        select(ActionArising).join(raised, ActionArising.meeting)
        .where(ActionArising.id == action_id, ActionArising.council_id == meeting.council_id,
               ActionArising.panel_id == meeting.panel_id,
               raised.starts_at <= meeting.starts_at)
        .options(contains_eager(ActionArising.meeting.of_type(raised))))
    if action is None:
        abort(404)
    return action


def add_action(meeting: Meeting, *, text: str, owner: str, due: dt.date | None,
               owner_person_id: int | None = None) -> ActionArising:
    """Record an action the meeting agreed (``owner``: the words shown, the name of the
    person ``owner_person_id`` when it is someone recorded; see
    :mod:`core.meetings.arising`); every later meeting of the panel then carries it (and
    gets the actions arising agenda item) until it is closed."""
    action = ActionArising(council_id=meeting.council_id, panel_id=meeting.panel_id,
                           meeting_id=meeting.id, text=text, owner=owner, due=due,
                           owner_person_id=owner_person_id, status=ActionArisingStatus.OPEN)
    db.session.add(action)
    _carry_to_later_meetings(meeting)
    db.session.commit()
    return action


def _carry_to_later_meetings(meeting: Meeting) -> None:
    """Give every later meeting of the panel the actions arising item, holding the panel
    so that two saves at once do not both add it."""
    lock_for_write(meeting.panel)
    later = db.session.scalars(
        select(Meeting).where(Meeting.council_id == meeting.council_id,
                              Meeting.panel_id == meeting.panel_id,
                              Meeting.starts_at > meeting.starts_at,
                              Meeting.cancelled.is_(False))
        .options(selectinload(Meeting.agenda)))
    for other in later:
        _ensure_actions_arising_item(other)


def set_action_status(meeting: Meeting, action: ActionArising, status: str,
                      version: str | None) -> None:
    """Change an action's status at ``meeting``: closing it (done or dropped) records this
    meeting as where it was closed; opening it again clears that."""
    reopened = status == ActionArisingStatus.OPEN
    save_if_unchanged(action, version, status=status,
                      closed_at_meeting_id=None if reopened else meeting.id)
    if reopened:
        _carry_to_later_meetings(action.meeting)
    commit_or_conflict()
