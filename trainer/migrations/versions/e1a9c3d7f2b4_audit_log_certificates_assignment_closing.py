"""audit log, certificates, closing an assignment early

An append-only audit log of changes to people, cohorts, assignments, keys and certificates;
certificates of a trainee in a specialty (the figures they rest on, signer, revocation); and
the time a supervisor closed an assignment early.

Revision ID: e1a9c3d7f2b4
Revises: e21c0575a1b2
Create Date: 2026-12-01 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a9c3d7f2b4'
down_revision = 'e21c0575a1b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('target_type', sa.String(length=24), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name='fk_audit_events_actor_id'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
    op.create_table(
        'certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        sa.Column('reviewed_charts', sa.Integer(), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        sa.Column('wilson_low', sa.Float(), nullable=False),
        sa.Column('target', sa.Float(), nullable=False),
        sa.Column('signed_by', sa.Integer(), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_by', sa.Integer(), nullable=True),
        sa.Column('revoke_reason', sa.Text(), server_default='', nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_certificates_user_id'),
        sa.ForeignKeyConstraint(['signed_by'], ['users.id'], name='fk_certificates_signed_by'),
        sa.ForeignKeyConstraint(['revoked_by'], ['users.id'], name='fk_certificates_revoked_by'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_user_id'))
    op.drop_table('certificates')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
    op.drop_table('audit_events')
