"""The statements behind the API's paged lists, each built once with bind parameters for
its filters (a filter left out binds ``NULL`` and matches everything), so a page costs one
statement — the page, each row carrying the list's total (:class:`~core.api.listing.Paged`)
— plus a fixed number of reads of what its rows hold, however many rows there are and
whichever filters are given; a page past the end is counted by a second (and every page of
the list of councils, a long list, is counted apart).

The longest lists' items are read as JSON for a JSON answer, written by the database
(:mod:`core.database_json`): the actions, as each request asks; each pledge's actions, kept
written on each action's row (:mod:`core.pledges.kept_json`), and each meeting's agenda,
on the meeting's (:mod:`core.meetings.kept_agendas`). A CSV answer reads their rows, as
before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app
from flask_smorest.pagination import PaginationParameters
from orjson import Fragment
from sqlalchemy import Date, DateTime, Integer, String, and_, bindparam, func, or_, select

from core import row_reads
from core.api.dumping import dumper
from core.api.listing import ITEM_JSON, LIST_TOTAL, Paged, PageReads, bound_to, total_of
from core.api.schemas import MeetingSchema
from core.councils.services import ACTIVE_BY_NAME
from core.database_json import json_text
from core.dates import today
from core.json_provider import loads
from core.meetings.models import AgendaItem, Attendance, Meeting
from core.meetings.services import LONDON, as_utc
from core.modelbase import ORIGIN_LOCAL
from core.models import (
    Action,
    Council,
    Membership,
    Panel,
    Person,
    Pledge,
    Review,
    Seat,
)
from core.pledges.models import is_overdue
from core.pledges.schemas import ActionSchema
from core.pledges.status import RollUp
from core.widgets import keyed_memo

COUNCIL = bindparam("council_id", type_=Integer)

#: Every active council, by name, as rows of the columns the API gives (and the slug its
#: status rule is logged by): not the models, whose loading was half the list's time.
COUNCILS = Paged(ACTIVE_BY_NAME.with_only_columns(
    Council.slug, Council.name, Council.nation, Council.locale, Council.colour,
    Council.website, Council.vocabulary, Council.pledges_declared, Council.status_rule,
    Council.young_people_names), long=True, told_as="directory")

#: The live pledges in the plan's order (paged and counted by :func:`pledge_page`).
_PLEDGES = Paged(
    select(Pledge.id, Pledge.key, Pledge.number, Pledge.title, Pledge.statement,
           json_text(Pledge.principles), Pledge.origin, Pledge.position)
    .where(Pledge.council_id == COUNCIL, Pledge.archived_at.is_(None))
    .order_by(Pledge.origin.desc(), Pledge.position, Pledge.number, Pledge.id))
#: A page of those pledges with their live actions in order, in one statement: the page
#: is a subquery, so its limit counts pledges, not their actions.
_PAGE_OF_PLEDGES = _PLEDGES.paged.subquery()
#: The columns of a :class:`ListedAction`, in its order.
_ACTION_COLUMNS = (Action.key.label("action_key"), Action.number.label("action_number"),
                   Action.status, Action.due, Action.wording, Action.officer,
                   Action.timeline_text, Action.links, Action.outcomes, Action.status_on,
                   Action.due_precision, Action.every_months)
_PLEDGES_WITH_ACTIONS = (
    select(*(column for column in _PAGE_OF_PLEDGES.c if column.name != LIST_TOTAL),
           *_ACTION_COLUMNS, _PAGE_OF_PLEDGES.c[LIST_TOTAL])
    .outerjoin(Action, and_(Action.pledge_id == _PAGE_OF_PLEDGES.c.id,
                            Action.council_id == COUNCIL, Action.archived_at.is_(None)))
    .order_by(_PAGE_OF_PLEDGES.c.origin.desc(), _PAGE_OF_PLEDGES.c.position,
              _PAGE_OF_PLEDGES.c.number, _PAGE_OF_PLEDGES.c.id, Action.position, Action.id)
)
#: The same page with each action's status and due date (what the pledge's status is
#: rolled up from) and its JSON, kept on its row (:mod:`core.pledges.kept_json`), in place
#: of its columns.
_PLEDGES_WITH_WRITTEN_ACTIONS = _PLEDGES_WITH_ACTIONS.with_only_columns(
    *(column for column in _PAGE_OF_PLEDGES.c if column.name != LIST_TOTAL),
    Action.status, Action.due, Action.api_json.label(ITEM_JSON),
    _PAGE_OF_PLEDGES.c[LIST_TOTAL], maintain_column_froms=True)
#: One live pledge, by ``key``, with its live actions in order (the columns of
#: :data:`_PLEDGES_WITH_ACTIONS` but the list's total).
_PLEDGE_WITH_ACTIONS = (
    select(*_PLEDGES.statement.selected_columns, *_ACTION_COLUMNS)
    .outerjoin(Action, and_(Action.pledge_id == Pledge.id, Action.council_id == COUNCIL,
                            Action.archived_at.is_(None)))
    .where(Pledge.council_id == COUNCIL, Pledge.key == bindparam("key"),
           Pledge.archived_at.is_(None))
    .order_by(Action.position, Action.id)
)


@dataclass(slots=True)
class ListedAction:
    """An action as the API lists it in its pledge: the fields
    :class:`~core.pledges.schemas.PledgeActionSchema` gives, and what its pledge's status
    is rolled up from."""

    key: str
    number: int
    status: str
    due: dt.date | None
    wording: str | None
    officer: str | None
    timeline_text: str | None
    links: list[str]
    outcomes: list[str]
    status_on: dt.date | None
    due_precision: str | None
    every_months: int | None

    def overdue_on(self, today: dt.date) -> bool:
        """As :meth:`core.pledges.models.Action.overdue_on`."""
        return is_overdue(self.due, self.status, today)


@dataclass(slots=True)
class ListedPledge:
    """A pledge as the API lists it (:class:`~core.pledges.schemas.PledgeSchema`), with its
    live actions in order and its status rolled up from them."""

    key: str
    number: int
    title: str
    statement: str | None
    principles: list[str]
    origin: str
    #: Its actions; for a JSON answer, their JSON as the database wrote it.
    actions: list[ListedAction] | Fragment = field(default_factory=list)
    status: str | None = None

    @property
    def added_locally(self) -> bool:
        return self.origin == ORIGIN_LOCAL


def _listed_pledges(rows: Iterable[Any], roll_up: RollUp, *, written: bool = False
                    ) -> list[ListedPledge]:
    """Pledges with their actions from rows of a pledge's columns then an action's (all
    null for a pledge without actions), each pledge's status rolled up by ``roll_up``; its
    principles read as their JSON text, parsed once a pledge (:func:`json_text`).
    The action's columns are a :class:`ListedAction`'s; ``written``, its status, due date
    and JSON, and each pledge's actions are then the JSON array of theirs."""
    pledges: dict[int, tuple[ListedPledge, list[Any]]] = {}
    for pledge_id, key, number, title, statement, principles, origin, _position, *action in rows:
        found = pledges.get(pledge_id)
        if found is None:
            found = pledges[pledge_id] = (
                ListedPledge(key, number, title, statement, loads(principles), origin), [])
        if action[0] is not None:  # an action's key, or written its status: never null
            found[1].append(action if written else ListedAction(*action))
    for pledge, actions in pledges.values():
        if written:
            pledge.status = roll_up.of_statuses((status, due) for status, due, _ in actions)
            pledge.actions = Fragment(f"[{','.join(json for *_, json in actions)}]")
        else:
            pledge.actions = actions
            pledge.status = roll_up.of(pledge)
    return [pledge for pledge, _ in pledges.values()]


