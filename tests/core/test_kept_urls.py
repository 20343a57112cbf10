"""URLs built once in a request and kept by what settles them (core.kept_urls)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import Flask, g, url_for

from core.kept_urls import KeptUrls, url_key


@pytest.fixture
def built(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The endpoints Flask itself built URLs for."""
    endpoints: list[str] = []
    flask_url_for = Flask.url_for

    def counted(self: Flask, endpoint: str, *args: object, **kwargs: object) -> str:
        endpoints.append(endpoint)
        return flask_url_for(self, endpoint, *args, **kwargs)

    monkeypatch.setattr(Flask, "url_for", counted)
    return endpoints


def _in_council(slug: str) -> None:
    g.council, g.council_slug = SimpleNamespace(slug=slug), slug


def test_a_url_is_built_once_for_what_settles_it(app: Flask, built: list[str]) -> None:
    with app.test_request_context("/"):
        _in_council("staffordshire")
        first = [url_for("pledges.show", key="promise-1") for _ in range(3)]
        assert first == ["/staffordshire/pledges/promise-1"] * 3
        assert built == ["pledges.show"]
        # another council's slug, another value, a value of another type: built again
        _in_council("herefordshire")
        assert url_for("pledges.show", key="promise-1") == "/herefordshire/pledges/promise-1"
        assert url_for("pledges.show", key=1) == "/herefordshire/pledges/1"
        assert url_for("pledges.show", key=True) == "/herefordshire/pledges/True"
        assert url_for("pledges.index", page=1) == "/herefordshire/pledges?page=1"
        assert url_for("pledges.index", page="1") == "/herefordshire/pledges?page=1"
        assert len(built) == 6
    with app.test_request_context("/", base_url="http://example.org/mounted/"):
        _in_council("staffordshire")  # another script root
        assert url_for("pledges.show", key="promise-1") == (
            "/mounted/staffordshire/pledges/promise-1")
    assert len(built) == 7


def test_some_urls_are_always_built(app: Flask, built: list[str]) -> None:
    with app.test_request_context("/"):
        _in_council("staffordshire")
        for _ in range(2):
            assert url_for("pledges.show", key="p", _external=True) == (
                "http://localhost/staffordshire/pledges/p")
            assert url_for("pledges.show", key="p", _anchor="a b") == (
                "/staffordshire/pledges/p#a%20b")
            assert url_for("pledges.index", page=[1, 2]) == (
                "/staffordshire/pledges?page=1&page=2")
        # values Werkzeug writes item by item, or equal values written apart: never kept
        assert [url_for("pledges.index", page=(value,)) for value in (1, 1.0, True)] == [
            "/staffordshire/pledges?page=1", "/staffordshire/pledges?page=1.0",
            "/staffordshire/pledges?page=True"]
        assert [url_for("pledges.index", page=value) for value in (
            Decimal("1.0"), Decimal("1.00"))] == ["/staffordshire/pledges?page=1.0",
                                                  "/staffordshire/pledges?page=1.00"]
        assert app.url_for(endpoint="pledges.index") == "/staffordshire/pledges"
    assert len(built) == 12
    app.config["SERVER_NAME"] = "example.org"
    with app.app_context():  # outside a request: external unless said, built every time
        g.council, g.council_slug = SimpleNamespace(slug="staffordshire"), "staffordshire"
        assert url_for("pledges.index") == url_for("pledges.index") == (
            "http://example.org/staffordshire/pledges")
        assert url_for("pledges.index", _external=False) == "/staffordshire/pledges"
    assert len(built) == 15


def test_a_full_memo_is_emptied(app: Flask) -> None:
    kept = KeptUrls(size=2)
    with app.test_request_context("/"):
        _in_council("staffordshire")
        for key in ("a", "b", "c"):
            kept.get(url_key("pledges.show", {"key": key}),
                     lambda key=key: app.url_for("pledges.show", key=key))
        assert list(kept.urls.values()) == ["/staffordshire/pledges/c"]


def test_a_relative_endpoint_is_kept_by_its_blueprint(app: Flask, built: list[str]) -> None:
    for path, expected in (("/staffordshire/pledges", "/staffordshire/pledges"),
                           ("/staffordshire/panels", "/staffordshire/panels"),
                           ("/staffordshire/pledges", "/staffordshire/pledges")):
        with app.test_request_context(path):
            _in_council("staffordshire")
            assert url_for(".index") == expected
    assert len(built) == 2
