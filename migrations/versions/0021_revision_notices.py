"""Revision notices

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 21:30:00

On PostgreSQL, triggers on ``council`` and ``directory`` that notify the app's workers of
every change to a revision, so that a worker need not read a council's revision before
every kept page it serves (core.revision_notices). Nothing on SQLite.
"""
from alembic import op

from core.revision_notices import install_notices, remove_notices

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    install_notices(op.get_bind())


def downgrade():
    remove_notices(op.get_bind())
