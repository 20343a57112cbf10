"""Statements of columns past the ORM (core/row_reads.py): rows as named tuples give each
column by name and by position, as the row does, one class for each set of names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import bindparam, select

from core import raw_reads, row_reads
from core.extensions import db
from core.models import Council
from core.planned_selects import SIGHTINGS


def test_tuples_give_what_the_rows_give_by_name_and_position(app: Flask) -> None:
    statement = (select(Council.slug, Council.name.label("title"))
                 .order_by(Council.slug))
    with app.app_context():
        rows = row_reads.rows(statement).all()
        tuples = row_reads.tuples(statement)
        again = row_reads.tuples(statement)
    assert rows and [tuple(row) for row in rows] == [tuple(each) for each in tuples]
    assert [(row.slug, row.title) for row in rows] == [(t.slug, t.title) for t in tuples]
    assert type(tuples[0]) is type(again[0])
    assert type(tuples[0])._fields == ("slug", "title")


def test_reads_together_are_taken_once_each_and_dropped_after_the_block(app: Flask) -> None:
    """Inside :func:`row_reads.together`, each read's rows are the rows it gives alone; on
    PostgreSQL they were sent when the block began (every statement heard before the code
    asks), and a read asked for again, or after the block, runs again."""
    slugs = select(Council.slug).order_by(Council.slug)
    names = select(Council.name).where(Council.slug == bindparam("slug"))
    heard: list[str] = []

    def hear(sql: str, _parameters: Any) -> None:
        heard.append(sql)

    with app.app_context():
        slug = row_reads.rows(slugs).first().slug
        expected = ([tuple(row) for row in row_reads.rows(slugs)],
                    [tuple(row) for row in row_reads.rows(names, {"slug": slug})])
        for _ in range(SIGHTINGS):  # planned, as a page's reads are
            row_reads.rows(slugs)
            row_reads.rows(names, {"slug": slug})
        pipelined = db.engine.dialect.name == "postgresql"
        raw_reads.listen(db.engine, hear)
        try:
            with row_reads.together(row_reads.Read(slugs), row_reads.Read(names, {"slug": slug})):
                sent_ahead = len(heard)
                found = ([tuple(row) for row in row_reads.rows(slugs)],
                         [tuple(row) for row in row_reads.rows(names, {"slug": slug})])
                asked = len(heard)
                row_reads.rows(names, {"slug": slug})  # again: runs again
                again = len(heard)
            row_reads.rows(slugs)
        finally:
            raw_reads.unlisten(db.engine, hear)
    assert found == expected
    assert (sent_ahead, asked) == ((2, 2) if pipelined else (0, 2))
    assert (again, len(heard)) == (asked + 1, asked + 2)


NAMES = select(Council.name).where(Council.slug == bindparam("slug"))


def _slugs_planned() -> list[str]:
    slugs = [row.slug for row in row_reads.rows(select(Council.slug).order_by(Council.slug))]
    assert len(slugs) >= 2
    for _ in range(SIGHTINGS):
        row_reads.rows(NAMES, {"slug": slugs[0]})
    return slugs


def test_a_read_together_is_taken_only_with_equal_parameters(app: Flask) -> None:
    """Two reads of one statement sent together are each taken by its own parameters (on
    PostgreSQL with nothing more sent); parameters changed after sending are read afresh."""
    heard: list[str] = []

    def hear(sql: str, _parameters: Any) -> None:
        heard.append(sql)

    with app.app_context():
        slugs = _slugs_planned()
        alone = [row_reads.scalar(NAMES, {"slug": slug}) for slug in slugs[:2]]
        pipelined = db.engine.dialect.name == "postgresql"
        raw_reads.listen(db.engine, hear)
        try:
            with row_reads.together(row_reads.Read(NAMES, {"slug": slugs[0]}),
                                    row_reads.Read(NAMES, {"slug": slugs[1]})):
                sent = len(heard)
                second = row_reads.rows(NAMES, {"slug": slugs[1]}).scalar()
                first = row_reads.rows(NAMES, {"slug": slugs[0]}).scalar()
                asked = len(heard)
            changed = {"slug": slugs[0]}
            with row_reads.together(row_reads.Read(NAMES, changed),
                                    row_reads.Read(NAMES, {"slug": slugs[1]})):
                changed["slug"] = slugs[1]
                after_change = row_reads.rows(NAMES, changed).scalar()
        finally:
            raw_reads.unlisten(db.engine, hear)
    assert [first, second] == alone and after_change == alone[1]
    assert (sent, asked) == ((2, 2) if pipelined else (0, 2))


def test_parameters_equal_but_of_other_types_are_not_the_same() -> None:
    utc = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
    assert row_reads._same({"a": 1, "b": [1, 2], "c": utc}, {"a": 1, "b": [1, 2], "c": utc})
    for other in ({"a": True, "b": [1, 2], "c": utc}, {"a": 1, "b": (1, 2), "c": utc},
                  {"a": 1.0, "b": [1, 2], "c": utc}, {"a": 1, "b": [1, 2.0], "c": utc},
                  {"a": 1, "b": [1, 2], "c": utc.astimezone(dt.timezone(dt.timedelta(hours=1)))},
                  {"a": 1, "b": [1, 2]}):
        assert not row_reads._same({"a": 1, "b": [1, 2], "c": utc}, other), other


def test_a_block_left_by_an_error_keeps_nothing_and_an_inner_block_its_own(
        app: Flask) -> None:
    """An error inside a block (a 404) leaves no rows ahead; inside an inner block only its
    own reads are ahead, the outer block's again after it, and every read gives its rows."""
    with app.app_context():
        slugs = _slugs_planned()
        alone = [row_reads.scalar(NAMES, {"slug": slug}) for slug in slugs[:2]]
        with pytest.raises(LookupError), row_reads.together(
                row_reads.Read(NAMES, {"slug": slugs[0]}),
                row_reads.Read(NAMES, {"slug": slugs[1]})):
            raise LookupError
        assert row_reads._AHEAD.get() is None
        with row_reads.together(row_reads.Read(NAMES, {"slug": slugs[0]}),
                                row_reads.Read(NAMES, {"slug": slugs[1]})):
            outer = row_reads._AHEAD.get()
            with row_reads.together(row_reads.Read(NAMES, {"slug": slugs[1]}),
                                    row_reads.Read(NAMES, {"slug": slugs[0]})):
                inner = [row_reads.scalar(NAMES, {"slug": slug}) for slug in slugs[:2]]
            assert row_reads._AHEAD.get() is outer
            after = [row_reads.scalar(NAMES, {"slug": slug}) for slug in slugs[:2]]
        assert row_reads._AHEAD.get() is None
    assert inner == after == alone


