"""Reading a council's panels with their seats and standing items."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload, with_loader_criteria

from core.extensions import db
from core.models import Council, Panel, Seat, StandingItem


def _with_parts() -> tuple[object, ...]:
    return (
        selectinload(Panel.seats), selectinload(Panel.standing_items),
        with_loader_criteria(Seat, Seat.archived_at.is_(None)),
        with_loader_criteria(StandingItem, StandingItem.archived_at.is_(None)),
    )


def panels_of(council: Council) -> list[Panel]:
    """The council's panels with seats and standing items (three queries)."""
    return list(db.session.scalars(
        select(Panel).where(Panel.council_id == council.id, Panel.archived_at.is_(None))
        .order_by(Panel.position).options(*_with_parts())))


def panel_or_404(council: Council, key: str) -> Panel:
    """One panel of ``council``, or a 404."""
    panel = db.session.scalar(
        select(Panel).where(Panel.council_id == council.id, Panel.key == key,
                            Panel.archived_at.is_(None)).options(*_with_parts()))
    if panel is None:
        abort(404)
    return panel


def panel_names(council: Council) -> dict[str, str]:
    """Each panel's name by key (one query), e.g. to name the parties to a protocol."""
    rows = db.session.execute(select(Panel.key, Panel.name).where(
        Panel.council_id == council.id, Panel.archived_at.is_(None)))
    return {key: name for key, name in rows}
