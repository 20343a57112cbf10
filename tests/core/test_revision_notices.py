"""Revisions remembered between requests on PostgreSQL, and forgotten when the database
says they changed: a change made anywhere shows once its notice arrives (and a change made
in this process at once), a lost listener or missing triggers mean reading every time, and
on SQLite every kept page asks its file's version (tests/core/test_file_versions.py)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from core import revision_notices
from core.councils.models import Council
from core.extensions import db
from core.page_cache import notice_max_age
from core.revision_notices import install_notices, remembered, remove_notices
from tests.conftest import counting_queries

SLUG = "herefordshire"
PAGE = f"/{SLUG}/"


def _until(condition: Callable[[], Any], what: str, seconds: float = 10.0) -> Any:
    """Wait for something another thread or process does (a notice's arrival, a
    connection's loss): ``condition()`` once true, or fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.01)
    return found


def _hearing(listener: revision_notices._Listener) -> bool:
    """Whether ``listener`` listens and has heard a heartbeat on its connection (until
    then nothing it remembers is trusted)."""
    return listener.listening and listener.heard_until > -math.inf


def _listener(app: Flask) -> revision_notices._Listener:
    with app.app_context():
        return revision_notices._LISTENERS[db.engine]


@pytest.fixture
def listening(app: Flask, client: FlaskClient) -> Iterator[revision_notices._Listener]:
    """On PostgreSQL, ``app``'s listener once it listens (a kept page asked for starts it)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no notices: every kept page reads its revision")
    # remembered as the app would by default (the tests' apps remember nothing unless told)
    app.config["REVISION_NOTICE_MAX_AGE"] = revision_notices.MAX_AGE
    client.get(PAGE)
    listener = _listener(app)
    _until(lambda: _hearing(listener), "the listener to listen and hear its heartbeat")
    yield listener


def _libpq(app: Flask) -> str:
    """The test database's address for psycopg itself: a writer outside SQLAlchemy, whose
    commits this process's SQLAlchemy does not see (as another server's)."""
    with app.app_context():
        url = make_url(db.engine.url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _rename_elsewhere(app: Flask, name: str) -> None:
    with psycopg.connect(_libpq(app)) as other:
        other.execute("UPDATE council SET name = %s, revision = md5(random()::text) "
                      "WHERE slug = %s", (name, SLUG))


def _calm(listener: revision_notices._Listener | None) -> None:
    """Wait until ``listener`` has no heartbeat under way (while one is, nothing is
    trusted, so a read would go to the database whatever the test is about): the next is a
    quarter of a second away, time enough for the request or read that follows."""
    if listener is not None and listener.listening:
        _until(lambda: not listener.beating, "the heartbeat under way to end")


def _asked(listener: revision_notices._Listener, key: str, read: Callable[[], Any],
           **options: Any) -> Any:
    """:func:`remembered` of ``key`` on the listener's engine, between two heartbeats."""
    _calm(listener)
    return remembered(listener.engine(), key, read, **options)


def _told(listener: revision_notices._Listener, monkeypatch: pytest.MonkeyPatch
          ) -> list[str | None]:
    """The keys ``listener``'s thread is told to forget from now on, as it forgets them."""
    told: list[str | None] = []
    forget = listener.forget

    def recorded(key: str | None = None) -> None:
        told.append(key)
        forget(key)

    monkeypatch.setattr(listener, "forget", recorded)
    return told


def _reads(app: Flask, client: FlaskClient, path: str = PAGE) -> tuple[str, int]:
    """The page's text, and how many statements answering it ran (between two heartbeats,
    when the app has a listener)."""
    with app.app_context():
        _calm(revision_notices._LISTENERS.get(db.engine))
    with counting_queries(app) as counted:
        body = client.get(path).get_data(as_text=True)
    return body, len(counted)


