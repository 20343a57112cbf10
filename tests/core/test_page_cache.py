"""Public pages kept by the page cache, and never served once their council has changed."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from core.app import create_app
from core.councils.models import Directory
from core.extensions import db
from core.models import Action, Council
from core.page_cache import KEEP_SECONDS
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from tests.conftest import counting_queries, sign_in
from tests.core.redis_server import RedisServer, redis_server  # noqa: F401  (a fixture)
from tests.core.servers import gunicorn as serve

BRACKNELL = "bracknell_forest"
PAGE = f"/{BRACKNELL}/pledges/pledge-1"


def report(app: Flask, note: str) -> None:
    """A progress update on Bracknell Forest's action 1.1, written as another server would."""
    with app.app_context():
        action = db.session.scalar(select(Action).join(Council).where(
            Council.slug == BRACKNELL, Action.key == "action-1.1"))
        post_update(action, reported_on=dt.date.today(), status=ActionStatus.AT_RISK,
                    note=note, author="A. Officer")


def test_a_kept_page_is_served_with_one_statement(
        app: Flask, client: FlaskClient, count_queries: Callable[[], Any]) -> None:
    # (On PostgreSQL, with none once the worker listens for notices of new revisions:
    # tests/core/test_revision_notices.py.)
    app.config["REVISION_NOTICE_MAX_AGE"] = 0
    first = client.get(PAGE)
    with count_queries() as counted:
        again = client.get(PAGE)
    assert again.get_data() == first.get_data()
    assert len(counted) == 1  # the council's revision
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "no-cache"


def test_a_page_is_kept_for_its_scheme_host_and_mount_point(client: FlaskClient) -> None:
    """A kept page (a list's Link header is an absolute URL) is served again only to a
    request of the same scheme, host and mount point."""
    api = f"/api/councils/{BRACKNELL}/actions?per_page=1&page=2"
    for base in ("http://localhost/", "https://localhost/", "http://other.example/",
                 "http://localhost/mounted/", "https://localhost/", "http://localhost/"):
        for _ in range(2):  # rendered and kept, then answered from the kept page
            response = client.get(api, base_url=base)
            assert response.status_code == 200
            first = re.search(r"<([^>]+)>; rel=\"first\"", response.headers["Link"])
            assert first is not None and first.group(1).startswith(
                f"{base}api/councils/{BRACKNELL}/actions?"), (base, response.headers["Link"])


def test_an_update_shows_on_the_next_request_in_this_and_another_app(
        app: Flask, make_app: Callable[..., Flask]) -> None:
    other = make_app(sync=False)  # a second server on the same database
    clients = [app.test_client(), other.test_client()]
    api = f"/api/councils/{BRACKNELL}/actions"

    def status_of_1_1(client: FlaskClient) -> str:
        return next(a["status"] for a in client.get(api).get_json() if a["key"] == "action-1.1")

    for client in clients:
        assert "Reported just now" not in client.get(PAGE).get_data(as_text=True)
        assert "Reported just now" not in client.get(f"/{BRACKNELL}/").get_data(as_text=True)
        assert status_of_1_1(client) == "not_started"
    report(other, "Reported just now")
    for client in clients:
        assert "Reported just now" in client.get(PAGE).get_data(as_text=True)
        assert "Reported just now" in client.get(f"/{BRACKNELL}/").get_data(as_text=True)
        assert status_of_1_1(client) == "at_risk"


def test_a_kept_page_carries_the_headers_it_was_kept_with(client: FlaskClient) -> None:
    """The response read from the cache has the headers of the one rendered and kept (but
    the session's and the security headers, which every response gets afresh)."""
    fresh = client.get(PAGE)
    kept = client.get(PAGE)
    for name in ("Content-Type", "Vary", "Cache-Control", "ETag", "Content-Length",
                 "Content-Security-Policy", "X-Frame-Options"):
        assert kept.headers.getlist(name) == fresh.headers.getlist(name), name
    assert kept.headers["Content-Type"] == "text/html; charset=utf-8"


