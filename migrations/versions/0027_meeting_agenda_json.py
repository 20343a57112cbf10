"""Meeting agenda JSON

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 17:30:00

Each meeting's agenda as the API gives it (the JSON array of its items, as each item's JSON
is written by the database) kept on the meeting's row (core.meetings.kept_agendas), so that
a page of the API's meetings reads its meetings alone rather than every item of every
agenda; written here for the meetings already loaded, as the app writes it.
"""
import sqlalchemy as sa
from alembic import op

from core.meetings.kept_agendas import write_agendas

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('meeting', sa.Column('agenda_json', sa.Text(), server_default='[]',
                                       nullable=False))
    write_agendas(op.get_bind())


def downgrade():
    # ALTER TABLE, not a batch's copy of the table (as migration 0025): SQLite drops a plain
    # column in place.
    op.drop_column('meeting', 'agenda_json')
