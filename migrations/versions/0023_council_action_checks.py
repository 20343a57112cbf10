"""Council action checks

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 22:00:00

What the action checks find in each council's plan, kept on its row
(core.pledges.action_checks) and worked out here for the councils already loaded, so that
no page compares a council's actions' words while it waits for its next change.
"""
import sqlalchemy as sa
from alembic import op

from core.pledges.action_checks import read_action_checks

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('council', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_checks', sa.JSON(), nullable=True))
    bind = op.get_bind()
    council = sa.table('council', sa.column('id', sa.Integer),
                       sa.column('action_checks', sa.JSON))
    for (council_id,) in bind.execute(sa.select(council.c.id)).all():
        found = read_action_checks(bind, council_id)
        bind.execute(sa.update(council).where(council.c.id == council_id)
                     .values(action_checks=found.as_json()))


def downgrade():
    with op.batch_alter_table('council', schema=None) as batch_op:
        batch_op.drop_column('action_checks')
