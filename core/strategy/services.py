"""Reading a council's strategy and priorities."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.models import Council, Priority, Strategy


def strategy_of(council: Council) -> Strategy | None:
    """The council's strategy, if its plugin defines one."""
    return db.session.scalar(select(Strategy).where(
        Strategy.council_id == council.id, Strategy.archived_at.is_(None)))


def priorities_of(council: Council) -> list[Priority]:
    """The strategy's priorities in order."""
    return list(db.session.scalars(select(Priority).where(
        Priority.council_id == council.id, Priority.archived_at.is_(None))
        .order_by(Priority.position)))
