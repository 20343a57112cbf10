"""What the last complete ``cpt sync`` wrote, so that a start with unchanged plugins can skip
the sync (see :func:`core.sync.sync_if_changed`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.modelbase import utcnow


class SyncState(db.Model):
    """At most one row: the fingerprint of the definitions the last sync wrote in full.

    A sync that leaves a council unchanged (a refused plugin) or holds one back deletes the
    row, so the next start syncs again.
    """

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: :func:`core.sync.fingerprint` of the plugins synced (a SHA-256, in hex).
    fingerprint: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
