"""practice pairs: one encounter coded as the professional and the facility claim

A new table ties two practice attempts of the same encounter (the radiologist's read and the
hospital's study, drawn from one seed) so the pair's page shows both grades side by side.

Revision ID: f4b2d8e6a913
Revises: e3a9c5d17b42
Create Date: 2026-12-01 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4b2d8e6a913'
down_revision = 'e3a9c5d17b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'practice_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('professional_attempt_id', sa.Integer(), nullable=False),
        sa.Column('facility_attempt_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name='fk_practice_pairs_user_id'
        ),
        sa.ForeignKeyConstraint(
            ['professional_attempt_id'],
            ['attempts.id'],
            name='fk_practice_pairs_professional_attempt_id',
        ),
        sa.ForeignKeyConstraint(
            ['facility_attempt_id'], ['attempts.id'], name='fk_practice_pairs_facility_attempt_id'
        ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('professional_attempt_id'),
        sa.UniqueConstraint('facility_attempt_id'),
    )
    with op.batch_alter_table('practice_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_pairs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('practice_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_pairs_user_id'))
    op.drop_table('practice_pairs')