def test_gzip_for_clients_that_take_it_and_304_for_a_known_etag(client: FlaskClient) -> None:
    plain = client.get(PAGE)
    zipped = client.get(PAGE, headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert "Accept-Encoding" in zipped.headers["Vary"]
    unchanged = client.get(PAGE, headers={"If-None-Match": plain.headers["ETag"]})
    assert unchanged.status_code == 304


def test_signed_in_pages_are_neither_kept_nor_served_from_the_cache(
        app: Flask, make_user: Callable[..., Any], count_queries: Callable[[], Any]) -> None:
    anonymous = app.test_client()
    kept = anonymous.get(PAGE).get_data(as_text=True)
    signed_in = app.test_client()
    _, email = make_user("site_admin")
    sign_in(signed_in, email)
    with count_queries() as counted:
        page = signed_in.get(PAGE).get_data(as_text=True)
    assert len(counted) > 2 and page != kept
    assert "Sign out" in page and "Sign out" not in kept
    assert "Sign out" not in anonymous.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize("listing", ["/", "/api/councils"])
def test_listings_of_every_council_are_kept_until_a_council_itself_changes(
        app: Flask, make_app: Callable[..., Flask], count_queries: Callable[[], Any],
        listing: str) -> None:
    other = make_app(sync=False)  # a second server on the same database
    client, other_client = app.test_client(), other.test_client()
    first = client.get(listing)
    with count_queries() as counted:
        again = client.get(listing)
    assert again.get_data() == first.get_data()
    assert len(counted) == 1  # the list of councils' revision
    assert "Accept-Language" in again.headers["Vary"]
    assert again.headers["ETag"] == first.headers["ETag"]

    # a council's other rows, which a listing does not show, leave it kept
    council_page = client.get(f"/{BRACKNELL}/").headers["ETag"]
    report(other, "Not in a listing")
    assert client.get(f"/{BRACKNELL}/").headers["ETag"] != council_page  # it did change
    with count_queries() as counted:
        unchanged = client.get(listing)
    assert unchanged.headers["ETag"] == first.headers["ETag"] and len(counted) == 1

    # a change to one council's own row, made by another server: a fresh listing at once
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == BRACKNELL))
        council.name = "Bracknell Forest Borough Council"
        db.session.commit()
    for each in (client, other_client):
        fresh = each.get(listing)
        assert fresh.headers["ETag"] != first.headers["ETag"]
        assert "Bracknell Forest Borough Council" in fresh.get_data(as_text=True)
    # another language is kept apart
    welsh = client.get(listing, headers={"Accept-Language": "cy"})
    assert welsh.headers["ETag"] != client.get(listing).headers["ETag"]

    # a council archived leaves the listing at once
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == BRACKNELL))
        council.archived_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    for each in (client, other_client):
        assert "Bracknell Forest" not in each.get(listing).get_data(as_text=True)


def test_without_the_directory_row_listings_are_rendered_and_not_kept(
        app: Flask, count_queries: Callable[[], Any], caplog: pytest.LogCaptureFixture) -> None:
    with app.app_context():
        db.session.execute(delete(Directory))
        db.session.commit()
    client = app.test_client()
    assert "Bracknell Forest" in client.get("/").get_data(as_text=True)
    with count_queries() as counted:
        again = client.get("/")
    assert again.status_code == 200 and len(counted) > 1  # rendered afresh
    assert "directory's revision row is missing" in caplog.text


def test_unknown_council_is_still_a_404(client: FlaskClient) -> None:
    assert client.get("/nowhere/pledges/pledge-1").status_code == 404


def test_the_cache_can_be_turned_off(app: Flask, count_queries: Callable[[], Any]) -> None:
    app.config["PAGE_CACHE"] = False
    client = app.test_client()
    client.get(PAGE)
    with count_queries() as counted:
        client.get(PAGE)
    assert len(counted) > 1


# --- where pages are kept: CPT_PAGE_CACHE ---------------------------------------------------


def test_off_renders_every_time(make_app: Callable[..., Flask],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPT_PAGE_CACHE", "off")
    app = make_app()
    assert app.config["PAGE_CACHE"] is False
    client = app.test_client()
    first = client.get(PAGE)
    with counting_queries(app) as counted:
        again = client.get(PAGE)
    assert again.get_data() == first.get_data()
    assert len(counted) > 1  # rendered again, not served from a kept copy


@pytest.mark.parametrize("value", [
    "redis", "memcached://cache.internal:11211", "redis://", "redis://cache.internal:port/0",
    "redis://cache.internal:6379/zero", "Memory please"])
def test_a_bad_store_stops_the_start_naming_the_setting(
        value: str, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPT_PAGE_CACHE", value)
    with pytest.raises(ValueError, match=r"^PAGE_CACHE_STORE \(env CPT_PAGE_CACHE\) must be "
                       r"'memory' \(the default\), 'off', or a Redis URL such as "
                       r"redis://host:6379/0 .*, not " + re.escape(repr(value))):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})


