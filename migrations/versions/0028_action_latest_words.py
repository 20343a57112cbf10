"""Action latest words

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 18:00:00

Each action's latest progress update's note and author (of its updates by day, and of two on
one day the later recorded) kept on its row with its status (core.pledges.latest_status), so
that the plan's file and a pledge's page quote each action's latest update without probing
its updates; worked out here for the actions already loaded.
"""
import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('action', sa.Column('latest_note', sa.Text(), nullable=True))
    op.add_column('action', sa.Column('latest_author', sa.String(length=200), nullable=True))
    action = sa.table('action', sa.column('id', sa.Integer), sa.column('latest_note', sa.Text),
                      sa.column('latest_author', sa.String))
    update = sa.table('progress_update', sa.column('id', sa.Integer),
                      sa.column('action_id', sa.Integer), sa.column('reported_on', sa.Date),
                      sa.column('note', sa.Text), sa.column('author', sa.String))

    def latest(column):
        return (sa.select(column).where(update.c.action_id == action.c.id)
                .order_by(update.c.reported_on.desc(), update.c.id.desc()).limit(1)
                .correlate(action).scalar_subquery())

    op.get_bind().execute(sa.update(action).values(latest_note=latest(update.c.note),
                                                   latest_author=latest(update.c.author)))


def downgrade():
    # ALTER TABLE, not a batch's copy of the table (as migration 0025): SQLite drops a plain
    # column in place, where copying the table would break the updates' foreign keys.
    op.drop_column('action', 'latest_author')
    op.drop_column('action', 'latest_note')