def test_sqlite_asks_its_files_version_for_every_kept_page(
        app: Flask, client: FlaskClient) -> None:
    """On SQLite no notice comes: with memory on, a kept page asks the file's data version
    (one statement) and reads nothing more; with it off, it reads the revision."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("on PostgreSQL the revision is remembered by notices")
    app.config["REVISION_NOTICE_MAX_AGE"] = revision_notices.MAX_AGE
    client.get(PAGE)
    heard: list[str] = []
    with app.app_context():
        from core import raw_reads

        raw_reads.listen(db.engine, lambda sql, _parameters: heard.append(sql))
    for _ in range(3):
        heard.clear()
        client.get(PAGE)
        assert heard == ["PRAGMA data_version"]
    app.config["REVISION_NOTICE_MAX_AGE"] = 0
    heard.clear()
    client.get(PAGE)
    assert len(heard) == 1 and heard[0].startswith("SELECT council.revision")
    assert not revision_notices._LISTENERS


def test_a_kept_page_is_served_without_a_statement_while_nothing_changes(
        app: Flask, client: FlaskClient, listening: revision_notices._Listener) -> None:
    first = client.get(PAGE).get_data(as_text=True)
    for _ in range(3):
        body, statements = _reads(app, client)
        assert body == first and statements == 0
    # the list of councils is remembered the same way
    client.get("/api/councils")
    assert _reads(app, client, "/api/councils")[1] == 0


def test_a_change_made_by_another_server_shows_once_its_notice_arrives(
        app: Flask, client: FlaskClient, listening: revision_notices._Listener,
        monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["REVISION_NOTICE_MAX_AGE"] = 3600  # only the notice can tell
    client.get(PAGE)
    assert _reads(app, client)[1] == 0
    told = _told(listening, monkeypatch)
    _rename_elsewhere(app, "Renamed by another server")
    _until(lambda: f"council:{SLUG}" in told, "the notice")
    assert "Renamed by another server" in client.get(PAGE).get_data(as_text=True)
    # remembered again (once the thread has taken the notice, which the request that
    # showed the change may have seen waiting on the socket)
    _until(lambda: _reads(app, client)[1] == 0, "the new revision to be remembered")


def test_a_change_made_in_this_process_shows_at_once(
        app: Flask, client: FlaskClient, listening: revision_notices._Listener) -> None:
    app.config["REVISION_NOTICE_MAX_AGE"] = 3600
    client.get(PAGE)
    assert _reads(app, client)[1] == 0
    with app.app_context():
        # a key no trigger tells of: only the commit's own forgetting can forget it
        _asked(listening, "council:untold", lambda: [("kept",)])
        db.session.execute(update(Council).where(Council.slug == SLUG)
                           .values(name="Renamed here", revision="0" * 32))
        db.session.commit()
    assert "council:untold" not in listening.known
    assert "Renamed here" in client.get(PAGE).get_data(as_text=True)


def test_a_read_a_notice_overtook_is_not_remembered(
        app: Flask, listening: revision_notices._Listener) -> None:
    reads: list[int] = []

    def read_while_told(key: str) -> Callable[[], list[tuple[str]]]:
        def read() -> list[tuple[str]]:
            reads.append(1)
            listening.forget(key)  # as if the thread took a notice meanwhile
            return [("old",)]
        return read

    _asked(listening, "council:x", read_while_told("council:x"))
    _asked(listening, "council:x", read_while_told("council:y"))  # another key: still not
    _asked(listening, "council:x", lambda: reads.append(1) or [("new",)])
    assert _asked(listening, "council:x", lambda: [("never read",)]) == [("new",)]
    assert len(reads) == 3
    # an unknown council (no rows) is read every time
    assert _asked(listening, "council:none", list) == []
    assert "council:none" not in listening.known


def test_every_part_remembered_of_a_key_is_forgotten_by_its_notice(
        app: Flask, listening: revision_notices._Listener) -> None:
    _asked(listening, "council:x", lambda: [("revision",)])
    _asked(listening, "council:x", lambda: [("the row",)], part="row")
    _asked(listening, "council:y", lambda: [("another's row",)], part="row")
    assert _asked(listening, "council:x", lambda: [("read",)], part="row") == [("the row",)]
    assert _asked(listening, "council:x", lambda: [("read",)]) == [("revision",)]
    listening.forget("council:x")
    assert _asked(listening, "council:x", lambda: [("new row",)], part="row") == [
        ("new row",)]
    assert _asked(listening, "council:x", lambda: [("new",)]) == [("new",)]
    assert _asked(listening, "council:y", lambda: [("read",)], part="row") == [
        ("another's row",)]


def test_a_councils_row_is_remembered_until_its_notice(
        app: Flask, client: FlaskClient, listening: revision_notices._Listener,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Uncached, a page of a council still reads nothing of the council's row while it is
    remembered, and shows another server's change to it once the notice arrives."""
    app.config["REVISION_NOTICE_MAX_AGE"] = 3600
    app.config["PAGE_CACHE"] = False
    client.get(PAGE)
    _calm(listening)
    with counting_queries(app) as counted:
        client.get(PAGE)
    assert counted.statements and not any("WHERE council.slug" in sql
                                          for sql in counted.statements)
    told = _told(listening, monkeypatch)
    _rename_elsewhere(app, "Renamed while uncached")
    _until(lambda: f"council:{SLUG}" in told, "the notice")
    assert "Renamed while uncached" in client.get(PAGE).get_data(as_text=True)


