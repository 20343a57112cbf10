"""Pledge latest update

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 08:30:00

Each pledge's latest progress update (of its live actions, by day, and of two on one day the
later recorded) named on its row (core.pledges.latest_status), so that the tables of pledges
quote it without probing every action's updates; worked out here for the pledges already
loaded, from each action's kept day (``action.status_on``).
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('pledge', sa.Column('latest_update_id', sa.Integer(), nullable=True))
    pledge = sa.table('pledge', sa.column('id', sa.Integer),
                      sa.column('latest_update_id', sa.Integer))
    action = sa.table('action', sa.column('id', sa.Integer), sa.column('pledge_id', sa.Integer),
                      sa.column('status_on', sa.Date), sa.column('archived_at', sa.DateTime))
    update = sa.table('progress_update', sa.column('id', sa.Integer),
                      sa.column('action_id', sa.Integer), sa.column('reported_on', sa.Date))
    latest = (sa.select(update.c.id)
              .select_from(action.join(update, sa.and_(
                  update.c.action_id == action.c.id,
                  update.c.reported_on == action.c.status_on)))
              .where(action.c.pledge_id == pledge.c.id, action.c.archived_at.is_(None))
              .order_by(update.c.reported_on.desc(), update.c.id.desc()).limit(1)
              .correlate(pledge).scalar_subquery())
    op.get_bind().execute(sa.update(pledge).values(latest_update_id=latest))


def downgrade():
    # ALTER TABLE, not a batch's copy of the table: SQLite (3.35 and later) drops a plain
    # column in place, where copying the table would break the actions' foreign keys.
    op.drop_column('pledge', 'latest_update_id')
