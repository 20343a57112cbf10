"""On PostgreSQL, revisions a worker has read are remembered until the database says they
changed.

The page cache reads a council's revision before it answers with a kept page
(:mod:`core.page_cache`). On PostgreSQL that read is a round trip to a server that shares
the machine, and it was the difference between a kept page on SQLite and on PostgreSQL.
Instead, the database tells every worker when a revision changes:

- triggers on ``council`` and ``directory`` (:data:`NOTICE_DDL`, installed by migration
  0021 and by ``create_all``) send a notice on :data:`CHANNEL` for every row inserted,
  changed or deleted, whoever wrote it (the ORM, a Core statement, ``cpt sync``, ``psql``).
  Its payload is the key of what changed: ``council:<slug>`` (the old and the new slug
  when a council is renamed), ``directory``, or ``*`` after a ``TRUNCATE``. A notice is
  sent when the transaction commits, and only then;
- each process keeps, per engine, one connection of its own that listens (opened on first
  use, after any fork), and a thread that waits on it and forgets the revisions it is told
  of;
- a read made through :func:`remembered` answers from what this process read before, when
  nothing has been said of it since (nor waits on the socket), the listening connection
  last answered a heartbeat sent less than ``REVISION_NOTICE_MAX_AGE`` seconds ago
  (default :data:`MAX_AGE`), and it was read less than :data:`LONGEST_KEPT` seconds ago;
  otherwise it reads anew (and remembers the answer, unless a notice came in while it
  read);
- the heartbeat is a ``SELECT pg_backend_pid()`` the thread runs on its listening
  connection every :data:`BEAT` seconds. Notices the driver reads with its answer wait in
  its queue until the thread takes them, at once: nothing remembered is trusted while a
  heartbeat is under way (a few hundred microseconds, four times a second). An answer
  shows the connection is alive, and that the server process answering is the one the
  connection was made to: through a pooler such as PgBouncer, which tells its clients a
  number of its own, it is not, and nothing is trusted on that connection, whatever the
  pooler does with notices. A connection that fails without a word (a network that drops
  packets) stops answering, and what is remembered is read again once its last answered
  heartbeat is ``REVISION_NOTICE_MAX_AGE`` old. Before 2026-12-06 evening each remembered
  row was read again once that old, heartbeat or not: in the benchmark's rotation one
  request in four or five, and most requests to a council visited less than once a second
  per worker;
- a row remembered longer than :data:`LONGEST_KEPT` (a minute) is read again all the same:
  the bound for writes that bypass the triggers (a restore with ``--disable-triggers``,
  ``session_replication_role = replica``), which send no notice;
- a commit of an ORM session in this process, on any engine, forgets everything at once,
  so a process never serves what it has just changed (a Core connection's commit is
  learnt of by its notice: a listener on every connection's commit would slow every
  statement);
- while the listening connection is not open (not yet, lost, refused, or the triggers are
  missing), nothing is remembered and every read goes to the database, as without notices.
  The thread opens a new connection a few seconds after losing one; one that the network
  drops without a word is lost when the system gives it up (nothing is trusted meanwhile:
  its heartbeat is under way all that time).

So the revision rule is the page cache's as before (a page is kept under the revision it
was rendered at, and the revision changes in the transaction that changes the council);
only the moment a worker learns of another's change moves, from the read at the start of
the next request to the notice's arrival, a fraction of a millisecond after the commit on
one machine. Should the listening connection fail silently, a revision is at most
``REVISION_NOTICE_MAX_AGE`` old. Signed-in users are never served kept pages.
``REVISION_NOTICE_MAX_AGE = 0`` (env ``CPT_REVISION_NOTICE_MAX_AGE=0``) turns notices
off: every read goes to the database, as behind PgBouncer in transaction mode it must
(the pooler accepts ``LISTEN`` and delivers nothing; the check of the server process
catches it too, but costs the listening connection).

The same memory holds a council's whole row as a request that only reads has it
(:func:`core.councils.services.council_row_or_404`), as another part of the same key: the
row's own changes are what the notice on ``council`` reports, and every change to a
council's records changes the revision in that row, so a notice of ``council:<slug>``
forgets the row with the revision. On PostgreSQL a page rendered afresh then reads its
council with no round trip while the row is remembered.

SQLite has no notices: on an SQLite file, the file's data version stands in for them
(:mod:`core.file_versions`: what was read is remembered until any connection commits to
the file); in a database in memory, :func:`remembered` always reads.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import select
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from core.file_versions import file_watch, forget_watched, stop_watching
from core.raw_reads import own_connection

log = logging.getLogger(__name__)

#: The channel the triggers notify on.
CHANNEL = "cpt_revisions"
#: How long what is remembered is trusted after the last heartbeat the listening
#: connection answered was sent, in seconds, unless configured otherwise: the bound on how
#: stale a kept page can be should the listening connection fail without a word.
MAX_AGE = 1.0
#: How often the thread runs its heartbeat when nothing arrives, in seconds (a maximum age
#: shorter than twice this may lapse between heartbeats: rows are then read again more
#: often).
BEAT = 0.25
#: The longest a remembered row is trusted, in seconds, whatever the heartbeats: the bound
#: for writes that bypass the triggers.
LONGEST_KEPT = 60.0
#: What the heartbeat runs: the number of the server process answering.
HEARTBEAT = "SELECT pg_backend_pid()"
#: How long the thread waits before opening a connection again after losing one, in seconds.
RETRY_AFTER = 5.0
#: The longest the thread sleeps at once while it waits to open a connection again, so
#: that it sees a stop soon.
_WAIT = 0.25

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cpt_revision_notice() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('{CHANNEL}', '*');
  ELSIF TG_TABLE_NAME = 'directory' THEN
    PERFORM pg_notify('{CHANNEL}', 'directory');
  ELSE
    IF TG_OP <> 'INSERT' THEN
      PERFORM pg_notify('{CHANNEL}', 'council:' || OLD.slug);
    END IF;
    IF TG_OP <> 'DELETE' THEN
      PERFORM pg_notify('{CHANNEL}', 'council:' || NEW.slug);
    END IF;
  END IF;
  RETURN NULL;
END
$$
"""
#: The triggers: name, table, events, and whether each row fires it or each statement.
_TRIGGERS = (
    ("council_revision_notice", "council", "INSERT OR UPDATE OR DELETE", "ROW"),
    ("council_truncate_notice", "council", "TRUNCATE", "STATEMENT"),
    ("directory_revision_notice", "directory", "INSERT OR UPDATE OR DELETE OR TRUNCATE",
     "STATEMENT"),
)
_DROP_TRIGGERS = tuple(f"DROP TRIGGER IF EXISTS {name} ON {table}"
                       for name, table, _events, _each in _TRIGGERS)
