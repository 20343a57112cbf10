"""Meeting agenda JSON

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 17:30:00

Each meeting's agenda as the API gives it (the JSON array of its items, as each item's JSON
is written by the database) kept on the meeting's row (core.meetings.kept_agendas), so that
a page of the API's meetings reads its meetings alone rather than every item of every
agenda; written here for the meetings already loaded, from the item's fields as they are at
this revision (a later change to the item schema writes every agenda again in its own
migration).
"""
import sqlalchemy as sa
from alembic import op
from marshmallow import Schema, fields

from core.database_json import json_of

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


class _Item(Schema):
    """An agenda item as the API gave it at this revision."""

    title = fields.String()
    description = fields.String(allow_none=True)
    kind = fields.String()


def upgrade():
    op.add_column('meeting', sa.Column('agenda_json', sa.Text(), server_default='[]',
                                       nullable=False))
    meeting = sa.table('meeting', sa.column('id', sa.Integer),
                       sa.column('agenda_json', sa.Text))
    item = sa.table('agenda_item', sa.column('meeting_id', sa.Integer),
                    sa.column('position', sa.Integer), sa.column('id', sa.Integer),
                    sa.column('title', sa.String), sa.column('description', sa.Text),
                    sa.column('kind', sa.String))
    bind = op.get_bind()
    agendas: dict[int, list[str]] = {}
    for meeting_id, written in bind.execute(
            sa.select(item.c.meeting_id, json_of(_Item(), item.c))
            .order_by(item.c.meeting_id, item.c.position, item.c.id)):
        agendas.setdefault(meeting_id, []).append(written)
    if agendas:
        bind.execute(sa.update(meeting).where(meeting.c.id == sa.bindparam('meeting'))
                     .values(agenda_json=sa.bindparam('agenda')),
                     [{'meeting': meeting_id, 'agenda': f"[{','.join(parts)}]"}
                      for meeting_id, parts in agendas.items()])


def downgrade():
    # ALTER TABLE, not a batch's copy of the table (as migration 0025): SQLite drops a plain
    # column in place.
    op.drop_column('meeting', 'agenda_json')
