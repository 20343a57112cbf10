"""Directory revision

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 13:00:00

One row holding the revision of the list of councils (core.councils.models.Directory),
replaced whenever a council's own row changes, so that the pages listing every council are
kept under one value instead of a digest of every council's revision.
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    directory = op.create_table(
        'directory',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_directory')),
    )
    op.bulk_insert(directory, [{'id': 1, 'revision': uuid.uuid4().hex}])


def downgrade():
    op.drop_table('directory')
