"""A fixed read made on every request, through a DBAPI connection.

The page cache reads a council's revision before every public page it may answer. Through
SQLAlchemy's ``Connection`` that read cost 72 µs on SQLite, most of it the connection
object, its events and the result's processing; through the pool's DBAPI connection and a
cursor, 9 µs (measured at national scale: see docs/performance.md). A
:class:`RawRead` keeps that shortcut correct: the statement is SQLAlchemy's, compiled once
for the engine's dialect; the connection is one of the reads' own (on PostgreSQL in
autocommit, so no transaction is opened or rolled back; on SQLite a SELECT opens none); an
SQLite database in memory, which each connection would see afresh, is read on a connection
of the engine's pool; after a driver's error the statement runs again through
SQLAlchemy, so a dropped connection, a locked database or a wrong statement end as they
would have without the shortcut (an answer, or SQLAlchemy's own error).

The reads keep connections of their own, opened by the engine (so with its settings),
on PostgreSQL held in autocommit: lending one is taking it off a list, not checking it out
of SQLAlchemy's pool (its events, its reset on return, and on PostgreSQL autocommit set and
put back), which cost a third of the read's time in the worker on PostgreSQL and 6 µs of
10 on SQLite (measured in docs/performance.md). A
process holds as many as it has served reads at once (one per worker for gunicorn's sync
workers); like the pool's, each is replaced once older than the pool's ``pool_recycle``,
one the server dropped is thrown away (one that only refused a read is kept), and one made
before a fork is never used or closed by the child. The reads on an engine share them;
:func:`close_reads` closes them (:func:`core.extensions.close_connections` does), and they
are closed when the engine goes.
"""

from __future__ import annotations

import contextlib
import os
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Executable, event

from core.binding import Binding

#: Called with the SQL and the driver's parameters of each statement run past SQLAlchemy's
#: execution (a raw read, a planned select: :mod:`core.planned_selects`) before it runs, as
#: SQLAlchemy's ``before_cursor_execute`` listeners are for every other statement; by
#: engine (a copy of an engine with other options, such as the autocommit copy of
#: :mod:`core.safe_requests`, shares its engine's: :func:`share_listeners`). :func:`listen`
#: adds one.
LISTENERS: weakref.WeakKeyDictionary[Engine, list[Callable[[str, Any], None]]] = (
    weakref.WeakKeyDictionary())


def share_listeners(copy: Engine, engine: Engine) -> None:
    """Let ``copy`` (``engine`` with other execution options) tell ``engine``'s listeners
    of its statements, as SQLAlchemy's events of ``engine`` hear the copy's."""
    LISTENERS[copy] = LISTENERS.setdefault(engine, [])


def heard(engine: Engine, sql: str, parameters: Any) -> None:
    """Tell the listeners of ``engine`` that ``sql`` runs with ``parameters``."""
    for listener in LISTENERS.get(engine, ()):
        listener(sql, parameters)


#: The idle connections of the reads on each engine, shared by them.
_OWN: weakref.WeakKeyDictionary[Engine, deque[_Held]] = weakref.WeakKeyDictionary()
#: The lists of idle connections of SQLAlchemy's kept for each engine, weakly
#: (:func:`library_connections`).
_LIBRARY: weakref.WeakKeyDictionary[Engine, list[weakref.ref[deque[_Held]]]] = (
    weakref.WeakKeyDictionary())
#: Connections a parent process made before forking: kept referenced and never closed here
#: (closing one would end the parent's session; dropping it would warn of an unclosed
#: connection).
_INHERITED: list[Any] = []


