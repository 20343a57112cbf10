"""Fixtures shared by every test: an app on a real database, and a query counter.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
``CPT_TEST_DATABASE_URL`` (``scripts/dev test`` runs the suite once on each). The schema
is created, and the four reference councils synced, once per session; each test's first
app starts from a snapshot of either (see :mod:`tests.snapshots`), so no test sees what
another wrote.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core import raw_reads
from core.app import create_app, plugin_host
from core.bench.demo_paper import small_pdf
from core.extensions import close_connections, db
from tests.snapshots import Snapshots, snapshots_for

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


#: The snapshots the session keeps: the empty schema, and the four reference councils synced.
EMPTY, SYNCED = "empty", "synced"


@pytest.fixture(scope="session")
def _schema(database_url: str, instance_path: str) -> Iterator[Snapshots]:
    """The schema, created once per session, and the snapshots :class:`AppFactory` starts
    each test from: :data:`EMPTY`, and :data:`SYNCED` (what ``sync_all`` of the installed
    plugins gives an empty database)."""
    from core.sync import sync_all

    app = _build(database_url, instance_path, plugins={})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
        snapshots = snapshots_for(db.engine, db.metadata.sorted_tables)
        snapshots.save(EMPTY)
    synced = _build(database_url, instance_path, plugins=None)
    with synced.app_context():
        sync_all(plugin_host(synced))
        db.session.remove()
        db.engine.dispose()
    snapshots.save(SYNCED)
    yield snapshots
    with app.app_context():
        db.session.remove()
        snapshots.drop()
        db.drop_all()
        db.engine.dispose()


#: scrypt at a thirty-second of its full cost: every sign-in in the suite costs a few
#: milliseconds rather than a tenth of a second (tests/core/auth checks the full cost is the
#: default).
TEST_PASSWORD_METHOD = "scrypt:1024:8:1"


def _build(database_url: str, instance_path: str, plugins: PluginSet,
           config: Mapping[str, Any] | None = None) -> Flask:
    os.environ["CPT_INSTANCE_PATH"] = instance_path
    # On PostgreSQL nothing is remembered between requests (revisions, councils' rows)
    # unless a test asks: a request then runs the same statements whatever ran before it
    # and whenever the listener started (tests/core/test_revision_notices.py asks).
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
         "WTF_CSRF_ENABLED": True, "PASSWORD_HASH_METHOD": TEST_PASSWORD_METHOD,
         "REVISION_NOTICE_MAX_AGE": 0, **(config or {})},
        plugins=plugins,
    )


class AppFactory:
    """Builds apps on the test database, for one test (or one fixture of a wider scope):
    ``factory(plugins=..., sync=True, config={...})`` (``config``: settings over the tests'
    own, e.g. ``{"PAGE_CACHE_STORE": "off"}``).

    ``plugins=None`` loads the installed entry points (the four reference councils). The
    first app built starts the database afresh: restored from :data:`SYNCED` when it asks
    for the installed plugins synced (exactly what syncing them into an empty database
    gives, without the cost of a sync), otherwise from :data:`EMPTY` and then synced with
    its own plugins if ``sync``. Later apps share the database as it is, and sync into it
    when asked, as a second server would.
    """

    def __init__(self, database_url: str, instance_path: str, snapshots: Snapshots) -> None:
        self.database_url = database_url
        self.instance_path = instance_path
        self.snapshots = snapshots
        self.built: list[Flask] = []

    def __call__(self, plugins: PluginSet = None, *, sync: bool = True,
                 config: Mapping[str, Any] | None = None) -> Flask:
        from core.sync import sync_all

        restored = not self.built and plugins is None and sync
        if not self.built:
            self.snapshots.restore(SYNCED if restored else EMPTY)
        app = _build(self.database_url, self.instance_path, plugins, config)
        if sync and not restored:
            with app.app_context():
                sync_all(plugin_host(app))
        self.built.append(app)
        return app

    def close(self) -> None:
        """Close every app's connections (the next factory restores the database)."""
        for app in self.built:
            close_connections(app)
        self.built.clear()


#: What :func:`open_apps` gives: ``with open_apps() as make_app: ...``.
OpenApps = Callable[[], AbstractContextManager[AppFactory]]


@pytest.fixture(scope="session")
def open_apps(database_url: str, instance_path: str, _schema: Snapshots) -> OpenApps:
    """``with open_apps() as make_app: ...``: an :class:`AppFactory`, closed at the end;
    for fixtures wider than one test (a test takes :func:`make_app`)."""

    @contextmanager
    def opened() -> Iterator[AppFactory]:
        factory = AppFactory(database_url, instance_path, _schema)
        try:
            yield factory
        finally:
            factory.close()

    return opened


@pytest.fixture
def make_app(open_apps: OpenApps) -> Iterator[AppFactory]:
    """Build an app on the test database: ``make_app(plugins=..., sync=True, config=...)``.

    ``plugins=None`` loads the installed entry points (the four reference councils). The
    test's first app starts from a fresh database (see :class:`AppFactory`), so nothing a
    test writes is seen by the next.
    """
    with open_apps() as factory:
        yield factory


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
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


