"""Panels as the public pages and the API show them, read as narrow rows.

The ORM loads a panel, its seats (joined) and its standing items (a second statement) as
objects that track their changes: for one panel that took about 0.7 ms of a page of 4,
for a council's two panels in the API about 1 ms. What the public side shows never
changes them, so they are read here as plain rows into small records with the
attributes the pages, the API's schemas and the attendance and membership reads use of a
:class:`~core.panels.models.Panel` (its id and council, its words, its cycle and quorum,
its live seats and standing items in order): the panels joined to their seats in one
statement, their standing items in a second. The admin edits panels, and keeps loading
the models (:mod:`core.panels.services`). The statements are built once, at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from flask import abort
from sqlalchemy import Select, and_, bindparam, select

from core import row_reads
from core.database_json import json_text
from core.json_provider import loads
from core.models import Council, Panel, Seat, StandingItem
from core.panels.models import PanelTerms


@dataclass(slots=True)
class SeatRecord:
    """A live seat of a panel, as :class:`~core.panels.models.Seat` gives it."""

    id: int
    key: str
    role: str
    count: int | None
    voting: bool | None
    chair: bool
    young_people: bool
    partner: str | None


@dataclass(slots=True)
class StandingItemRecord:
    """A live standing item of a panel, as :class:`~core.panels.models.StandingItem`."""

    id: int
    key: str
    title: str
    description: str | None


@dataclass(slots=True)
class PanelRecord(PanelTerms):
    """A live panel with its live seats and standing items, in order."""

    id: int
    council_id: int
    key: str
    name: str
    status: str | None
    purpose: list[str]
    responsibilities_intro: str | None
    responsibilities: list[str]
    cycle_text: str | None
    cycle_every_months: int | None
    cycle_meetings_per_year: int | None
    quorum_text: str | None
    quorum_count: int | None
    quorum_young_people_count: bool | None
    seats_intro: str | None
    seats: list[SeatRecord] = field(default_factory=list)
    standing_items: list[StandingItemRecord] = field(default_factory=list)


#: The panel's lists, read as their JSON text, each parsed once a panel rather than once
#: a seat (:func:`_panel_of`).
_LIST_COLUMNS = (json_text(Panel.purpose), json_text(Panel.responsibilities))
_PANEL_COLUMNS = (Panel.id, Panel.council_id, Panel.key, Panel.name, Panel.status,
                  _LIST_COLUMNS[0], Panel.responsibilities_intro, _LIST_COLUMNS[1],
                  Panel.cycle_text, Panel.cycle_every_months, Panel.cycle_meetings_per_year,
                  Panel.quorum_text, Panel.quorum_count, Panel.quorum_young_people_count,
                  Panel.seats_intro)
_SEAT_COLUMNS = (Seat.id, Seat.key, Seat.role, Seat.count, Seat.voting, Seat.chair,
                 Seat.young_people, Seat.partner)
_LIVE_PANELS = (Panel.council_id == bindparam("council_id"), Panel.archived_at.is_(None))


def _with_seats(statement: Select) -> Select:
    """``statement`` (of panels) with each panel's live seats joined, in order."""
    return (statement.add_columns(*_SEAT_COLUMNS)
            .outerjoin(Seat, and_(Seat.panel_id == Panel.id, Seat.archived_at.is_(None)))
            .order_by(Panel.position, Panel.id, Seat.position, Seat.id))


def _items_of(statement: Select) -> Select:
    """The live standing items of the panels ``statement`` selects, in order."""
    panels = statement.with_only_columns(Panel.id).subquery()
    return (select(StandingItem.panel_id, StandingItem.id, StandingItem.key,
                   StandingItem.title, StandingItem.description)
            .join(panels, StandingItem.panel_id == panels.c.id)
            .where(StandingItem.archived_at.is_(None))
            .order_by(StandingItem.position, StandingItem.id))


_ALL = select(*_PANEL_COLUMNS).where(*_LIVE_PANELS)
_ONE = _ALL.where(Panel.key == bindparam("key"))
_PANELS, _PANEL = _with_seats(_ALL), _with_seats(_ONE)
_ITEMS, _ITEMS_OF_ONE = _items_of(_ALL), _items_of(_ONE)
_PANEL_WIDTH = len(_PANEL_COLUMNS)
#: Where the panel's lists are in its columns.
_LISTS = tuple(index for index, column in enumerate(_PANEL_COLUMNS)
               if any(column is listed for listed in _LIST_COLUMNS))


def _panel_of(row: Sequence[Any]) -> PanelRecord:
    """The panel of a row of :data:`_PANEL_COLUMNS` (then its seat's), its lists parsed."""
    values = list(row[:_PANEL_WIDTH])
    for index in _LISTS:
        values[index] = loads(values[index])
    return PanelRecord(*values)


def _reads(statement: Select, items: Select | None, params: dict[str, object]
           ) -> tuple[row_reads.Read, row_reads.Read | None]:
    return (row_reads.Read(statement, params),
            None if items is None else row_reads.Read(items, params))


