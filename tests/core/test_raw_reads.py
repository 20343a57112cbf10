"""A fixed read through the pool's DBAPI connection: the same rows as SQLAlchemy's, the
connection handed back as it was lent, errors raised as SQLAlchemy's, and a connection
the database dropped never seen by the reader (on each engine the suite runs on)."""

from __future__ import annotations

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
        # the pool's connections still read
        assert RawRead(db.engine, REVISION).rows(slug="herefordshire")


def test_a_dropped_connection_is_replaced(app: Flask) -> None:
    """A pooled connection whose server process went costs the reader nothing: the read
    is made again on another, and the dead one is never lent again."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no server to drop a connection")
        read = RawRead(db.engine, REVISION)
        connection = db.engine.raw_connection()
        with connection.driver_connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        connection.close()  # back to the pool, alive
        killer = create_engine(db.engine.url, poolclass=NullPool,
                               isolation_level="AUTOCOMMIT")
        with killer.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:pid)"),
                                 {"pid": pid}).scalar()
        killer.dispose()
        invalidated: list[object] = []

        def note(*args: object) -> None:
            invalidated.append(args)

        event.listen(db.engine.pool, "invalidate", note)
        try:
            for _ in range(db.engine.pool.checkedin() + 2):
                assert read.rows(slug="herefordshire")
        finally:
            event.remove(db.engine.pool, "invalidate", note)
        assert len(invalidated) == 1  # the dead connection, once: never lent again