class _Held:
    """One connection kept outside SQLAlchemy's pool (the driver's, in autocommit on
    PostgreSQL; with ``library``, SQLAlchemy's ``Connection`` around it as well, made by
    that engine, so with its options and events), and the process and time it was made
    in."""

    __slots__ = ("driver", "entry", "library", "made", "pid")

    def __init__(self, engine: Engine, *, library: bool = False) -> None:
        self.library: Connection | None = None
        self.entry: Any = None
        if library:
            self.library = engine.connect()
            entry = self.entry = self.library.connection
            record = entry._connection_record
            self.made = record.starttime if record is not None else time.time()
            self.driver = entry.dbapi_connection
            if record is not None:
                # what the engine's options would undo at check-in (autocommit) is this
                # connection's, which never goes back: not left for the record's next one
                record.finalize_callback.clear()
            self.library.detach()  # the pool forgets it: closing it closes the driver's
        else:
            self.driver, self.made = own_connection(engine)
        self.pid = os.getpid()

    def usable(self) -> bool:
        """Whether SQLAlchemy's connection is still open on the connection made for it: not
        closed, not invalidated, and not reconnected since (a detached connection that
        SQLAlchemy invalidated reconnects through the pool at its next use, as one of the
        pool's, outside autocommit). Asked of its attributes, so as not to reconnect."""
        library = self.library
        return library is None or (
            not library.closed and library._dbapi_connection is self.entry
            and self.entry.dbapi_connection is self.driver)

    def close(self) -> None:
        """Close the connection (whatever state the server left it in)."""
        if self.library is not None:
            with contextlib.suppress(Exception):
                self.library.close()
        with contextlib.suppress(Exception):
            # SQLAlchemy lets go of a detached connection it invalidates without closing it
            self.driver.close()


def own_connection(engine: Engine) -> tuple[Any, float]:
    """A connection of ``engine``'s settings that its pool forgets (the caller's, closed by
    it), in autocommit; and when it was opened (the pool may lend one it has held a while)."""
    lent = engine.raw_connection()  # made by the engine's pool, with its settings
    driver = lent.driver_connection
    record = lent._connection_record
    made = record.starttime if record is not None else time.time()
    lent.detach()
    if engine.dialect.name == "postgresql":
        driver.autocommit = True
    return driver, made


def keeps_own_connections(engine: Engine) -> bool:
    """Whether the reads on ``engine`` keep connections of their own: on PostgreSQL, and
    on an SQLite database in a file (one in memory is a new, empty database on every
    connection but the pool's)."""
    if engine.dialect.name == "postgresql":
        return True
    if engine.dialect.name != "sqlite":
        return False
    database = engine.url.database or ""
    in_memory = (not database or database == ":memory:" or database.startswith("file::memory:")
                 or "mode=memory" in database or engine.url.query.get("mode") == "memory")
    return not in_memory


class RawRead:
    """``statement`` (a SELECT with bound parameters), ready to run on ``engine``."""

    def __init__(self, engine: Engine, statement: Executable) -> None:
        self.engine = engine
        self.statement = statement
        self.binding = Binding(statement, engine.dialect)
        #: The idle connections of the reads on the engine (see the module's docstring),
        #: or ``None`` for a database in memory, read on the pool's connection.
        self.idle = _idle_of(engine) if keeps_own_connections(engine) else None

    def rows(self, **params: Any) -> list[tuple[Any, ...]]:
        """Every row the statement gives with ``params``, bound as SQLAlchemy binds them
        (:class:`core.binding.Binding`), as the driver gives them (no result processing:
        for reads of text and numbers).

        Should the driver refuse (a connection the server dropped, a database locked), the
        statement runs again through SQLAlchemy, which answers from another connection or
        raises its own error, with its handling of a lost server (every pooled connection
        renewed): the shortcut never changes what a request gets.
        """
        sql, args = self.binding.bind(params)  # with the statement's own literals
        if LISTENERS:
            heard(self.engine, sql, args)
        found = (self._own_rows(sql, args) if self.idle is not None
                 else self._pooled_rows(sql, args))
        if found is not None:
            return found
        with self.engine.connect() as library:
            return [tuple(row) for row in library.execute(self.statement, params)]

    def _pooled_rows(self, sql: str, args: Any) -> list[tuple[Any, ...]] | None:
        """The rows read on a connection of the engine's pool (an SQLite database in
        memory); ``None`` when the driver refused."""
        connection = self.engine.raw_connection()
        try:
            return _fetch(connection.driver_connection, sql, args)
        except self.engine.dialect.loaded_dbapi.Error as error:
            if self.engine.dialect.is_disconnect(error, connection, None):  # type: ignore[arg-type]
                connection.invalidate(error)
            return None
        finally:
            connection.close()

    def _own_rows(self, sql: str, args: Any) -> list[tuple[Any, ...]] | None:
        """The rows read on one of the read's own connections; ``None`` when the driver
        refused (a connection PostgreSQL dropped, or any on SQLite, is then closed)."""
        held = self._lend()
        try:
            found = _fetch(held.driver, sql, args)
        except self.engine.dialect.loaded_dbapi.Error:
            # psycopg says whether the server dropped it; sqlite3 does not, so its is
            # replaced whatever went wrong (a new one next time)
            if getattr(held.driver, "broken", True):
                held.close()
            else:  # the read refused (in autocommit, nothing is left open): kept
                self.idle.append(held)  # type: ignore[union-attr]
            return None
        self.idle.append(held)  # type: ignore[union-attr]
        return found

    def _lend(self) -> _Held:
        """An idle connection of this process younger than the pool's recycle age, or a
        new one."""
        assert self.idle is not None
        return lend(self.idle, self.engine)


