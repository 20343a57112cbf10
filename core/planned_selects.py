"""A select the app runs again and again, planned once and run on the DBAPI cursor.

``Connection.execute`` decides afresh, on every execution, what it decided the last time:
it finds the compiled statement in its cache, builds an execution context, looks up the
processor of every parameter and of every column of the result (from the cursor's
description), makes the result's metadata and a ``Row`` for each row. For the narrow reads
the pages are made of, that was most of a statement's cost: a panel's page sends eight
statements, which SQLite answers in about 200 µs in all, and took about 270 µs more through
SQLAlchemy than through the driver's cursor (2.08 → 1.81 ms for the page; on PostgreSQL
about 0.8 ms of its 4 ms: docs/performance.md).

A :class:`SelectPlan` keeps those decisions for one statement object and one dialect: the
SQL as SQLAlchemy compiles it, the order of its parameters, the processor of each parameter
and each column (the type's own, as SQLAlchemy looks them up: a ``TypeDecorator``'s
conversions included), the names of the result's columns as SQLAlchemy gives them, and a
named tuple class for its rows. Running it binds the parameters as SQLAlchemy binds them
(:class:`core.binding.Binding`), runs the SQL on the DBAPI connection
SQLAlchemy's ``Connection`` holds (the same transaction, or on PostgreSQL the same
autocommit reading: :mod:`core.safe_requests`), and converts each column as SQLAlchemy's
result would.

Only what can be planned is: a ``SELECT`` (or a ``UNION`` of them) with no execution
options and result columns whose names are distinct identifiers. Parameters SQLAlchemy
renders into the SQL as it runs (an expanding ``IN``, a value written in with
``literal_execute``) are rendered as it renders them. A statement object is planned once
it has been run :data:`SIGHTINGS` times, so a statement built afresh for each request
(whose plan would be made and thrown away each time: SQLAlchemy's cache keeps its compiled
form by structure) never is. Everything else runs through SQLAlchemy, as does a planned
statement whose parameters cannot be bound as given (a missing one: nothing has been sent,
and SQLAlchemy raises its own error). A driver's error is raised as SQLAlchemy raises it
(its wrapper of the same kind, the connection invalidated when the server dropped it),
never by running the statement again: in a transaction on PostgreSQL the first error has
failed the transaction, and a lock's timeout must stay a busy database
(:mod:`core.concurrency`).

Statements run here are told to the engine's :data:`core.raw_reads.LISTENERS` (with
their parameters), as SQLAlchemy's ``before_cursor_execute`` listeners hear the rest:
:func:`core.raw_reads.listen` subscribes a callback to both.
While the engine echoes its statements (``SQLALCHEMY_ECHO``, a developer's log), planned
selects run through SQLAlchemy, so that the log shows every statement.
"""

from __future__ import annotations

import contextlib
import functools
import keyword
import sys
import weakref
from collections import deque, namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import CompoundSelect, Connection, CursorResult, Executable, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

from core import raw_reads
from core.binding import Binding

#: Runs of one statement object after which it is planned.
SIGHTINGS = 3
#: The most plans a process keeps. A plan holds its statement (its compiled form does), so
#: it lasts as long as the process: the pages' selects are a few hundred objects made at
#: import; a statement made for each request and run a few times in it would be planned in
#: every request, and this bounds what that keeps.
MOST_PLANS = 2000

#: Each statement object's plan, or how many times it has been seen (an ``int``), or
#: ``False`` when it cannot be planned; forgotten with the statement (but for a plan).
_KNOWN: weakref.WeakKeyDictionary[Executable, Any] = weakref.WeakKeyDictionary()
#: How many plans have been made in this process.
_MADE = [0]
#: Where a DBAPI connection's record (``ConnectionRecord.info``, emptied when the pool
#: replaces the connection) keeps the cursor planned selects run on: one cursor a
#: connection, each statement's rows fetched whole before the next runs (a cursor made and
#: closed for each statement cost psycopg about 10 µs).
_CURSOR = "cpt_planned_cursor"
#: Where it keeps the cursors of reads sent together (:func:`execute_together`): one for
#: each read of the most sent at once, each holding its rows until they are fetched.
_CURSORS = "cpt_pipelined_cursors"


