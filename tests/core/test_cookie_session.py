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


def _vary_app() -> Flask:
    from flask import Response

    app = _app("one")

    @app.get("/read/<vary>")
    def read(vary: str) -> Response:
        session.get("value")
        response = Response("read")
        if vary != "none":
            response.headers["Vary"] = vary
        return response

    @app.get("/untouched")
    def untouched() -> str:
        return "untouched"

    @app.get("/clear")
    def clear() -> str:
        session.clear()
        return "cleared"

    return app


def test_an_empty_session_read_varies_on_cookie_once_and_sets_no_cookie() -> None:
    client = _vary_app().test_client()
    plain = client.get("/read/none")
    assert plain.headers.getlist("Vary") == ["Cookie"] and "Set-Cookie" not in plain.headers
    assert client.get("/read/Accept-Encoding, Cookie").headers.getlist("Vary") == [
        "Accept-Encoding, Cookie"]
    assert client.get("/read/Accept").headers.getlist("Vary") == ["Accept, Cookie"]
    untouched = client.get("/untouched")
    assert "Vary" not in untouched.headers and "Set-Cookie" not in untouched.headers


def test_a_session_emptied_deletes_its_cookie_as_flask_does() -> None:
    client = _vary_app().test_client()
    client.get("/set")
    assert client.get_cookie("session") is not None
    cleared = client.get("/clear")
    assert "Expires=Thu, 01 Jan 1970" in cleared.headers["Set-Cookie"]
    assert client.get_cookie("session") is None