def test_a_bad_store_url_is_quoted_without_its_password(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPT_PAGE_CACHE", "redis://:s3cret@cache.internal:6379/db0")
    with pytest.raises(ValueError, match="CPT_PAGE_CACHE") as raised:
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    assert "s3cret" not in str(raised.value)
    assert "'redis://:***@cache.internal:6379/db0'" in str(raised.value)


def test_the_redis_client_is_loaded_only_for_a_redis_store(tmp_path: Path) -> None:
    code = ("import sys; from core.app import create_app; create_app(); "
            "print('redis' in sys.modules); "
            "create_app({'PAGE_CACHE_STORE': 'redis://127.0.0.1:9/0'}); "
            "print('redis' in sys.modules)")
    env = {name: value for name, value in os.environ.items()
           if name not in ("CPT_PAGE_CACHE", "CPT_RATELIMIT_STORAGE_URI")}
    env.update(CPT_INSTANCE_PATH=str(tmp_path), CPT_DATABASE_URL="sqlite://")
    started = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
    assert started.stdout.split() == ["False", "True"]


def _two_apps_on_one_redis(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch,
                           server: RedisServer) -> tuple[Flask, Flask]:
    """Two servers on one database sharing the page cache in ``server``."""
    monkeypatch.setenv("CPT_PAGE_CACHE", server.url)
    return make_app(), make_app(sync=False)


def test_redis_a_page_kept_by_one_app_is_served_by_another(
        make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch,
        redis_server: RedisServer) -> None:  # noqa: F811  (the fixture)
    first, second = _two_apps_on_one_redis(make_app, monkeypatch, redis_server)
    with counting_queries(first) as rendered:
        kept = first.test_client().get(PAGE)
    assert kept.status_code == 200 and len(rendered) > 1
    with counting_queries(second) as counted:
        served = second.test_client().get(PAGE, headers={"Accept-Encoding": "gzip"})
    assert len(counted) == 1  # the council's revision: the page came from Redis
    assert gzip.decompress(served.get_data()) == kept.get_data()
    assert served.headers["ETag"] == kept.headers["ETag"]
    with redis_server.client() as client:
        keys = client.keys("cpt:*")
        assert len(keys) == 1
        assert 0 < client.ttl(keys[0]) <= KEEP_SECONDS  # bounded: every entry expires


def test_redis_a_write_through_either_app_shows_in_both_at_once(
        make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch,
        redis_server: RedisServer) -> None:  # noqa: F811  (the fixture)
    apps = _two_apps_on_one_redis(make_app, monkeypatch, redis_server)
    clients = [app.test_client() for app in apps]
    for client in clients:
        assert "Reported" not in client.get(PAGE).get_data(as_text=True)
    for writer, note in zip(apps, ("Reported by the first", "Reported by the second"),
                            strict=True):
        report(writer, note)
        for client in clients:
            assert note in client.get(PAGE).get_data(as_text=True)
    with redis_server.client() as client:
        assert len(client.keys("cpt:*")) == 3  # one copy per revision, shared by both


def test_redis_out_of_reach_pages_are_rendered_afresh(
        make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch,
        redis_server: RedisServer, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    app, _ = _two_apps_on_one_redis(make_app, monkeypatch, redis_server)
    client = app.test_client()
    kept = client.get(PAGE).get_data()
    redis_server.stop()
    report(app, "Written while Redis was down")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Written while Redis was down" in page.get_data(as_text=True)
    assert page.get_data() != kept
    assert "The page cache cannot be reached" in caplog.text


# --- two gunicorn workers over real HTTP ----------------------------------------------------


@pytest.fixture
def gunicorn(app: Flask, database_url: str, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """The app served by gunicorn with two workers on the test database; yields its base
    URL and its access log (each line starts with the worker's pid). On PostgreSQL its
    workers trust the revisions they remember for an hour: only a notice tells them of a
    change."""
    monkeypatch.setenv("CPT_REVISION_NOTICE_MAX_AGE", "3600")
    log = tmp_path / "access.log"
    with serve(database_url, tmp_path, "--access-logfile", str(log),
               "--access-logformat", "%(p)s %(U)s %(s)s") as base:
        yield base, log


def _fetch(url: str, times: int) -> list[str]:
    """``times`` answers, eight requests at a time so that both workers take some."""

    def one(_: int) -> str:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.read().decode()

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(times)))


def _workers(log: Path, skip: int = 0) -> set[str]:
    lines = log.read_text().splitlines()[skip:]
    return {line.split()[0] for line in lines if PAGE in line}


def test_an_update_shows_in_every_gunicorn_worker(
        app: Flask, gunicorn: tuple[str, Path]) -> None:
    """At once on SQLite, where each kept page reads its council's revision; on
    PostgreSQL, once the notice of the new revision has reached the workers (a moment after
    the commit: the first answers may come before it)."""
    base, log = gunicorn
    # until both workers have kept the page: the second may still be building its app when
    # the first answers, and a kept page is served so fast that one worker can take a
    # hundred requests before the other is up
    deadline = time.monotonic() + 30
    while True:
        assert all("Seen by every worker" not in body for body in _fetch(base + PAGE, 10))
        if len(_workers(log)) == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(_workers(log)) == 2, "the requests did not reach both workers"
    report(app, "Seen by every worker")
    with app.app_context():
        told = db.engine.dialect.name == "postgresql"
    deadline = time.monotonic() + 10
    while told and not all("Seen by every worker" in body for body in _fetch(base + PAGE, 8)):
        assert time.monotonic() < deadline, "the workers were not told of the change"
    seen = len(log.read_text().splitlines())
    bodies = _fetch(base + PAGE, 40)
    assert all("Seen by every worker" in body for body in bodies)
    assert len(_workers(log, skip=seen)) == 2


def test_the_memory_store_keeps_each_page_as_it_is(app: Flask, client: FlaskClient) -> None:
    """In memory, a kept page is the same immutable object at every read: not pickled."""
    from core.page_cache import MemoryPages, Stored, cache

    client.get(PAGE)
    with app.app_context():
        store = cache.cache
        assert isinstance(store, MemoryPages)
        keys = [key for key in store._cache if PAGE in key]
        assert len(keys) == 1
        first = store.get(keys[0])
        assert isinstance(first, Stored) and store.get(keys[0]) is first