@functools.cache
def tuple_class(names: tuple[str, ...]) -> Any:
    """One named tuple class for each set of column names, made once."""
    return namedtuple("RowTuple", names)  # type: ignore[misc]


def tuple_maker(names: tuple[str, ...]) -> Callable[[Iterable[Any]], Any]:
    """The ``_make`` of :func:`tuple_class` of ``names``."""
    return tuple_class(names)._make  # type: ignore[no-any-return]


class PlannedResult:
    """The rows of a planned select, as named tuples: what the pages use of a
    ``CursorResult`` (iterating, :meth:`all`, :meth:`first`, :meth:`scalar`,
    :meth:`keys`)."""

    __slots__ = ("_keys", "_rows")

    def __init__(self, rows: list[Any], keys: tuple[str, ...]) -> None:
        self._rows = rows
        self._keys = keys

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        """Every row."""
        return self._rows

    def first(self) -> Any:
        """The first row, or ``None``."""
        return self._rows[0] if self._rows else None

    def scalar(self) -> Any:
        """The first column of the first row, or ``None``."""
        return self._rows[0][0] if self._rows else None

    def keys(self) -> tuple[str, ...]:
        """The columns' names, as SQLAlchemy's result names them."""
        return self._keys


class SelectPlan:
    """What running ``statement`` on ``dialect`` takes, decided once (see the module's
    docstring)."""

    def __init__(self, statement: Executable, dialect: Dialect, keys: tuple[str, ...]
                 ) -> None:
        self.binding = Binding(statement, dialect)
        self.dialect = dialect
        self.keys = keys
        #: The result's columns' types, as SQLAlchemy's result reads them (the compiled
        #: statement's record of what it selects: an entity's columns included).
        self.types = [column[3].dialect_impl(dialect) for column
                      in self.binding.compiled._result_columns]  # type: ignore[attr-defined]
        #: What makes a named tuple of a row as the driver gives it, each column converted
        #: by its result processor: made from the first cursor's description (PostgreSQL's
        #: numbers need its type codes).
        self.convert: Callable[[Sequence[Any]], Any] | None = None

    def run(self, connection: Connection, params: Mapping[str, Any] | None
            ) -> PlannedResult | None:
        """The statement's rows with ``params`` on ``connection``'s DBAPI connection, or
        ``None`` when its parameters cannot be bound as given (then SQLAlchemy runs it, and
        raises its own error: nothing has been sent). A driver's error is raised as
        SQLAlchemy raises it (:func:`_raised`), the statement not run again: in a
        transaction on PostgreSQL, the transaction has failed with it."""
        bound = self.bound(params)
        if bound is None:
            return None
        sql, args = bound
        if raw_reads.LISTENERS:
            raw_reads.heard(connection.engine, sql, args)
        kept = connection.connection.info  # the DBAPI connection's, for its life in the pool
        cursor = kept.get(_CURSOR)
        try:
            if cursor is None:
                cursor = kept[_CURSOR] = (
                    connection.connection.dbapi_connection.cursor())  # type: ignore[union-attr]
            cursor.execute(sql, args)
            return self.result(cursor)
        except self.dialect.loaded_dbapi.Error as error:
            kept.pop(_CURSOR, None)
            raise _failed(connection, self.dialect, error, sql, args, [cursor]) from error

    def bound(self, params: Mapping[str, Any] | None) -> tuple[str, Any] | None:
        """The SQL and the driver's arguments for ``params``, or ``None`` when they cannot
        be bound as given."""
        try:
            return self.binding.bind(params)
        except Exception:  # a missing parameter, a value its type refuses
            return None

    def result(self, cursor: Any) -> PlannedResult:
        """The rows ``cursor`` holds for this statement, converted."""
        found: Sequence[Any] = cursor.fetchall()
        convert = self.convert
        if convert is None:
            convert = self.convert = self._converter(cursor.description)
        return PlannedResult(list(map(convert, found)), self.keys)

    def _converter(self, description: Sequence[Any]) -> Callable[[Sequence[Any]], Any]:
        """A row of the driver's as a named tuple of :attr:`keys`, each column converted by
        its type's result processor, in one call: the tuple class's constructor itself
        when no column needs converting, else a function written for the columns that do
        (as :mod:`core.api.dumping` writes its dumps)."""
        processors = {index: processor for index, (kind, column) in enumerate(
            zip(self.types, description, strict=True))
            if (processor := kind.result_processor(self.dialect, column[1]))}
        kind = tuple_class(self.keys)
        if not processors:
            return functools.partial(tuple.__new__, kind)
        values = "".join(f"p{i}(row[{i}]), " if i in processors else f"row[{i}], "
                         for i in range(len(self.keys)))
        namespace: dict[str, Any] = {"new": tuple.__new__, "kind": kind,
                                     **{f"p{i}": p for i, p in processors.items()}}
        exec(compile(f"def convert(row):\n    return new(kind, ({values}))\n",
                     f"<row of {len(self.keys)} columns>", "exec"), namespace)
        return namespace["convert"]  # type: ignore[no-any-return]


