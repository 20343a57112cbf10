"""A panel's forward work programme: items planned for its future meetings (what, who
brings it, the meeting or the month planned, notes), which the clerk pulls into a
meeting's agenda; the item then shows as scheduled, linked to that meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import aliased, contains_eager

from core import row_reads
from core.concurrency import commit_or_conflict, lock_for_write, save_if_unchanged
from core.extensions import db
from core.forms import FieldError
from core.meetings.models import AgendaItem, AgendaItemKind, Meeting
from core.meetings.record_models import PlannedItem
from core.meetings.services import as_utc, local_datetime
from core.models import Panel
from core.panels.reads import PANEL_BY_KEY, AnyPanel, NamedPanel, panel_params
from core.translations import gettext as _

_PLANNED_MEETING = aliased(Meeting)
_PANELS_ITEMS = (PlannedItem.council_id == bindparam("council_id"),
                 PlannedItem.panel_id == bindparam("panel_id"))
#: Ordered by when planned: the meeting's start, else the month, items with neither last.
_ORDER = (_PLANNED_MEETING.starts_at.is_(None), _PLANNED_MEETING.starts_at,
          PlannedItem.planned_month.is_(None), PlannedItem.planned_month, PlannedItem.id)
_ALL = (select(PlannedItem)
        .outerjoin(_PLANNED_MEETING, PlannedItem.planned_meeting)
        .where(*_PANELS_ITEMS)
        .options(contains_eager(PlannedItem.planned_meeting.of_type(_PLANNED_MEETING)))
        .order_by(*_ORDER))
#: From this month on: planned for a meeting not yet held, or for this month or later.
_AHEAD = or_(_PLANNED_MEETING.starts_at >= bindparam("from_time"),
             and_(PlannedItem.planned_meeting_id.is_(None),
                  or_(PlannedItem.planned_month >= bindparam("from_month"),
                      PlannedItem.planned_month.is_(None))))


def planned_items(panel: Panel) -> list[PlannedItem]:
    """Every item of the panel's work programme, earliest planned first (one query)."""
    return list(db.session.scalars(_ALL, {"council_id": panel.council_id,
                                          "panel_id": panel.id}))


@dataclass(frozen=True, slots=True)
class PlannedMeeting:
    """The meeting an item is planned for, as the panel's page links to it."""

    id: int
    starts_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PlannedLine:
    """An item of the work programme as the panel's page publishes it (its notes are the
    clerk's, and stay in the admin)."""

    title: str
    brought_by: str | None
    planned_month: dt.date | None
    #: Pulled into a meeting's agenda.
    scheduled: bool
    planned_meeting: PlannedMeeting | None


#: Built once (the public panel page runs it on every render): the columns it publishes.
_AHEAD_LINES = (
    select(PlannedItem.title, PlannedItem.brought_by, PlannedItem.planned_month,
           PlannedItem.agenda_item_id, _PLANNED_MEETING.id, _PLANNED_MEETING.starts_at)
    .outerjoin(_PLANNED_MEETING, PlannedItem.planned_meeting)
    .where(PlannedItem.council_id == bindparam("council_id"),
           PlannedItem.panel_id == PANEL_BY_KEY, _AHEAD)
    .order_by(*_ORDER))


def planned_ahead_read(panel: NamedPanel, today: dt.date) -> row_reads.Read:
    """The statement :func:`planned_ahead` runs, for a page to send with others."""
    return row_reads.Read(_AHEAD_LINES, {
        **panel_params(panel),
        "from_time": as_utc(local_datetime(today, dt.time())),
        "from_month": today.replace(day=1)})


def planned_ahead(panel: AnyPanel, today: dt.date) -> list[PlannedLine]:
    """The work programme from today on, as published on the panel's page (one
    statement)."""
    return [PlannedLine(title, brought_by, month, agenda_item_id is not None,
                        None if meeting_id is None
                        else PlannedMeeting(meeting_id, as_utc(starts_at)))
            for title, brought_by, month, agenda_item_id, meeting_id, starts_at
            in row_reads.rows(*planned_ahead_read(panel, today))]


