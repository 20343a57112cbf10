"""Local indicators

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 06:10:00

Indicators a council's administrators add in the admin (origin ``local``, key ``local-...``)
are edited there, so an indicator has a version counter for optimistic locking, as locally
recorded pledges do (core/indicators/models.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('version')
