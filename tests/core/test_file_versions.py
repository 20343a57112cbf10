"""Rows remembered on an SQLite file until anything is committed to it (core/file_versions.py):
a commit from another connection, process or app, or from this app's own session, is seen
by the next read; a failing question, or a database in memory, means reading every time."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, update

from core import file_versions
from core.councils.models import Council
from core.extensions import db
from core.revision_notices import remembered

SLUG = "herefordshire"


@pytest.fixture
def on_file(app: Flask) -> Iterator[Flask]:
    """``app``, on an SQLite file (the test database), its watch stopped afterwards."""
    with app.app_context():
        if not file_versions.watches(db.engine):
            pytest.skip("the test database is not an SQLite file")
    yield app
    with app.app_context():
        file_versions.stop_watching(db.engine)


def _colour(app: Flask, reads: list[int], max_age: float = 60.0) -> str:
    """The council's colour through :func:`remembered`; ``reads`` counts real reads."""
    def read() -> list[tuple[str]]:
        reads.append(1)
        return [tuple(row) for row in db.session.execute(
            select(Council.colour).where(Council.slug == SLUG))]

    with app.app_context():
        return remembered(db.engine, f"council:{SLUG}", read, max_age=max_age,
                          part="colour")[0][0]


def test_rows_are_remembered_until_another_connection_commits(on_file: Flask) -> None:
    reads: list[int] = []
    first = _colour(on_file, reads)
    assert [_colour(on_file, reads) for _ in range(3)] == [first] * 3 and len(reads) == 1
    with on_file.app_context():
        path = db.engine.url.database
    other = sqlite3.connect(path)  # another process's connection, as far as SQLite knows
    try:
        other.execute("UPDATE council SET colour = '#123456' WHERE slug = ?", (SLUG,))
        assert _colour(on_file, reads) == first and len(reads) == 1  # not yet committed
        other.commit()
    finally:
        other.close()
    assert _colour(on_file, reads) == "#123456" and len(reads) == 2
    assert _colour(on_file, reads) == "#123456" and len(reads) == 2


def test_a_commit_of_the_apps_own_session_and_of_another_app_is_seen(
        on_file: Flask, make_app) -> None:
    reads: list[int] = []
    _colour(on_file, reads)
    with on_file.app_context():
        db.session.execute(update(Council).where(Council.slug == SLUG).values(colour="#0a0b0c"))
        db.session.commit()
    assert _colour(on_file, reads) == "#0a0b0c" and len(reads) == 2
    other = make_app(sync=False)
    with other.app_context():
        db.session.execute(update(Council).where(Council.slug == SLUG).values(colour="#0d0e0f"))
        db.session.commit()
    assert _colour(on_file, reads) == "#0d0e0f" and len(reads) == 3


def test_a_row_is_trusted_for_max_age_at_most_and_zero_remembers_nothing(
        on_file: Flask) -> None:
    reads: list[int] = []
    _colour(on_file, reads, max_age=0.05)
    time.sleep(0.06)
    _colour(on_file, reads, max_age=0.05)
    assert len(reads) == 2
    _colour(on_file, reads, max_age=0)
    _colour(on_file, reads, max_age=0)
    assert len(reads) == 4


def test_a_question_that_fails_means_reading_until_it_answers_again(on_file: Flask) -> None:
    reads: list[int] = []
    _colour(on_file, reads)
    with on_file.app_context():
        watch = file_versions.watch_of(db.engine)
    watch.driver.close()  # closed behind the watch's back: the question fails
    _colour(on_file, reads)
    assert len(reads) == 2 and watch.driver is None and not watch.known
    _colour(on_file, reads)  # a new connection asks: remembered again from here
    _colour(on_file, reads)
    assert len(reads) == 3 and watch.driver is not None


def test_a_database_in_memory_is_read_every_time() -> None:
    engine = create_engine("sqlite://")
    reads: list[int] = []

    def read() -> list[int]:
        reads.append(1)
        return [1]

    try:
        assert not file_versions.watches(engine)
        for _ in range(3):
            remembered(engine, "council:x", read, max_age=60)
        assert len(reads) == 3 and engine not in file_versions._WATCHES
    finally:
        engine.dispose()


def test_a_watch_made_before_a_fork_is_left_to_its_parent(on_file: Flask) -> None:
    reads: list[int] = []
    _colour(on_file, reads)
    with on_file.app_context():
        parent = file_versions.watch_of(db.engine)
        parent.pid = -1  # as if made by the process this one was forked from
        child = file_versions.watch_of(db.engine)
    assert child is not parent and parent in file_versions._INHERITED
    driver = parent.driver
    parent.close()  # as a finalizer would in the child: the parent's connection stays open
    assert parent.driver is driver and driver.execute("SELECT 1").fetchone() == (1,)
    file_versions._INHERITED.remove(parent)
    parent.pid = child.pid
    parent.close()
