"""What the desk and "My actions" show, read with statements shaped for them.

Each list is one statement of narrow rows, built once at import; the number of statements
is the same whatever the council holds (asserted in tests/core/desk).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased

from core.extensions import db
from core.meetings.models import (
    ActionArising,
    ActionArisingStatus,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Meeting,
)
from core.meetings.record_models import Paper
from core.meetings.services import LONDON, QuorumResult, as_utc, meeting_date, quorum
from core.models import Action, ActionOwner, Council, Membership, Panel, Person, Pledge, Seat
from core.panels.membership import TERM_ENDING_DAYS, panel_summaries
from core.panels.services import panels_of
from core.pledges.models import ActionStatus, is_overdue
from core.reviews.models import ReviewState
from core.reviews.services import CycleRow, review_cycles_of

#: "My actions" lists as due soon the actions due within this many days (as reminders do).
DUE_SOON_DAYS = 14

# --- the next meeting of each panel ---------------------------------------------------------

_LATER = aliased(Meeting)
_FIRST_START = (select(func.min(_LATER.starts_at))
                .where(_LATER.council_id == Meeting.council_id,
                       _LATER.panel_id == Meeting.panel_id, _LATER.cancelled.is_(False),
                       _LATER.starts_at >= bindparam("now"))
                .correlate(Meeting).scalar_subquery())
_ADDED_ITEMS = (select(func.count(AgendaItem.id))
                .where(AgendaItem.meeting_id == Meeting.id,
                       AgendaItem.kind == AgendaItemKind.ADDED.value)
                .correlate(Meeting).scalar_subquery())
_WITHOUT_PAPERS = (select(func.count(AgendaItem.id))
                   .where(AgendaItem.meeting_id == Meeting.id,
                          AgendaItem.kind == AgendaItemKind.ADDED.value,
                          ~exists().where(Paper.agenda_item_id == AgendaItem.id))
                   .correlate(Meeting).scalar_subquery())
_NEXT_MEETINGS = (select(Meeting.id, Meeting.panel_id, Meeting.starts_at, Meeting.location,
                         _ADDED_ITEMS.label("added_items"),
                         _WITHOUT_PAPERS.label("without_papers"))
                  .where(Meeting.council_id == bindparam("council_id"),
                         Meeting.cancelled.is_(False), Meeting.starts_at == _FIRST_START)
                  .order_by(Meeting.starts_at, Meeting.id))
_ATTENDANCE = (select(Attendance.meeting_id, Attendance.membership_id, Attendance.status,
                      Attendance.substitute_id)
               .where(Attendance.council_id == bindparam("council_id"),
                      Attendance.meeting_id.in_(bindparam("meeting_ids", expanding=True))))
_MEMBERS = (select(Membership.id, Membership.person_id, Membership.start, Membership.end,
                   Seat.panel_id, Seat.voting, Seat.young_people)
            .join(Seat, Membership.seat_id == Seat.id)
            .where(Membership.council_id == bindparam("council_id"),
                   Seat.archived_at.is_(None),
                   or_(Membership.end.is_(None), Membership.end >= bindparam("today"))))


@dataclass(frozen=True, slots=True)
class SeatFlags:
    """What the quorum rule asks of a seat."""

    voting: bool | None
    young_people: bool


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A membership as the quorum rule reads it."""

    id: int
    person_id: int
    start: dt.date
    end: dt.date | None
    seat: SeatFlags

    def holds_on(self, day: dt.date) -> bool:
        """Whether the membership holds its seat on ``day``."""
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(frozen=True, slots=True)
class Expected:
    """A member's expected attendance: what is recorded, or present if nothing is."""

    status: str
    substitute_id: int | None = None


@dataclass(frozen=True)
class NextMeeting:
    """A panel's next meeting and what is missing for it."""

    id: int
    starts_at: dt.datetime
    location: str | None
    added_items: int
    #: Added agenda items with no paper yet.
    without_papers: int
    apologies: int
    #: The quorum if everyone who has not sent apologies (or been recorded absent) comes.
    expected: QuorumResult

    @property
    def no_items(self) -> bool:
        """Nothing on the agenda beyond the standing items (and actions arising)."""
        return self.added_items == 0

    @property
    def quorum_at_risk(self) -> bool:
        """Too few can count, even if everyone without apologies comes (``False`` when
        the panel states no quorum number)."""
        return self.expected.met is False