#: What removes the triggers and their function (migration 0021's downgrade).
DROP_DDL = (*_DROP_TRIGGERS, "DROP FUNCTION IF EXISTS cpt_revision_notice()")
#: What installs them, again if they are there (PostgreSQL only). Migration 0021 runs it
#: on an existing database and ``create_all`` on a new one; a change here needs a new
#: migration.
NOTICE_DDL = (
    *_DROP_TRIGGERS,
    _FUNCTION,
    *(f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH {each} "
      "EXECUTE FUNCTION cpt_revision_notice()" for name, table, events, each in _TRIGGERS),
)
#: Whether the triggers are there (the listener is not used without them).
_INSTALLED = ("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ("
              + ", ".join(f"'{trigger[0]}'" for trigger in _TRIGGERS) + ")")

Rows = TypeVar("Rows")


def install_notices(connection: Any) -> None:
    """Create the triggers on ``connection`` (a SQLAlchemy connection or Alembic's bind),
    on PostgreSQL; nothing elsewhere."""
    if connection.dialect.name != "postgresql":
        return
    for statement in NOTICE_DDL:
        connection.exec_driver_sql(statement)


def remove_notices(connection: Any) -> None:
    """Drop the triggers on ``connection`` (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return
    for statement in DROP_DDL:
        connection.exec_driver_sql(statement)


class _Listener:
    """One process's memory of the revisions read on one engine, kept true by the notices
    a thread receives on a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = weakref.ref(engine)
        self.pid = os.getpid()
        self.lock = threading.Lock()
        #: What was read, by key and then by the part of it read (a revision, a council's
        #: row): (rows, when read, by time.monotonic()). A notice of a key forgets every
        #: part of it.
        self.known: dict[str, dict[str, tuple[Any, float]]] = {}
        #: Whether the connection is open and listening (what is known may then be used),
        #: and a poll of its socket (``select.poll``: any descriptor, unlike ``select``).
        self.listening = False
        self.poller = select.poll()
        #: Counts every forgetting: a read that saw it change while it ran is not kept.
        self.generation = 0
        #: When the latest heartbeat the listening connection answered was sent
        #: (``time.monotonic()``); ``-inf`` while none has on this connection, or when it
        #: goes through a pooler.
        self.heard_until = -math.inf
        self.stopped = False
        #: Whether the triggers' absence has been logged (once per listener), and whether
        #: a pooler's has.
        self.warned = False
        self.warned_pooled = False
        #: The server process the listening connection was made to (``None`` before), and
        #: whether another has answered on it (a pooler: nothing is then trusted on it).
        self.server_process: int | None = None
        self.pooled = False
        #: Whether a heartbeat is under way (notices read with its answer may be waiting in
        #: the driver's queue: nothing is trusted until they are forgotten).
        self.beating = False
        self.thread = threading.Thread(target=self._run, name="cpt-revision-notices",
                                       daemon=True)
        self.thread.start()

    def remembered(self, key: str, read: Callable[[], Rows], max_age: float,
                   part: str = "") -> Rows:
        with self.lock:
            found = self.known.get(key, {}).get(part) if self.listening else None
            # A notice already on the socket, not yet read by the driver, says something
            # changed: read. (One the driver has read and the thread not yet forgotten is
            # the gap notices always leave: microseconds, or the few milliseconds the
            # thread may wait for the interpreter's lock.)
            now = time.monotonic()
            if (found is not None and not self.beating and now - self.heard_until < max_age
                    and now - found[1] < LONGEST_KEPT and not self.poller.poll(0)):
                return found[0]  # type: ignore[no-any-return]
            generation = self.generation
        rows = read()
        if rows:  # an unknown key (a 404) is not kept: asked for again, it is read again
            with self.lock:
                if self.listening and self.generation == generation:
                    self.known.setdefault(key, {})[part] = (rows, time.monotonic())
        return rows

    def forget(self, key: str | None = None) -> None:
        """Forget ``key`` (every key: ``None`` or ``*``)."""
        with self.lock:
            self.generation += 1
            if key is None or key == "*":
                self.known.clear()
            else:
                self.known.pop(key, None)

    def _answered(self, sent: float, answering: int, connected_to: int) -> None:
        """The heartbeat sent at ``sent`` was answered by the server process ``answering``,
        and the notices read with its answer forgotten; the connection was made to
        ``connected_to``. The same: what is remembered holds as of ``sent``. Another (a
        pooler's connection, whose client is told a number of its own): nothing is trusted
        on this connection, and that is logged once."""
        if answering != connected_to:
            with self.lock:
                self.beating = False
                self.pooled = True
                self.heard_until = -math.inf
            if not self.warned_pooled:
                log.warning("Revision notices' connection goes through a pooler (server "
                            "process %s answers, %s was connected to); pages' revisions "
                            "are read on every request: give the workers a direct "
                            "connection, or set CPT_REVISION_NOTICE_MAX_AGE=0", answering,
                            connected_to)
                self.warned_pooled = True
            return
        with self.lock:
            self.beating = False
            if self.listening and not self.pooled:
                self.heard_until = max(self.heard_until, sent)

    def _set_listening(self, socket: int | None) -> None:
        """Listening on ``socket`` (its file descriptor), or not (``None``): either way,
        what was known is forgotten."""
        with self.lock:
            self.generation += 1
            self.known.clear()
            self.listening = socket is not None
            self.heard_until = -math.inf  # until a heartbeat on this connection is answered
            self.pooled = self.beating = False
            self.poller = select.poll()
            if socket is not None:
                self.poller.register(socket, select.POLLIN)

    def _run(self) -> None:
        """Listen, forget what the notices name, and listen again after a lost connection,
        until stopped (the engine gone, or :func:`stop_listening`)."""
        while not self.stopped:
            connection = self._connect()
            if connection is None:
                self._pause(RETRY_AFTER)
                continue
            try:
                self.server_process = connected_to = connection.info.backend_pid
                self._set_listening(connection.pgconn.socket)
                while not self.stopped:
                    # Notices the driver reads during the heartbeat wait in its queue until
                    # notifies() gives them: nothing remembered is trusted meanwhile.
                    with self.lock:
                        self.beating = True
                    sent = time.monotonic()
                    answering = connection.execute(HEARTBEAT).fetchone()[0]
                    for notice in connection.notifies(timeout=0):  # that queue, at once
                        self.forget(notice.payload)
                    self._answered(sent, answering, connected_to)
                    for notice in connection.notifies(timeout=BEAT):
                        self.forget(notice.payload)
            except Exception as error:  # any failure: read every time
                if not self.stopped:
                    log.warning("Revision notices stopped (%s); pages' revisions are read "
                                "on every request until they are back", error)
            finally:
                self._set_listening(None)  # before the socket is closed
                with contextlib.suppress(Exception):
                    connection.close()
            if not self.stopped:
                self._pause(RETRY_AFTER)

    def _connect(self) -> Any:
        """A connection of the engine's settings, in autocommit and listening; ``None``
        when the engine is gone, the server cannot be reached or the triggers are missing."""
        engine = self.engine()
        if engine is None:
            self.stopped = True
            return None
        try:
            driver, _ = own_connection(engine)  # the listener's, closed by it
        except Exception as error:
            log.warning("Revision notices cannot connect (%s); retrying", error)
            return None
        del engine
        try:
            installed = driver.execute(_INSTALLED).fetchone()[0]
            if installed < len(_TRIGGERS):
                if not self.warned:
                    log.warning("The revision notices' triggers are missing (`cpt db "
                                "upgrade` adds them); pages' revisions are read on every "
                                "request until they are there")
                    self.warned = True
                driver.close()
                return None
            driver.execute(f"LISTEN {CHANNEL}")
        except Exception as error:
            log.warning("Revision notices cannot listen (%s); retrying", error)
            with contextlib.suppress(Exception):
                driver.close()
            return None
        return driver

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopped and time.monotonic() < deadline:
            time.sleep(min(_WAIT, deadline - time.monotonic()))

    def stop(self) -> None:
        """Stop listening (the thread ends within a second and closes its connection)."""
        self.stopped = True
        self._set_listening(None)


