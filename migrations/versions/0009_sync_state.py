"""The fingerprint of the last complete sync

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:50:00

`cpt run` and `cpt sync` skip the sync when the plugins' definitions are those the last
complete sync wrote (core/sync_state.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sync_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_state')),
    )


def downgrade():
    op.drop_table('sync_state')
