"""Each meeting's agenda as the API writes it, kept on the meeting's row.

The API's list of meetings gives each meeting's agenda: the JSON array of its items in
order (:class:`~core.meetings.schemas.AgendaItemSchema`, each item written by the database:
:mod:`core.database_json`). Read from the items on every request, that was a council's
few hundred items on every page of meetings, about half of the page's time on PostgreSQL
(docs/performance.md). :attr:`~core.meetings.models.Meeting.agenda_json` keeps the array
instead, written from the items by :func:`write_agendas`, which this module has run
whatever writes them through the ORM (an item added, changed, moved to another meeting or
deleted: :func:`core.revisions.keep_derived`) and for every meeting of a council a Core
writer touches (:func:`core.revisions.touch`, which every Core writer calls), in the
transaction of the change: only a meeting whose kept array differs from its items' is
written.

The array is the text the API sends, byte for byte: each item's JSON as
:func:`~core.database_json.json_of` writes it, joined in the agenda's order (position,
then id). A change to :class:`~core.meetings.schemas.AgendaItemSchema` changes what each
item's JSON holds, so it comes with a migration that writes every agenda again, as
migration 0027 first wrote them (``tests/core/meetings/test_kept_agendas.py`` holds the
schema's fields to those the latest such migration wrote).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, inspect, or_, select, update
from sqlalchemy.orm import Session

from core.database_json import json_of
from core.meetings.models import AgendaItem, Meeting
from core.meetings.schemas import AgendaItemSchema
from core.revisions import Write, Written, councils_and_found, keep_derived

_ITEM = AgendaItem.__table__
_MEETING = Meeting.__table__

#: Each item's JSON, as the API writes it.
ITEM_JSON = json_of(AgendaItemSchema(), _ITEM.c)
#: The item columns whose change changes its meeting's array (the fields the schema
#: writes, and where the item stands).
_WRITTEN_FROM = ("meeting_id", "position", *(field.attribute or name for name, field
                                              in AgendaItemSchema().dump_fields.items()))
#: A meeting's kept array set, by the meeting's id.
_SET = (update(_MEETING).where(_MEETING.c.id == bindparam("meeting"))
        .values(agenda_json=bindparam("agenda")))


def write_agendas(connection: Connection | Session, *, council_ids: Sequence[int] = (),
                  meeting_ids: Iterable[int] = ()) -> int:
    """Write the kept array of the meetings named, and of every meeting of the councils
    named (every meeting of every council when neither is given), where it differs from
    their items'; the number of meetings written. Two reads (the meetings' arrays, their
    items' JSON in order) and one write of those that differ."""
    meetings, items = select(_MEETING.c.id, _MEETING.c.agenda_json), select(
        _ITEM.c.meeting_id, ITEM_JSON).order_by(_ITEM.c.meeting_id, _ITEM.c.position,
                                                _ITEM.c.id)
    councils, chosen = sorted(set(council_ids)), sorted(set(meeting_ids))
    if councils or chosen:
        # only the lists given: an empty IN beside another in an OR is a subplan, which
        # PostgreSQL cannot read by an index (every council's rows would be scanned)
        meetings = meetings.where(or_(*([_MEETING.c.council_id.in_(councils)] if councils
                                        else []),
                                      *([_MEETING.c.id.in_(chosen)] if chosen else [])))
        items = items.where(or_(*([_ITEM.c.council_id.in_(councils)] if councils else []),
                                *([_ITEM.c.meeting_id.in_(chosen)] if chosen else [])))
    kept = dict(connection.execute(meetings).all())
    if not kept:
        return 0
    agendas: dict[int, list[str]] = {meeting: [] for meeting in kept}
    for meeting, item in connection.execute(items):
        found = agendas.get(meeting)
        if found is not None:  # an item of a meeting not chosen, by its council
            found.append(item)
    changed = [{"meeting": meeting, "agenda": text}
               for meeting, parts in agendas.items()
               if (text := f"[{','.join(parts)}]") != kept[meeting]]
    if changed:
        connection.execute(_SET, changed)
    return len(changed)


def refresh_kept_agendas(connection: Connection | Session, council_ids: list[int],
                         written: Written | None = None) -> None:
    """Write again the kept arrays of the meetings whose items were ``written`` (an item's
    meeting, and the one it was moved from), or of every meeting of a council when its
    writes do not say which."""
    whole, found = councils_and_found(council_ids, written, _meetings_of)
    meetings = set().union(*found)
    if whole or meetings:
        write_agendas(connection, council_ids=whole, meeting_ids=meetings)


def _meetings_of(writes: Sequence[Write] | None) -> set[int] | None:
    """The meetings whose arrays the item ``writes`` can change (read from the attributes'
    history, loading nothing in the middle of a flush); ``None`` when they do not say (not
    given, or an item whose meeting, or whose meeting before a move, the session never
    loaded)."""
    if not writes:
        return None
    meetings: set[int] = set()
    for write in writes:
        attrs = inspect(write.row).attrs
        if write.kind == "changed" and not any(attrs[name].history.has_changes()
                                               for name in _WRITTEN_FROM):
            continue  # its presenter, duration or decision: not in the API's agenda
        moved = attrs.meeting_id.history
        if not moved.sum() or (write.kind == "changed" and moved.added and not moved.deleted):
            return None  # its meeting, or the one it was moved from, is not known
        meetings.update(moved.sum())
    return meetings


keep_derived((AgendaItem,), refresh_kept_agendas)