def test_reads_run_on_the_sessions_connection_kept_until_its_transaction_ends(
        app: Flask) -> None:
    """The connection a read takes is the session's own, the same for every read of a
    transaction; once the transaction ends (committed, rolled back, closed), the next read
    takes the new transaction's."""
    slugs = select(Council.slug)
    with app.app_context():
        row_reads.rows(slugs)
        first = db.session.connection()
        assert row_reads._connection() is first
        db.session.commit()
        row_reads.rows(slugs)
        second = db.session.connection()
        assert row_reads._connection() is second
        db.session.rollback()
        assert row_reads._connection() is db.session.connection()
        db.session.close()
        assert row_reads._connection() is db.session.connection()


def test_a_savepoint_keeps_the_connection_and_its_rollback_leaves_it_to_the_session(
        app: Flask) -> None:
    with app.app_context():
        connection = row_reads._connection()
        savepoint = db.session.begin_nested()
        assert row_reads._connection() is connection
        assert row_reads.KEPT_CONNECTION in db.session.info
        savepoint.rollback()
        assert row_reads.KEPT_CONNECTION not in db.session.info
        assert row_reads._connection() is db.session.connection() is connection
        db.session.rollback()


def test_after_a_failed_flush_a_read_raises_as_the_session_does(app: Flask) -> None:
    """A flush that fails leaves the transaction to be rolled back: a read then raises the
    session's own error rather than running on the connection it kept."""
    from sqlalchemy.exc import IntegrityError, PendingRollbackError

    with app.app_context():
        slug = row_reads.rows(select(Council.slug)).first().slug
        taken = Council(slug=slug, name="Clash", nation="england", plugin="x")
        db.session.add(taken)
        with pytest.raises(IntegrityError):
            db.session.flush()
        with pytest.raises(PendingRollbackError):
            row_reads.rows(select(Council.slug))
        db.session.rollback()
        assert row_reads.rows(select(Council.slug)).first() is not None


def test_a_transaction_on_two_connections_asks_the_session(app: Flask) -> None:
    """A session whose transaction holds a second connection keeps neither: each read asks
    the session for its bind's."""
    from sqlalchemy import create_engine

    with app.app_context():
        connection = row_reads._connection()
        other = create_engine(str(db.engine.url))
        try:
            db.session.connection(bind_arguments={"bind": other})
            assert db.session.info[row_reads.KEPT_CONNECTION] is None
            assert row_reads._connection() is connection
        finally:
            db.session.rollback()
            other.dispose()
