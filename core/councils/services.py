"""Finding councils: the only way views reach a council, so every page is scoped to one."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from sqlalchemy import bindparam, select

from core import row_reads
from core.councils.models import CouncilWords
from core.extensions import db
from core.models import Council
from core.revision_notices import remembered

#: Councils whose plugin is installed, by name (read from ``ix_council_active_by_name``).
ACTIVE_BY_NAME = (select(Council).where(Council.archived_at.is_(None))
                  .order_by(Council.name, Council.id))


def active_councils() -> list[Council]:
    """Councils whose plugin is installed, by name."""
    return list(db.session.scalars(ACTIVE_BY_NAME))


#: The home page's list: each active council's slug and name, in :data:`ACTIVE_BY_NAME`'s
#: order.
_LINKS_BY_NAME = (select(Council.slug, Council.name).where(Council.archived_at.is_(None))
                  .order_by(Council.name, Council.id))


def council_links() -> list[Any]:
    """Each council whose plugin is installed, as a tuple of its ``slug`` and ``name``, by
    name."""
    return row_reads.tuples(_LINKS_BY_NAME)


#: Built once: every request under a council's URL runs it.
_ACTIVE_BY_SLUG = select(Council).where(Council.slug == bindparam("slug"),
                                        Council.archived_at.is_(None))


def council_or_404(slug: str) -> Council:
    """The active council called ``slug``, or a 404."""
    council = db.session.scalar(_ACTIVE_BY_SLUG, {"slug": slug})
    if council is None:
        abort(404)
    return council


class CouncilRow(row_reads.row_class(Council, CouncilWords)):  # type: ignore[misc]
    """A council as a request that only reads uses it: its columns by attribute and its
    words (:class:`~core.councils.models.CouncilWords`), read past the ORM's loading (the
    one statement every page of a council runs). A request that changes anything uses the
    model (:func:`council_or_404`)."""

    __slots__ = ()


#: Built once, as :data:`_ACTIVE_BY_SLUG`: the council's columns.
_ROW_BY_SLUG = select(*row_reads.record_columns(Council)).where(Council.slug == bindparam("slug"),
                                                 Council.archived_at.is_(None))


def council_row_or_404(slug: str) -> CouncilRow:
    """The active council called ``slug`` as a :class:`CouncilRow`, or a 404.
    Remembered by this process as its revision is
    (:func:`core.revision_notices.remembered`): on PostgreSQL the council's row sends a
    notice whenever it changes, and every change to the council's records changes its
    revision in that row, so a row remembered is the row as it stands; on an SQLite file,
    any commit to the file forgets it."""
    rows = remembered(db.engine, f"council:{slug}",
                      lambda: row_reads.rows(_ROW_BY_SLUG, {"slug": slug}).all(),
                      max_age=current_app.config["REVISION_NOTICE_MAX_AGE"], part="row")
    if not rows:
        abort(404)
    return CouncilRow._make(rows[0])
