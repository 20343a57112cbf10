"""Statements of columns run on the session's connection, past the ORM's execution layer.

``db.session.execute`` gives every statement the ORM's treatment: its execution events,
its compile state, its loading of the result (even for a statement of plain columns,
whose rows come back as they are). For the narrow reads the pages are made of that was
35–80 µs a statement on SQLite (a panel's list: 67 µs, 33 of them the ORM's; a council's
pledges with their actions: 318 µs, 78 of them) — a few hundred microseconds a page.
:func:`rows` and :func:`scalar` run such a statement on the session's own connection
(the same transaction), flushing first, as the session's autoflush would, when it holds
changes not yet sent; in a request that only reads, on a connection the worker keeps
between requests instead (:mod:`core.request_connections`: no session to make, begin and
close for a page of public figures).

Only for statements of columns: a statement of models (``select(Panel)``) needs the ORM to
make its objects, and goes through ``db.session``. A read-only page that wants a model's
whole row reads its table's columns into a :func:`row_class`: a tuple with each column by
attribute, as the model has it, and whatever of the model's methods a mixin shares with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections import namedtuple
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any, NamedTuple

from sqlalchemy import Connection, CursorResult, Executable, event, literal_column
from sqlalchemy.orm import Session, SessionTransaction

from core.extensions import db
from core.planned_selects import (
    PlannedResult,
    execute,
    execute_together,
    sends_together,
    tuple_maker,
)
from core.request_connections import request_connection
from core.safe_requests import RequestSession

#: ``LIMIT 1`` written into a statement rather than bound (``.limit(LIMIT_ONE)``), for a
#: subquery run once a row. psycopg prepares a statement a connection runs often, and
#: PostgreSQL then keeps one plan for every value of its parameters when that plan costs no
#: more than the plans it makes for each: a bound limit's value is unknown to that plan, so
#: it costs each probe as if it read several rows, and the statement was planned afresh on
#: every request.
LIMIT_ONE = literal_column("1")


class Read(NamedTuple):
    """A statement of columns and its parameters, as :func:`rows` runs them: what a
    service's ``…_read`` function gives, for a page to send with others
    (:func:`together`) before the service asks for its rows."""

    statement: Executable
    params: Mapping[str, Any] | None = None


#: The rows of the reads sent together in the current :func:`together` block, each with
#: its read, until :func:`rows` takes them.
_AHEAD: ContextVar[list[tuple[Read, PlannedResult]] | None] = ContextVar(
    "cpt_reads_ahead", default=None)


#: Where a session keeps the connection of its transaction, in ``session.info``: set when
#: the transaction takes its connection, dropped when it ends or any part of it rolls back,
#: and ``None`` while it holds more than one (:func:`_connection` then asks the session).
KEPT_CONNECTION = "cpt_connection"


@event.listens_for(RequestSession, "after_begin")
def _keep_connection(session: Session, _transaction: object, connection: Connection
                     ) -> None:
    # only the default bind's (what ``session.connection()`` gives), and only while it is
    # the one connection of the transaction
    kept = session.info.get(KEPT_CONNECTION, connection)
    alone = kept is connection and connection.engine is session.get_bind()
    session.info[KEPT_CONNECTION] = connection if alone else None


@event.listens_for(RequestSession, "after_commit")
@event.listens_for(RequestSession, "after_rollback")
def _drop_finished(session: Session) -> None:
    # a read in another listener of these events asks the session (which says what it
    # allows then), as before
    session.info.pop(KEPT_CONNECTION, None)


@event.listens_for(RequestSession, "after_transaction_end")
def _drop_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the session's own transaction (not a savepoint's)
        session.info.pop(KEPT_CONNECTION, None)


@event.listens_for(RequestSession, "after_soft_rollback")
def _drop_rolled_back(session: Session, _previous: SessionTransaction) -> None:
    # a savepoint rolled back, or a failed flush that leaves the transaction to be rolled
    # back: the session decides from here on (it raises what it raises)
    session.info.pop(KEPT_CONNECTION, None)


def _connection() -> Connection:
    """The connection a safe request borrowed for its row reads
    (:mod:`core.request_connections`), or else the session's, flushing first as its
    autoflush would. The connection of
    the session's transaction is kept in its ``info`` once taken: ``Session.connection()``
    works out its bind and transaction again on every call, about 3 µs, several times a
    page."""
    borrowed = request_connection()
    if borrowed is not None:
        return borrowed
    session = db.session()  # the request's own: each attribute of the proxy looks it up
    if session.autoflush and (session.new or session.deleted or session.dirty):
        session.flush()
    kept = session.info.get(KEPT_CONNECTION)
    return kept if kept is not None else session.connection()


def rows(statement: Executable, params: Mapping[str, Any] | None = None
         ) -> CursorResult[Any] | PlannedResult:
    """The rows of ``statement`` (a select of columns), with ``params``: once the same
    statement object has run a few times, through its plan (:mod:`core.planned_selects`),
    its rows then named tuples. Inside :func:`together`, the rows already read for the same
    statement object with equal parameters, if any (each taken once)."""
    ahead = _AHEAD.get()
    if ahead:
        for index, (read, result) in enumerate(ahead):
            if read.statement is statement and _same(read.params, params):
                del ahead[index]
                return result
    return execute(_connection(), statement, params)


def _same(sent: Any, asked: Any) -> bool:
    """Whether parameters asked for are those sent: equal, and each value of the same type
    (``1``, ``1.0`` and ``True`` are equal but bound apart; so are a datetime and the same
    instant in another zone, which compare equal)."""
    if type(sent) is not type(asked):
        return False
    if isinstance(sent, Mapping):
        return sent.keys() == asked.keys() and all(
            _same(value, asked[name]) for name, value in sent.items())
    if isinstance(sent, list | tuple):
        return len(sent) == len(asked) and all(map(_same, sent, asked))
    if isinstance(sent, dt.datetime):
        return sent == asked and sent.tzinfo == asked.tzinfo
    return bool(sent == asked)


@contextlib.contextmanager
def together(*reads: Read | None) -> Iterator[None]:
    """Send ``reads`` to the database at once, for the code inside the block to take
    their rows through :func:`rows` (by the same statement object and equal parameters)
    as it comes to them; a page's independent reads, made by the same ``…_read``
    functions its services run, so that what is sent is what they ask for. On PostgreSQL
    they are answered in one round trip (:func:`core.planned_selects.execute_together`);
    on SQLite, or for a read not yet planned, nothing is sent ahead and :func:`rows` runs
    each read as it is asked for, as outside the block. Rows not taken by the end of the
    block are dropped: a read is never answered from before the block, nor after it. For
    reads only (the GET views, and a form posted back with its errors, drawn again from
    what it read: the session's changes are flushed before anything is sent): rows taken
    inside the block were read when it began, so a change the session flushes inside it
    is not in them.
    ``None`` in place of a read (a service that will send nothing) is passed over.

    Blocks nest: inside a block, a service's own block sends only the reads not already
    sent by the blocks around it (untaken), and its code takes rows sent by either; so a
    page can send a service's reads with its own, and the service still reads them
    together when called alone. What an inner block sent and did not take is dropped when
    it ends; what the outer blocks sent stays theirs until taken."""
    connection = _connection()
    outer = _AHEAD.get()
    added: list[tuple[Read, PlannedResult]] = []
    if sends_together(connection):  # else (SQLite) nothing to copy or send
        sent = [Read(read.statement, None if read.params is None else dict(read.params))
                for read in reads if read is not None and not _is_ahead(outer, read)]
        results = execute_together(connection, sent)
        added = [(read, result) for read, result in zip(sent, results, strict=True)
                 if result is not None]
    if outer is None:
        token = _AHEAD.set(added or None)
        try:
            yield
        finally:
            _AHEAD.reset(token)
        return
    outer.extend(added)
    try:
        yield
    finally:
        for entry in added:  # the inner block's, where not taken
            for index, kept in enumerate(outer):
                if kept is entry:
                    del outer[index]
                    break


def _is_ahead(ahead: list[tuple[Read, PlannedResult]] | None, read: Read) -> bool:
    """Whether ``read`` is sent already, and not taken: among ``ahead``."""
    return bool(ahead) and any(  # type: ignore[arg-type]
        sent.statement is read.statement and _same(sent.params, read.params)
        for sent, _ in ahead)  # type: ignore[union-attr]


def tuples(statement: Executable, params: Mapping[str, Any] | None = None) -> list[Any]:
    """The rows of ``statement``, with ``params``, as named tuples of its columns' names:
    for rows read by name many times over (an API page dumps a thousand fields; a template
    reads each council's slug and name), where a row's named attribute costs about 0.23 µs
    and a tuple's next to nothing. One class for each set of column names, made once."""
    result = rows(statement, params)
    if type(result) is PlannedResult:  # already named tuples of its columns
        return result.all()
    make = tuple_maker(tuple(result.keys()))
    # Fetched whole, then made: iterating a result fetches a row at a time, which on
    # PostgreSQL cost a third more (360 agenda items: 0.47 → 0.61 ms).
    return list(map(make, result.all()))


def scalar(statement: Executable, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row of ``statement``, or ``None``."""
    return rows(statement, params).scalar()


def record_columns(model: Any) -> tuple[Any, ...]:
    """``model``'s table columns in order, as a row's record (:func:`row_class`) holds them:
    those the model loads at once. Its deferred columns, what the row keeps of other rows
    for another reader (a meeting's agenda as the API gives it), are left out: the meeting
    page read its agenda's JSON again on the row of each of its items, several kilobytes a
    row, for nothing."""
    return _record_columns(model.__mapper__)


@functools.cache
def _record_columns(mapper: Any) -> tuple[Any, ...]:
    deferred = {prop.columns[0].key for prop in mapper.column_attrs if prop.deferred}
    return tuple(column for column in mapper.local_table.c if column.key not in deferred)


def row_class(model: Any, *mixins: type, extra: tuple[str, ...] = ()) -> Any:
    """A tuple class of ``model``'s table columns in order (its :func:`record_columns`),
    each read by attribute as the model's would be, then the ``extra`` fields (what the
    page reads with the row, such as a relationship's rows), with the read-only methods of
    ``mixins`` (which the model shares, so both answer alike; each declares
    ``__slots__ = ()``). Made from a row of ``select(*record_columns(model))`` (and the
    extra values) by its ``_make``."""
    name = f"{model.__name__}Row"
    fields = namedtuple(name, [*(column.key for column in record_columns(model)),  # type: ignore[misc]
                               *extra])
    return type(name, (fields, *mixins), {"__slots__": (), "__module__": model.__module__})