def test_a_remembered_revision_is_trusted_past_its_max_age_while_heartbeats_are_answered(
        app: Flask, listening: revision_notices._Listener) -> None:
    """What is remembered is not read again for its age while the listening connection
    answers its heartbeats, up to :data:`~core.revision_notices.LONGEST_KEPT`."""
    max_age = 4 * revision_notices.BEAT
    assert _asked(listening, "council:x", lambda: [("a",)], max_age=max_age) == [("a",)]
    first = listening.heard_until
    time.sleep(2 * max_age)
    assert listening.heard_until > first  # the heartbeats go on
    assert _asked(listening, "council:x", lambda: [("b",)], max_age=max_age) == [("a",)]
    assert _asked(listening, "council:x", lambda: [("c",)], max_age=0) == [("c",)]
    # past the longest a row is kept, whatever the heartbeats: read again
    rows, when = listening.known["council:x"][""]
    listening.known["council:x"][""] = (rows, when - revision_notices.LONGEST_KEPT - 1)
    assert _asked(listening, "council:x", lambda: [("d",)], max_age=max_age) == [("d",)]
    assert _asked(listening, "council:x", lambda: [("e",)], max_age=max_age) == [("d",)]


def test_without_answered_heartbeats_what_is_remembered_is_read_again_after_its_max_age(
        app: Flask, listening: revision_notices._Listener,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection that stops answering (a network that drops packets without a word):
    once the last heartbeat it answered was sent ``max_age`` ago, every read goes to the
    database."""
    max_age = 4 * revision_notices.BEAT
    assert _asked(listening, "council:x", lambda: [("a",)], max_age=max_age) == [("a",)]
    def unanswered(*_: Any) -> None:  # a heartbeat ends, and no answer counts any more
        with listening.lock:
            listening.beating = False

    monkeypatch.setattr(listening, "_answered", unanswered)
    _until(lambda: time.monotonic() - listening.heard_until > max_age,
           "the last answered heartbeat to be max_age old")
    assert listening.listening
    assert _asked(listening, "council:x", lambda: [("b",)], max_age=max_age) == [("b",)]
    assert _asked(listening, "council:x", lambda: [("c",)], max_age=max_age) == [("c",)]


def test_a_heartbeat_answered_by_another_server_process_trusts_nothing_more(
        app: Flask, listening: revision_notices._Listener,
        caplog: pytest.LogCaptureFixture) -> None:
    """Through a pooler the process answering is not the one the connection listens on
    (whose notices may go to another client): nothing is trusted on that connection from
    then on, and that is logged once."""
    assert listening.server_process is not None
    _asked(listening, "council:x", lambda: [("a",)])
    listening._answered(time.monotonic(), listening.server_process + 1,
                        listening.server_process)
    listening._answered(time.monotonic(), listening.server_process + 1,
                        listening.server_process)
    time.sleep(2 * revision_notices.BEAT)  # the thread's own heartbeats are answered
    assert listening.pooled and listening.heard_until == -math.inf
    assert _asked(listening, "council:x", lambda: [("b",)]) == [("b",)]
    assert _asked(listening, "council:x", lambda: [("c",)]) == [("c",)]
    assert sum("goes through a pooler" in record.getMessage()
               for record in caplog.records) == 1


def test_a_lost_listener_means_reading_every_time_until_another_listens(
        app: Flask, client: FlaskClient, listening: revision_notices._Listener,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(revision_notices, "RETRY_AFTER", 0.2)
    app.config["REVISION_NOTICE_MAX_AGE"] = 3600
    may_connect = threading.Event()
    connect = listening._connect

    def held() -> Any:
        may_connect.wait(10)
        return connect()

    monkeypatch.setattr(listening, "_connect", held)
    client.get(PAGE)
    assert _reads(app, client)[1] == 0
    killer = create_engine(_libpq(app).replace("postgresql://", "postgresql+psycopg://"),
                           poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with killer.connect() as other:
        assert other.execute(text("SELECT pg_terminate_backend(:listener)"),
                             {"listener": listening.server_process}).scalar()
    killer.dispose()
    _until(lambda: not listening.listening, "the listener to notice it is gone")
    _rename_elsewhere(app, "Renamed while nobody listened")
    assert "Renamed while nobody listened" in client.get(PAGE).get_data(as_text=True)
    for _ in range(2):  # kept, and its revision read each time
        assert _reads(app, client)[1] == 1
    may_connect.set()
    _until(lambda: _hearing(listening), "a new connection to listen and hear its heartbeat")
    client.get(PAGE)
    assert _reads(app, client)[1] == 0


def test_without_the_triggers_nothing_is_remembered(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(config={"REVISION_NOTICE_MAX_AGE": revision_notices.MAX_AGE})
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the triggers are PostgreSQL's")
        with db.engine.begin() as connection:
            remove_notices(connection)
    try:
        client = app.test_client()
        client.get(PAGE)
        listener = _listener(app)
        _until(lambda: listener.warned, "the listener to find no triggers")
        assert not listener.listening
        for _ in range(2):
            assert _reads(app, client)[1] == 1
        _rename_elsewhere(app, "Renamed without triggers")
        assert "Renamed without triggers" in client.get(PAGE).get_data(as_text=True)
    finally:
        with app.app_context(), db.engine.begin() as connection:
            install_notices(connection)


def test_the_triggers_name_what_changed(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the triggers are PostgreSQL's")
    with psycopg.connect(_libpq(app), autocommit=True) as listener, \
            psycopg.connect(_libpq(app)) as writer:
        listener.execute("LISTEN cpt_revisions")
        writer.execute("UPDATE council SET slug = 'hereford' WHERE slug = %s", (SLUG,))
        writer.execute("UPDATE directory SET revision = 'x'")
        writer.commit()
        writer.execute("UPDATE council SET slug = %s WHERE slug = 'hereford'", (SLUG,))
        writer.rollback()  # nothing is said of what is not committed
        payloads = {notice.payload for notice in listener.notifies(timeout=2, stop_after=3)}
        assert payloads == {f"council:{SLUG}", "council:hereford", "directory"}
        assert not list(listener.notifies(timeout=0.2))


def test_stopped_with_the_apps_connections(app: Flask,
                                           listening: revision_notices._Listener) -> None:
    from core.extensions import close_connections

    close_connections(app)
    _until(lambda: not listening.thread.is_alive(), "the thread to end")
    with app.app_context():
        assert db.engine not in revision_notices._LISTENERS
        assert db.session.scalar(select(Council.name).where(Council.slug == SLUG))


@pytest.mark.parametrize(("value", "seconds"), [(None, 1.0), ("", 1.0), ("0", 0.0),
                                                 (" 2.5 ", 2.5)])
def test_the_max_age_setting(value: str | None, seconds: float) -> None:
    assert notice_max_age(value) == seconds


@pytest.mark.parametrize("value", ["soon", "-1", "inf", "nan"])
def test_a_bad_max_age_stops_the_start_naming_the_setting(value: str) -> None:
    with pytest.raises(ValueError, match="CPT_REVISION_NOTICE_MAX_AGE must be a number"):
        notice_max_age(value)