@dataclass(frozen=True)
class PanelDesk:
    """One panel on the desk."""

    panel: Panel
    next_meeting: NextMeeting | None
    vacant: int


@dataclass(frozen=True, slots=True)
class OverdueAction:
    """An open action arising past its due date."""

    id: int
    text: str
    owner: str
    due: dt.date
    meeting_id: int
    panel_name: str


@dataclass(frozen=True, slots=True)
class TermEnding:
    """A term of office ending soon."""

    membership_id: int
    end: dt.date
    person_id: int
    name: str
    role: str
    panel_key: str
    panel_name: str


@dataclass(frozen=True)
class Desk:
    """Everything the clerk's desk shows."""

    today: dt.date
    panels: list[PanelDesk]
    overdue: list[OverdueAction]
    ending: list[TermEnding]
    reviews: list[tuple[CycleRow, ReviewState]] = field(default_factory=list)


def _expected(members: Sequence[MemberRow], recorded: dict[int, Expected]
              ) -> tuple[dict[int, Expected], int]:
    """Each member's expected attendance, and how many sent apologies."""
    expected, apologies = {}, 0
    for member in members:
        row = recorded.get(member.id)
        if row is not None and row.status == AttendanceStatus.APOLOGIES:
            apologies += 1
        expected[member.id] = row or Expected(AttendanceStatus.PRESENT.value)
    return expected, apologies


def next_meetings(council: Council, panels: Sequence[Panel], now: dt.datetime,
                  today: dt.date) -> dict[int, NextMeeting]:
    """Each panel's next meeting (not cancelled) by panel id, with its added agenda items
    (and how many have no paper yet), the apologies recorded and the quorum expected
    (three statements)."""
    by_panel: dict[int, object] = {}
    for row in db.session.execute(_NEXT_MEETINGS, {"council_id": council.id, "now": now}):
        by_panel.setdefault(row.panel_id, row)
    recorded: dict[int, dict[int, Expected]] = defaultdict(dict)
    for row in db.session.execute(_ATTENDANCE, {
            "council_id": council.id, "meeting_ids": [r.id for r in by_panel.values()]}):
        recorded[row.meeting_id][row.membership_id] = Expected(row.status, row.substitute_id)
    members: dict[int, list[MemberRow]] = defaultdict(list)
    for row in db.session.execute(_MEMBERS, {"council_id": council.id, "today": today}):
        members[row.panel_id].append(MemberRow(row.id, row.person_id, row.start, row.end,
                                               SeatFlags(row.voting, row.young_people)))
    found = {}
    for panel in panels:
        row = by_panel.get(panel.id)
        if row is None:
            continue
        day = meeting_date(row)
        holding = [m for m in members[panel.id] if m.holds_on(day)]
        expected, apologies = _expected(holding, recorded[row.id])
        found[panel.id] = NextMeeting(
            id=row.id, starts_at=row.starts_at, location=row.location,
            added_items=row.added_items, without_papers=row.without_papers,
            apologies=apologies,
            expected=quorum(panel, holding, expected))  # type: ignore[arg-type]
    return found


_OVERDUE = (select(ActionArising.id, ActionArising.text, ActionArising.owner, ActionArising.due,
                   ActionArising.meeting_id, Panel.name.label("panel_name"))
            .join(Panel, ActionArising.panel_id == Panel.id)
            .where(ActionArising.council_id == bindparam("council_id"),
                   ActionArising.status == ActionArisingStatus.OPEN.value,
                   ActionArising.due < bindparam("today"))
            .order_by(ActionArising.due, ActionArising.id))


def overdue_actions_arising(council: Council, today: dt.date) -> list[OverdueAction]:
    """Open actions arising past their due date, most overdue first (one statement)."""
    return [OverdueAction(*row) for row in db.session.execute(
        _OVERDUE, {"council_id": council.id, "today": today})]


