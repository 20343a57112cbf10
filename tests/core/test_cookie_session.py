"""The session cookie's signer, made once for each secret key (core/cookie_session.py)."""

from __future__ import annotations

from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface

from core.cookie_session import KeptSignerSessionInterface


def _app(key: str, fallbacks: list[str] | None = None) -> Flask:
    app = Flask(__name__)
    app.secret_key = key
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    app.session_interface = KeptSignerSessionInterface()

    @app.get("/set")
    def set_value() -> str:
        session["value"] = "kept"
        return ""

    @app.get("/get")
    def get_value() -> str:
        return session.get("value", "none")

    return app


def test_the_app_keeps_its_signer() -> None:
    from core.app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert isinstance(app.session_interface, KeptSignerSessionInterface)
    first = app.session_interface.get_signing_serializer(app)
    assert app.session_interface.get_signing_serializer(app) is first


def test_a_cookie_is_signed_and_read_as_flasks_own_interface_does() -> None:
    app = _app("one")
    client = app.test_client()
    client.get("/set")
    cookie = client.get_cookie("session")
    assert client.get("/get").text == "kept"
    plain = Flask(__name__)
    plain.secret_key = "one"
    assert SecureCookieSessionInterface().get_signing_serializer(plain).loads(
        cookie.value) == {"value": "kept"}


def test_a_new_key_makes_a_new_signer_and_old_cookies_stop_working() -> None:
    app = _app("one")
    client = app.test_client()
    client.get("/set")
    before = app.session_interface.get_signing_serializer(app)
    app.secret_key = "two"
    assert app.session_interface.get_signing_serializer(app) is not before
    assert client.get("/get").text == "none"


def test_a_fallback_key_still_reads_the_cookies_it_signed() -> None:
    app = _app("one")
    client = app.test_client()
    client.get("/set")
    app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = "two", ["one"]
    assert client.get("/get").text == "kept"
