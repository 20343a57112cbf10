"""The log of sent mail

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 03:40:00

Every message the toolkit sends or fails to send (core/mail/models.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sent_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=True),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('recipient', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=True),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_sent_mail_council_id_council')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'],
                                name=op.f('fk_sent_mail_meeting_id_meeting')),
        sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'],
                                name=op.f('fk_sent_mail_sent_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_mail')),
    )
    op.create_index(op.f('ix_sent_mail_council_id'), 'sent_mail', ['council_id'])
    op.create_index(op.f('ix_sent_mail_meeting_id'), 'sent_mail', ['meeting_id'])
    op.create_index('ix_sent_mail_dedupe', 'sent_mail', ['dedupe_key', 'recipient', 'day'])


def downgrade():
    op.drop_index('ix_sent_mail_dedupe', table_name='sent_mail')
    op.drop_index(op.f('ix_sent_mail_meeting_id'), table_name='sent_mail')
    op.drop_index(op.f('ix_sent_mail_council_id'), table_name='sent_mail')
    op.drop_table('sent_mail')
