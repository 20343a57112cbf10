"""Pledge latest words

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 20:00:00

Each pledge's latest progress update's day and note (the update its row names already, the
latest of its live actions' by day, and of two on one day the later recorded) kept on its row
(core.pledges.latest_status), so that the tables of pledges quote each one's latest update
without reading the updates' table; copied here from the update each pledge names.
"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('pledge', sa.Column('latest_reported_on', sa.Date(), nullable=True))
    op.add_column('pledge', sa.Column('latest_note', sa.Text(), nullable=True))
    pledge = sa.table('pledge', sa.column('latest_update_id', sa.Integer),
                      sa.column('latest_reported_on', sa.Date), sa.column('latest_note', sa.Text))
    update = sa.table('progress_update', sa.column('id', sa.Integer),
                      sa.column('reported_on', sa.Date), sa.column('note', sa.Text))

    def named(column):
        return (sa.select(column).where(update.c.id == pledge.c.latest_update_id)
                .correlate(pledge).scalar_subquery())

    op.get_bind().execute(sa.update(pledge).values(
        latest_reported_on=named(update.c.reported_on), latest_note=named(update.c.note)))


def downgrade():
    # ALTER TABLE, not a batch's copy of the table (as migration 0028)
    op.drop_column('pledge', 'latest_note')
    op.drop_column('pledge', 'latest_reported_on')
