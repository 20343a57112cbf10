"""Action API JSON

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 20:20:00

Each action's JSON as the API gives it inside its pledge, kept on the action's row
(core.pledges.kept_json), so that a page of the API's pledges reads it rather than having the
database write eighty actions' JSON on every request; written here for the actions already
loaded, from the action's fields as they are at this revision (a later change to the schema
writes every action's again in its own migration).
"""
import sqlalchemy as sa
from alembic import op
from marshmallow import Schema, fields

from core.database_json import json_of

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


class _Action(Schema):
    """An action inside its pledge, as the API gave it at this revision."""

    key = fields.String()
    number = fields.Integer()
    wording = fields.String(allow_none=True)
    officer = fields.String(allow_none=True)
    timeline = fields.String(attribute="timeline_text", allow_none=True)
    due = fields.Date(allow_none=True)
    due_precision = fields.String(allow_none=True)
    every_months = fields.Integer(allow_none=True)
    links = fields.List(fields.String())
    outcomes = fields.List(fields.String())
    status = fields.String()
    status_on = fields.Date(allow_none=True)


def upgrade():
    op.add_column('action', sa.Column('api_json', sa.Text(), server_default='{}',
                                      nullable=False))
    action = sa.table('action', sa.column('api_json', sa.Text), sa.column('key', sa.String),
                      sa.column('number', sa.Integer), sa.column('wording', sa.Text),
                      sa.column('officer', sa.Text), sa.column('timeline_text', sa.String),
                      sa.column('due', sa.Date), sa.column('due_precision', sa.String),
                      sa.column('every_months', sa.Integer), sa.column('links', sa.JSON),
                      sa.column('outcomes', sa.JSON), sa.column('status', sa.String),
                      sa.column('status_on', sa.Date))
    op.get_bind().execute(sa.update(action).values(api_json=json_of(_Action(), action.c)))


def downgrade():
    # ALTER TABLE, not a batch's copy of the table (as migration 0028)
    op.drop_column('action', 'api_json')