def planned_item_or_404(panel: Panel, item_id: int) -> PlannedItem:
    """One item of the panel's work programme, or a 404."""
    found = db.session.scalar(select(PlannedItem).where(
        PlannedItem.id == item_id, PlannedItem.council_id == panel.council_id,
        PlannedItem.panel_id == panel.id))
    if found is None:
        abort(404)
    return found


def _meeting_of(panel: Panel, meeting_id: int | None, field: str) -> Meeting | None:
    if not meeting_id:
        return None
    meeting = db.session.scalar(select(Meeting).where(
        Meeting.id == meeting_id, Meeting.council_id == panel.council_id,
        Meeting.panel_id == panel.id, Meeting.cancelled.is_(False)))
    if meeting is None:
        raise FieldError(field, _("Choose a meeting of %(panel)s", panel=panel.name))
    return meeting


def add_planned_item(panel: Panel, *, title: str, brought_by: str | None,
                     meeting_id: int | None, month: dt.date | None,
                     notes: str | None) -> PlannedItem:
    """Add an item to the work programme, planned for a meeting or a month (or neither
    yet)."""
    meeting = _meeting_of(panel, meeting_id, "plan_meeting")
    item = PlannedItem(council_id=panel.council_id, panel_id=panel.id, title=title,
                       brought_by=brought_by or None,
                       planned_meeting_id=meeting.id if meeting else None,
                       planned_month=None if meeting or month is None else month.replace(day=1),
                       notes=notes or None)
    db.session.add(item)
    db.session.commit()
    return item


def update_planned_item(panel: Panel, item: PlannedItem, *, title: str,
                        brought_by: str | None, meeting_id: int | None,
                        month: dt.date | None, notes: str | None, version: str | None
                        ) -> None:
    """Change a planned item; an item already on an agenda keeps its meeting."""
    meeting = _meeting_of(panel, meeting_id, "plan_meeting")
    if item.scheduled and (meeting is None or meeting.id != item.planned_meeting_id):
        raise FieldError("plan_meeting", _("This item is on a meeting's agenda already: "
                                           "remove it from that agenda to plan it again"))
    save_if_unchanged(item, version, title=title, brought_by=brought_by or None,
                      planned_meeting_id=meeting.id if meeting else None,
                      planned_month=None if meeting or month is None
                      else month.replace(day=1),
                      notes=notes or None)
    commit_or_conflict()


def schedule_planned_item(panel: Panel, item: PlannedItem, meeting_id: int | None,
                          version: str | None) -> AgendaItem:
    """Pull a planned item into a meeting's agenda: a new item at the end of it, presented
    by whoever brings it, with the notes as its details; the planned item is then linked
    to it and to the meeting."""
    if item.scheduled:
        raise FieldError("schedule_meeting", _("This item is on a meeting's agenda already"))
    meeting = _meeting_of(panel, meeting_id, "schedule_meeting")
    if meeting is None:
        raise FieldError("schedule_meeting", _("Choose the meeting to put the item on"))
    lock_for_write(meeting)
    position = 1 + max((each.position for each in meeting.agenda), default=-1)
    agenda_item = AgendaItem(council_id=meeting.council_id, title=item.title,
                             description=item.notes, presenter=item.brought_by,
                             position=position, kind=AgendaItemKind.ADDED)
    meeting.agenda.append(agenda_item)
    db.session.flush()
    save_if_unchanged(item, version, agenda_item_id=agenda_item.id,
                      planned_meeting_id=meeting.id, planned_month=None)
    commit_or_conflict()
    return agenda_item


_FUTURE = (select(Meeting).where(Meeting.council_id == bindparam("council_id"),
                                 Meeting.panel_id == bindparam("panel_id"),
                                 Meeting.cancelled.is_(False),
                                 Meeting.starts_at >= bindparam("from_time"))
           .order_by(Meeting.starts_at, Meeting.id))


def future_meetings(panel: Panel, today: dt.date) -> list[Meeting]:
    """The panel's meetings from today on, not cancelled, earliest first (one query)."""
    return list(db.session.scalars(_FUTURE, {
        "council_id": panel.council_id, "panel_id": panel.id,
        "from_time": as_utc(local_datetime(today, dt.time()))}))
