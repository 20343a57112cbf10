"""The app (core/app.py): its settings of every SQLite connection, and Flask's check of
hooks and views kept."""

from __future__ import annotations

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
