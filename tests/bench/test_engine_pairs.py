"""The engines measured again in pairs: only for the pages a run found under the target."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bench import engine_pairs


def _run(rates: dict[str, float]) -> dict[str, Any]:
    return {"results": [{"page": page, "server": "uncached", "requests_per_s": rate,
                         "p99_ms": 10.0, "errors": 0} for page, rate in rates.items()],
            "server_warnings": []}


def test_no_page_under_the_target_starts_no_server(tmp_path: Path) -> None:
    """Nothing is started (the databases' URLs here reach no database), nothing added."""
    runs = [_run({"dashboard": 900.0, "strategy": 1000.0}),
            _run({"dashboard": 600.0, "strategy": 1500.0})]
    before = [list(run["results"]) for run in runs]
    engine_pairs.measure_again(
        [("sqlite", "sqlite:////nonexistent/none.db", {}),
         ("postgresql", "postgresql+psycopg://nobody@/none?host=/nonexistent", {})],
        runs, argparse.Namespace(engine_pairs=4, warm=2, warm_cap=30, duration=5,
                                 connections=16), tmp_path)
    assert [run["results"] for run in runs] == before
    assert not list(tmp_path.iterdir())


def test_an_admin_page_in_the_pairs_is_asked_for_by_its_councils_clerk_signed_in(
        make_app, database_url: str, tmp_path: Path) -> None:
    """The clerks of the run's councils sign in on the engine's own server, once, and each
    line of an admin page carries its council's clerk's cookie: a real server answers each
    with the page, not the sign-in page."""
    import http.client
    import urllib.parse

    from sqlalchemy import create_engine

    from bench.accounts import create_clerks
    from bench.pages import ADMIN, council_of, sample_councils
    from core.bench import demo
    from tests.core.servers import gunicorn

    app = make_app({})
    with app.app_context():
        demo.load_demo(0.013)  # two demo councils
    engine = create_engine(database_url)
    try:
        create_clerks(database_url, [slug for _, slug in sample_councils(engine, 2)])
        (page,) = [page for page in ADMIN if page.name == "admin pledge"]
        with gunicorn(database_url, tmp_path) as base:
            clerks = engine_pairs.Clerks(engine, urllib.parse.urlsplit(base).port, 2)
            lines = clerks.lines(page)
            assert clerks.lines(page) == lines  # signed in once
            assert {council_of(line) for line in lines} == set(clerks.cookies) and \
                len(clerks.cookies) == 2
            for line in lines:
                path, cookie = line.split("\t")
                connection = http.client.HTTPConnection(
                    "127.0.0.1", urllib.parse.urlsplit(base).port, timeout=30)
                try:
                    connection.request("GET", path, headers={"Cookie": cookie})
                    answer = connection.getresponse()
                    assert (answer.status, answer.read().count(b"Action plan") > 0) == (
                        200, True), path
                finally:
                    connection.close()
    finally:
        engine.dispose()
