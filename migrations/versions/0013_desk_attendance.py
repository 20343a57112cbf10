"""People in attendance, and actions arising owned by someone recorded

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:30:00

- ``in_attendance``: officers and guests recorded at a meeting (name, role or organisation);
  not members, never counted towards quorum.
- ``action_arising.owner_person_id``: the owner, when it is someone recorded in the council.
  ``owner`` stays the text the pages show (the person's name, or free text as before).
  Existing owners whose text is exactly the name of one person of the council (ignoring
  case and spaces round it) are linked to that person; every other owner stays free text.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'in_attendance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['council_id'], ['council.id'],
                                name=op.f('fk_in_attendance_council_id_council')),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'],
                                name=op.f('fk_in_attendance_meeting_id_meeting')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_in_attendance')),
    )
    with op.batch_alter_table('in_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_in_attendance_council_id'), ['council_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_in_attendance_meeting_id'), ['meeting_id'],
                              unique=False)

    with op.batch_alter_table('action_arising', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_person_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_arising_owner_person_id'),
                              ['owner_person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_action_arising_owner_person_id_person'),
                                    'person', ['owner_person_id'], ['id'])

    # Link free-text owners that name exactly one person of the council.
    op.execute(
        "UPDATE action_arising SET owner_person_id = ("
        " SELECT MIN(person.id) FROM person"
        " WHERE person.council_id = action_arising.council_id"
        " AND LOWER(TRIM(person.name)) = LOWER(TRIM(action_arising.owner)))"
        " WHERE (SELECT COUNT(*) FROM person"
        " WHERE person.council_id = action_arising.council_id"
        " AND LOWER(TRIM(person.name)) = LOWER(TRIM(action_arising.owner))) = 1")


def downgrade():
    with op.batch_alter_table('action_arising', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_arising_owner_person_id_person'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_arising_owner_person_id'))
        batch_op.drop_column('owner_person_id')
    with op.batch_alter_table('in_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_in_attendance_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_in_attendance_council_id'))
    op.drop_table('in_attendance')