def lend(idle: deque[_Held], engine: Engine, *, library: bool = False) -> _Held:
    """An idle connection of ``idle`` made by this process and younger than ``engine``'s
    pool's recycle age (older ones closed, a parent's left alone), or a new one made by
    ``engine`` (with ``library``, SQLAlchemy's ``Connection`` too); given back by appending
    it to ``idle``, or closed."""
    recycle = engine.pool._recycle
    while True:
        try:
            held = idle.pop()
        except IndexError:
            return _Held(engine, library=library)
        if held.pid != os.getpid():
            _INHERITED.append(held)
        elif ((recycle >= 0 and time.time() - held.made > recycle)
              or held.made <= engine.pool._invalidate_time or not held.usable()):
            # too old, older than the pool's last loss of the server (the pool replaces
            # its own then), or no longer the connection it was
            held.close()
        else:
            return held


def _fetch(driver: Any, sql: str, args: Any) -> list[tuple[Any, ...]]:
    """Every row ``sql`` gives with ``args`` on the DBAPI connection ``driver``."""
    cursor = driver.cursor()
    try:
        cursor.execute(sql, args)
        return cursor.fetchall()
    finally:
        cursor.close()


def _idle_of(engine: Engine) -> deque[_Held]:
    """The idle connections of the reads on ``engine``, closed when it goes (if not before:
    :func:`close_reads`)."""
    idle = _OWN.get(engine)
    if idle is None:
        idle = _OWN.setdefault(engine, deque())
        weakref.finalize(engine, _close, idle)
    return idle


def library_connections(engine: Engine, owner: object) -> deque[_Held]:
    """A new list of idle connections of SQLAlchemy's kept for ``engine`` outside its pool
    (those of the safe requests' row reads: :mod:`core.request_connections`), lent by
    :func:`lend` with ``library``: closed with the reads' by :func:`close_reads`, and when
    ``owner`` goes. Listed weakly, so that neither the list nor its connections (which
    refer to the engine) keep the engine alive."""
    idle: deque[_Held] = deque()
    _LIBRARY.setdefault(engine, []).append(weakref.ref(idle))
    weakref.finalize(owner, _close, idle)
    return idle


def _close(idle: deque[_Held]) -> None:
    """Close the connections of ``idle`` this process made; keep the others unclosed."""
    while idle:
        held = idle.pop()
        if held.pid == os.getpid():
            held.close()
        else:
            _INHERITED.append(held)


def close_reads(engine: Engine) -> None:
    """Close the idle connections of the reads on ``engine``, and those kept for its row
    reads (later reads open others)."""
    idle = _OWN.get(engine)
    if idle is not None:
        _close(idle)
    for listed in _LIBRARY.get(engine, ()):
        library = listed()
        if library is not None:
            _close(library)


def listen(engine: Engine, callback: Callable[[str, Any], None]) -> None:
    """Call ``callback`` with the SQL and the driver's parameters of every statement run on
    ``engine``: through SQLAlchemy (its ``before_cursor_execute`` event) and past it
    (:data:`LISTENERS`). How the tests and the benchmark count and explain a page's
    statements; :func:`unlisten` stops it."""
    def before_cursor_execute(_connection: Any, _cursor: Any, statement: str,
                              parameters: Any, *_: Any) -> None:
        callback(statement, parameters)

    if (engine, callback) in _HEARD:
        raise ValueError(f"{callback!r} already listens to {engine!r}")
    _HEARD[(engine, callback)] = before_cursor_execute
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    LISTENERS.setdefault(engine, []).append(callback)


def unlisten(engine: Engine, callback: Callable[[str, Any], None]) -> None:
    """Stop what :func:`listen` started."""
    event.remove(engine, "before_cursor_execute", _HEARD.pop((engine, callback)))
    LISTENERS[engine].remove(callback)


#: Each listening callback's ``before_cursor_execute`` listener, by engine.
_HEARD: dict[tuple[Engine, Callable[[str, Any], None]], Callable[..., None]] = {}
