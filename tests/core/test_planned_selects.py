"""A select planned once and run on the DBAPI cursor (core/planned_selects.py): the same rows,
names and Python types as SQLAlchemy's, the same pages planned or not, only long-lived
selects planned, errors raised as SQLAlchemy's, and every statement heard by the listeners
(on each engine the suite runs on)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Integer, bindparam, column, literal, select, table, text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError, StatementError

from core import planned_selects, raw_reads
from core.extensions import db
from core.models import Action, Council, Meeting
from core.planned_selects import SIGHTINGS, PlannedResult, SelectPlan, execute
from tests.conftest import OWN
from tests.core.test_web import URLS

#: Columns of every kind the pages read: text, numbers, a date, JSON lists, a flag, a
#: label, a literal bound by the statement itself, and a parameter given.
ACTIONS = (select(Action.id, Action.key, Action.number, Action.due, Action.links,
                  Action.outcomes, Action.status.label("state"),
                  literal(7).label("seven"))
           .join(Council, Action.council_id == Council.id)
           .where(Council.slug == bindparam("slug"))
           .order_by(Action.id))
#: A time zone's datetime, given as a parameter and read back.
MEETINGS = (select(Meeting.id, Meeting.starts_at, Meeting.cancelled)
            .where(Meeting.starts_at >= bindparam("start"))
            .order_by(Meeting.id))


def _planned(statement: Any, params: dict[str, Any]) -> tuple[Any, Any]:
    """The statement's rows through SQLAlchemy, then through its plan."""
    connection = db.session.connection()
    expected = connection.execute(statement, params).all()
    for _ in range(SIGHTINGS):
        execute(connection, statement, params)
    found = execute(connection, statement, params)
    assert type(found) is PlannedResult
    assert type(planned_selects._KNOWN[statement]) is SelectPlan
    return expected, found


def _same_rows(expected: list[Any], found: list[Any]) -> None:
    assert [tuple(row) for row in found] == [tuple(row) for row in expected]
    assert [[type(value) for value in row] for row in found] == [
        [type(value) for value in row] for row in expected]


def test_planned_rows_are_sqlalchemys(app: Flask, own_data: None) -> None:
    with app.app_context():
        connection = db.session.connection()
        expected, found = _planned(ACTIONS, {"slug": "bracknell_forest"})
        assert expected, "the reference councils' actions are read"
        _same_rows(expected, found.all())
        assert found.keys() == tuple(connection.execute(ACTIONS, {"slug": "x"}).keys())
        assert [(row.key, row.state, row.seven) for row in found] == [
            (row.key, row.state, row.seven) for row in expected]
        assert found.first() == found.all()[0] and found.scalar() == expected[0][0]
        start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        expected, found = _planned(MEETINGS, {"start": start})
        assert expected, "own_data's meeting is read"
        _same_rows(expected, found.all())
        # the parameter is bound as SQLAlchemy binds it: a later start finds none
        later = execute(connection, MEETINGS, {"start": dt.datetime(2999, 1, 1, tzinfo=dt.UTC)})
        assert type(later) is PlannedResult and later.all() == []
        assert later.first() is None and later.scalar() is None


def test_a_select_made_for_each_call_is_never_planned(app: Flask) -> None:
    with app.app_context():
        connection = db.session.connection()
        for _ in range(SIGHTINGS * 2):
            statement = select(Council.slug).where(Council.slug == bindparam("slug"))
            result = execute(connection, statement, {"slug": OWN})
            assert type(result) is not PlannedResult
            assert result.scalar() == OWN


@pytest.mark.parametrize("statement", [
    # two columns given one name, which a row's attributes cannot tell apart
    select(Council.id, Council.slug.label("id")),
    # options SQLAlchemy would apply
    select(Council.slug).execution_options(stream_results=False),
    # not a select
    text("SELECT slug FROM council"),
], ids=["one name twice", "options", "text"])
def test_what_cannot_be_planned_runs_through_sqlalchemy(app: Flask, statement: Any) -> None:
    with app.app_context():
        connection = db.session.connection()
        expected = connection.execute(statement).all()
        for _ in range(SIGHTINGS * 2):
            result = execute(connection, statement)
            assert type(result) is not PlannedResult
            assert result.all() == expected
        assert planned_selects._KNOWN[statement] is False


#: Parameters rendered as the statement runs: an expanding IN, and a value written in.
LATE = (select(Council.slug, literal(1).label("one"))
        .where(Council.slug.in_(bindparam("slugs", expanding=True)),
               Council.locale != bindparam("locale", literal_execute=True))
        .order_by(Council.slug))


