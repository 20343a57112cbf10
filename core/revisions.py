"""A council's revision: a token replaced whenever any of its rows changes.

Every ORM flush that creates, changes or deletes a row belonging to a council (any model
with ``council_id``, or the council itself) sets that council's
:attr:`~core.councils.models.Council.revision` to a new random value, in the same
transaction. Whatever reads the revision therefore sees a new one exactly when it can see
the change, whichever process, worker or server made it, and a cache keyed by the revision
(:mod:`core.page_cache`) needs no invalidation message. Writes made with Core statements
rather than the ORM must call :func:`touch` themselves. A model whose rows no kept page or
document shows (a log, such as the mail log) sets ``shown_on_pages = False``: writing it
leaves the revision, and so the cache, as it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, update
from sqlalchemy.orm import Session

from core.councils.models import Council


def touch(connection: Connection | Session, council_ids: Iterable[int]) -> None:
    """Give each of these councils a new revision (one statement)."""
    ids = sorted(set(council_ids))
    if ids:
        connection.execute(update(Council).where(Council.id.in_(ids))
                           .values(revision=uuid.uuid4().hex))


def _council_id(obj: Any) -> int | None:
    if isinstance(obj, Council):
        return obj.id
    if not getattr(obj, "shown_on_pages", True):
        return None
    return getattr(obj, "council_id", None)


@event.listens_for(Session, "before_flush")
def _note_councils(session: Session, flush_context: Any, instances: Any) -> None:
    """The councils whose rows this flush writes (read before the flush, while deleted
    rows still have their values)."""
    changed = {_council_id(obj) for obj in (*session.new, *session.deleted)}
    changed.update(_council_id(obj) for obj in session.dirty
                   if session.is_modified(obj, include_collections=False))
    changed.discard(None)  # a new council, which has no id yet
    if changed:
        session.info.setdefault("revised_councils", set()).update(changed)


@event.listens_for(Session, "after_flush")
def _revise(session: Session, flush_context: Any) -> None:
    """New revisions for the councils noted (a new council has a fresh one already)."""
    touch(session.connection(), session.info.pop("revised_councils", ()))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: Any) -> None:
    session.info.pop("revised_councils", None)