def pledge_page(page: PaginationParameters, council: Council, roll_up: RollUp) -> PageReads:
    """A page of the council's live pledges, each with its live actions and its status by
    ``roll_up``: one statement (the page with its actions, each row carrying the number of
    pledges), and a count for a page past the end. For JSON, each action's JSON is written
    by the database."""
    values = {"council_id": council.id}

    def read(written: bool) -> list[ListedPledge]:
        rows = row_reads.rows(
            _PLEDGES_WITH_WRITTEN_ACTIONS if written else _PLEDGES_WITH_ACTIONS,
            bound_to(page, values)).all()
        page.item_count = total_of(rows, page, _PLEDGES.count, values)
        return _listed_pledges((row[:-1] for row in rows), roll_up, written=written)

    return PageReads(lambda: read(False), lambda: read(True))


def listed_pledge_or_404(council: Council, key: str, roll_up: RollUp) -> ListedPledge:
    """The council's live pledge ``key`` with its live actions and its status by
    ``roll_up`` (one statement), or a 404."""
    found = _listed_pledges(row_reads.rows(_PLEDGE_WITH_ACTIONS, {
        "council_id": council.id, "key": key}), roll_up)
    if not found:
        abort(404)
    return found[0]


_STATUS = bindparam("status", type_=String)
_PLEDGE = bindparam("pledge", type_=String)
_OWNER = bindparam("owner", type_=String)
_DUE_BEFORE = bindparam("due_before", type_=Date)
_DUE_AFTER = bindparam("due_after", type_=Date)

