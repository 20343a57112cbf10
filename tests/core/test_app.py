"""The app's settings of every SQLite connection (core/app.py)."""

from __future__ import annotations

from pathlib import Path

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
