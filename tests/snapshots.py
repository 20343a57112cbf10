"""Named copies of the whole test database, saved once per session and restored per test.

``tests/conftest.py`` saves two: the empty schema, and the four reference councils synced.
Restoring one gives the database exactly the rows and the id counters it had when it was
saved, whatever a test wrote since:

- SQLite: the file is copied with SQLite's backup API (page by page, under SQLite's own
  locks, so a connection left open elsewhere sees the restored data, never a torn file);
- PostgreSQL: each table's rows are copied into a schema of their own (``cpt_snapshot_*``)
  in the test database; a restore is one script run on the server, in one transaction:
  delete every table's rows, insert the saved rows back, and set each sequence to its saved
  value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, Table, text
from sqlalchemy.engine import make_url


class Snapshots(Protocol):
    """Saves and restores named copies of the test database's contents."""

    def save(self, name: str) -> None:
        """Keep the database's current contents as ``name`` (replacing any kept before)."""

    def restore(self, name: str) -> None:
        """Give the database the contents kept as ``name``."""

    def drop(self) -> None:
        """Forget every copy kept."""


def snapshots_for(engine: Engine, tables: Sequence[Table]) -> Snapshots:
    """The snapshots for the database of ``engine``, whose schema holds ``tables`` (in
    dependency order, as ``MetaData.sorted_tables`` gives them)."""
    if engine.dialect.name == "sqlite":
        database = make_url(engine.url).database
        assert database and database != ":memory:", "snapshots need an SQLite file"
        return SQLiteSnapshots(Path(database))
    if engine.dialect.name == "postgresql":
        return PostgresSnapshots(engine, tables)
    raise NotImplementedError(f"no snapshots for {engine.dialect.name}")


class SQLiteSnapshots:
    """Snapshots of an SQLite file, kept as files beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _file(self, name: str) -> Path:
        return self.path.with_name(f"{self.path.stem}.snapshot-{name}{self.path.suffix}")

    def save(self, name: str) -> None:
        _backup(self.path, self._file(name))

    def restore(self, name: str) -> None:
        _backup(self._file(name), self.path)

    def drop(self) -> None:
        for kept in self.path.parent.glob(self._file("*").name + "*"):
            kept.unlink()


def _backup(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` over ``target`` with the backup API."""
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        # No waiting for the disk: a third of the time, and a test database need not
        # survive a power cut.
        writer.execute("PRAGMA synchronous=OFF")
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


class PostgresSnapshots:
    """Snapshots of the tables of a PostgreSQL database, kept in schemas of the same database."""

    PREFIX = "cpt_snapshot_"

    def __init__(self, engine: Engine, tables: Sequence[Table]) -> None:
        self.engine = engine
        self.tables = list(tables)
        self._scripts: dict[str, str] = {}

    def save(self, name: str) -> None:
        schema = f'"{self.PREFIX}{name}"'
        filled: list[str] = []
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
            for table in self.tables:
                copied = connection.exec_driver_sql(
                    f'CREATE TABLE {schema}."{table.name}" AS TABLE "{table.name}"')
                if copied.rowcount:
                    filled.append(table.name)
            sequences = connection.execute(text(
                "SELECT quote_ident(sequencename), coalesce(last_value, start_value), "
                "last_value IS NOT NULL FROM pg_sequences WHERE schemaname = current_schema()"
            )).all()
        # DELETE rather than TRUNCATE: on tables this small it is several times faster
        # (TRUNCATE makes new files for every table and index).
        script = [f'DELETE FROM "{table.name}";' for table in reversed(self.tables)]
        script += [f'INSERT INTO "{table}" OVERRIDING SYSTEM VALUE '
                   f'SELECT * FROM {schema}."{table}";' for table in filled]
        if sequences:
            script.append("SELECT " + ", ".join(
                f"setval('{sequence}', {value}, {called})"
                for sequence, value, called in sequences) + ";")
        self._scripts[name] = "\n".join(script)

    def restore(self, name: str) -> None:
        # One round trip: without parameters, psycopg sends the script as one simple query,
        # which the server runs in one transaction.
        connection = self.engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(self._scripts[name])
            connection.commit()
        finally:
            connection.close()

    def drop(self) -> None:
        with self.engine.begin() as connection:
            for name in self._scripts:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{self.PREFIX}{name}" CASCADE')
        self._scripts.clear()
