"""Foreign key indexes

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 22:30:00

An index led by every foreign key column that had none, so that deleting or erasing the
row it refers to (a membership, a person, a meeting, an agenda item, a user) does not read
the whole referring table for each row deleted.
"""
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

#: (table, column) of each index added.
INDEXED = (
    ('action_arising', 'closed_at_meeting_id'),
    ('agenda_item', 'standing_item_id'),
    ('attendance', 'membership_id'),
    ('attendance', 'substitute_id'),
    ('audit_event', 'user_id'),
    ('declaration', 'agenda_item_id'),
    ('invitation', 'invited_by_id'),
    ('invitation', 'mail_id'),
    ('invitation', 'user_id'),
    ('meeting', 'approved_at_meeting_id'),
    ('planned_item', 'agenda_item_id'),
    ('planned_item', 'planned_meeting_id'),
    ('protocol', 'review_cycle_id'),
    ('sent_mail', 'sent_by_id'),
)


def upgrade():
    for table, column in INDEXED:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)


def downgrade():
    for table, column in reversed(INDEXED):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
