"""Reading a council's panels with their seats and standing items."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload, with_loader_criteria

from core import row_reads
from core.extensions import db
from core.models import Council, Panel, Seat, StandingItem

#: The seats joined to their panel (one statement fewer than a second SELECT, and less of
#: SQLAlchemy's work), the standing items read by a second (joining both would repeat each
#: seat for every item).
_PARTS = (
    joinedload(Panel.seats), selectinload(Panel.standing_items),
    with_loader_criteria(Seat, Seat.archived_at.is_(None)),
    with_loader_criteria(StandingItem, StandingItem.archived_at.is_(None)),
)
#: Built once each (their loader criteria cost more to build than to run).
_PANELS = (select(Panel)
           .where(Panel.council_id == bindparam("council_id"), Panel.archived_at.is_(None))
           .order_by(Panel.position).options(*_PARTS))
_PANEL = (select(Panel)
          .where(Panel.council_id == bindparam("council_id"), Panel.key == bindparam("key"),
                 Panel.archived_at.is_(None)).options(*_PARTS))
#: The same without the standing items (for pages that show only the seats).
_PANEL_SEATS = (select(Panel)
                .where(Panel.council_id == bindparam("council_id"),
                       Panel.key == bindparam("key"), Panel.archived_at.is_(None))
                .options(joinedload(Panel.seats),
                         with_loader_criteria(Seat, Seat.archived_at.is_(None))))


def panels_of(council: Council) -> list[Panel]:
    """The council's panels with seats (joined) and standing items (two queries)."""
    return list(db.session.scalars(_PANELS, {"council_id": council.id}).unique())


@dataclass(frozen=True, slots=True)
class PanelHeading:
    """A panel as the public list of panels shows it: its key, name and purpose (its
    paragraphs; the list shows the first)."""

    key: str
    name: str
    purpose: list[str]


_HEADINGS = (select(Panel.key, Panel.name, Panel.purpose)
             .where(Panel.council_id == bindparam("council_id"), Panel.archived_at.is_(None))
             .order_by(Panel.position))


def panel_headings(council: Council) -> list[PanelHeading]:
    """The council's live panels in order, as narrow rows (one statement, built once: not
    the panels with their seats and standing items, which the list does not show)."""
    return [PanelHeading(*row) for row in row_reads.rows(_HEADINGS,
                                                             {"council_id": council.id})]


@dataclass(frozen=True, slots=True)
class PanelLine:
    """A panel as lists of panels show it: its name, meeting cycle and number of seats."""

    key: str
    name: str
    cycle_text: str | None
    seat_count: int


_SEATS = (select(func.count(Seat.id))
          .where(Seat.panel_id == Panel.id, Seat.archived_at.is_(None))
          .correlate(Panel).scalar_subquery())
_LINES = (select(Panel.key, Panel.name, Panel.cycle_text, _SEATS.label("seat_count"))
          .where(Panel.council_id == bindparam("council_id"), Panel.archived_at.is_(None))
          .order_by(Panel.position))


def panel_lines_read(council: Council) -> row_reads.Read:
    """The statement :func:`panel_lines` runs, for a page to send with others."""
    return row_reads.Read(_LINES, {"council_id": council.id})


def panel_lines(council: Council) -> list[PanelLine]:
    """The council's live panels in order, each with its number of live seats (one
    statement of narrow rows, built once)."""
    return [PanelLine(*row) for row in row_reads.rows(*panel_lines_read(council))]


def panel_or_404(council: Council, key: str, *, standing_items: bool = True) -> Panel:
    """One panel of ``council`` with its live seats and (unless ``standing_items`` is
    false) its standing items, in two queries (one without them), or a 404."""
    panel = db.session.execute(_PANEL if standing_items else _PANEL_SEATS,
                               {"council_id": council.id, "key": key}
                               ).unique().scalar_one_or_none()
    if panel is None:
        abort(404)
    return panel


#: Built once (the partners page runs it on each render).
_PANEL_NAMES = select(Panel.key, Panel.name).where(Panel.council_id == bindparam("council_id"),
                                                   Panel.archived_at.is_(None))


def panel_names(council: Council) -> dict[str, str]:
    """Each panel's name by key (one query), e.g. to name the parties to a protocol."""
    rows = row_reads.rows(_PANEL_NAMES, {"council_id": council.id})
    return {key: name for key, name in rows}