def _raised(connection: Connection, dialect: Dialect, error: Exception, sql: str,
            args: Any, cursor: Any) -> DBAPIError:
    """``error`` (the driver's) as SQLAlchemy raises it from ``Connection.execute``: its
    wrapper of the same kind (an ``OperationalError`` stays one, so a lock's timeout is
    still a busy database to :mod:`core.concurrency`), and a connection the server dropped
    invalidated, so that the pool replaces it."""
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    if lost:
        connection.invalidate(error)
    return DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error,
                               dialect=dialect, connection_invalidated=lost)


def _failed(connection: Connection, dialect: Dialect, error: Exception, sql: str,
            args: Any, cursors: Iterable[Any]) -> DBAPIError:
    """:func:`_raised`, after closing ``cursors`` (quietly: sqlite3's refuses on a closed
    database); for the caller to raise from ``error``."""
    raised = _raised(connection, dialect, error, sql, args, next(iter(cursors), None))
    for cursor in cursors:
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.close()
    return raised


def _plannable(statement: Executable) -> bool:
    return (isinstance(statement, Select | CompoundSelect)
            and not statement.get_execution_options())


def _names_fit(keys: tuple[str, ...]) -> bool:
    return (len(set(keys)) == len(keys)
            and all(key.isidentifier() and not keyword.iskeyword(key)
                    and not key.startswith("_") for key in keys))


def execute(connection: Connection, statement: Executable,
            params: Mapping[str, Any] | None = None) -> CursorResult[Any] | PlannedResult:
    """``connection.execute(statement, params)``, through the statement's plan once it has
    one (see the module's docstring)."""
    known = _KNOWN.get(statement, 0)
    again = type(known) is SelectPlan
    if again:
        if connection.engine.echo:  # SQLAlchemy's log of statements shows them all
            return connection.execute(statement, params)
        if known.dialect is connection.dialect:
            found = known.run(connection, params)
            if found is not None:
                return found
            return connection.execute(statement, params)
        known = SIGHTINGS - 1  # another app's engine: planned again for this one
    if known is False or not _plannable(statement):
        _KNOWN[statement] = False
        return connection.execute(statement, params)
    result = connection.execute(statement, params)
    if known + 1 < SIGHTINGS:
        _KNOWN[statement] = known + 1
        return result
    keys = tuple(result.keys())
    plan = (SelectPlan(statement, connection.dialect, keys)
            if (again or _MADE[0] < MOST_PLANS) and _names_fit(keys) else None)
    if plan is not None and len(plan.types) == len(keys):
        _KNOWN[statement] = plan
        _MADE[0] += not again
    else:
        _KNOWN[statement] = False
    return result


def _no_exchange() -> Iterator[Any]:
    """A generator that asks psycopg to wait for nothing (it sends and reads nothing)."""
    return iter(())


def writes_at_once(pipeline: Any) -> bool:
    """Whether reads executed in psycopg's ``pipeline`` can be written to the server in one
    go (:func:`_send_at_once`): the pipeline has the queue of commands and the exchange
    hook of psycopg 3.3, the version the project pins. Otherwise they are executed as
    psycopg does, one write each, the answers the same."""
    return (isinstance(getattr(pipeline, "command_queue", None), deque)
            and callable(getattr(pipeline, "_communicate_gen", None)))