#: Each engine's listener in this process.
_LISTENERS: weakref.WeakKeyDictionary[Engine, _Listener] = weakref.WeakKeyDictionary()
_MADE = threading.Lock()


def remembered(engine: Engine, key: str, read: Callable[[], Rows], *,
               max_age: float = MAX_AGE, part: str = "") -> Rows:
    """What ``read`` gives (rows of the row known by ``key``, ``council:<slug>`` or
    ``directory``: its revision, or with another ``part`` named, another read of that row
    alone, such as the council's whole row), from this process's memory when the
    database has said nothing of ``key`` since it was read and, on PostgreSQL, the
    listening connection answered a heartbeat sent less than ``max_age`` seconds ago and
    the read is less than :data:`LONGEST_KEPT` old (see the module's docstring); always
    ``read()`` when ``max_age`` is 0 (notices off).
    Only what the triggered table's own row holds may be remembered: a notice is sent when
    that row changes, and for nothing else. On an SQLite file, kept until anything is
    committed to the file, and for at most ``max_age`` seconds
    (:mod:`core.file_versions`); in an SQLite database in memory, always read."""
    if max_age <= 0:
        return read()
    if engine.dialect.name != "postgresql":
        watch = file_watch(engine)
        return read() if watch is None else watch.remembered(key, read, max_age, part)
    listener = _LISTENERS.get(engine)
    if listener is None or listener.pid != os.getpid():
        listener = _listener_of(engine)
    return listener.remembered(key, read, max_age, part)


def _listener_of(engine: Engine) -> _Listener:
    with _MADE:
        listener = _LISTENERS.get(engine)
        if listener is None or listener.pid != os.getpid():
            # A parent's listener (before a fork) has no thread here, and its connection
            # is the parent's: left alone.
            listener = _LISTENERS[engine] = _Listener(engine)
            weakref.finalize(engine, listener.stop)
        return listener


def stop_listening(engine: Engine) -> None:
    """Stop ``engine``'s listener (or its SQLite file's watch) in this process (a later
    read starts another)."""
    listener = _LISTENERS.pop(engine, None)
    if listener is not None and listener.pid == os.getpid():
        listener.stop()
    stop_watching(engine)


def forget_everything() -> None:
    """Forget every revision this process remembers, on every engine."""
    for listener in list(_LISTENERS.values()):
        listener.forget()
    forget_watched()


@event.listens_for(Session, "before_commit")
@event.listens_for(Session, "after_commit")
def _forget_on_commit(session: Session) -> None:
    """A commit made here may change any revision: forget them all, at once (its notice
    comes a moment later). Just before the commit, so that no read of this process in
    flight is kept, and again once done, so that none made between the two is kept."""
    if _LISTENERS:
        forget_everything()