@pytest.mark.parametrize("slugs", [[OWN], [OWN, "herefordshire", "nowhere"], []],
                         ids=["one", "three", "none"])
def test_parameters_rendered_as_the_statement_runs_are_rendered_alike(
        app: Flask, slugs: list[str]) -> None:
    with app.app_context():
        _planned(LATE, {"slugs": ["x"], "locale": "cy"})
        connection = db.session.connection()
        for locale in ("cy", "en"):
            params = {"slugs": slugs, "locale": locale}
            found = execute(connection, LATE, params)
            assert type(found) is PlannedResult
            _same_rows(connection.execute(LATE, params).all(), found.all())
        assert [row.slug for row in execute(connection, LATE, {
            "slugs": slugs, "locale": "cy"})] == sorted(set(slugs) - {"nowhere"})


def test_no_more_plans_than_the_most_are_made(app: Flask,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A process keeps at most MOST_PLANS plans (each holds its statement for good); one
    made before the most was reached still serves."""
    statement = select(Council.slug).where(Council.slug == bindparam("slug"))
    with app.app_context():
        _planned(ACTIONS, {"slug": OWN})
        connection = db.session.connection()
        monkeypatch.setattr(planned_selects, "MOST_PLANS", planned_selects._MADE[0])
        for _ in range(SIGHTINGS * 2):
            assert execute(connection, statement, {"slug": OWN}).scalar() == OWN
        assert planned_selects._KNOWN[statement] is False
        assert type(execute(connection, ACTIONS, {"slug": OWN})) is PlannedResult


def test_a_missing_parameter_is_refused_as_sqlalchemy_refuses_it(app: Flask) -> None:
    with app.app_context():
        _planned(ACTIONS, {"slug": OWN})
        with pytest.raises(StatementError, match="slug"):
            execute(db.session.connection(), ACTIONS, {})


def test_a_driver_error_is_raised_as_sqlalchemys_and_not_run_again(app: Flask) -> None:
    """A planned select the driver refuses (here, its table dropped since, in a
    transaction) raises SQLAlchemy's wrapper of the driver's own error, of the same kind:
    not run again, which on PostgreSQL would meet the failed transaction instead."""
    probe = table("planned_probe", column("n"))
    statement = select(probe.c.n).where(probe.c.n > bindparam("least"))
    heard: list[str] = []

    def hear(sql: str, _parameters: Any) -> None:
        heard.append(sql)

    with app.app_context():
        connection = db.session.connection()
        connection.execute(text("CREATE TABLE planned_probe (n INTEGER)"))
        connection.execute(text("INSERT INTO planned_probe (n) VALUES (1), (2), (3)"))
        _expected, found = _planned(statement, {"least": 1})
        assert [n for (n,) in found] == [2, 3]
        connection.execute(text("DROP TABLE planned_probe"))
        raw_reads.listen(db.engine, hear)
        try:
            with pytest.raises(DBAPIError) as raised:
                execute(connection, statement, {"least": 1})
        finally:
            raw_reads.unlisten(db.engine, hear)
        assert len(heard) == 1  # sent once
        if db.engine.dialect.name == "postgresql":
            assert type(raised.value) is ProgrammingError
            assert raised.value.orig.sqlstate == "42P01"  # undefined table, not 25P02
        else:
            assert type(raised.value) is OperationalError
            assert "no such table: planned_probe" in str(raised.value.orig)
        db.session.rollback()


def test_planned_selects_share_one_cursor_a_connection_and_a_failed_one_is_replaced(
        app: Flask, own_data: None) -> None:
    """Planned selects run on one cursor each DBAPI connection keeps (the second
    statement's rows do not disturb the first's, fetched whole); after a driver's error
    that cursor is closed and the next statement gets another, and runs."""
    with app.app_context():
        connection = db.session.connection()
        _expected, actions = _planned(ACTIONS, {"slug": OWN})
        cursor = connection.connection.info[planned_selects._CURSOR]
        _planned(MEETINGS, {"start": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)})
        assert connection.connection.info[planned_selects._CURSOR] is cursor
        assert len(actions.all()) > 0 and all(row.key for row in actions)
        missing = select(column("n")).select_from(table("no_such_table"))
        with pytest.raises(DBAPIError):
            planned_selects.SelectPlan(missing, connection.dialect, ("n",)).run(
                connection, {})
        assert planned_selects._CURSOR not in connection.connection.info
        db.session.rollback()
        connection = db.session.connection()
        again = execute(connection, ACTIONS, {"slug": OWN})
        assert type(again) is PlannedResult
        assert [tuple(row) for row in again] == [tuple(row) for row in actions]
        assert connection.connection.info[planned_selects._CURSOR] is not cursor


def test_a_connection_closed_under_its_kept_cursor_is_invalidated(app: Flask,
                                                                   own_data: None) -> None:
    """The driver's connection closed beneath a planned select: SQLAlchemy's error, the
    connection invalidated (so that the pool replaces it), and the next statement runs on
    a new one."""
    with app.app_context():
        connection = db.session.connection()
        _expected, actions = _planned(ACTIONS, {"slug": OWN})
        connection.connection.dbapi_connection.close()
        with pytest.raises(DBAPIError) as raised:
            execute(connection, ACTIONS, {"slug": OWN})
        assert raised.value.connection_invalidated
        db.session.rollback()
        again = execute(db.session.connection(), ACTIONS, {"slug": OWN})
        assert [tuple(row) for row in again] == [tuple(row) for row in actions]


#: Parameters whose names a named driver cannot take as they are, one with a processor.
ESCAPED = (select(Meeting.id)
           .where(Meeting.starts_at >= bindparam("since.day"),
                  Meeting.cancelled == bindparam("is it"))
           .order_by(Meeting.id))
#: An expanding IN beside a parameter whose processor SQLite needs (a datetime is stored
#: as SQLAlchemy writes it, and compared as text).
LATE_DATED = (select(Meeting.id)
              .where(Meeting.id.in_(bindparam("ids", expanding=True)),
                     Meeting.starts_at > bindparam("since"))
              .order_by(Meeting.id))


def test_parameters_are_bound_as_sqlalchemy_binds_them(app: Flask, own_data: None) -> None:
    with app.app_context():
        connection = db.session.connection()
        meeting_id, starts_at = connection.execute(
            select(Meeting.id, Meeting.starts_at).order_by(Meeting.id)).first()
        for since in (starts_at, starts_at - dt.timedelta(minutes=1)):
            params = {"since.day": since, "is it": False}
            expected, found = _planned(ESCAPED, params)
            _same_rows(expected, found.all())
            params = {"ids": [meeting_id], "since": since}
            expected, found = _planned(LATE_DATED, params)
            _same_rows(expected, found.all())
            assert [row.id for row in found] == ([] if since == starts_at else [meeting_id])


#: A select of a whole model, whose result columns SQLAlchemy's compiled statement
#: records (not its selected entities), and a column given as text.
ENTITY = select(Council).where(Council.slug == bindparam("slug"))
TEXT_COLUMN = select(Council.id, text("slug")).select_from(Council).order_by(Council.id)


@pytest.mark.parametrize("statement", [ENTITY, TEXT_COLUMN], ids=["entity", "text column"])
def test_a_select_of_a_model_or_of_text_gives_sqlalchemys_rows(app: Flask,
                                                                statement: Any) -> None:
    with app.app_context():
        expected, found = _planned(statement, {"slug": OWN})
        assert expected
        _same_rows(expected, found.all())
        assert found.keys() == tuple(db.session.connection().execute(
            statement, {"slug": OWN}).keys())


def test_an_echoing_engine_logs_planned_selects_too(app: Flask,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """While the engine echoes (SQLALCHEMY_ECHO), a planned select runs through
    SQLAlchemy, whose log then shows it; once echo is off, through its plan again."""
    with app.app_context():
        _planned(ACTIONS, {"slug": OWN})
        engine = db.engine
        db.session.remove()  # a connection logs as its engine did when it was opened
        engine.echo = True
        try:
            with caplog.at_level("INFO", logger="sqlalchemy.engine"):
                result = execute(db.session.connection(), ACTIONS, {"slug": OWN})
        finally:
            engine.echo = False
            db.session.remove()
        assert type(result) is not PlannedResult
        assert planned_selects._KNOWN[ACTIONS].binding.sql.split()[0] in caplog.text
        assert "action" in caplog.text
        assert type(execute(db.session.connection(), ACTIONS, {"slug": OWN})) is PlannedResult


def test_a_callback_listens_once(app: Flask) -> None:
    def hear(_sql: str, _parameters: Any) -> None:
        pass

    with app.app_context():
        raw_reads.listen(db.engine, hear)
        try:
            with pytest.raises(ValueError, match="already listens"):
                raw_reads.listen(db.engine, hear)
        finally:
            raw_reads.unlisten(db.engine, hear)


def test_listeners_hear_a_planned_select_with_its_parameters(app: Flask) -> None:
    heard: list[tuple[str, Any]] = []

    def hear(sql: str, parameters: Any) -> None:
        heard.append((sql, parameters))

    with app.app_context():
        _planned(ACTIONS, {"slug": OWN})
        raw_reads.listen(db.engine, hear)
        try:
            execute(db.session.connection(), ACTIONS, {"slug": OWN})
        finally:
            raw_reads.unlisten(db.engine, hear)
        assert len(heard) == 1
        sql, parameters = heard[0]
        assert sql == planned_selects._KNOWN[ACTIONS].binding.sql
        assert OWN in (parameters.values() if isinstance(parameters, dict) else parameters)


def test_listeners_hear_only_the_statements_of_their_engine(make_app: Any) -> None:
    """Two apps (as the benchmark's warm and cold ones): a listener of one hears none of
    the other's planned statements."""
    first, second = make_app(), make_app()
    heard: list[str] = []

    def hear(sql: str, _parameters: Any) -> None:
        heard.append(sql)

    with first.app_context():
        engine = db.engine
        raw_reads.listen(engine, hear)
    try:
        for app in (second, first):
            with app.app_context():
                _planned(ACTIONS, {"slug": OWN})
                found = len(heard)
                execute(db.session.connection(), ACTIONS, {"slug": OWN})
                assert len(heard) == found + (app is first)
    finally:
        raw_reads.unlisten(engine, hear)


#: Files whose bytes carry the time they were made, and forms whose token does.
_STAMPED = (".pdf", ".xlsx", "/login", "/password/forgotten")


def test_every_page_is_the_same_planned_or_not(make_app: Any, own_data: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page of the query-count tests, rendered by SQLAlchemy alone and then with its
    selects planned (after enough renders for them to be), is the same, byte for byte."""
    app = make_app(config={"PAGE_CACHE": False})
    client = app.test_client()
    urls = [url for _, url in URLS if not url.endswith(_STAMPED)]
    monkeypatch.setattr(planned_selects, "SIGHTINGS", 10**9)
    monkeypatch.setattr(planned_selects, "_KNOWN", planned_selects.weakref.WeakKeyDictionary())
    alone = {url: (response.status_code, response.get_data())
             for url in urls for response in [client.get(url)]}
    monkeypatch.setattr(planned_selects, "SIGHTINGS", SIGHTINGS)
    for _ in range(SIGHTINGS):
        for url in urls:
            client.get(url)
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response.get_data()) == alone[url], url
    assert sum(type(known) is SelectPlan for known in planned_selects._KNOWN.values()) >= 20


#: A planned select whose parameters can make the server fail it (a division by zero).
QUOTIENT = select((bindparam("n", type_=Integer) / bindparam("d", type_=Integer)).label("q"))


def test_reads_sent_together_give_each_its_own_rows(app: Flask, own_data: None) -> None:
    """On PostgreSQL, planned reads sent together (one pipeline) give each read the rows it
    gives alone, and a read not planned yet is left to the caller (``None``); on SQLite,
    with no round trip to save, every read is left to the caller."""
    start = {"start": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)}
    fresh = select(Council.slug).where(Council.slug == bindparam("slug"))
    with app.app_context():
        connection = db.session.connection()
        expected_actions, _ = _planned(ACTIONS, {"slug": OWN})
        expected_meetings, _ = _planned(MEETINGS, start)
        found = planned_selects.execute_together(
            connection, [(ACTIONS, {"slug": OWN}), (fresh, {"slug": OWN}),
                         (MEETINGS, start)])
        if connection.dialect.name != "postgresql":
            assert found == [None, None, None]
            return
        actions, unplanned, meetings = found
        assert unplanned is None
        assert type(actions) is PlannedResult and type(meetings) is PlannedResult
        _same_rows(expected_actions, actions.all())
        _same_rows(expected_meetings, meetings.all())
        assert len(connection.connection.info[planned_selects._CURSORS]) == 2
        # one read that could be sent is not worth a pipeline: left to the caller
        assert planned_selects.execute_together(
            connection, [(ACTIONS, {"slug": OWN}), (fresh, {"slug": OWN})]) == [None, None]


def test_reads_sent_together_are_written_in_one_go(app: Flask, own_data: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg exchanges with the server once for the whole pipeline (at its exit), not
    once a read: the hook it exchanges through is the pinned psycopg's, and each read is
    answered as when psycopg writes them one by one."""
    import psycopg

    exchanges: list[int] = []
    exchange = psycopg.Pipeline._communicate_gen

    def counted(self: Any) -> Any:
        exchanges.append(1)
        return exchange(self)

    monkeypatch.setattr(psycopg.Pipeline, "_communicate_gen", counted)
    start = {"start": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)}
    reads = [(ACTIONS, {"slug": OWN}), (MEETINGS, start), (QUOTIENT, {"n": 6, "d": 3})]
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name != "postgresql":
            pytest.skip("reads are sent together on PostgreSQL only")
        expected = [_planned(statement, params)[0] for statement, params in reads]
        with connection.connection.dbapi_connection.pipeline() as pipeline:
            assert planned_selects.writes_at_once(pipeline)
        exchanges.clear()
        at_once = planned_selects.execute_together(connection, reads)
        assert len(exchanges) == 1
        monkeypatch.setattr(planned_selects, "writes_at_once", lambda _pipeline: False)
        exchanges.clear()
        one_by_one = planned_selects.execute_together(connection, reads)
        assert len(exchanges) == len(reads) + 1
    for rows, first, second in zip(expected, at_once, one_by_one, strict=True):
        assert first is not None and second is not None
        _same_rows(rows, first.all())
        _same_rows(rows, second.all())


def test_listeners_hear_each_read_sent_together_once(app: Flask, own_data: None) -> None:
    heard: list[str] = []

    def hear(sql: str, _parameters: Any) -> None:
        heard.append(sql)

    start = {"start": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)}
    with app.app_context():
        _planned(ACTIONS, {"slug": OWN})
        _planned(MEETINGS, start)
        raw_reads.listen(db.engine, hear)
        try:
            found = planned_selects.execute_together(
                db.session.connection(), [(ACTIONS, {"slug": OWN}), (MEETINGS, start)])
        finally:
            raw_reads.unlisten(db.engine, hear)
        sent = [planned_selects._KNOWN[ACTIONS].binding.sql,
                planned_selects._KNOWN[MEETINGS].binding.sql]
        pipelined = db.engine.dialect.name == "postgresql"
        assert (found[0] is not None) is pipelined
        assert heard == (sent if pipelined else [])


def test_a_read_failing_among_reads_sent_together_is_raised_as_sqlalchemys(
        app: Flask, own_data: None) -> None:
    """The server fails one read of a pipeline: SQLAlchemy's error of the same kind, the
    pipeline's cursors closed and forgotten, and after a rollback the reads are sent
    together again on new ones."""
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name != "postgresql":
            pytest.skip("reads are sent together on PostgreSQL only")
        _planned(ACTIONS, {"slug": OWN})
        _planned(QUOTIENT, {"n": 6, "d": 3})
        first = planned_selects.execute_together(
            connection, [(ACTIONS, {"slug": OWN}), (QUOTIENT, {"n": 6, "d": 3})])
        assert first[1] is not None and first[1].scalar() == 2
        cursors = list(connection.connection.info[planned_selects._CURSORS])
        with pytest.raises(DBAPIError, match="division by zero"):
            planned_selects.execute_together(
                connection, [(ACTIONS, {"slug": OWN}), (QUOTIENT, {"n": 1, "d": 0})])
        assert planned_selects._CURSORS not in connection.connection.info
        assert all(cursor.closed for cursor in cursors)
        db.session.rollback()
        connection = db.session.connection()
        again = planned_selects.execute_together(
            connection, [(QUOTIENT, {"n": 9, "d": 3}), (ACTIONS, {"slug": OWN})])
        assert again[0] is not None and again[0].scalar() == 3
        assert [tuple(row) for row in again[1]] == [tuple(row) for row in first[0]]
        # as a safe request reads (autocommit): the error raised, the connection still usable
        with db.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as reading:
            with pytest.raises(DBAPIError, match="division by zero"):
                planned_selects.execute_together(
                    reading, [(ACTIONS, {"slug": OWN}), (QUOTIENT, {"n": 1, "d": 0})])
            after = planned_selects.execute_together(
                reading, [(QUOTIENT, {"n": 8, "d": 2}), (ACTIONS, {"slug": OWN})])
            assert after[0] is not None and after[0].scalar() == 4


def test_only_a_driver_that_can_pipeline_sends_reads_together() -> None:
    import sqlite3

    import psycopg

    assert planned_selects._pipelines(psycopg.Connection) is psycopg.Pipeline.is_supported()
    assert not planned_selects._pipelines(sqlite3.Connection)
