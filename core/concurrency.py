"""Saving safely when several people save at once.

Every admin write takes its check and its write in one atomic step, so that two clerks
saving the same record at the same instant get one "saved" and one "someone else saved
first" (:class:`~core.forms.EditConflict`, shown as a 409 with what they typed kept):

- :func:`save_if_unchanged` is the one "conditional update or conflict": a single
  ``UPDATE ... SET ..., version = version + 1 WHERE id = :id AND version = :seen`` whose
  row count says whether this save won. Being a Core statement, it records its own audit
  event (values before and after) and gives the council a new revision.
- :func:`lock_for_write` is for writes whose check reads other rows (attendance, a new
  membership, a progress update, a review): it locks the parent row (``SELECT ... FOR
  UPDATE`` on PostgreSQL; on SQLite, where writes serialise, it starts the transaction
  with ``BEGIN IMMEDIATE``) and reads it again, so the check sees every save committed
  before and no other save can cross it before the commit.
- :func:`commit_or_conflict` commits, turning a unique constraint hit by a first insert
  (or a versioned ORM row someone else saved) into the same conflict.

A write that still cannot get its lock in time (SQLite's busy timeout, PostgreSQL's
``lock_timeout``, a serialization failure or deadlock) is answered with a 503 and
``Retry-After`` (:func:`is_busy`, used by :mod:`core.web`), never a 500.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from core.audit import record_update
from core.extensions import db
from core.forms import EditConflict
from core.revisions import touch

#: Seconds a client is asked to wait before trying a write again that found the database busy.
RETRY_AFTER_SECONDS = 5

#: SQLSTATEs of PostgreSQL errors that mean "busy, try again": serialization failure,
#: deadlock detected, lock not available (``lock_timeout``), query cancelled by a timeout.
_BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57014"})


def _session() -> Session:
    return db.session()  # type: ignore[no-any-return]


def _seen(submitted: str | int | None) -> int:
    """The version the form was filled from; anything else is a conflict."""
    try:
        return int(submitted)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EditConflict from None


def conflict() -> EditConflict:
    """Undo the transaction (releasing its locks, forgetting what this session loaded) and
    give the conflict to raise."""
    db.session.rollback()
    return EditConflict()


def save_if_unchanged(record: Any, submitted: str | int | None, **values: Any) -> None:
    """Write ``values`` to ``record`` only if its row still has the version ``submitted``
    (the one the form was filled from), raising the version by one; otherwise undo the
    transaction and raise :class:`EditConflict`.

    The check and the write are one statement, ``UPDATE <table> SET ..., version =
    version + 1 WHERE id = :id AND version = :seen``: of two saves from the same version,
    exactly one changes a row. The winner's audit event (the columns that changed, before
    and after) and the council's new revision are written in the same transaction; the
    caller commits (:func:`commit_or_conflict`). ``record`` is left holding the saved
    values and version, as if it had been loaded after the save.
    """
    seen = _seen(submitted)
    if record.version != seen:  # already known to be stale: no need to ask the database
        raise conflict()
    model = type(record)
    before = {key: getattr(record, key) for key in values}
    result = db.session.execute(
        update(model).where(model.id == record.id, model.version == seen)
        .values(**values, version=seen + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise conflict()
    for key, value in values.items():
        set_committed_value(record, key, value)
    set_committed_value(record, "version", seen + 1)
    changed = [key for key in values if before[key] != values[key]]
    record_update(_session(), record, {key: before[key] for key in changed},
                  {key: values[key] for key in changed})
    # the rows of its model: data derived from others (a council's agendas, for a
    # pledge's save) is left as it is
    touch(_session(), [record.council_id], models=[type(record)])


def lock_for_write(record: Any) -> None:
    """Hold the right to write ``record``'s row until the transaction ends, and read it
    again, so that whatever is checked next sees every save committed before this one.

    On PostgreSQL: ``SELECT ... FOR UPDATE`` of the row (another writer of it waits). On
    SQLite, where one writer at a time holds the whole database, the transaction is begun
    with ``BEGIN IMMEDIATE`` (waiting up to the busy timeout for the writer before), as
    SQLAlchemy's pysqlite notes describe: the driver would otherwise begin only at the
    first INSERT or UPDATE, after the checks had read an older state. Call it before
    changing anything in the session.
    """
    session = _session()
    if begin_writing(session.connection()):
        session.refresh(record)  # the whole database held: everything read is current
        return
    # PostgreSQL reads a whole statement as it was when the statement began, and a
    # ``FOR UPDATE`` that waited for another writer reads again only the rows it holds:
    # rows joined to the record (its agenda, its seats) would be those from before the
    # wait. So the lock reads the record's own columns alone, and its relationships are
    # read afresh, after the lock, when next used.
    mapper = inspect(record).mapper
    session.refresh(record, [column.key for column in mapper.column_attrs
                             if not column.deferred],  # derived, written by Core
                    with_for_update=True)
    session.expire(record, [relationship.key for relationship in mapper.relationships])


def begin_writing(connection: Connection) -> bool:
    """On SQLite, make sure the connection's transaction holds the write lock, beginning it
    with ``BEGIN IMMEDIATE`` (which waits up to the busy timeout) unless it holds it
    already; returns whether the database is SQLite.

    pysqlite begins a transaction only before an INSERT, UPDATE or DELETE, so reads before
    are outside any transaction and this is the first statement of the new one; a
    transaction already open has written, so it holds the lock.
    """
    if connection.dialect.name != "sqlite":
        return False
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return True


def commit_or_conflict() -> None:
    """Commit; a first insert that another save beat to a unique row, or a versioned row
    someone else saved in between, undoes everything and raises :class:`EditConflict`."""
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        raise conflict() from None


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means the database was too busy to take this write in time
    (SQLite "database is locked", PostgreSQL lock or statement timeout, serialization
    failure, deadlock), so the same request may well succeed if tried again."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if code in _BUSY_SQLSTATES:
        return True
    message = str(original).lower()
    return "database is locked" in message or "database table is locked" in message

