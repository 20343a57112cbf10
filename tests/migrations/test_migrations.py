"""Alembic revisions: an empty database upgrades to exactly the models' schema, and the
newest revision can be told from the files' names (core.schema)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.engine import make_url

from core import schema
from core.app import create_app
from core.extensions import db


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """A new, empty database on the same server as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"cpt_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_database_url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "test"},
                     plugins={})
    with app.app_context():
        assert schema.database_revision() is None and not schema.at_head()
        assert schema.upgrade(app)
        assert schema.database_revision() == schema.code_head() and schema.at_head()
        assert not schema.upgrade(app)  # at the newest revision: nothing to do
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True})
            assert compare_metadata(context, db.metadata) == []
        assert set(inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {
            "alembic_version"}
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_each_revision_is_named_by_its_number_and_revises_the_one_before() -> None:
    """What lets :func:`core.schema.code_head` tell the newest revision from the file names
    alone (``cpt run`` skips Alembic when the database is at it)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "test"},
                     plugins={})
    schema.bind(app)
    with app.app_context():
        scripts = ScriptDirectory.from_config(
            app.extensions["migrate"].migrate.get_config())
        revisions = sorted(scripts.walk_revisions(), key=lambda script: script.revision)
        for number, script in enumerate(revisions, start=1):
            assert script.revision == f"{number:04d}"
            assert script.down_revision == (f"{number - 1:04d}" if number > 1 else None)
            assert schema.REVISION_FILE.fullmatch(script.path.rsplit("/", 1)[1])[1] == (
                script.revision)
        assert schema.code_head() == scripts.get_current_head() == revisions[-1].revision


def test_a_revision_file_named_otherwise_makes_the_head_unknown(tmp_path, monkeypatch) -> None:
    (tmp_path / "versions").mkdir()
    for name in ("0001_first.py", "0002_second.py"):
        (tmp_path / "versions" / name).touch()
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", tmp_path)
    assert schema.code_head() == "0002"
    (tmp_path / "versions" / "3f2a9c_third.py").touch()
    assert schema.code_head() is None  # so the database is never taken to be at the head


def test_0027_to_0032_write_what_the_rows_already_loaded_keep(
        empty_database_url: str) -> None:
    """Upgraded from 0026 with meetings, actions and their updates in place, every
    meeting's row keeps its agenda as the app writes it (core.meetings.kept_agendas), every
    action's its latest update's note and author, and every pledge's its latest update's
    day and note (core.pledges.latest_status), every action's its JSON as the app
    writes it (core.pledges.kept_json), and every pledge's its live actions counted as the
    app counts them (core.pledges.kept_tallies)."""
    from flask_migrate import upgrade

    from core.app import plugin_host
    from core.meetings.kept_agendas import write_agendas
    from core.meetings.models import Meeting
    from core.pledges.kept_json import ACTION_JSON
    from core.pledges.kept_tallies import write_tallies
    from core.pledges.models import Action, Pledge, ProgressUpdate
    from core.sync import sync_all
    from tests.core.growth import grow

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "test"})
    with app.app_context():
        assert schema.upgrade(app)
        sync_all(plugin_host(app))
        grow(app, "herefordshire", 1)
        db.session.remove()
        downgrade(revision="0026")
        assert "agenda_json" not in {column["name"] for column
                                     in inspect(db.engine).get_columns("meeting")}
        assert "latest_note" not in {column["name"] for column
                                     in inspect(db.engine).get_columns("action")}
        assert "action_tally" not in {column["name"] for column
                                      in inspect(db.engine).get_columns("pledge")}
        upgrade()
        kept = db.session.scalars(select(Meeting.agenda_json)).all()
        assert any(agenda != "[]" for agenda in kept)
        assert write_agendas(db.session) == 0  # each as the app writes it
        latest: dict[int, tuple[str, str]] = {}
        for update in db.session.scalars(select(ProgressUpdate).order_by(
                ProgressUpdate.action_id, ProgressUpdate.reported_on, ProgressUpdate.id)):
            latest[update.action_id] = (update.note, update.author)
        words = {row.id: (row.latest_note, row.latest_author) for row in db.session.execute(
            select(Action.id, Action.latest_note, Action.latest_author))}
        assert latest and all(words[action_id] == found
                              for action_id, found in latest.items())
        assert all(found == (None, None) for action_id, found in words.items()
                   if action_id not in latest)
        pledges = db.session.execute(select(
            Pledge.latest_update_id, Pledge.latest_reported_on, Pledge.latest_note)).all()
        assert any(row.latest_update_id is not None for row in pledges)
        for row in pledges:
            named = (None if row.latest_update_id is None
                     else db.session.get(ProgressUpdate, row.latest_update_id))
            assert (row.latest_reported_on, row.latest_note) == (
                (None, None) if named is None else (named.reported_on, named.note))
        written = db.session.execute(select(Action.api_json, ACTION_JSON)).all()
        assert written and all(kept == now and kept != "{}" for kept, now in written)
        tallies = db.session.scalars(select(Pledge.action_tally)).all()
        assert any(tally != "[]" for tally in tallies)
        assert write_tallies(db.session) == 0  # each as the app counts it
        db.session.remove()
        db.engine.dispose()
