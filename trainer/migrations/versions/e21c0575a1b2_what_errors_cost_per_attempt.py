"""what errors cost, per attempt: revenue under/over, denied lines, E/M codes

Revision ID: e21c0575a1b2
Revises: b7c41d2e9f30
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e21c0575a1b2'
down_revision = 'b7c41d2e9f30'
branch_labels = None
depends_on = None

COLUMNS = [
    'user_id', 'status', 'course', 'submitted_at', 'specialty', 'revenue_under_cents',
    'revenue_over_cents', 'lines_denied', 'lines_total', 'em_key', 'em_given',
]


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revenue_under_cents', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('revenue_over_cents', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lines_denied', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lines_total', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('em_key', sa.String(length=5), server_default='', nullable=False))
        batch_op.add_column(sa.Column('em_given', sa.String(length=5), server_default='', nullable=False))
        batch_op.create_index('ix_attempts_costs', COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_costs')
        batch_op.drop_column('em_given')
        batch_op.drop_column('em_key')
        batch_op.drop_column('lines_total')
        batch_op.drop_column('lines_denied')
        batch_op.drop_column('revenue_over_cents')
        batch_op.drop_column('revenue_under_cents')
