"""Reading the whole test database, to show that something changed none of it."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.sync_state import SyncState

#: Bookkeeping left out: a sync that changes nothing may still forget the fingerprint of the
#: last complete one (tests/core/test_sync.py checks when).
BOOKKEEPING = frozenset({SyncState.__tablename__})


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table but :data:`BOOKKEEPING`, in primary-key order (inside an app
    context)."""
    db.session.expire_all()
    return {table.name: [tuple(row) for row in db.session.execute(
        select(table).order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables if table.name not in BOOKKEEPING}
