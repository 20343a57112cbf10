"""Fixtures shared by every test: an app on a real database, and a query counter.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
``CPT_TEST_DATABASE_URL`` (``scripts/dev test`` runs the suite once on each). The schema
is created once per session; each test starts from empty tables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from core.app import create_app, plugin_host
from core.extensions import db

PluginSet = Mapping[str, object] | list[object] | None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("CPT_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="session")
def _schema(database_url: str, instance_path: str) -> Iterator[None]:
    app = _build(database_url, instance_path, plugins={})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _build(database_url: str, instance_path: str, plugins: PluginSet) -> Flask:
    os.environ["CPT_INSTANCE_PATH"] = instance_path
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
         "WTF_CSRF_ENABLED": True},
        plugins=plugins,
    )


def _empty_tables() -> None:
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def make_app(database_url: str, instance_path: str, _schema: None
             ) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database: ``make_app(plugins=..., sync=True)``.

    ``plugins=None`` loads the installed entry points (the four reference councils).
    """
    built: list[Flask] = []

    def factory(plugins: PluginSet = None, *, sync: bool = True) -> Flask:
        app = _build(database_url, instance_path, plugins)
        if sync:
            from core.sync import sync_all

            with app.app_context():
                sync_all(plugin_host(app))
        built.append(app)
        return app

    yield factory
    if built:
        with built[0].app_context():
            _empty_tables()
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app with the four reference councils, synced."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class QueryCounter:
    """Counts the SQL statements run inside ``with counter:``."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as counted: ...`` then ``len(counted)``."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


PASSWORD = "correct horse battery staple"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match[1]


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """``make_user(role="panel_admin", council="herefordshire")`` or ``role="site_admin"``."""
    from core.auth.models import Role
    from core.auth.services import create_user

    def factory(role: str = "site_admin", council: str | None = None,
                email: str | None = None) -> Any:
        with app.app_context():
            user = create_user(
                email or f"{role}.{council or 'all'}@example.org", PASSWORD,
                site_admin=role == "site_admin",
                role=None if role == "site_admin" else Role(role), council_slug=council)
            return user.id, user.email

    return factory


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form (with its CSRF token); returns the response."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password})


@pytest.fixture
def admin_client(app: Flask, make_user: Callable[..., Any]) -> FlaskClient:
    """A client signed in as a site administrator."""
    client = app.test_client()
    _, email = make_user("site_admin")
    assert sign_in(client, email).status_code == 302
    return client


#: The council the admin access walk and the admin browser scan work in.
OWN = "isle_of_wight"


@pytest.fixture
def own_data(app: Flask) -> None:
    """Rows the admin walk's URLs name in OWN: a locally recorded pledge with an action, and
    person 1 holding membership 1 of a local seat of the board, and meeting 1 of the board
    with action arising 1."""
    import datetime as dt

    from sqlalchemy import select

    from core.models import Action, Council, Membership, Panel, Person, Seat
    from core.pledges.progress import record_local_pledge

    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == OWN))
        pledge = record_local_pledge(council, number=1, title="A pledge", statement=None)
        db.session.add(Action(council_id=council.id, pledge_id=pledge.id, key="local-action",
                              number=1, origin="local"))
        board = db.session.scalar(select(Panel).where(Panel.council_id == council.id))
        seat = Seat(council_id=council.id, panel=board, key="local-seat", role="A seat",
                    origin="local")
        membership = Membership(council_id=council.id, seat=seat, start=dt.date(2025, 1, 1),
                                person=Person(council_id=council.id, name="A. B."))
        db.session.add(membership)
        db.session.commit()
        assert (membership.id, membership.person_id) == (1, 1)
        # meeting 1 of the board, scheduled through the service, with action arising 1
        from core.meetings.services import add_action, local_datetime, schedule_meeting

        meeting = schedule_meeting(council, board, location=None, starts_at=local_datetime(
            dt.date(2026, 3, 10), dt.time(18, 0)))
        action = add_action(meeting, text="An action", owner="A. B.", due=None)
        assert (meeting.id, action.id) == (1, 1)
