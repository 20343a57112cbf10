"""A safe request's row reads on a connection the worker keeps between requests: no
session made for them, the same connection next time, nothing of the pool's held, what
another connection committed seen at once; the session's connection kept for a request that
writes, for a session with a transaction or changes already, and for a database in memory;
a connection left in a transaction rolled back, one dropped or too old replaced, a parent's
never used (on each engine the suite runs on)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from flask import Flask, jsonify
from sqlalchemy import bindparam, create_engine, select, update

from core import raw_reads, row_reads
from core.extensions import db
from core.models import Council
from core.request_connections import EXTENSION, LENT, Lender, request_connection
from tests.conftest import AppFactory

COLOUR = select(Council.colour).where(Council.slug == bindparam("slug"))


def _with_routes(make_app: AppFactory) -> Flask:
    """The reference councils' app with a route that reads a council's colour through the
    row reads and says how it read it."""
    app = make_app()

    @app.route("/_test/colour/<slug>", methods=["GET", "POST"])
    def colour(slug: str) -> Any:
        found = row_reads.scalar(COLOUR, {"slug": slug})
        lent = request_connection()
        held = app.extensions[EXTENSION].idle if EXTENSION in app.extensions else None
        return jsonify(colour=found, lent=lent is not None,
                       connection=id(lent) if lent is not None else None,
                       session_made=db.session.registry.has(),
                       checked_out=db.engine.pool.checkedout(),
                       idle=len(held) if held is not None else None)

    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _recolour(app: Flask, colour: str) -> None:
    with app.app_context():
        db.session.execute(update(Council).where(Council.slug == "herefordshire")
                           .values(colour=colour))
        db.session.commit()


def test_a_safe_request_reads_on_a_kept_connection_and_makes_no_session(
        make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    client = app.test_client()
    first = client.get("/_test/colour/herefordshire").get_json()
    second = client.get("/_test/colour/herefordshire").get_json()
    assert first["lent"] and second["lent"]
    assert first["connection"] == second["connection"]  # the same, kept between requests
    assert not first["session_made"] and not second["session_made"]
    assert first["checked_out"] == 0  # none of the pool's: the pool is the writers'
    assert second["idle"] == 0  # lent for the request, given back after it
    assert len(app.extensions[EXTENSION].idle) == 1


def test_what_another_connection_committed_is_read_at_once(make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    client = app.test_client()
    before = client.get("/_test/colour/herefordshire").get_json()["colour"]
    _recolour(app, "#0b0c0c")
    after = client.get("/_test/colour/herefordshire").get_json()
    assert after["lent"] and (before, after["colour"]) != ("#0b0c0c", "#0b0c0c")
    assert after["colour"] == "#0b0c0c"


def test_a_request_that_writes_reads_in_the_sessions_transaction(make_app: AppFactory
                                                                   ) -> None:
    app = _with_routes(make_app)
    answer = app.test_client().post("/_test/colour/herefordshire").get_json()
    assert not answer["lent"] and answer["session_made"]
    assert answer["checked_out"] == 1


def test_a_session_with_a_transaction_or_changes_keeps_the_request_on_its_connection(
        make_app: AppFactory) -> None:
    """A test that flushed in the app context the request shares sees its own rows."""
    app = _with_routes(make_app)
    client = app.test_client()
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        assert council is not None
        council.colour = "#123456"
        db.session.flush()
        answer = client.get("/_test/colour/herefordshire").get_json()
        assert answer == {**answer, "colour": "#123456", "lent": False}
        db.session.rollback()
    assert client.get("/_test/colour/herefordshire").get_json()["colour"] != "#123456"


def test_a_transaction_begun_on_the_kept_connection_is_rolled_back(make_app: AppFactory
                                                                    ) -> None:
    app = make_app()

    @app.route("/_test/begun")
    def begun() -> Any:
        connection = request_connection()
        assert connection is not None
        connection.execute(select(Council.slug).limit(1))  # SQLAlchemy begins on its own
        return jsonify(begun=connection.in_transaction())

    client = app.test_client()
    assert client.get("/_test/begun").get_json() == {"begun": True}
    (held,) = app.extensions[EXTENSION].idle
    assert not held.library.in_transaction()


def test_a_connection_dropped_or_too_old_is_replaced_and_a_parents_never_used(
        make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    client = app.test_client()
    connection = client.get("/_test/colour/herefordshire").get_json()["connection"]
    idle = app.extensions[EXTENSION].idle

    (held,) = idle
    held.library.invalidate()  # as SQLAlchemy marks one whose server went away
    answer = client.get("/_test/colour/herefordshire").get_json()
    assert answer["lent"] and answer["colour"] and answer["checked_out"] == 0
    assert answer["connection"] != id(held.library) and held.library.closed

    (held,) = idle
    with app.app_context():
        pool = db.engine.pool
    recycle, pool._recycle = pool._recycle, 60
    try:
        held.made -= 61
        answer = client.get("/_test/colour/herefordshire").get_json()
    finally:
        pool._recycle = recycle
    assert answer["connection"] != id(held.library) and held.library.closed

    (held,) = idle
    held.pid = os.getpid() + 1  # made by a parent before the fork
    answer = client.get("/_test/colour/herefordshire").get_json()
    assert answer["connection"] != id(held.library) and held in raw_reads._INHERITED
    raw_reads._INHERITED.remove(held)
    held.pid = os.getpid()
    held.close()
    assert connection  # the first request was lent one too


def test_a_request_that_raised_gives_its_connection_back(make_app: AppFactory) -> None:
    app = make_app()

    @app.route("/_test/raises")
    def raises() -> Any:
        row_reads.scalar(COLOUR, {"slug": "herefordshire"})
        raise RuntimeError("the view failed")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().get("/_test/raises").status_code == 500
    assert len(app.extensions[EXTENSION].idle) == 1
    assert LENT not in app.extensions  # (the request's own environment held it)


def test_a_teardown_function_that_raises_does_not_keep_the_connection(
        make_app: AppFactory) -> None:
    app = _with_routes(make_app)

    @app.teardown_request
    def fails(_error: BaseException | None) -> None:
        raise RuntimeError("a plugin's teardown failed")

    with pytest.raises(RuntimeError, match="teardown failed"):
        app.test_client().get("/_test/colour/herefordshire")
    assert len(app.extensions[EXTENSION].idle) == 1


def test_a_connection_reconnected_through_the_pool_is_not_kept(make_app: AppFactory
                                                                ) -> None:
    """SQLAlchemy reconnects an invalidated detached connection through the pool at its
    next use: that connection is the pool's (and on PostgreSQL not in autocommit), so it
    is closed at the end of the request, not kept."""
    app = _with_routes(make_app)

    @app.route("/_test/reconnects")
    def reconnects() -> Any:
        row_reads.scalar(COLOUR, {"slug": "herefordshire"})
        connection = request_connection()
        assert connection is not None
        connection.invalidate()  # as after a lost server
        found = row_reads.scalar(COLOUR, {"slug": "herefordshire"})
        return jsonify(colour=found, checked_out=db.engine.pool.checkedout())

    client = app.test_client()
    for _ in range(5):  # the read planned, as a page's are: run past SQLAlchemy's execution
        client.get("/_test/colour/herefordshire")
    for held in app.extensions[EXTENSION].idle:
        assert not held.library.in_transaction()
    answer = client.get("/_test/reconnects").get_json()
    assert answer["colour"] and answer["checked_out"] == 1  # the pool's, for the rest
    assert not app.extensions[EXTENSION].idle
    with app.app_context():
        assert db.engine.pool.checkedout() == 0


def test_the_pool_losing_its_server_replaces_the_kept_connections(make_app: AppFactory
                                                                   ) -> None:
    import time

    app = _with_routes(make_app)
    client = app.test_client()
    first = client.get("/_test/colour/herefordshire").get_json()["connection"]
    (held,) = app.extensions[EXTENSION].idle
    with app.app_context():
        db.engine.pool._invalidate_time = time.time()  # as the pool marks a lost server
    again = client.get("/_test/colour/herefordshire").get_json()["connection"]
    assert again != first and held.library.closed


def test_the_pools_records_keep_no_callback_of_a_kept_connection(make_app: AppFactory
                                                                  ) -> None:
    """On PostgreSQL the autocommit engine leaves, on the pool's record, a callback to put
    its connection's isolation back: the kept connection never goes back, so it is not
    left to pile up there."""
    app = _with_routes(make_app)
    client = app.test_client()
    for _ in range(3):
        client.get("/_test/colour/herefordshire")
        for held in app.extensions[EXTENSION].idle:
            held.library.invalidate()
    with app.app_context():
        records = list(db.engine.pool._pool.queue)  # type: ignore[attr-defined]
    assert records and not any(record.finalize_callback for record in records)


def test_an_app_dropped_without_closing_lets_its_engine_go() -> None:
    import gc
    import weakref

    engine = create_engine("sqlite:///file:kept?mode=rwc&uri=true&vfs=memdb")
    lender = Lender(engine, engine)
    assert lender.idle is not None
    held = raw_reads.lend(lender.idle, engine, library=True)
    lender.idle.append(held)
    gone = weakref.ref(engine)
    del engine, lender, held
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:",
                                 "sqlite:///file::memory:?cache=shared&uri=true"])
def test_a_database_in_memory_is_read_on_the_sessions_connection(url: str) -> None:
    engine = create_engine(url)
    try:
        assert Lender(engine, engine).idle is None
    finally:
        engine.dispose()


def test_closing_the_apps_connections_closes_the_kept_ones(make_app: AppFactory) -> None:
    from core.extensions import close_connections

    app = _with_routes(make_app)
    app.test_client().get("/_test/colour/herefordshire")
    (held,) = app.extensions[EXTENSION].idle
    close_connections(app)
    assert held.library.closed and not app.extensions[EXTENSION].idle
