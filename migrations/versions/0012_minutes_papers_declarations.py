"""Published meetings: the minutes' state and history, decisions, presenters and times on
agenda items, declarations of interest, papers, and each panel's forward work programme

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 03:07:40

Minutes already recorded stay drafts (staff only) until a clerk approves and publishes them.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('minutes_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.String(length=320), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_minutes_revision_council_id_council')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_minutes_revision_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_revision'))
    )
    with op.batch_alter_table('minutes_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_revision_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_minutes_revision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('nature', sa.Text(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_declaration_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_declaration_council_id_council')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_declaration_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_declaration_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration'))
    )
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declaration_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declaration_person_id'), ['person_id'], unique=False)

    op.create_table('paper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('file_type', sa.String(length=8), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('exemption', sa.String(length=16), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_paper_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_paper_council_id_council')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_paper_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper'))
    )
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('planned_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('brought_by', sa.String(length=200), nullable=True),
    sa.Column('planned_meeting_id', sa.Integer(), nullable=True),
    sa.Column('planned_month', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_planned_item_agenda_item_id_agenda_item')),
    sa.ForeignKeyConstraint(['council_id'], ['council.id'], name=op.f('fk_planned_item_council_id_council')),
    sa.ForeignKeyConstraint(['panel_id'], ['panel.id'], name=op.f('fk_planned_item_panel_id_panel')),
    sa.ForeignKeyConstraint(['planned_meeting_id'], ['meeting.id'], name=op.f('fk_planned_item_planned_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_item'))
    )
    with op.batch_alter_table('planned_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_item_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_item_panel_id'), ['panel_id'], unique=False)

    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenter', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_state', sa.String(length=16), server_default='draft', nullable=False))
        batch_op.add_column(sa.Column('approved_how', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('approved_at_meeting_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('approved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_meeting_approved_at_meeting_id_meeting'), 'meeting', ['approved_at_meeting_id'], ['id'])



def downgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_approved_at_meeting_id_meeting'), type_='foreignkey')
        batch_op.drop_column('corrected_at')
        batch_op.drop_column('published_at')
        batch_op.drop_column('approved_on')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('approved_at_meeting_id')
        batch_op.drop_column('approved_how')
        batch_op.drop_column('minutes_state')

    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('decision')
        batch_op.drop_column('duration_minutes')
        batch_op.drop_column('presenter')

    with op.batch_alter_table('planned_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_item_panel_id'))
        batch_op.drop_index(batch_op.f('ix_planned_item_council_id'))

    op.drop_table('planned_item')
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_paper_council_id'))
        batch_op.drop_index(batch_op.f('ix_paper_agenda_item_id'))

    op.drop_table('paper')
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_person_id'))
        batch_op.drop_index(batch_op.f('ix_declaration_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_declaration_council_id'))

    op.drop_table('declaration')
    with op.batch_alter_table('minutes_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_revision_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_minutes_revision_council_id'))

    op.drop_table('minutes_revision')
