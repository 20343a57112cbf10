"""The database schema's migrations (Alembic, through Flask-Migrate), loaded only when needed.

Importing Alembic takes about a tenth of a second, which most starts do not need: the
database is usually at the newest migration already. :func:`upgrade` tells that from the
migration files' names and the database's ``alembic_version`` alone, and imports Alembic
only when there is something to apply; :func:`bind` binds Flask-Migrate to an app for the
``cpt db`` commands.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from sqlalchemy import column, inspect, select, table

from core.extensions import db

#: Where Alembic's environment and revisions live: ``migrations/`` beside ``core/``.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

#: A revision's file name: its revision id (four digits, one more than the revision it
#: revises) and what it does, e.g. ``0009_sync_state.py`` (tests/migrations checks this).
REVISION_FILE = re.compile(r"(\d{4})_\w+\.py")

#: The table in which Alembic keeps the revision a database is at.
VERSION_TABLE = table("alembic_version", column("version_num"))


def code_head() -> str | None:
    """The newest revision, from the files' names; ``None`` when a file is not named as
    :data:`REVISION_FILE` says, so that the head cannot be told without Alembic."""
    revisions = []
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        named = REVISION_FILE.fullmatch(path.name)
        if named is None:
            return None
        revisions.append(named[1])
    return max(revisions, default=None)


def database_revision() -> str | None:
    """The revision the app's database is at; ``None`` when it has never been migrated."""
    with db.engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE.name):
            return None
        return connection.scalar(select(VERSION_TABLE.c.version_num))


def bind(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` (once): its commands and :func:`upgrade` need it."""
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True,
                compare_type=True)


def at_head() -> bool:
    """Whether the app's database is at the newest revision (known from the files' names)."""
    head = code_head()
    return head is not None and database_revision() == head


def upgrade(app: Flask) -> bool:
    """Apply the revisions the database lacks (inside ``app``'s context); whether there was
    anything to do (``False`` when the database was at the newest revision already)."""
    if at_head():
        return False
    from flask_migrate import upgrade as apply_revisions

    bind(app)
    apply_revisions()
    return True
