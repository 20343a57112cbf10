"""Review owners: the accounts reminded when a review is due

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 03:30:00

Review cycles get owners (core/reviews/models.py ReviewOwner), assigned in the admin as
action owners are; `cpt remind` emails them when the review is due.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review_owner',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_cycle_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_review_owner_council_id_council')),
        sa.ForeignKeyConstraint(['review_cycle_id'], ['review_cycle.id'],
                                name=op.f('fk_review_owner_review_cycle_id_review_cycle')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_review_owner_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_owner')),
        sa.UniqueConstraint('review_cycle_id', 'user_id',
                            name=op.f('uq_review_owner_review_cycle_id_user_id')),
    )
    op.create_index(op.f('ix_review_owner_council_id'), 'review_owner', ['council_id'])
    op.create_index(op.f('ix_review_owner_review_cycle_id'), 'review_owner',
                    ['review_cycle_id'])
    op.create_index(op.f('ix_review_owner_user_id'), 'review_owner', ['user_id'])


def downgrade():
    op.drop_index(op.f('ix_review_owner_user_id'), table_name='review_owner')
    op.drop_index(op.f('ix_review_owner_review_cycle_id'), table_name='review_owner')
    op.drop_index(op.f('ix_review_owner_council_id'), table_name='review_owner')
    op.drop_table('review_owner')