@contextmanager
def counting_queries(app: Flask) -> Iterator[QueryCounter]:
    """``with counting_queries(app) as counted: ...``: the statements run on ``app``'s
    database meanwhile."""
    counter = QueryCounter()

    def record(statement: str, _parameters: Any) -> None:
        counter.statements.append(statement)

    with app.app_context():
        engine = db.engine
    raw_reads.listen(engine, record)
    try:
        yield counter
    finally:
        raw_reads.unlisten(engine, record)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], AbstractContextManager[QueryCounter]]:
    """``with count_queries() as counted: ...`` then ``len(counted)``."""
    return lambda: counting_queries(app)


PASSWORD = "correct horse battery staple"


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the page"
    return match[1]


def create_test_user(app: Flask, role: str = "site_admin", council: str | None = None,
                     email: str | None = None) -> tuple[int, str]:
    """A user with :data:`PASSWORD` (see :func:`make_user`); returns (id, email)."""
    from core.auth.models import Role
    from core.auth.services import create_user

    with app.app_context():
        user = create_user(
            email or f"{role}.{council or 'all'}@example.org", PASSWORD,
            site_admin=role == "site_admin",
            role=None if role == "site_admin" else Role(role), council_slug=council)
        return user.id, user.email


@pytest.fixture
def make_user(app: Flask) -> Callable[..., tuple[int, str]]:
    """``make_user(role="panel_admin", council="herefordshire")`` or ``role="site_admin"``."""
    return functools.partial(create_test_user, app)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real form (with its CSRF token); returns the response."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password})


def signed_in_admin(app: Flask) -> FlaskClient:
    """A client of ``app`` signed in as a new site administrator."""
    client = app.test_client()
    _, email = create_test_user(app, "site_admin")
    assert sign_in(client, email).status_code == 302
    return client


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    """A client signed in as a site administrator."""
    return signed_in_admin(app)


#: The council the admin access walk and the admin browser scan work in.
OWN = "isle_of_wight"


@pytest.fixture
def own_data(app: Flask) -> None:
    """Rows the admin walk's URLs name in OWN: a locally recorded pledge with an action, and
    person 1 holding membership 1 of a local seat of the board, and meeting 1 of the board
    with action arising 1, officer 1 in attendance, minutes, invitation 1, figure 1 of
    its health assessments indicator, and its local indicator :data:`OWN_INDICATOR`."""
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
        from core.meetings.minutes import save_minutes  # for its minutes PDF

        save_minutes(meeting, "Minutes of meeting 1.", str(meeting.version))
        # invitation 1, to OWN, waiting for an answer
        from core.auth.models import Invitation
        from core.auth.tokens import new_token

        invitation = Invitation(council_id=council.id, email="invited@example.org",
                                role="viewer", token_hash=new_token()[1],
                                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=7))
        db.session.add(invitation)
        db.session.commit()
        assert invitation.id == 1

        # an added agenda item with paper 1 (a real PDF), declaration 1 and planned item 1
        import io

        from core.meetings.declarations import add_declaration
        from core.meetings.papers import add_paper
        from core.meetings.services import add_agenda_item
        from core.meetings.work_programme import add_planned_item

        item = add_agenda_item(meeting, title="A report", description=None)
        assert item.id == OWN_ITEM, item.id
        paper = add_paper(meeting, item, title="The report", stream=io.BytesIO(SMALL_PDF),
                          filename="report.pdf", public=False, exemption="para-1")
        declaration = add_declaration(meeting, person_id=1, item_id=item.id, kind="other",
                                      nature="A foster carer")
        planned = add_planned_item(board, title="Planned", brought_by=None, meeting_id=None,
                                   month=None, notes=None)
        assert (paper.id, declaration.id, planned.id) == (1, 1, 1)

        # officer 1 in attendance at meeting 1
        from core.attendance.services import add_in_attendance

        assert add_in_attendance(meeting, name="An Officer", role=None).id == 1

        # figure 1 of the board's health assessments indicator
        from core.indicators.models import Indicator, IndicatorFigure

        indicator = db.session.scalar(select(Indicator).where(
            Indicator.council_id == council.id, Indicator.key == "health-assessments"))
        figure = IndicatorFigure(council_id=council.id, indicator_id=indicator.id,
                                 period_end=dt.date(2025, 3, 31), value=90.0, numerator=90,
                                 denominator=100)
        db.session.add(figure)
        db.session.commit()
        assert figure.id == 1

        # a local indicator, added by the council's administrators
        from core.indicators.local import LocalIndicatorValues, add_local_indicator

        local = add_local_indicator(council, LocalIndicatorValues(
            title="Own measure", definition="A measure of the council's own", unit="count",
            higher_is_better=True, period="year"))
        assert local.key == OWN_INDICATOR


#: The key of the local indicator ``own_data`` adds to OWN.
OWN_INDICATOR = "local-own-measure"
#: The id of the agenda item ``own_data`` adds to meeting 1 (after the board's standing items).
OWN_ITEM = 1
#: A small real PDF (one page saying "Report"), for papers in tests.
SMALL_PDF = small_pdf("Report")


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[Any]:
    """A real SMTP server on loopback that ``app`` sends its mail through
    (:class:`tests.core.mail.smtp_server.SmtpServer`)."""
    from tests.core.mail.smtp_server import SmtpServer

    with SmtpServer() as server:
        app.config.update(server.config())
        yield server