#: The actions as rows of the columns :class:`~core.pledges.schemas.ActionSchema` gives
#: (the pledge's key among them), not the models with their pledges, whose loading was
#: most of the list's time.
ACTIONS = Paged(
    select(Action.key, Action.number, Pledge.key.label("pledge_key"), Action.wording,
           Action.officer, Action.timeline_text, Action.due, Action.due_precision,
           Action.every_months, Action.links, Action.outcomes, Action.status,
           Action.status_on)
    .join(Action.pledge)
    # the pledges scoped too, or PostgreSQL hashes every council's pledges for one's actions
    .where(Action.council_id == COUNCIL, Action.archived_at.is_(None),
           Pledge.council_id == COUNCIL, Pledge.archived_at.is_(None),
           or_(_STATUS.is_(None), Action.status == _STATUS),
           or_(_PLEDGE.is_(None), Pledge.key == _PLEDGE),
           or_(_OWNER.is_(None), func.lower(Action.officer).contains(_OWNER, escape="\\")),
           or_(_DUE_BEFORE.is_(None), Action.due < _DUE_BEFORE),
           or_(_DUE_AFTER.is_(None), Action.due > _DUE_AFTER))
    .order_by(Pledge.origin.desc(), Pledge.position, Action.position, Action.id),
    written=ActionSchema(), kept_lines=True)


def action_filters(council: Council, filters: dict[str, Any]) -> dict[str, Any]:
    """The bind values of :data:`ACTIONS` for ``filters`` (``owner`` matched anywhere in
    the responsible officer's text, whatever its case, ``%`` and ``_`` taken literally)."""
    owner = filters.get("owner")
    if owner is not None:
        owner = owner.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"council_id": council.id, "status": filters.get("status"),
            "pledge": filters.get("pledge"), "owner": owner,
            "due_before": filters.get("due_before"), "due_after": filters.get("due_after")}


# --- meetings ------------------------------------------------------------------------------

_PANEL_KEY = bindparam("panel", type_=String)
_CANCELLED = bindparam("cancelled", type_=Integer)  # NULL: either; 1 cancelled; 0 not
_HELD = bindparam("held", type_=Integer)  # NULL: either; 1 before now; 0 from now
_NOW = bindparam("now", type_=DateTime(timezone=True))  # the start of today, London
_STARTS_BEFORE = bindparam("starts_before", type_=DateTime(timezone=True))
_STARTS_FROM = bindparam("starts_from", type_=DateTime(timezone=True))

