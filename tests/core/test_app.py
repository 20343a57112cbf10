"""The app (core/app.py): its settings of every SQLite connection, and Flask's check of
hooks and views kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.app import LOCK_WAIT_MS, SQLITE_MMAP_BYTES


def _pragmas(url: str) -> dict[str, object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {name: connection.execute(text(f"PRAGMA {name}")).scalar()
                    for name in ("foreign_keys", "busy_timeout", "journal_mode", "mmap_size")}
    finally:
        engine.dispose()


def test_a_database_file_is_read_through_memory_mapping(tmp_path: Path) -> None:
    assert _pragmas(f"sqlite:///{tmp_path / 'cpt.db'}") == {
        "foreign_keys": 1, "busy_timeout": LOCK_WAIT_MS, "journal_mode": "wal",
        "mmap_size": SQLITE_MMAP_BYTES}


def test_a_database_in_memory_keeps_its_journal_and_maps_nothing() -> None:
    assert _pragmas("sqlite://") == {"foreign_keys": 1, "busy_timeout": LOCK_WAIT_MS,
                                    "journal_mode": "memory", "mmap_size": None}


def test_each_plain_function_is_checked_once_and_async_ones_go_to_flask() -> None:
    """Flask's answer to whether a hook or view must be run to its end is kept for each
    plain function; an ``async def`` function is still handed to Flask's wrapper (which,
    without Flask's ``async`` extra, refuses it), and a bound method (a new object each
    lookup) is not kept."""
    from core.app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    async def slow() -> str:
        return "ran"

    def plain() -> None:
        return None

    with pytest.raises(RuntimeError, match="async"):
        app.ensure_sync(slow)
    assert slow.__code__ not in app._synchronous
    assert app.ensure_sync(plain) is plain is app.ensure_sync(plain)
    assert plain.__code__ in app._synchronous
    assert app.ensure_sync(app.make_response) == app.make_response
    assert app.make_response.__code__ not in app._synchronous
    made = [lambda: None for _ in range(3)]  # closures of one function: one code kept
    for function in made:
        assert app.ensure_sync(function) is function
    assert len(app._synchronous) == 2


def test_only_the_trusted_hosts_are_answered(make_app, monkeypatch) -> None:
    """With ``CPT_TRUSTED_HOSTS`` set, a request for any other host is refused before a
    page is made or kept: a forged ``Host`` never reaches a page's links or the page
    cache's keys."""
    monkeypatch.setenv("CPT_TRUSTED_HOSTS", " CPT.example.gov.uk, .councils.example,")
    app = make_app()
    assert app.config["TRUSTED_HOSTS"] == ["cpt.example.gov.uk", ".councils.example"]
    client = app.test_client()
    for base in ("http://cpt.example.gov.uk", "https://cpt.example.gov.uk:8443",
                 "http://iow.councils.example"):
        assert client.get("/isle_of_wight/", base_url=base).status_code == 200, base
    for base in ("http://evil.example", "http://councils.example.evil.example",
                 "http://gov.uk"):
        for path in ("/isle_of_wight/", "/api/isle_of_wight/actions"):
            answer = client.get(path, base_url=base)
            assert answer.status_code == 400, (base, path)
            assert b"evil" not in answer.data and "evil" not in str(answer.headers)
            if "/api/" in path:
                assert answer.json["code"] == 400
                assert "does not answer to that host name" in answer.json["message"]
            else:
                assert answer.mimetype == "text/plain"
                assert answer.text == "This site does not answer to that host name."
            assert answer.headers["X-Frame-Options"] == "DENY"  # the app's headers, as ever
    # the page kept for the trusted host is not served to a forged one either
    assert client.get("/isle_of_wight/", base_url="http://evil.example").status_code == 400


def test_behind_a_proxy_the_forwarded_host_is_the_one_checked(make_app, monkeypatch
                                                               ) -> None:
    monkeypatch.setenv("CPT_PROXIES", "1")
    monkeypatch.setenv("CPT_TRUSTED_HOSTS", "cpt.example.gov.uk")
    client = make_app().test_client()

    def through_proxy(host: str) -> int:
        return client.get("/isle_of_wight/", base_url="http://127.0.0.1:8000",
                          headers={"X-Forwarded-Host": host,
                                   "X-Forwarded-Proto": "https"}).status_code

    assert through_proxy("cpt.example.gov.uk") == 200
    assert through_proxy("evil.example") == 400


def test_every_host_is_answered_while_none_is_listed(make_app, monkeypatch) -> None:
    monkeypatch.delenv("CPT_TRUSTED_HOSTS", raising=False)
    app = make_app()
    assert app.config["TRUSTED_HOSTS"] is None
    assert app.test_client().get("/isle_of_wight/", base_url="http://anything.example"
                                 ).status_code == 200


@pytest.mark.parametrize("listed", ["https://cpt.example.gov.uk", "*.example.gov.uk",
                                    "cpt.example.gov.uk/admin", "[::1]", "bücher.example",
                                    "cpt example"])
def test_a_listed_host_that_is_not_a_host_name_stops_the_app(listed: str, monkeypatch
                                                             ) -> None:
    from core.app import create_app

    monkeypatch.setenv("CPT_TRUSTED_HOSTS", f"cpt.example.gov.uk,{listed}")
    with pytest.raises(ValueError, match=r"CPT_TRUSTED_HOSTS .*" + re.escape(repr(listed))):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
