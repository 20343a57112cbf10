"""On an SQLite file, rows a worker has read are remembered until another connection
commits: SQLite's stand-in for PostgreSQL's notices (:mod:`core.revision_notices`).

SQLite sends no notices, but each connection can ask whether anything has been committed
to the file since it last asked: ``PRAGMA data_version`` changes when any other
connection, of this process or another, commits a change (never for the asking
connection's own, and this one never writes). So each process keeps, per engine, one
connection of its own that only asks that, and a memory of the rows read through
:func:`core.revision_notices.remembered` (a council's revision and row, the list of
councils' revision), forgotten whole whenever the answer changes:

- before answering from memory, the version is asked (a microsecond or two on a
  connection of its own, against the pooled read of a row it replaces: about 50 µs of a
  page rendered afresh, in the middle of a request, and a tenth of a kept page's);
- the version is asked before the rows are read: a commit between the two leaves rows newer
  than the version they are kept under, which the next request's question forgets;
- any commit to the file forgets everything remembered, whatever it changed: coarser than
  PostgreSQL's notices of one council, and as sure;
- should the question fail (the file gone, a disk error), nothing is remembered and every
  read goes to the database, the connection replaced at the next question;
- as with notices, a row is trusted for ``REVISION_NOTICE_MAX_AGE`` seconds at most, and
  ``0`` remembers nothing.

An SQLite database in memory is a new database on every connection but the pool's, so it
has no such question to ask: there, every read goes to the database.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine

from core.raw_reads import heard, keeps_own_connections, own_connection

Rows = TypeVar("Rows")

#: The question asked before every answer from memory.
VERSION = "PRAGMA data_version"
#: The most rows a process remembers per engine (a key and part each); past it, it starts
#: again (a council's revision and its row: two a council).
MOST_KEPT = 8192


class _FileWatch:
    """One process's memory of the rows read on one SQLite file, kept while the file's
    data version stays the same."""

    def __init__(self, engine: Engine) -> None:
        self.engine = weakref.ref(engine)
        self.pid = os.getpid()
        self.lock = threading.Lock()
        #: The connection that asks (made on first use, and again after a failure).
        self.driver: Any = None
        #: The data version the remembered rows were read under.
        self.version: int | None = None
        #: What was read, by key and part: (rows, when read, by time.monotonic()).
        self.known: dict[tuple[str, str], tuple[Any, float]] = {}
        #: Counts every forgetting: a read that saw one while it ran is not kept.
        self.generation = 0

    def remembered(self, key: str, read: Callable[[], Rows], max_age: float,
                   part: str = "") -> Rows:
        with self.lock:
            current = self._version()
            if current is None or current != self.version:
                self._forget()
                self.version = current
            found = self.known.get((key, part)) if current is not None else None
            if found is not None and time.monotonic() - found[1] < max_age:
                return found[0]  # type: ignore[no-any-return]
            generation = self.generation
        rows = read()
        if rows:  # an unknown key (a 404) is not kept: asked for again, it is read again
            with self.lock:
                if self.generation == generation and self.version is not None:
                    if len(self.known) >= MOST_KEPT:
                        self.known.clear()
                    self.known[(key, part)] = (rows, time.monotonic())
        return rows

    def _version(self) -> int | None:
        """The file's data version on the watch's own connection; ``None`` when it cannot
        be asked (the connection is then closed, and another made next time)."""
        engine = self.engine()
        if engine is None:
            return None
        try:
            if self.driver is None:
                self.driver, _made = own_connection(engine)
            heard(engine, VERSION, ())
            return int(self.driver.execute(VERSION).fetchone()[0])
        except Exception:  # any failure: read every time until it answers again
            self.close()
            return None

    def _forget(self) -> None:
        self.generation += 1
        self.known.clear()

    def forget(self) -> None:
        """Forget everything remembered."""
        with self.lock:
            self._forget()

    def close(self) -> None:
        """Close the watch's connection (remembering nothing until it asks again); a
        watch made by the process this one was forked from is left to it."""
        if self.pid != os.getpid():
            return
        self._forget()
        self.version = None
        driver, self.driver = self.driver, None
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.close()


#: Each engine's watch in this process.
_WATCHES: weakref.WeakKeyDictionary[Engine, _FileWatch] = weakref.WeakKeyDictionary()
#: Watches made by a process this one was forked from: their connections are the parent's,
#: never used or closed here.
_INHERITED: list[_FileWatch] = []
_MADE = threading.Lock()


def watches(engine: Engine) -> bool:
    """Whether reads on ``engine`` can be remembered by its file's data version (an SQLite
    database in a file)."""
    return engine.dialect.name == "sqlite" and keeps_own_connections(engine)


def file_watch(engine: Engine) -> _FileWatch | None:
    """This process's watch of ``engine``'s file, or ``None`` for a database that is not
    an SQLite file (asked once an engine: every request of a council page asks)."""
    watch = _WATCHES.get(engine)
    if watch is not None and watch.pid == os.getpid():
        return watch
    return watch_of(engine) if watches(engine) else None


def watch_of(engine: Engine) -> _FileWatch:
    """This process's watch of ``engine``'s file (made on first use, and after a fork)."""
    watch = _WATCHES.get(engine)
    if watch is not None and watch.pid == os.getpid():
        return watch
    with _MADE:
        watch = _WATCHES.get(engine)
        if watch is None or watch.pid != os.getpid():
            if watch is not None:
                _INHERITED.append(watch)
            watch = _WATCHES[engine] = _FileWatch(engine)
            weakref.finalize(engine, watch.close)
        return watch


def stop_watching(engine: Engine) -> None:
    """Close this process's watch of ``engine`` (a later read makes another)."""
    watch = _WATCHES.pop(engine, None)
    if watch is not None and watch.pid == os.getpid():
        with watch.lock:
            watch.close()


def forget_watched() -> None:
    """Forget every row this process remembers by a file's version."""
    for watch in list(_WATCHES.values()):
        if watch.pid == os.getpid():
            watch.forget()