_ENDING = (select(Membership.id, Membership.end, Person.id.label("person_id"), Person.name,
                  Seat.role, Panel.key, Panel.name.label("panel_name"))
           .join(Person, Membership.person_id == Person.id)
           .join(Seat, Membership.seat_id == Seat.id)
           .join(Panel, Seat.panel_id == Panel.id)
           .where(Membership.council_id == bindparam("council_id"),
                  Seat.archived_at.is_(None), Panel.archived_at.is_(None),
                  Membership.start <= bindparam("today"),
                  and_(Membership.end >= bindparam("today"), Membership.end <= bindparam("last")))
           .order_by(Membership.end, Membership.id))


def terms_ending(council: Council, today: dt.date, days: int = TERM_ENDING_DAYS
                 ) -> list[TermEnding]:
    """Current terms of office ending within ``days`` of ``today``, soonest first (one
    statement)."""
    return [TermEnding(*row) for row in db.session.execute(_ENDING, {
        "council_id": council.id, "today": today, "last": today + dt.timedelta(days=days)})]


def desk(council: Council, now: dt.datetime | None = None) -> Desk:
    """The clerk's desk of ``council`` (a fixed number of statements: the panels with their
    seats, the next meetings, their attendance, the members, the vacancies, the overdue
    actions arising, the terms ending and the review cycles)."""
    now = as_utc(now or dt.datetime.now(dt.UTC))
    today = now.astimezone(LONDON).date()
    panels = panels_of(council)
    meetings = next_meetings(council, panels, now, today)
    summaries = {s.panel.id: s for s in panel_summaries(council, panels, today)}
    reviews = [(cycle, cycle.state_on(today)) for cycle in review_cycles_of(council)]
    return Desk(
        today=today,
        panels=[PanelDesk(panel, meetings.get(panel.id), summaries[panel.id].vacant)
                for panel in panels],
        overdue=overdue_actions_arising(council, today),
        ending=terms_ending(council, today),
        reviews=[(cycle, state) for cycle, state in reviews
                 if state in (ReviewState.OVERDUE, ReviewState.DUE_SOON)])


# --- "My actions" ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MyAction:
    """An action-plan action the user owns."""

    key: str
    number: int
    wording: str | None
    due: dt.date | None
    status: str
    status_on: dt.date | None
    pledge_key: str
    pledge_number: int
    pledge_title: str

    def overdue_on(self, today: dt.date) -> bool:
        """As :meth:`core.pledges.models.Action.overdue_on`."""
        return is_overdue(self.due, self.status, today)

    def due_soon_on(self, today: dt.date, days: int = DUE_SOON_DAYS) -> bool:
        """Not complete, and due from ``today`` to ``days`` after it."""
        return (self.due is not None and self.status != ActionStatus.COMPLETE
                and today <= self.due <= today + dt.timedelta(days=days))


_MINE = (select(Action.key, Action.number, Action.wording, Action.due, Action.status,
                Action.status_on, Pledge.key.label("pledge_key"),
                Pledge.number.label("pledge_number"), Pledge.title.label("pledge_title"))
         .join(ActionOwner, ActionOwner.action_id == Action.id)
         .join(Pledge, Action.pledge_id == Pledge.id)
         .where(ActionOwner.council_id == bindparam("council_id"),
                ActionOwner.user_id == bindparam("user_id"),
                Action.archived_at.is_(None), Pledge.archived_at.is_(None))
         .order_by(Action.due.is_(None), Action.due, Pledge.position, Pledge.number,
                   Action.position, Action.number))


@dataclass(frozen=True)
class MyActions:
    """The user's actions, sorted into what is overdue, due soon, later, and complete."""

    today: dt.date
    overdue: list[MyAction]
    due_soon: list[MyAction]
    later: list[MyAction]
    complete: list[MyAction]

    @property
    def count(self) -> int:
        """How many actions the user owns."""
        return len(self.overdue) + len(self.due_soon) + len(self.later) + len(self.complete)


def my_actions(council: Council, user_id: int, today: dt.date | None = None) -> MyActions:
    """The live actions of ``council`` the user owns, soonest due first (one statement)."""
    today = today or dt.date.today()
    found = MyActions(today, [], [], [], [])
    for row in db.session.execute(_MINE, {"council_id": council.id, "user_id": user_id}):
        action = MyAction(*row)
        if action.status == ActionStatus.COMPLETE:
            found.complete.append(action)
        elif action.overdue_on(today):
            found.overdue.append(action)
        elif action.due_soon_on(today):
            found.due_soon.append(action)
        else:
            found.later.append(action)
    return found
