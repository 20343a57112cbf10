"""The snapshots every test starts from (tests/snapshots.py, tests/conftest.py): a test's
writes never reach the next test, and the synced snapshot is exactly what a sync gives.

These run on whichever database the suite runs on (SQLite, or PostgreSQL with
``CPT_TEST_DATABASE_URL``), so ``scripts/dev test`` checks both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import DateTime, func, select, text

from core.app import plugin_host
from core.auth.models import User
from core.councils.models import Directory
from core.extensions import db
from core.models import Council, Membership, Person, Seat
from core.sync import sync_all
from tests.conftest import AppFactory, OpenApps, create_test_user
from tests.core.growth import BareCouncil

#: Written by the first of the two tests below, looked for by the second.
MARK = "isolation-mark"


def write_everywhere(app: Flask) -> None:
    """Rows in several tables: a user, a new council, and a person holding a seat."""
    create_test_user(app, email=f"{MARK}@example.org")
    with app.app_context():
        db.session.add(Council(slug=MARK, name="Written by a test", plugin="tests"))
        seat = db.session.scalar(select(Seat).order_by(Seat.id).limit(1))
        if seat is not None:
            db.session.add(Membership(council_id=seat.council_id, seat=seat,
                                      start=dt.date(2025, 1, 1),
                                      person=Person(council_id=seat.council_id, name=MARK)))
        db.session.commit()


def assert_unwritten(app: Flask) -> None:
    """Nothing :func:`write_everywhere` wrote is there, and ids start where they did."""
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        assert db.session.scalar(select(Council).where(Council.slug == MARK)) is None
        assert db.session.scalar(select(func.count()).select_from(Person)) == 0
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 0
    # the id counters were put back too: the next person is person 1 again
    assert create_test_user(app, email="next@example.org")[0] == 1
    with app.app_context():
        council = db.session.scalar(select(Council).order_by(Council.id).limit(1))
        if council is not None:
            person = Person(council_id=council.id, name="Next")
            db.session.add(person)
            db.session.commit()
            assert person.id == 1


def test_a_write_in_one_test(app: Flask) -> None:
    write_everywhere(app)
    with app.app_context():
        assert db.session.scalar(select(Council).where(Council.slug == MARK)) is not None


def test_is_not_seen_by_the_next(app: Flask) -> None:
    assert_unwritten(app)


def test_each_factory_starts_afresh_from_the_snapshot_it_needs(open_apps: OpenApps) -> None:
    """As the tests' own factories would, one after the other: synced, then synced again,
    then empty for other plugins, then synced."""
    for plugins, councils in ((None, 4), (None, 4), ({"testshire": BareCouncil()}, 1),
                              (None, 4)):
        with open_apps() as make_app:
            app = make_app(plugins)
            with app.app_context():
                assert db.session.scalar(select(func.count()).select_from(Council)) == councils
            assert_unwritten(app)
            write_everywhere(app)


def test_an_app_without_sync_starts_from_empty_tables(make_app: AppFactory) -> None:
    """Empty but for the directory's one row, made with the schema."""
    app = make_app(sync=False)
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(func.count()).select_from(table)).scalar()
            assert rows == (1 if table.name == Directory.__tablename__ else 0), table.name


def contents(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, ordered, leaving out what a sync stamps afresh each time (the
    moments it ran, and each council's revision, a random token)."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            columns = [column for column in table.columns
                       if not isinstance(column.type, DateTime) and column.name != "revision"]
            rows[table.name] = [tuple(row) for row in db.session.execute(
                select(*columns).order_by(*table.primary_key.columns))]
        if db.engine.dialect.name == "postgresql":
            rows["sequences"] = [tuple(row) for row in db.session.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema() ORDER BY sequencename"))]
        return rows


def test_the_synced_snapshot_is_what_a_sync_gives(open_apps: OpenApps) -> None:
    with open_apps() as make_app:
        app = make_app(sync=False)
        with app.app_context():
            sync_all(plugin_host(app))
        synced_now = contents(app)
    with open_apps() as make_app:
        restored = contents(make_app())
    assert len(restored["council"]) == 4 and sum(map(len, restored.values())) > 100
    assert restored == synced_now
