"""Columns every council-owned row shares, and those of rows a plugin defines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

#: Definitions come from a plugin or were added by an administrator ("local").
ORIGIN_PLUGIN = "plugin"
ORIGIN_LOCAL = "local"

def utcnow() -> dt.datetime:
    """Now, timezone-aware in UTC (what every timestamp column stores)."""
    return dt.datetime.now(dt.UTC)


class CouncilOwned:
    """A row that belongs to one council: every query on it is scoped by ``council_id``."""

    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)


class Definition(CouncilOwned):
    """A row loaded from a plugin by ``cpt sync``, matched by its stable ``key``.

    ``archived_at`` is set when the plugin stops defining the row while operational data
    still points at it; ``origin`` is ``local`` for rows an administrator added.
    """

    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    origin: Mapped[str] = mapped_column(String(8), default=ORIGIN_PLUGIN,
                                        server_default=ORIGIN_PLUGIN)
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now())

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def added_locally(self) -> bool:
        return self.origin == ORIGIN_LOCAL

