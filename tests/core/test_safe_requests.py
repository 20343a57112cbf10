"""Requests that only read: in autocommit on PostgreSQL, so that psycopg keeps the statements
it prepares; never writing, on either engine; and nothing changed for a request that writes or
for a request context pushed by hand."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify
from sqlalchemy import insert, select, text

from core.extensions import db
from core.models import Council
from core.safe_requests import WriteInSafeRequest
from tests.conftest import AppFactory

POSTGRESQL_ONLY = "psycopg's prepared statements are PostgreSQL's"


def _with_routes(make_app: AppFactory) -> Flask:
    """The reference councils' app, with routes that show how the session reads and let a
    request try to write."""
    app = make_app()

    @app.route("/_test/isolation", methods=["GET", "POST"])
    def isolation() -> object:
        db.session.scalar(select(Council.id).limit(1))
        return jsonify(db.session.connection().connection.driver_connection.autocommit)

    @app.route("/_test/prepared")
    def prepared() -> object:
        return jsonify(db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")))

    @app.route("/_test/colour", methods=["GET", "POST"])
    def recolour() -> object:
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        council.colour = "#0b0c0c"
        db.session.commit()
        return "recoloured"

    @app.route("/_test/insert")
    def insert_row() -> object:
        db.session.execute(insert(Council).values(slug="made-by-get", name="Made by GET"))
        db.session.commit()
        return "inserted"

    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _colour(app: Flask) -> str:
    with app.app_context():
        return db.session.scalar(select(Council.colour).where(Council.slug == "herefordshire"))


def test_a_safe_request_reads_in_autocommit_on_postgresql(make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip(POSTGRESQL_ONLY)
    client = app.test_client()
    assert client.get("/_test/isolation").json is True
    assert client.post("/_test/isolation").json is False
    assert client.get("/_test/isolation").json is True


def test_postgresql_keeps_a_safe_requests_prepared_statements(make_app: AppFactory) -> None:
    """Before, every request ended in a rollback, after which psycopg prepares nothing."""
    app = _with_routes(make_app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip(POSTGRESQL_ONLY)
    client = app.test_client()
    for _ in range(6):
        assert client.get("/herefordshire/strategy").status_code == 200
    assert client.get("/_test/prepared").json > 0


@pytest.mark.parametrize("path", ["/_test/colour", "/_test/insert"])
def test_a_safe_request_may_not_write(make_app: AppFactory, path: str) -> None:
    app = _with_routes(make_app)
    app.testing = False  # an error becomes the 500 a user sees, not an exception
    before = _colour(app)
    response = app.test_client().get(path)
    assert response.status_code == 500
    with app.app_context():
        assert db.session.scalar(select(Council.id).where(Council.slug == "made-by-get")) is None
    assert _colour(app) == before


def test_the_refusal_names_the_request(make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    with pytest.raises(WriteInSafeRequest, match=r"GET /_test/colour tried to write"):
        app.test_client().get("/_test/colour")


def test_a_post_writes_in_a_transaction(make_app: AppFactory) -> None:
    app = _with_routes(make_app)
    assert app.test_client().post("/_test/colour").status_code == 200
    assert _colour(app) == "#0b0c0c"


def test_a_request_context_pushed_by_hand_may_write(make_app: AppFactory) -> None:
    """Commands and tests push request contexts to use url_for; they were never dispatched."""
    app = make_app()
    with app.test_request_context("/herefordshire/"):
        council = db.session.scalar(select(Council).where(Council.slug == "herefordshire"))
        council.colour = "#0b0c0c"
        db.session.commit()
    assert _colour(app) == "#0b0c0c"