def _send_at_once(pipeline: Any, reads: Sequence[tuple[Any, str, Any]]) -> None:
    """Each of ``reads`` (a cursor, its SQL and its arguments) executed in ``pipeline``,
    the lot written to the server in one go when the exit of the pipeline sends its sync.

    psycopg exchanges with the server after each statement a pipeline is given: it waits for
    the socket and writes that statement (two polls and a send a statement, the server
    woken for each). Here the exchange is put off while the statements are queued
    (psycopg's ``_communicate_gen``, looked up on the pipeline, answers with nothing), and
    the queued commands then put into libpq's buffer, so that the pipeline's exit writes
    them and its sync together and reads every answer as before. Under the benchmark's
    load the overview sent 5 writes a request, and 2 with this; the workers' and the
    server's system time fell by about 0.04 ms a request (docs/performance.md). An error
    the server gives any of them is raised at the pipeline's exit, as psycopg raises it."""
    if not writes_at_once(pipeline):
        for cursor, sql, args in reads:
            cursor.execute(sql, args)
        return
    pipeline._communicate_gen = _no_exchange
    try:
        for cursor, sql, args in reads:
            cursor.execute(sql, args)
    finally:
        del pipeline._communicate_gen
    queued = pipeline.command_queue
    while queued:
        queued.popleft()()


@functools.cache
def _pipelines(driver: type) -> bool:
    """Whether connections of the ``driver`` class send statements in pipelines: psycopg's,
    when its libpq can (version 14 or later; the binary wheel's always can)."""
    if not hasattr(driver, "pipeline"):
        return False
    package = sys.modules.get(driver.__module__.partition(".")[0])
    pipeline = getattr(package, "Pipeline", None)
    return bool(pipeline is not None and pipeline.is_supported())


def sends_together(connection: Connection) -> bool:
    """Whether :func:`execute_together` can send reads on ``connection`` (its driver
    pipelines, and the engine does not echo)."""
    return (_pipelines(type(connection.connection.dbapi_connection))
            and not connection.engine.echo)


def execute_together(connection: Connection,
                     reads: Sequence[tuple[Executable, Mapping[str, Any] | None]]
                     ) -> list[PlannedResult | None]:
    """The rows of each of ``reads`` (a statement and its parameters) that has a plan, all
    sent to the server at once: on PostgreSQL, in one of psycopg's pipelines, so that the
    server answers them in one round trip. Each read sent alone waits for its answer, the
    worker and the server each woken once a read: on an idle host seven small reads took
    about 650 µs of CPU between them one by one and about 220 µs sent together. On a host
    whose cores are already busy (the benchmark's load) the CPU a request costs did not
    change: what it saves there is the time a request waits (docs/performance.md).

    ``None`` in the place of a read that is not sent: one not planned yet (the first
    :data:`SIGHTINGS` runs of its statement), one whose parameters cannot be bound as
    given, every read when fewer than two could be sent or while the engine echoes, and
    every read on SQLite, which answers in process with no round trip to save. The caller
    runs those through :func:`execute`. A driver's error is raised as :func:`execute`
    raises it (nothing is run again): in a transaction, the transaction has failed."""
    results: list[PlannedResult | None] = [None] * len(reads)
    if not sends_together(connection):
        return results
    driver = connection.connection.dbapi_connection
    sent = []
    for index, (statement, params) in enumerate(reads):
        plan = _KNOWN.get(statement)
        if type(plan) is SelectPlan and plan.dialect is connection.dialect:
            bound = plan.bound(params)
            if bound is not None:
                sent.append((index, plan, bound))
    if len(sent) < 2:
        return results
    if raw_reads.LISTENERS:
        for _, _, (sql, args) in sent:
            raw_reads.heard(connection.engine, sql, args)
    kept = connection.connection.info
    cursors: list[Any] = kept.setdefault(_CURSORS, [])
    try:
        while len(cursors) < len(sent):
            cursors.append(driver.cursor())  # type: ignore[union-attr]
        with driver.pipeline() as pipeline:  # type: ignore[union-attr]
            _send_at_once(pipeline, [(cursor, sql, args) for cursor, (_, _, (sql, args))
                                     in zip(cursors, sent, strict=False)])
        for cursor, (index, plan, _) in zip(cursors, sent, strict=False):
            results[index] = plan.result(cursor)
    except connection.dialect.loaded_dbapi.Error as error:
        kept.pop(_CURSORS, None)
        raise _failed(connection, connection.dialect, error,
                      ";\n".join(sql for _, _, (sql, _) in sent),
                      [args for _, _, (_, args) in sent], cursors) from error
    return results
