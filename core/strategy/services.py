"""Reading a council's strategy and priorities."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from core.extensions import db
from core.models import Council, Priority, Strategy

#: Built once: the overview and the strategy page run them on every render.
_STRATEGY_OF = select(Strategy).where(Strategy.council_id == bindparam("council_id"),
                                      Strategy.archived_at.is_(None))
_PRIORITIES_OF = (select(Priority)
                  .where(Priority.council_id == bindparam("council_id"),
                         Priority.archived_at.is_(None))
                  .order_by(Priority.position))


def strategy_of(council: Council) -> Strategy | None:
    """The council's strategy, if its plugin defines one."""
    return db.session.scalar(_STRATEGY_OF, {"council_id": council.id})


def priorities_of(council: Council) -> list[Priority]:
    """The strategy's priorities in order."""
    return list(db.session.scalars(_PRIORITIES_OF, {"council_id": council.id}))
