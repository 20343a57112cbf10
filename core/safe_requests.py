"""A request that only reads (GET, HEAD, OPTIONS) runs its statements in autocommit on a
PostgreSQL database.

psycopg forgets every statement it has prepared on a connection whenever that connection rolls
back (a rolled-back transaction may have dropped what a statement names), and every request's
session ends with a rollback. So each statement of a page was planned afresh on every
request: PostgreSQL's planner took about 2.5 ms of the dashboard's 10. In autocommit there is
no transaction to roll back (nor a ``BEGIN`` and a ``ROLLBACK`` to send), psycopg prepares a
statement once it has run five times on its connection, and PostgreSQL keeps the plan.

A read loses nothing by it: under READ COMMITTED, PostgreSQL's default, which the toolkit
never changes, each statement of a transaction reads its own snapshot in any case (only a
server whose ``default_transaction_isolation`` was raised to REPEATABLE READ would give a
page one snapshot for all its statements, and lose it here). A safe request must not write,
though, since in autocommit each statement of a change would be committed on
its own: a flush with changes or an ``INSERT``, ``UPDATE`` or ``DELETE`` run through the
session raises :class:`WriteInSafeRequest` before anything is sent, on SQLite too, so that
the tests of either engine find it; on PostgreSQL the autocommit engine also refuses any
statement that begins by writing (text and driver SQL included), the last guard.

A test that keeps an app context open around ``client.get(...)`` shares that context's session
with the request: on PostgreSQL the request then reads on a second connection and does not
see what the test flushed but did not commit. Commit first, as a second request would have
to.

SQLite is left as it is: its driver begins a transaction only before a write, and keeps its
compiled statements across transactions.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from flask import Flask, current_app, has_request_context, request, request_started
from flask_sqlalchemy.session import Session
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, ExecutionContext
from sqlalchemy.orm import ORMExecuteState

from core.raw_reads import share_listeners

#: The methods that only read (HTTP's safe methods).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Set in a request's WSGI environment when Flask dispatches it (never in a request context a
#: test or a command pushes by hand, which may write as it pleases).
READS_ONLY = "cpt.reads_only"

#: Where an app keeps its engines' autocommit copies, in ``app.extensions``.
EXTENSION = "cpt_autocommit_engines"

#: A statement's first word (matched in place: every statement of a safe request is looked at).
_FIRST_WORD = re.compile(r"\s*(\w+)")

#: First words of the statements the autocommit engine refuses.
WRITING_WORDS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY", "CREATE",
                           "ALTER", "DROP", "GRANT", "REVOKE", "LOCK", "CALL", "DO"})


class WriteInSafeRequest(RuntimeError):
    """A GET, HEAD or OPTIONS request tried to write to the database."""


def init_safe_requests(app: Flask) -> None:
    """Mark each request ``app`` dispatches with a safe method as reading only, before its
    first statement (Flask sends ``request_started`` before any URL value preprocessor or
    ``before_request`` function runs)."""
    app.extensions[EXTENSION] = {}
    request_started.connect(_mark_request, app, weak=False)


def _mark_request(_sender: Flask, **_: object) -> None:
    request.environ[READS_ONLY] = request.method in SAFE_METHODS


def in_safe_request() -> bool:
    """Whether the code runs in a dispatched request whose method only reads."""
    return has_request_context() and bool(request.environ.get(READS_ONLY))


def autocommit(engine: Engine) -> Engine:
    """``engine`` in autocommit: a copy sharing its pool, whose connections read without a
    transaction and refuse a statement that writes; made once per app and engine (kept with
    the app, so that it goes with it)."""
    copies: dict[Engine, Engine] = current_app.extensions[EXTENSION]
    copy = copies.get(engine)
    if copy is None:
        copy = copies[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
        event.listen(copy, "before_cursor_execute", _no_writing_statement)
        share_listeners(copy, engine)
    return copy


class RequestSession(Session):
    """Flask-SQLAlchemy's session, reading in autocommit on PostgreSQL in a safe request."""

    def get_bind(self, mapper: Any | None = None, clause: Any | None = None,
                 bind: Engine | Connection | None = None, **kwargs: Any) -> Engine | Connection:
        """The engine (or connection) of Flask-SQLAlchemy's choice, in autocommit when it is
        a PostgreSQL engine and the request only reads."""
        chosen = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if (isinstance(chosen, Engine) and chosen.dialect.name == "postgresql"
                and in_safe_request()):
            return autocommit(chosen)
        return chosen


def _refuse(what: str) -> NoReturn:
    where = f"{request.method} {request.path}" if has_request_context() else "A safe request"
    raise WriteInSafeRequest(
        f"{where} tried to write to the database ({what}); a request that only reads runs "
        "without a transaction on PostgreSQL, so changes belong in a POST "
        "(core.safe_requests)")


@event.listens_for(RequestSession, "before_flush")
def _no_flush_in_safe_request(session: RequestSession, *_: object) -> None:
    if in_safe_request() and (session.new or session.deleted or any(
            session.is_modified(row) for row in session.dirty)):
        _refuse("a flush")


@event.listens_for(RequestSession, "do_orm_execute")
def _no_dml_in_safe_request(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and in_safe_request():
        _refuse("a Core " + ("INSERT" if state.is_insert else
                             "UPDATE" if state.is_update else "DELETE"))


def _no_writing_statement(_connection: Connection, _cursor: Any, statement: str,
                          _parameters: Any, context: ExecutionContext | None,
                          _executemany: bool) -> None:
    compiled_dml = context is not None and (
        context.isinsert or context.isupdate or context.isdelete)  # type: ignore[attr-defined]
    first = _FIRST_WORD.match(statement)
    word = first[1].upper() if first else ""
    if compiled_dml or word in WRITING_WORDS:
        _refuse(f"a statement: {word or '?'}")