def _records(statement: Select, items: Select | None, params: dict[str, object]
             ) -> list[PanelRecord]:
    """The panels of ``statement`` with their seats, and the standing items of ``items``
    (unless ``None``): the two read together (or taken from a block that sent them)."""
    with row_reads.together(*_reads(statement, items, params)):
        return _gathered(statement, items, params)


def _gathered(statement: Select, items: Select | None, params: dict[str, object]
              ) -> list[PanelRecord]:
    panels: dict[int, PanelRecord] = {}
    for row in row_reads.rows(statement, params):
        panel = panels.get(row[0])
        if panel is None:
            panel = panels[row[0]] = _panel_of(row)
        if row[_PANEL_WIDTH] is not None:
            panel.seats.append(SeatRecord(*row[_PANEL_WIDTH:]))
    if items is not None and panels:
        for panel_id, *item in row_reads.rows(items, params):
            panels[panel_id].standing_items.append(StandingItemRecord(*item))
    return list(panels.values())


def panel_records(council: Council) -> list[PanelRecord]:
    """The council's live panels in order, each with its live seats and standing items
    (two statements)."""
    return _records(_PANELS, _ITEMS, {"council_id": council.id})


def panel_record_reads(council: Council, key: str, *, standing_items: bool = True
                       ) -> tuple[row_reads.Read, row_reads.Read | None]:
    """The statements :func:`panel_record_or_404` runs, for a page to send with others
    (the second ``None`` without the standing items)."""
    return _reads(_PANEL, _ITEMS_OF_ONE if standing_items else None,
                  {"council_id": council.id, "key": key})


def panel_record_or_404(council: Council, key: str, *, standing_items: bool = True
                        ) -> PanelRecord:
    """One live panel of ``council`` with its live seats and (unless ``standing_items`` is
    false) its standing items, or a 404 (two statements, one without them)."""
    found = _records(_PANEL, _ITEMS_OF_ONE if standing_items else None,
                     {"council_id": council.id, "key": key})
    if not found:
        abort(404)
    return found[0]


_ID_OF_ONE = select(Panel.id).where(*_LIVE_PANELS, Panel.key == bindparam("key"))
_NAME_OF_ONE = select(Panel.council_id, Panel.key, Panel.name).where(
    *_LIVE_PANELS, Panel.key == bindparam("key"))


def panel_id_or_404(council: Council, key: str) -> int:
    """The id of ``council``'s live panel ``key``, or a 404 (one statement)."""
    panel_id = row_reads.scalar(_ID_OF_ONE, {"council_id": council.id, "key": key})
    if panel_id is None:
        abort(404)
    return panel_id


class PanelName(NamedTuple):
    """A live panel as a page of one part of it names it: its council, key and name (all
    that the reads of its rows take, :func:`panel_params`)."""

    council_id: int
    key: str
    name: str


def panel_name_read(council: Council, key: str) -> row_reads.Read:
    """The statement :func:`panel_name_or_404` runs, for a page to send with others."""
    return row_reads.Read(_NAME_OF_ONE, {"council_id": council.id, "key": key})


def panel_name_or_404(council: Council, key: str) -> PanelName:
    """``council``'s live panel ``key`` named (one statement of three columns, not the
    panel's terms and seats, for a page that shows only its name), or a 404."""
    row = row_reads.rows(*panel_name_read(council, key)).first()
    if row is None:
        abort(404)
    return PanelName(*row)


#: A panel or seat either way: loaded as a model (the admin) or read as a record (the
#: public pages), for the reads both use.
AnyPanel = Panel | PanelRecord
AnySeat = Seat | SeatRecord


class PanelKey(NamedTuple):
    """A panel named by its council and its key: all that the reads of its rows take
    (:func:`panel_params`), so a page can send them with the read of the panel itself."""

    council_id: int
    key: str


#: A panel as the reads of its rows name it: itself, either way, or its key.
NamedPanel = Panel | PanelRecord | PanelKey | PanelName

#: The id of the council's panel ``panel_key`` (parameters ``council_id`` and
#: ``panel_key``), in place of the id in the reads of a panel's rows. A panel's key is
#: unique in its council, archived or not, so it names the panel its id would; the reads
#: need not wait for the panel's row to be read, and a page sends them with it, in one
#: round trip on PostgreSQL (:func:`core.row_reads.together`), where waiting for the id
#: cost a panel's page a second one. That saved about 40 µs of the worker's time and as
#: much of the server's on an idle host, and no processor time under the benchmark's load,
#: where it shortens only the wait (docs/performance.md).
PANEL_BY_KEY = (select(Panel.id)
                .where(Panel.council_id == bindparam("council_id"),
                       Panel.key == bindparam("panel_key"))
                .scalar_subquery())


def panel_params(panel: NamedPanel) -> dict[str, object]:
    """The parameters naming ``panel`` to a read of its rows (:data:`PANEL_BY_KEY`)."""
    return {"council_id": panel.council_id, "panel_key": panel.key}
