"""Reading a council's strategy and priorities, for the pages and the API that show them.

Only read, never changed here (the plugin's sync writes them), so they are read as rows of
their models' columns, each read by attribute as the model's would be, past the ORM's
loading (about 120 µs a statement on PostgreSQL, 50 on SQLite).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, select

from core import row_reads
from core.models import Council, Priority, Strategy

#: Built once: the overview and the strategy page run them on every render.
_STRATEGY_OF = select(*Strategy.__table__.c).where(
    Strategy.council_id == bindparam("council_id"), Strategy.archived_at.is_(None))
_PRIORITIES_OF = (select(*Priority.__table__.c)
                  .where(Priority.council_id == bindparam("council_id"),
                         Priority.archived_at.is_(None))
                  .order_by(Priority.position))


def strategy_of(council: Council) -> Row[Any] | None:
    """The council's strategy (a row of :class:`~core.models.Strategy`'s columns), if its
    plugin defines one."""
    return row_reads.rows(_STRATEGY_OF, {"council_id": council.id}).first()


def priorities_of(council: Council) -> list[Row[Any]]:
    """The strategy's priorities in order (rows of :class:`~core.models.Priority`'s
    columns)."""
    return list(row_reads.rows(_PRIORITIES_OF, {"council_id": council.id}))
