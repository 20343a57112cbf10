"""A fixed read through a DBAPI connection (the read's own; the pool's for an SQLite
database in memory): the same rows as SQLAlchemy's, the pool's connections handed back as
they were lent, errors raised as SQLAlchemy's, and a connection the database dropped never
seen by the reader (on each engine the suite runs on)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import bindparam, create_engine, event, select, text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from core.extensions import db
from core.models import Council
from core.raw_reads import RawRead

REVISION = select(Council.revision, Council.locale).where(Council.slug == bindparam("slug"))


def test_the_rows_are_sqlalchemys(app: Flask) -> None:
    with app.app_context():
        read = RawRead(db.engine, REVISION)
        expected = db.session.execute(REVISION, {"slug": "herefordshire"}).all()
        db.session.rollback()
        assert [tuple(row) for row in expected] == read.rows(slug="herefordshire")
        assert read.rows(slug="nowhere") == []
        # a literal of the statement's own is bound too
        everyone = RawRead(db.engine, select(Council.slug).where(Council.slug != "nowhere")
                           .order_by(Council.slug))
        assert [slug for (slug,) in everyone.rows()] == sorted(
            db.session.scalars(select(Council.slug)))


def test_the_connection_goes_back_as_it_came(app: Flask) -> None:
    """No transaction left open, no autocommit left on: the next session that takes the
    connection writes in a transaction it can roll back."""
    with app.app_context():
        read = RawRead(db.engine, REVISION)
        before = read.rows(slug="herefordshire")
        for _ in range(3):
            read.rows(slug="herefordshire")
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        council.colour = "#010203"
        db.session.flush()
        db.session.rollback()
        assert read.rows(slug="herefordshire") == before
        if db.engine.dialect.name == "postgresql":
            connection = db.engine.raw_connection()
            try:
                assert connection.driver_connection.autocommit is False
            finally:
                connection.close()


def test_a_driver_error_is_raised_as_sqlalchemys(app: Flask) -> None:
    with app.app_context():
        read = RawRead(db.engine, select(text("no_such_column")).select_from(Council.__table__))
        with pytest.raises(DBAPIError) as raised:
            read.rows()
        assert isinstance(raised.value, OperationalError | ProgrammingError)
        assert "no_such_column" in str(raised.value)
        # the connections still read (on PostgreSQL the one that refused is kept; on
        # SQLite it is closed and another made)
        assert RawRead(db.engine, REVISION).rows(slug="herefordshire")
        if read.idle is not None:
            assert len(read.idle) == 1 and not _closed(read.idle[0].driver)


def _closed(driver: Any) -> bool:
    """Whether a driver's connection (psycopg's or sqlite3's) is closed."""
    if hasattr(driver, "closed"):
        return bool(driver.closed)
    try:
        driver.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def _own(read: RawRead) -> Any:
    """The read's one idle connection of its own."""
    assert read.idle is not None and len(read.idle) == 1
    return read.idle[0]


def _postgresql_only() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite a read borrows the pool's connection")


def test_a_dropped_connection_is_replaced(app: Flask) -> None:
    """A read's own connection whose server process went costs the reader nothing: the
    read is made again through SQLAlchemy, the dead connection is closed, and the next
    read opens another."""
    with app.app_context():
        _postgresql_only()
        read = RawRead(db.engine, REVISION)
        expected = read.rows(slug="herefordshire")
        dead = _own(read)
        backend = dead.driver.info.backend_pid
        killer = create_engine(db.engine.url, poolclass=NullPool,
                               isolation_level="AUTOCOMMIT")
        with killer.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:pid)"),
                                 {"pid": backend}).scalar()
        killer.dispose()
        for _ in range(3):
            assert read.rows(slug="herefordshire") == expected
        assert dead.driver.closed
        fresh = _own(read)
        assert fresh is not dead and fresh.driver.info.backend_pid != backend


def test_own_connections_leave_the_pool_alone_and_are_renewed_and_closed(app: Flask) -> None:
    """Reads never check a connection out of the pool; their own is (on PostgreSQL) in
    autocommit, replaced once older than the pool's recycle age, never touched in a child
    process that inherited it, and closed with the engine's connections."""
    from core.extensions import close_connections
    from core.raw_reads import _INHERITED

    with app.app_context():
        read = RawRead(db.engine, REVISION)
        assert read.rows(slug="herefordshire")  # its own connection made: checked out once
        checked_out: list[object] = []
        event.listen(db.engine.pool, "checkout", lambda *args: checked_out.append(args))
        for _ in range(5):
            assert read.rows(slug="herefordshire")
        held = _own(read)
        if db.engine.dialect.name == "postgresql":
            assert held.driver.autocommit is True
        assert len(checked_out) == 0
        if db.engine.pool._recycle >= 0:  # PostgreSQL's are recycled; SQLite's are not
            held.made -= db.engine.pool._recycle + 1  # opened longer ago than pool_recycle
            assert read.rows(slug="herefordshire")
            assert _closed(held.driver) and _own(read) is not held
        inherited = _own(read)
        inherited.pid = -1  # as if made by the process this one was forked from
        assert read.rows(slug="herefordshire")
        assert not _closed(inherited.driver) and inherited in _INHERITED
        _INHERITED.remove(inherited)
        inherited.driver.close()
        last = _own(read)
    close_connections(app)
    assert _closed(last.driver) and not read.idle


@pytest.mark.parametrize(("url", "own"), [
    ("sqlite://", False), ("sqlite:///:memory:", False),
    ("sqlite:///file::memory:?cache=shared&uri=true", False),
    ("sqlite:////tmp/cpt-kept.sqlite3", True),
    ("postgresql+psycopg://user@localhost/cpt", True)])
def test_reads_keep_their_own_connections_but_to_a_database_in_memory(
        url: str, own: bool) -> None:
    from core.raw_reads import keeps_own_connections

    engine = create_engine(url)
    try:
        assert keeps_own_connections(engine) is own
    finally:
        engine.dispose()
