"""Kept pages answered again before Flask (core/kept_answers.py): the same status, headers
and body as Flask sent for the same request, and Flask asked whenever the key it was kept
under may no longer stand, or the request is one only Flask may answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core import kept_answers
from core.page_cache import cache
from tests.core.test_page_cache import BRACKNELL, report

COUNCIL_PAGE = f"/{BRACKNELL}/pledges/pledge-1"
#: Pages of each kind the page cache keeps, with the request headers they are asked with.
CASES: list[tuple[str, dict[str, str]]] = [
    (COUNCIL_PAGE, {}),
    (COUNCIL_PAGE, {"Accept-Encoding": "gzip, br"}),
    (f"/{BRACKNELL}/", {"Accept-Language": "cy"}),
    (f"/{BRACKNELL}/progress.svg", {}),
    (f"/api/councils/{BRACKNELL}/actions", {}),
    (f"/api/councils/{BRACKNELL}/actions", {"Accept": "text/csv"}),
    ("/api/councils", {}),
    ("/", {"Accept-Language": "cy, en;q=0.5"}),
]


def _middleware(app: Flask) -> kept_answers.KeptAnswers:
    assert isinstance(app.wsgi_app, kept_answers.KeptAnswers)
    return app.wsgi_app


class _FlaskCalls:
    """Counts the requests that reach Flask past the middleware."""

    def __init__(self, middleware: kept_answers.KeptAnswers) -> None:
        self.count = 0
        inner = middleware.wsgi_app

        def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            self.count += 1
            return inner(environ, start_response)

        middleware.wsgi_app = counted


def _answer(client: FlaskClient, path: str, headers: dict[str, str], method: str = "GET"
            ) -> tuple[str, list[tuple[str, str]], bytes]:
    response = client.open(path, method=method, headers=headers)
    return response.status, sorted(response.headers.items()), response.get_data()


@pytest.fixture
def calls(app: Flask) -> _FlaskCalls:
    return _FlaskCalls(_middleware(app))


@pytest.mark.parametrize(("path", "headers"), CASES)
def test_a_kept_page_is_answered_again_as_flask_answered_it(
        app: Flask, client: FlaskClient, calls: _FlaskCalls, path: str,
        headers: dict[str, str]) -> None:
    client.get(path, headers=headers)  # rendered and kept
    through_flask = _answer(client, path, headers)  # from the page cache, by Flask
    assert through_flask[0] == "200 OK" and calls.count == 2
    for _ in range(2):
        assert _answer(client, path, headers) == through_flask
    assert calls.count == 2  # answered without Flask
    head = _answer(client, path, headers, "HEAD")  # a HEAD is Flask's the first time
    assert _answer(client, path, headers, "HEAD") == head and head[2] == b""
    assert calls.count == 3 and head[1] == through_flask[1]


def test_requests_only_flask_may_answer_go_to_flask(
        app: Flask, client: FlaskClient, calls: _FlaskCalls) -> None:
    client.get(COUNCIL_PAGE)
    kept = client.get(COUNCIL_PAGE)
    before = calls.count
    unchanged = client.get(COUNCIL_PAGE, headers={"If-None-Match": kept.headers["ETag"]})
    assert unchanged.status_code == 304
    client.get(COUNCIL_PAGE, headers={"Authorization": "Bearer x"})
    client.get(COUNCIL_PAGE, headers={"Range": "bytes=0-10"})
    client.post(COUNCIL_PAGE)
    client.set_cookie("other", "1")
    client.get(COUNCIL_PAGE)
    assert calls.count == before + 5


def test_a_change_to_the_council_is_answered_by_flask_at_once(
        app: Flask, client: FlaskClient, calls: _FlaskCalls) -> None:
    client.get(COUNCIL_PAGE)
    client.get(COUNCIL_PAGE)
    report(app, "Reported just now")
    count = calls.count
    assert "Reported just now" in client.get(COUNCIL_PAGE).get_data(as_text=True)
    assert calls.count == count + 1
    assert "Reported just now" in client.get(COUNCIL_PAGE).get_data(as_text=True)


def test_a_new_day_a_page_no_longer_kept_or_the_cache_off_go_to_flask(
        app: Flask, client: FlaskClient, calls: _FlaskCalls,
        monkeypatch: pytest.MonkeyPatch) -> None:
    client.get(COUNCIL_PAGE)
    client.get(COUNCIL_PAGE)
    count = calls.count
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with monkeypatch.context() as patched:
        patched.setattr(kept_answers, "today", lambda: tomorrow)
        client.get(COUNCIL_PAGE)
    assert calls.count == count + 1
    client.get(COUNCIL_PAGE)  # today again: the page is Flask's to answer once more
    client.get(COUNCIL_PAGE)
    count = calls.count
    with app.app_context():
        cache.clear()
    client.get(COUNCIL_PAGE)
    assert calls.count == count + 1
    app.config["PAGE_CACHE"] = False
    client.get(COUNCIL_PAGE)
    client.get(COUNCIL_PAGE)
    assert calls.count == count + 3


def test_a_store_that_fails_leaves_the_answer_to_flask(
        app: Flask, client: FlaskClient, calls: _FlaskCalls,
        monkeypatch: pytest.MonkeyPatch) -> None:
    client.get(COUNCIL_PAGE)
    expected = client.get(COUNCIL_PAGE).get_data()
    with app.app_context():
        store = cache.cache

    def unreachable(_key: str) -> Any:
        raise ConnectionError("the store is gone")

    monkeypatch.setattr(store, "get", unreachable)
    count = calls.count
    with pytest.raises(ConnectionError):  # Flask's own read of the store, not passed over
        client.get(COUNCIL_PAGE)
    assert calls.count == count + 1
    monkeypatch.undo()
    assert client.get(COUNCIL_PAGE).get_data() == expected


def test_answers_kept_are_bounded(app: Flask, client: FlaskClient) -> None:
    app.config["PAGE_CACHE_ENTRIES"] = 2
    middleware = _middleware(app)
    for path, headers in CASES[:4]:
        client.get(path, headers=headers)
        client.get(path, headers=headers)
    assert 1 <= len(middleware.kept) <= 2


def test_the_scheme_and_host_are_part_of_what_is_kept(
        app: Flask, client: FlaskClient, calls: _FlaskCalls) -> None:
    """An answer over HTTPS (with HSTS) is never given over HTTP, nor one host's to
    another."""
    for base in ("https://localhost", "http://localhost", "http://other.example"):
        client.get(COUNCIL_PAGE, base_url=base)
        client.get(COUNCIL_PAGE, base_url=base)
    count = calls.count
    secure = client.get(COUNCIL_PAGE, base_url="https://localhost")
    plain = client.get(COUNCIL_PAGE, base_url="http://localhost")
    other = client.get(COUNCIL_PAGE, base_url="http://other.example")
    assert calls.count == count  # each kept apart, all answered before Flask
    assert "Strict-Transport-Security" in secure.headers
    assert "Strict-Transport-Security" not in plain.headers
    assert other.status_code == 200
    kept_here = [signed for signed in _middleware(app).kept if signed[2] == COUNCIL_PAGE]
    assert len(kept_here) == 3


def test_a_get_with_a_body_goes_to_flask(
        app: Flask, client: FlaskClient, calls: _FlaskCalls) -> None:
    client.get(COUNCIL_PAGE)
    client.get(COUNCIL_PAGE)
    count = calls.count
    refused = client.get(COUNCIL_PAGE, data={"field": "a\x00b"})
    assert refused.status_code == 400 and calls.count == count + 1


def test_other_bytes_under_the_same_key_go_to_flask(
        app: Flask, client: FlaskClient, calls: _FlaskCalls) -> None:
    """The same key holding other bytes (another release's zipping, in a shared store):
    the kept headers would not fit them, so Flask answers."""
    import gzip

    from core.page_cache import Stored

    client.get(COUNCIL_PAGE)
    client.get(COUNCIL_PAGE)
    with app.app_context():
        store = cache.cache
        (key,) = [key for key in store._cache if COUNCIL_PAGE in key]
        kept = store.get(key)
        store.set(key, Stored(gzip.compress(b"other bytes", mtime=0), kept.mimetype,
                              kept.etag, kept.headers))
    count = calls.count
    assert client.get(COUNCIL_PAGE).get_data() == b"other bytes"
    assert calls.count == count + 1


def test_a_hook_may_keep_its_answers_from_being_repeated(
        app: Flask, client: FlaskClient, calls: _FlaskCalls) -> None:
    from flask import Response, request

    @app.after_request  # as a hook adding a header of its own would be
    def counted(response: Response) -> Response:
        request.environ[kept_answers.NOT_KEPT] = True
        return response

    for _ in range(3):
        client.get(COUNCIL_PAGE)
    assert calls.count == 3


def test_an_app_wide_rate_limit_sends_every_request_to_flask(make_app) -> None:
    app = make_app(config={"RATELIMIT_DEFAULT": "1000 per minute"})
    calls = _FlaskCalls(_middleware(app))
    client = app.test_client()
    for _ in range(3):
        answer = client.get(COUNCIL_PAGE)
    assert calls.count == 3 and "X-RateLimit-Remaining" in answer.headers


def test_with_memory_on_a_change_made_elsewhere_is_seen(
        app: Flask, client: FlaskClient, make_app) -> None:
    """Revisions remembered as the app remembers them by default: a change committed by
    another app shows (on SQLite at the next request, by the file's version; on
    PostgreSQL once its notice arrives)."""
    import time

    from core import revision_notices

    app.config["REVISION_NOTICE_MAX_AGE"] = revision_notices.MAX_AGE
    for _ in range(3):
        client.get(COUNCIL_PAGE)
    report(make_app(sync=False), "Reported elsewhere")
    deadline = time.monotonic() + 10
    while "Reported elsewhere" not in client.get(COUNCIL_PAGE).get_data(as_text=True):
        assert time.monotonic() < deadline, "the change never showed"
        time.sleep(0.05)
