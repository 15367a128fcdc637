"""what errors cost, per attempt: revenue under/over, denied lines, E/M codes

The report's covering index gains the cost columns (the claims and E/M bias figures are sums
of the same scan); two partial indexes cover the rows the revenue and E/M level tables read.

Revision ID: e21c0575a1b2
Revises: 6c5e183658a2
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e21c0575a1b2'
down_revision = '6c5e183658a2'
branch_labels = None
depends_on = None

REPORT = [
    'user_id', 'status', 'course', 'template_id', 'specialty', 'chart_correct', 'code_correct',
    'code_total', 'seconds_spent', 'submitted_at',
]
COSTS = ['lines_denied', 'lines_total', 'revenue_under_cents', 'revenue_over_cents']
REVENUE_ROWS = "revenue_under_cents > 0 OR revenue_over_cents > 0"
EM_ROWS = "em_key != ''"


def upgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revenue_under_cents', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('revenue_over_cents', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lines_denied', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lines_total', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('em_key', sa.String(length=5), server_default='', nullable=False))
        batch_op.add_column(sa.Column('em_given', sa.String(length=5), server_default='', nullable=False))
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_report')
        batch_op.create_index('ix_attempts_report', REPORT + COSTS, unique=False)
        batch_op.create_index(
            'ix_attempts_revenue',
            ['user_id', 'status', 'course', 'submitted_at', 'specialty', 'revenue_under_cents', 'revenue_over_cents'],
            unique=False,
            sqlite_where=sa.text(REVENUE_ROWS),
            postgresql_where=sa.text(REVENUE_ROWS),
        )
        batch_op.create_index(
            'ix_attempts_em',
            ['user_id', 'status', 'course', 'em_key', 'em_given'],
            unique=False,
            sqlite_where=sa.text(EM_ROWS),
            postgresql_where=sa.text(EM_ROWS),
        )


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_em')
        batch_op.drop_index('ix_attempts_revenue')
        batch_op.drop_index('ix_attempts_report')
        batch_op.create_index('ix_attempts_report', REPORT, unique=False)
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('em_given')
        batch_op.drop_column('em_key')
        batch_op.drop_column('lines_total')
        batch_op.drop_column('lines_denied')
        batch_op.drop_column('revenue_over_cents')
        batch_op.drop_column('revenue_under_cents')
