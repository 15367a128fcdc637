"""cohort-scoped templates and key corrections

An authored template can be published to every cohort by an administrator (who and when are
kept); a key correction records whether it applies to every cohort or only to the cohorts the
correcting supervisor ran; an attempt records the cohort it was started in, so a correction's
reach follows the chart, not the trainee's later moves. Existing corrections keep applying to
everyone (what they did when they were made); existing attempts take their assignment's cohort,
else their trainee's current cohort.

Revision ID: b7c41d2e9f30
Revises: d4e7a1c2b9f0
Create Date: 2026-12-01 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41d2e9f30'
down_revision = 'd4e7a1c2b9f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('authored_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_authored_templates_published_by', 'users', ['published_by'], ['id']
        )
    with op.batch_alter_table('key_corrections', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('applies_to', sa.String(length=16), server_default='all', nullable=False)
        )
        batch_op.add_column(sa.Column('cohort_ids', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attempts_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_foreign_key('fk_attempts_cohort_id', 'cohorts', ['cohort_id'], ['id'])
    op.execute(
        "UPDATE attempts SET cohort_id = (SELECT a.cohort_id FROM assignment_runs r "
        "JOIN assignments a ON a.id = r.assignment_id WHERE r.id = attempts.run_id) "
        "WHERE run_id IS NOT NULL"
    )
    op.execute(
        "UPDATE attempts SET cohort_id = (SELECT m.cohort_id FROM cohort_members m "
        "WHERE m.user_id = attempts.user_id) WHERE cohort_id IS NULL"
    )


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_attempts_cohort_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attempts_cohort_id'))
        batch_op.drop_column('cohort_id')
    with op.batch_alter_table('key_corrections', schema=None) as batch_op:
        batch_op.drop_column('cohort_ids')
        batch_op.drop_column('applies_to')
    with op.batch_alter_table('authored_templates', schema=None) as batch_op:
        batch_op.drop_constraint('fk_authored_templates_published_by', type_='foreignkey')
        batch_op.drop_column('published_by')
        batch_op.drop_column('published_at')
