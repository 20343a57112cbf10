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

The list of councils has its own revision (:class:`~core.councils.models.Directory`),
replaced in the same way whenever a council's own row is created, changed or deleted, and
only then: a page listing every council shows nothing else. Core writers of council rows
call :func:`touch_directory`.

Derived data kept in the database (counts a page would otherwise make on every render) is
rewritten at the same moment: a module registers it with :func:`keep_derived`, naming the
models it is derived from, and :func:`touch` refreshes it for the councils whose rows of
those models changed, after the new revision (which, on PostgreSQL, holds the council's row
until the commit, so two writers of one council refresh one after the other, the second
seeing the first's rows).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from sqlalchemy import Connection, event, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from core.councils.models import Council, Directory


@dataclass(frozen=True)
class Write:
    """A row a flush wrote: the object (its attributes still hold their history when
    refreshes run) and whether it was ``new``, ``changed`` or ``deleted``."""

    row: object
    kind: Literal["new", "changed", "deleted"]


#: The rows a flush wrote, by council.
Written = Mapping[int, Sequence[Write]]
#: What refreshes derived data: given the connection, the councils' ids and the rows of the
#: derived data's sources written in each (``None`` when the writer does not say which).
Refresh = Callable[[Connection | Session, list[int], Written | None], None]


@dataclass(frozen=True)
class Derived:
    """Data derived from the rows of ``sources`` (models), refreshed by ``refresh``, which
    may write ``council_columns`` of the council's own row."""

    sources: tuple[type, ...]
    refresh: Refresh
    council_columns: tuple[str, ...] = ()


_DERIVED: list[Derived] = []


def keep_derived(sources: Iterable[type], refresh: Refresh,
                 council_columns: Iterable[str] = ()) -> None:
    """Have :func:`touch` call ``refresh`` for the councils whose rows of ``sources``
    change (a council's own row counts as a source when :class:`Council` is named), with
    those rows, so that it may refresh only what they touch. ``council_columns``: the
    columns of the council's own row it writes, which a flush then expires on the
    session's council object, so that the session reads what was written."""
    _DERIVED.append(Derived(tuple(sources), refresh, tuple(council_columns)))


#: What a refresh finds the writes of one council touch (the rows to work out again).
Found = TypeVar("Found")


def councils_and_found(council_ids: list[int], written: Written | None,
                       touched: Callable[[Sequence[Write] | None], Found | None]
                       ) -> tuple[list[int], list[Found]]:
    """For a refresh (:func:`keep_derived`): the councils whose writes do not say which
    rows they touched (``touched`` gives ``None`` for their writes, or none were given),
    to be worked out whole, and what ``touched`` found in each of the others."""
    whole: list[int] = []
    found: list[Found] = []
    for council_id in council_ids:
        one = touched((written or {}).get(council_id))
        if one is None:
            whole.append(council_id)
        else:
            found.append(one)
    return whole, found


def touch(connection: Connection | Session, council_ids: Iterable[int],
          written: Written | None = None, *, models: Iterable[type] | None = None) -> None:
    """Give each of these councils a new revision (one statement), then refresh the data
    derived from the rows ``written`` in them (``None``: derived from any rows, for a
    caller that does not know which it wrote; with ``models``, from any rows of those
    models, for a caller that knows which kinds of row it wrote but not which rows)."""
    ids = sorted(set(council_ids))
    if not ids:
        return
    connection.execute(update(Council).where(Council.id.in_(ids))
                       .values(revision=uuid.uuid4().hex))
    kinds = None if models is None else tuple(models)
    for derived in _DERIVED:
        if written is None:
            if kinds is None or any(issubclass(kind, derived.sources) for kind in kinds):
                derived.refresh(connection, ids, None)
            continue
        concerned: dict[int, list[Write]] = {}
        for council_id in ids:
            writes = [write for write in written.get(council_id, ())
                      if isinstance(write.row, derived.sources)]
            if writes:
                concerned[council_id] = writes
        if concerned:
            derived.refresh(connection, list(concerned), concerned)


def touch_directory(connection: Connection | Session) -> None:
    """Give the list of councils a new revision (for a writer of council rows)."""
    connection.execute(update(Directory).values(revision=uuid.uuid4().hex))


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
    written = [*((obj, "new") for obj in session.new),
               *((obj, "deleted") for obj in session.deleted),
               *((obj, "changed") for obj in session.dirty
                 if session.is_modified(obj, include_collections=False))]
    for obj, kind in written:
        if isinstance(obj, Council):
            session.info["directory_revised"] = True
            if kind == "new":
                session.info.setdefault("new_councils", []).append(obj)
        council_id = _council_id(obj)
        if council_id is not None:  # None: a new council, which has no id yet
            session.info.setdefault("revised_councils", {}).setdefault(
                council_id, []).append(Write(obj, kind))


@event.listens_for(Session, "after_flush")
def _revise(session: Session, flush_context: Any) -> None:
    """New revisions for the councils noted (a new council has a fresh one already), and
    the data derived from the rows written refreshed (the objects still hold what the flush
    wrote, and their attributes' history)."""
    written: dict[int, list[Write]] = session.info.pop("revised_councils", {})
    touch(session.connection(), list(written), written)
    # A new council's rows written with it were not noted (it had no id): its derived
    # data is made from whatever it holds now.
    created = [council.id for council in session.info.pop("new_councils", ())]
    if created:
        touch(session.connection(), created)
    if session.info.pop("directory_revised", False):
        touch_directory(session.connection())
    session.info.setdefault("derived_councils", set()).update([*written, *created])


@event.listens_for(Session, "after_flush_postexec")
def _expire_derived(session: Session, flush_context: Any) -> None:
    """The council objects of the session whose derived columns the flush may have
    written: those columns expired, to be read again when next asked for."""
    touched = session.info.pop("derived_councils", ())
    columns = [column for derived in _DERIVED for column in derived.council_columns]
    if not columns:
        return
    for council_id in touched:
        council = session.identity_map.get(identity_key(Council, council_id))
        if council is not None:
            session.expire(council, columns)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: Any) -> None:
    session.info.pop("revised_councils", None)
    session.info.pop("new_councils", None)
    session.info.pop("derived_councils", None)
    session.info.pop("directory_revised", None)
