"""Flask-WTF's CSRF check, run for the methods it checks only (core/csrf_check.py)."""

from __future__ import annotations

from flask import Flask

from core.extensions import csrf


def _with_routes(app: Flask) -> Flask:
    @app.route("/_csrf/any", methods=["GET", "POST", "PUT", "DELETE"])
    def any_method() -> str:
        return "done"

    @app.post("/_csrf/exempt")
    @csrf.exempt
    def exempt() -> str:
        return "exempt"

    return app


def test_every_checked_method_needs_its_token_and_the_others_do_not(make_app) -> None:
    app = _with_routes(make_app())
    client = app.test_client()
    assert client.get("/_csrf/any").text == "done"
    assert client.open("/_csrf/any", method="OPTIONS").status_code == 200
    for method in ("POST", "PUT", "DELETE"):
        refused = client.open("/_csrf/any", method=method)
        assert refused.status_code == 400, method
        assert "CSRF" in refused.get_data(as_text=True)


def test_an_exempt_view_and_the_settings_still_decide(make_app) -> None:
    app = _with_routes(make_app())
    client = app.test_client()
    assert client.post("/_csrf/exempt").text == "exempt"
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/_csrf/any").text == "done"
    app.config["WTF_CSRF_ENABLED"] = True
    app.config["WTF_CSRF_METHODS"] = {"DELETE"}
    assert client.post("/_csrf/any").text == "done"
    assert client.delete("/_csrf/any").status_code == 400
