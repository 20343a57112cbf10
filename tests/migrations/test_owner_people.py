"""The migration that adds owners who are people (``desk_attendance``) links the free-text
owners of existing actions arising that name exactly one person of their council."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text

from core import schema
from core.app import create_app
from core.extensions import db
from tests.migrations.test_migrations import empty_database_url  # noqa: F401  (a fixture)


def test_free_text_owners_naming_one_person_are_linked(empty_database_url: str) -> None:  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "test"},
                     plugins={})
    schema.bind(app)
    with app.app_context():
        scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        mine = next(s for s in scripts.walk_revisions()
                    if s.path.endswith("_desk_attendance.py"))
        upgrade(revision=mine.down_revision)
        with db.engine.begin() as connection:
            for statement in [
                "INSERT INTO council (id, slug, name, nation, locale, colour, plugin, "
                "vocabulary, young_people_names, revision) VALUES "
                "(1, 'a', 'A', 'england', 'en_GB', '#000000', 'p', '{}', 'either', 'r'), "
                "(2, 'b', 'B', 'england', 'en_GB', '#000000', 'p', '{}', 'either', 'r')",
                "INSERT INTO panel (id, council_id, key, name, position, origin, purpose, "
                "responsibilities, updated_at) VALUES "
                "(1, 1, 'p', 'P', 0, 'plugin', '[]', '[]', '2026-01-01')",
                "INSERT INTO meeting (id, council_id, panel_id, starts_at, cancelled, version) "
                "VALUES (1, 1, 1, '2026-01-01 18:00:00', false, 1)",
                "INSERT INTO person (id, council_id, name, created_at) VALUES "
                "(1, 1, 'Ann Smith', '2026-01-01'), (2, 1, 'Bo', '2026-01-01'), "
                "(3, 1, 'bo', '2026-01-01'), (4, 2, 'Cy', '2026-01-01')",
            ]:
                connection.execute(text(statement))
            for number, owner in enumerate(
                    [" ann smith ", "Bo", "Cy", "Head of Service"], start=1):
                connection.execute(text(
                    "INSERT INTO action_arising (id, council_id, panel_id, meeting_id, text, "
                    "owner, status, version) VALUES (:id, 1, 1, 1, 'Do it', :owner, "
                    "'open', 1)"), {"id": number, "owner": owner})
        upgrade(revision=mine.revision)
        with db.engine.connect() as connection:
            linked = dict(connection.execute(text(
                "SELECT id, owner_person_id FROM action_arising ORDER BY id")).all())
        # one person of that name: linked; two (Bo, bo), another council's, or a role: not
        assert linked == {1: 1, 2: None, 3: None, 4: None}
        db.engine.dispose()
