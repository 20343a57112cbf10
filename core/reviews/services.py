"""Reading review cycles and whether each is due or overdue."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.models import Council, ReviewCycle


def review_cycles_of(council: Council) -> list[ReviewCycle]:
    """The council's review cycles in the plugin's order."""
    return list(db.session.scalars(select(ReviewCycle).where(
        ReviewCycle.council_id == council.id, ReviewCycle.archived_at.is_(None))
        .order_by(ReviewCycle.position)))
