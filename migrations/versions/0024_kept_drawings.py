"""Kept drawings

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 03:20:00

A council's charts drawn in the transaction of the change to what they show
(core/charts/kept.py), so that no request draws a chart its figures' last change drew. The
table starts empty: until an indicator's figures next change, its chart is drawn when asked,
as before (`cpt keep-charts` draws every council's now).
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kept_drawing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('svg', sa.LargeBinary(), nullable=False),
        sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_kept_drawing_council_id_council')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_drawing')),
        sa.UniqueConstraint('council_id', 'subject',
                            name=op.f('uq_kept_drawing_council_id_subject')),
    )
    with op.batch_alter_table('kept_drawing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_drawing_council_id'), ['council_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('kept_drawing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_drawing_council_id'))
    op.drop_table('kept_drawing')