MEETINGS = Paged(
    select(Meeting.id, Meeting.starts_at, Meeting.location, Meeting.cancelled,
           Panel.key.label("panel_key"), Panel.name.label("panel_name"), Meeting.agenda_json)
    .join(Meeting.panel)
    .where(Meeting.council_id == COUNCIL, Panel.council_id == COUNCIL,
           or_(_PANEL_KEY.is_(None), Panel.key == _PANEL_KEY),
           or_(_CANCELLED.is_(None), and_(_CANCELLED == 1, Meeting.cancelled.is_(True)),
               and_(_CANCELLED == 0, Meeting.cancelled.is_(False))),
           or_(_HELD.is_(None), and_(_HELD == 1, Meeting.starts_at < _NOW),
               and_(_HELD == 0, Meeting.starts_at >= _NOW)),
           or_(_STARTS_BEFORE.is_(None), Meeting.starts_at < _STARTS_BEFORE),
           or_(_STARTS_FROM.is_(None), Meeting.starts_at >= _STARTS_FROM))
    .order_by(Meeting.starts_at, Meeting.id))
#: The agendas of a page of meetings, in each agenda's order (one statement a page).
_AGENDAS = (select(AgendaItem.title, AgendaItem.description, AgendaItem.kind,
                   AgendaItem.meeting_id)
            .where(AgendaItem.meeting_id.in_(bindparam("meeting_ids", expanding=True)))
            .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id))


@dataclass(frozen=True, slots=True)
class PanelName:
    """The panel a listed meeting belongs to."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """A meeting as the API lists it, read as narrow rows: the fields
    :class:`~core.api.schemas.MeetingSchema` gives, and its agenda's rows."""

    id: int
    starts_at: dt.datetime
    location: str | None
    cancelled: bool
    panel: PanelName
    #: Its agenda's items; for a JSON answer, their JSON as the database wrote it.
    agenda: list[Any] | Fragment
    #: For a JSON answer, the text of ``agenda``'s JSON (an ``orjson.Fragment`` keeps
    #: it out of reach): what :func:`written_meetings` keeps a meeting's JSON by.
    agenda_json: str | None = None


def meeting_lines(page: PaginationParameters, values: dict[str, Any], *,
                  written: bool = False) -> list[MeetingLine]:
    """A page of :data:`MEETINGS` with their agendas: two statements (the page, carrying
    the number of meetings, and its agendas), whatever the number of meetings and items;
    ``written``, one: each agenda the JSON array of its items that the meeting's row keeps
    (:mod:`core.meetings.kept_agendas`)."""
    rows = MEETINGS.page(page, values)
    if written:
        return [MeetingLine(row.id, row.starts_at, row.location, row.cancelled,
                            PanelName(row.panel_key, row.panel_name),
                            Fragment(row.agenda_json), row.agenda_json)
                for row in rows]
    agendas: dict[int, list[Any]] = {row.id: [] for row in rows}
    if agendas:
        for item in row_reads.tuples(_AGENDAS, {"meeting_ids": list(agendas)}):
            agendas[item.meeting_id].append(item)
    return [MeetingLine(row.id, row.starts_at, row.location, row.cancelled,
                        PanelName(row.panel_key, row.panel_name), agendas[row.id])
            for row in rows]


#: Where an app keeps its memo of meetings written as JSON, in ``app.extensions``.
MEETINGS_EXTENSION = "cpt_meeting_json"


def written_meetings(lines: list[MeetingLine]) -> list[Fragment]:
    """Each of ``lines`` (read ``written``) as the JSON the API's provider writes of
    :class:`~core.api.schemas.MeetingSchema`'s dump, kept by what it says
    (:func:`core.widgets.keyed_memo`): the meeting's fields, its agenda's JSON and today,
    which its status is decided by. A council's meetings are dumped again only when one
    changes, or the day does; the list around them is written as ever."""
    memo = keyed_memo(MEETINGS_EXTENSION)
    dump, write, day = _MEETING_DUMP, current_app.json.dumps, today()
    return [memo.get((line.id, line.starts_at, line.location, line.cancelled, line.panel,
                      line.agenda_json, day),
                     lambda line=line: Fragment(write(dump(line))))
            for line in lines]


