"""The council a deployment serves, as its plugin registered it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Index,
    String,
    Table,
    Text,
    event,
    insert,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.revision_notices import install_notices

#: :attr:`Council.plugin` of the synthetic councils ``cpt demo`` loads: no plugin defines
#: them, so ``cpt sync`` leaves them alone.
DEMO_PLUGIN = "demo"


class CouncilWords:
    """The words a council uses, for the model and for rows of its columns
    (:class:`core.councils.services.CouncilRow`): anything with ``vocabulary``."""

    __slots__ = ()

    def word(self, name: str) -> str:
        """The council's word for ``name`` (pledge, pledges, panel, panels)."""
        return self.vocabulary.get(name, name)


class Council(CouncilWords, db.Model):
    """A council, with the words it uses and what its strategy declares."""

    __tablename__ = "council"
    #: The lists of councils (the home page, ``/api/councils``) read the first page of the
    #: active councils by name from this index instead of sorting them all.
    __table_args__ = (Index("ix_council_active_by_name", "name", "id",
                            sqlite_where=text("archived_at IS NULL"),
                            postgresql_where=text("archived_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    nation: Mapped[str] = mapped_column(String(16), default="england")
    locale: Mapped[str] = mapped_column(String(16), default="en_GB")
    colour: Mapped[str] = mapped_column(String(7), default="#1d70b8")
    website: Mapped[str | None] = mapped_column(String(500))
    #: The plugin that defines the council.
    plugin: Mapped[str] = mapped_column(String(200))
    #: {"pledge": .., "pledges": .., "panel": .., "panels": ..}
    vocabulary: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    pledges_intro: Mapped[str | None] = mapped_column(Text)
    #: How many pledges or promises the strategy declares, where it says.
    pledges_declared: Mapped[int | None]
    #: The council's rule for rolling a pledge's status up from its actions, as the data of
    #: a :class:`core.content.StatusRule`; ``None`` is the core's default rule (read it with
    #: :func:`core.pledges.status.status_rule_from_json`).
    status_rule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: How young people's representatives are recorded: ``first_name``, ``initials`` or
    #: ``either`` (see :class:`core.content.Council`).
    #: The council's red/amber/green rule for its indicators, as the data of a
    #: :class:`core.content.RagRule`; ``None`` is the core's default rule (read it with
    #: :func:`core.indicators.rag.council_rag_rule`).
    rag_rule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    young_people_names: Mapped[str] = mapped_column(String(16), default="either",
                                                    server_default="either")
    synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Set when no installed plugin defines the council any more.
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Replaced by a new random value in the same transaction as any change to a row of
    #: the council (see :mod:`core.revisions`), so a cached page keyed by it is never
    #: served after a change, by any worker or server. Random rather than counted, so that
    #: a council deleted and created again under the same id never repeats one.
    revision: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex,
                                          server_default="initial")
    #: What the action checks found in the council's plan, kept in the transaction of
    #: every change to its actions and pledges (:mod:`core.pledges.action_checks`);
    #: ``None`` until first kept, when it is worked out as it is asked for.
    action_checks: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Directory(db.Model):
    """One row: the revision of the list of councils, replaced in the same transaction as
    any change to a council's own row (created, changed, archived or deleted; see
    :mod:`core.revisions`). A page listing every council is kept under it, read in one
    statement of one row however many councils there are, and is not rendered again when
    only a council's pledges, meetings or other rows change, which it does not show."""

    __tablename__ = "directory"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, like :attr:`Council.revision`.
    revision: Mapped[str] = mapped_column(String(32), default=lambda: uuid.uuid4().hex)


@event.listens_for(Directory.__table__, "after_create")
def _first_revision(table: Table, connection: Connection, **kwargs: Any) -> None:
    """The table's one row, made with the table (as the migration that adds it does)."""
    connection.execute(insert(table).values(id=1, revision=uuid.uuid4().hex))


@event.listens_for(db.metadata, "after_create")
def _revision_notices(metadata: Any, connection: Connection, **kwargs: Any) -> None:
    """The triggers that notify workers of new revisions, made with the schema on
    PostgreSQL (as migration 0021 does in a migrated database)."""
    install_notices(connection)
