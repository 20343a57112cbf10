"""Stored progress months

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 13:00:00

Each pledge's counts of actions by category at the end of each of the last eleven months
(core/pledges/month_counts.py), rewritten in the transaction of every change to a council's
actions, progress updates or status rule, so that the progress history reads its past
months instead of counting them on every render. The table starts empty: until a council
next changes, its history counts every month live, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'progress_month',
        sa.Column('pledge_id', sa.Integer(), nullable=False),
        sa.Column('month_end', sa.Date(), nullable=False),
        sa.Column('grace_days', sa.Integer(), nullable=False),
        sa.Column('complete', sa.Integer(), nullable=False),
        sa.Column('on_track', sa.Integer(), nullable=False),
        sa.Column('at_risk', sa.Integer(), nullable=False),
        sa.Column('off_track', sa.Integer(), nullable=False),
        sa.Column('past_due', sa.Integer(), nullable=False),
        sa.Column('not_started', sa.Integer(), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_progress_month_council_id_council')),
        sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'],
                                name=op.f('fk_progress_month_pledge_id_pledge')),
        sa.PrimaryKeyConstraint('pledge_id', 'month_end', name=op.f('pk_progress_month')),
    )
    with op.batch_alter_table('progress_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_month_council_id'), ['council_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('progress_month', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_month_council_id'))
    op.drop_table('progress_month')