_MEETING_DUMP = dumper(MeetingSchema())


def meeting_page(page: PaginationParameters, values: dict[str, Any]) -> PageReads:
    """A page of meetings (:func:`meeting_lines`): for a JSON answer, each agenda's JSON as
    the meeting's row keeps it, and each meeting's kept (:func:`written_meetings`)."""
    return PageReads(lambda: meeting_lines(page, values),
                     lambda: written_meetings(meeting_lines(page, values, written=True)))


def _day_start(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else as_utc(dt.datetime.combine(day, dt.time(), tzinfo=LONDON))


def meeting_filters(council: Council, filters: dict[str, Any]) -> dict[str, Any]:
    """The bind values of :data:`MEETINGS` for ``filters``: ``status`` (``scheduled``:
    not cancelled, today or later; ``held``: not cancelled, on a day before today, as
    :func:`~core.api.schemas.meeting_status` says; ``cancelled``),
    ``panel`` (key), and ``before``/``after`` (meetings on a day before or after the day
    given, in the council's time zone)."""
    status = filters.get("status")
    after = filters.get("after")
    return {"council_id": council.id, "panel": filters.get("panel"),
            "cancelled": None if status is None else int(status == "cancelled"),
            "held": {"held": 1, "scheduled": 0}.get(status or ""),
            "now": _day_start(today()),
            "starts_before": _day_start(filters.get("before")),
            "starts_from": _day_start(after + dt.timedelta(days=1)) if after else None}


@dataclass(frozen=True, slots=True)
class RoleCount:
    """How many of a meeting's members on seats of one role were recorded with one
    status: attendance as it may be published, with no names."""

    seat: str
    role: str
    young_people: bool
    status: str
    count: int


_ATTENDANCE = (
    select(Seat.key, Seat.role, Seat.young_people, Attendance.status,
           func.count(Attendance.id))
    .join(Membership, Attendance.membership_id == Membership.id)
    .join(Seat, Membership.seat_id == Seat.id)
    .where(Attendance.council_id == COUNCIL, Attendance.meeting_id == bindparam("meeting_id"))
    .group_by(Seat.position, Seat.key, Seat.role, Seat.young_people, Attendance.status)
    .order_by(Seat.position, Seat.key, Attendance.status))


def attendance_by_role_read(council_id: int, meeting_id: int) -> row_reads.Read:
    """The statement :func:`attendance_by_role` runs, for a page to send with others (with
    the meeting's own read: it needs only the meeting's id)."""
    return row_reads.Read(_ATTENDANCE, {"council_id": council_id, "meeting_id": meeting_id})


def attendance_by_role(meeting: Meeting) -> list[RoleCount]:
    """The meeting's attendance counted by seat and status (one statement)."""
    return [RoleCount(*row) for row in row_reads.rows(
        *attendance_by_role_read(meeting.council_id, meeting.id))]


# --- panels in Popolo's shape, and reviews -------------------------------------------------

_ON = bindparam("on", type_=Date)

MEMBERSHIPS = Paged(
    select(Membership.id, Panel.key.label("organization_id"), Seat.key.label("seat"),
           Seat.role, Seat.young_people,
           Person.id.label("person_id"), Person.name, Membership.start, Membership.end,
           Membership.on_behalf_of)
    .join(Seat, Membership.seat_id == Seat.id).join(Panel, Seat.panel_id == Panel.id)
    .join(Person, Membership.person_id == Person.id)
    .where(Membership.council_id == COUNCIL, Panel.id == bindparam("panel_id"),
           or_(_ON.is_(None), and_(Membership.start <= _ON,
                                   or_(Membership.end.is_(None), Membership.end >= _ON))))
    .order_by(Seat.position, Membership.start, Membership.id))

REVIEWS = Paged(
    select(Review.done_on, Review.outcome)
    .where(Review.council_id == COUNCIL, Review.review_cycle_id == bindparam("cycle_id"))
    .order_by(Review.done_on.desc(), Review.id.desc()))
