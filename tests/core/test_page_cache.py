"""Public pages kept by the page cache, and never served once their council has changed."""

from __future__ import annotations

import datetime as dt
import gzip
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.models import Action, Council
from core.pledges.models import ActionStatus
from core.pledges.progress import post_update
from tests.conftest import sign_in
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
        client: FlaskClient, count_queries: Callable[[], Any]) -> None:
    first = client.get(PAGE)
    with count_queries() as counted:
        again = client.get(PAGE)
    assert again.get_data() == first.get_data()
    assert len(counted) == 1  # the council's revision
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "no-cache"


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


def test_unknown_council_is_still_a_404(client: FlaskClient) -> None:
    assert client.get("/nowhere/pledges/pledge-1").status_code == 404


def test_the_cache_can_be_turned_off(app: Flask, count_queries: Callable[[], Any]) -> None:
    app.config["PAGE_CACHE"] = False
    client = app.test_client()
    client.get(PAGE)
    with count_queries() as counted:
        client.get(PAGE)
    assert len(counted) > 1


# --- two gunicorn workers over real HTTP ----------------------------------------------------


@pytest.fixture
def gunicorn(app: Flask, database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app served by gunicorn with two workers on the test database; yields its base
    URL and its access log (each line starts with the worker's pid)."""
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


def test_an_update_shows_at_once_in_every_gunicorn_worker(
        app: Flask, gunicorn: tuple[str, Path]) -> None:
    base, log = gunicorn
    for _ in range(10):  # until both workers have kept the page
        assert all("Seen by every worker" not in body for body in _fetch(base + PAGE, 10))
        if len(_workers(log)) == 2:
            break
    assert len(_workers(log)) == 2, "the requests did not reach both workers"
    seen = len(log.read_text().splitlines())
    report(app, "Seen by every worker")
    bodies = _fetch(base + PAGE, 40)
    assert all("Seen by every worker" in body for body in bodies)
    assert len(_workers(log, skip=seen)) == 2
