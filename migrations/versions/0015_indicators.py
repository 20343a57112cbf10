"""Indicators and their figures

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 03:50:00

A council's indicators (core/indicators/models.py: definitions synced from its plugin), their
figures per period with target and comparators, and the council's red/amber/green rule.
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('council', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rag_rule', sa.JSON(), nullable=True))
    op.create_table(
        'indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('definition', sa.Text(), nullable=True),
        sa.Column('unit', sa.String(length=16), nullable=True),
        sa.Column('higher_is_better', sa.Boolean(), nullable=True),
        sa.Column('period', sa.String(length=8), nullable=True),
        sa.Column('priorities', sa.JSON(), nullable=False),
        sa.Column('pledges', sa.JSON(), nullable=False),
        sa.Column('source', sa.Text(), nullable=True),
        sa.Column('measure', sa.String(length=64), nullable=True),
        sa.Column('named_in', sa.Text(), nullable=True),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('origin', sa.String(length=8), server_default='plugin', nullable=False),
        sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_indicator_council_id_council')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
        sa.UniqueConstraint('council_id', 'key', name=op.f('uq_indicator_council_id_key')),
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_council_id'), ['council_id'],
                              unique=False)
    op.create_table(
        'indicator_figure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('value', sa.Float(), nullable=True),
        sa.Column('numerator', sa.Integer(), nullable=True),
        sa.Column('denominator', sa.Integer(), nullable=True),
        sa.Column('target', sa.Float(), nullable=True),
        sa.Column('england', sa.Float(), nullable=True),
        sa.Column('region', sa.Float(), nullable=True),
        sa.Column('neighbours', sa.Float(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_indicator_figure_council_id_council')),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'],
                                name=op.f('fk_indicator_figure_indicator_id_indicator')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_figure')),
        sa.UniqueConstraint('indicator_id', 'period_end',
                            name=op.f('uq_indicator_figure_indicator_id_period_end')),
    )
    with op.batch_alter_table('indicator_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_figure_council_id'), ['council_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_figure_indicator_id'),
                              ['indicator_id'], unique=False)


def downgrade():
    with op.batch_alter_table('indicator_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_figure_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_figure_council_id'))
    op.drop_table('indicator_figure')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_council_id'))
    op.drop_table('indicator')
    with op.batch_alter_table('council', schema=None) as batch_op:
        batch_op.drop_column('rag_rule')

