"""Active councils by name

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 13:10:00

A partial index on the active councils' names, so that the lists of councils (the home
page, /api/councils) read their first page from it instead of sorting every council: at
1,530 councils the sort was a millisecond of the API's list on PostgreSQL.
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('council', schema=None) as batch_op:
        batch_op.create_index('ix_council_active_by_name', ['name', 'id'], unique=False,
                              sqlite_where=sa.text('archived_at IS NULL'),
                              postgresql_where=sa.text('archived_at IS NULL'))


def downgrade():
    with op.batch_alter_table('council', schema=None) as batch_op:
        batch_op.drop_index('ix_council_active_by_name')
