"""The connection a safe request's row reads run on: one the worker keeps from request to
request, rather than the session's.

A request's first row read (:mod:`core.row_reads`) used to begin the session's transaction:
Flask-SQLAlchemy's session made, its transaction begun, a connection checked out of the
pool (on PostgreSQL set to autocommit on the way out and put back on the way in), then
rolled back, checked in and the session closed at the end. For a page of public figures
that was 70–100 µs on SQLite and about 200 µs on PostgreSQL, a fifth of a small page's
time (measured in docs/performance.md).

A request that only reads (:mod:`core.safe_requests`) loses nothing by reading elsewhere:
it may not write, on PostgreSQL it reads in autocommit in any case (each statement its own
snapshot under READ COMMITTED), and SQLite's driver begins no transaction for a SELECT (each
sees what was last committed). So its row reads borrow one of the process's kept
connections (:func:`core.raw_reads.lend`: SQLAlchemy's ``Connection``, detached from the
pool; on PostgreSQL made by the autocommit engine, with its refusal of writing statements),
for the whole request, and give it back when the request ends, after Flask's teardown
functions whatever they did (:meth:`core.app.CorporateParentingApp.do_teardown_request`):
rolled back first if SQLAlchemy began a transaction on it, closed instead if it was closed,
invalidated, or reconnected through the pool since (SQLAlchemy reconnects an invalidated
connection at its next use, as one of the pool's). A process keeps as many as it serves
safe requests at once (one per sync worker, one per busy thread of a threaded server), none
counted in the pool's size; each is replaced once older than the pool's ``pool_recycle`` or
than the pool's last loss of the server, and one made before a fork is never used by the
child.

The session's connection is still used when the session already has a transaction or
changes (a test that flushed in the app context the request shares sees its own rows, as
before), outside a dispatched safe request (a POST, a command, a test's own context) and on
an SQLite database in memory (each connection but the pool's is another, empty database).
A page that also reads through the ORM makes its session as before (a signed-in clerk's
pages no longer do: their user and records are read as rows, :mod:`core.auth.sessions`).
"""

from __future__ import annotations

from collections import deque

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import Connection, Engine

from core.extensions import db
from core.raw_reads import _Held, keeps_own_connections, lend, library_connections
from core.safe_requests import READS_ONLY, autocommit

#: Where an app keeps its :class:`Lender`, in ``app.extensions`` (made at its first safe
#: request, once its engine is known).
EXTENSION = "cpt_request_connections"
#: Where a request keeps the connection it borrowed, in its WSGI environment.
LENT = "cpt.lent_connection"


class Lender:
    """An app's kept connections for its safe requests' row reads: made by ``maker`` (the
    app's engine, or its autocommit copy on PostgreSQL), closed with ``engine``'s reads
    (:func:`core.raw_reads.close_reads`, which :func:`core.extensions.close_connections`
    calls) or when the lender goes with its app; none for an SQLite database in memory."""

    __slots__ = ("__weakref__", "idle", "maker")

    def __init__(self, engine: Engine, maker: Engine) -> None:
        self.maker = maker
        self.idle: deque[_Held] | None = (library_connections(engine, self)
                                          if keeps_own_connections(engine) else None)


def give_back() -> None:
    """Give back the connection this request borrowed, if any: called by
    :meth:`core.app.CorporateParentingApp.do_teardown_request` after every teardown
    function has run (or one has raised), while the request is still there."""
    held: _Held | None = request.environ.pop(LENT, None)
    if held is None:
        return
    connection = held.library
    assert connection is not None
    try:
        usable = held.usable()
        if usable and connection.in_transaction():
            connection.rollback()
    except Exception:  # one that cannot end its transaction is dropped
        usable = False
    lender = current_app.extensions.get(EXTENSION)
    if usable and lender is not None and lender.idle is not None:
        lender.idle.append(held)
    else:
        held.close()


def request_connection() -> Connection | None:
    """The connection this request's row reads run on, if not the session's (see the
    module's docstring): borrowed at the first row read of a dispatched safe request and
    kept for the rest of it; ``None`` for the session's."""
    if not has_request_context():
        return None
    environ = request.environ
    held = environ.get(LENT)
    if held is not None:
        return held.library  # type: ignore[no-any-return]
    if not environ.get(READS_ONLY):
        return None
    registry = db.session.registry
    if registry.has():
        session = registry()
        if session.in_transaction() or session.new or session.dirty or session.deleted:
            return None
    lender = _lender(current_app._get_current_object())  # type: ignore[attr-defined]
    if lender.idle is None:
        return None
    held = environ[LENT] = lend(lender.idle, lender.maker, library=True)
    return held.library


def _lender(app: Flask) -> Lender:
    lender = app.extensions.get(EXTENSION)
    if lender is None:
        engine = db.engine
        maker = autocommit(engine) if engine.dialect.name == "postgresql" else engine
        lender = app.extensions[EXTENSION] = Lender(engine, maker)
    return lender  # type: ignore[no-any-return]
