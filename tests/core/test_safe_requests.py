"""Requests that only read: in autocommit on PostgreSQL, so that psycopg keeps the statements
it prepares; never writing, on either engine; and nothing changed for a request that writes or
for a request context pushed by hand."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify
from sqlalchemy import insert, select, text, update

from core.extensions import db
from core.models import Council
from core.request_connections import request_connection
from core.safe_requests import WriteInSafeRequest
from tests.conftest import AppFactory

POSTGRESQL_ONLY = "psycopg, its prepared statements and autocommit are PostgreSQL's"
RECOLOURED = "#0b0c0c"
#: Writes a GET may try, by route: through the ORM, Core statements through the session, and
#: (refused on PostgreSQL, by the autocommit engine) SQL text and the driver's own SQL.
WRITES = {
    "flush": lambda: setattr(_herefordshire(), "colour", RECOLOURED),
    "insert": lambda: db.session.execute(insert(Council).values(
        slug="made-by-get", name="Made by GET", plugin="test")),
    "update": lambda: db.session.execute(update(Council).where(
        Council.slug == "herefordshire").values(colour=RECOLOURED)),
    "text": lambda: db.session.execute(text(
        f"UPDATE council SET colour = '{RECOLOURED}' WHERE slug = 'herefordshire'")),
    "driver": lambda: db.session.connection().exec_driver_sql(
        f"UPDATE council SET colour = '{RECOLOURED}' WHERE slug = 'herefordshire'"),
}
#: The writes that only PostgreSQL's autocommit engine refuses.
REFUSED_ON_POSTGRESQL_ONLY = {"text", "driver"}


def _herefordshire() -> Council:
    council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
    assert council is not None
    return council


def _on_sqlite(app: Flask) -> bool:
    return str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite")


def _with_routes(make_app: AppFactory) -> Flask:
    """The reference councils' app, with routes that show how the session reads and let a
    request try each of :data:`WRITES`."""
    app = make_app()

    @app.route("/_test/autocommit", methods=["GET", "HEAD", "OPTIONS", "POST"])
    def autocommit() -> object:
        db.session.scalar(select(Council.id).limit(1))
        return jsonify(db.session.connection().connection.driver_connection.autocommit)

    @app.route("/_test/prepared")
    def prepared() -> object:
        # on the connection the page's row reads ran on (core.request_connections)
        connection = request_connection() or db.session.connection()
        return jsonify(list(connection.scalars(text(
            "SELECT statement FROM pg_prepared_statements"))))

    @app.route("/_test/write/<how>", methods=["GET", "POST"])
    def write(how: str) -> object:
        WRITES[how]()
        db.session.commit()
        return "written"

    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _written(app: Flask) -> bool:
    with app.app_context():
        made = db.session.scalar(select(Council.id).where(Council.slug == "made-by-get"))
        return made is not None or _herefordshire().colour == RECOLOURED


def test_a_safe_request_reads_in_autocommit_on_postgresql(make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    if _on_sqlite(app):
        pytest.skip(POSTGRESQL_ONLY)
    client = app.test_client()
    assert client.get("/_test/autocommit").json is True
    assert client.options("/_test/autocommit").json is True
    assert client.post("/_test/autocommit").json is False
    # the connection went back to the pool out of autocommit, and comes out again in it
    assert client.get("/_test/autocommit").json is True


def test_postgresql_keeps_a_pages_prepared_statements(make_app: AppFactory) -> None:
    """Before, every request ended in a rollback, after which psycopg had forgotten all it
    had prepared: no statement of a page ever reached its fifth run on a connection."""
    app = _with_routes(make_app)
    if _on_sqlite(app):
        pytest.skip(POSTGRESQL_ONLY)
    app.config["PAGE_CACHE"] = False  # every request renders the page
    client = app.test_client()
    for _ in range(6):
        assert client.get("/herefordshire/strategy").status_code == 200
    statements = client.get("/_test/prepared").json
    assert any("FROM strategy" in statement for statement in statements), statements


@pytest.mark.parametrize("how", sorted(WRITES))
def test_a_safe_request_may_not_write(make_app: AppFactory, how: str) -> None:
    app = _with_routes(make_app)
    if how in REFUSED_ON_POSTGRESQL_ONLY and _on_sqlite(app):
        pytest.skip("SQLite runs a safe request's statements in its transaction as before")
    with pytest.raises(WriteInSafeRequest, match=rf"GET /_test/write/{how} tried to write"):
        app.test_client().get(f"/_test/write/{how}")
    assert not _written(app)
    app.testing = False  # the error becomes the 500 a reader sees
    assert app.test_client().get(f"/_test/write/{how}").status_code == 500
    assert not _written(app)


@pytest.mark.parametrize("how", sorted(WRITES))
def test_a_post_writes(make_app: AppFactory, how: str) -> None:
    app = _with_routes(make_app)
    assert app.test_client().post(f"/_test/write/{how}").status_code == 200
    assert _written(app)


def test_a_request_context_pushed_by_hand_may_write(make_app: AppFactory) -> None:
    """Commands and tests push request contexts to build URLs; Flask never dispatched them."""
    app = make_app()
    with app.test_request_context("/herefordshire/"):
        _herefordshire().colour = RECOLOURED
        db.session.commit()
    assert _written(app)


def test_prepared_statements_can_be_turned_off(make_app: AppFactory,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """For a pooler in transaction mode that cannot keep them (docs/deploy.md)."""
    monkeypatch.setenv("CPT_PREPARED_STATEMENTS", "0")
    app = _with_routes(make_app)
    if _on_sqlite(app):
        pytest.skip(POSTGRESQL_ONLY)
    app.config["PAGE_CACHE"] = False
    client = app.test_client()
    for _ in range(6):
        assert client.get("/herefordshire/strategy").status_code == 200
    assert client.get("/_test/prepared").json == []
