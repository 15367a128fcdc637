"""report summaries and co-instructors

The cohort report reads kept sums instead of scanning every attempt: per trainee and
template, per trainee, ISO week (its Monday, UTC) and specialty, per trainee and E/M pair,
per trainee and error type (services/report_summaries.py keeps them in the transaction of
each grade change). They are filled here from the existing attempts with the report's own
predicates: submitted, not a refresher chart, not a chart of an exam still open.

On SQLite the summary tables are WITHOUT ROWID: each trainee's rows are one range of the
primary key, read in order.

A cohort can have co-instructors: other supervisors who manage it with its owner.

Revision ID: f2b8d4a6c1e9
Revises: f4b2d8e6a913
Create Date: 2026-12-01 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b8d4a6c1e9'
down_revision = 'f4b2d8e6a913'
branch_labels = None
depends_on = None

COUNTED = (
    "a.status = 'submitted' AND a.course = '' AND a.id NOT IN (SELECT x.id FROM attempts x "
    "WHERE x.mode = 'exam' AND x.run_id IN "
    "(SELECT r.id FROM assignment_runs r WHERE r.finished_at IS NULL))"
)


def _week(dialect):
    if dialect == "postgresql":
        return "to_char(date_trunc('week', timezone('UTC', a.submitted_at)), 'YYYY-MM-DD')"
    return "date(a.submitted_at, 'weekday 0', '-6 days')"


def upgrade():
    op.create_table(
        'cohort_instructors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('added_by', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['added_by'], ['users.id'], name='fk_cohort_instructors_added_by'),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name='fk_cohort_instructors_cohort_id'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_cohort_instructors_user_id'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cohort_id', 'user_id', name='uq_cohort_instructors'),
    )
    with op.batch_alter_table('cohort_instructors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_instructors_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_instructors_user_id'), ['user_id'], unique=False)

    op.create_table(
        'trainee_template_summaries',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('template_id', sa.String(length=36), nullable=False),
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        sa.Column('charts_correct', sa.Integer(), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.Column('clean_charts', sa.Integer(), nullable=False),
        sa.Column('lines_denied', sa.Integer(), nullable=False),
        sa.Column('lines_total', sa.Integer(), nullable=False),
        sa.Column('under_cents', sa.Integer(), nullable=False),
        sa.Column('over_cents', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_trainee_template_summaries_user_id'),
        sa.PrimaryKeyConstraint('user_id', 'specialty', 'template_id'),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'trainee_week_summaries',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('week_start', sa.String(length=10), nullable=False),
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        sa.Column('money_charts', sa.Integer(), nullable=False),
        sa.Column('under_cents', sa.Integer(), nullable=False),
        sa.Column('over_cents', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_trainee_week_summaries_user_id'),
        sa.PrimaryKeyConstraint('user_id', 'week_start', 'specialty'),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'trainee_em_summaries',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('em_key', sa.String(length=5), nullable=False),
        sa.Column('em_given', sa.String(length=5), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_trainee_em_summaries_user_id'),
        sa.PrimaryKeyConstraint('user_id', 'em_key', 'em_given'),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'trainee_error_summaries',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('error_type', sa.String(length=32), nullable=False),
        sa.Column('errors', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_trainee_error_summaries_user_id'),
        sa.PrimaryKeyConstraint('user_id', 'error_type'),
        sqlite_with_rowid=False,
    )

    week = _week(op.get_bind().dialect.name)
    op.execute(
        "INSERT INTO trainee_template_summaries (user_id, template_id, specialty, charts, "
        "charts_correct, codes_correct, codes_total, seconds, clean_charts, lines_denied, "
        "lines_total, under_cents, over_cents) "
        "SELECT a.user_id, a.template_id, a.specialty, count(*), "
        "coalesce(sum(CASE WHEN a.chart_correct THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(a.code_correct), 0), coalesce(sum(a.code_total), 0), "
        "coalesce(sum(a.seconds_spent), 0), "
        "coalesce(sum(CASE WHEN a.lines_denied = 0 THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(a.lines_denied), 0), coalesce(sum(a.lines_total), 0), "
        "coalesce(sum(a.revenue_under_cents), 0), coalesce(sum(a.revenue_over_cents), 0) "
        f"FROM attempts a WHERE {COUNTED} "
        "GROUP BY a.user_id, a.template_id, a.specialty"
    )
    op.execute(
        "INSERT INTO trainee_week_summaries (user_id, week_start, specialty, codes_correct, "
        "codes_total, money_charts, under_cents, over_cents) "
        f"SELECT a.user_id, {week}, a.specialty, "
        "coalesce(sum(a.code_correct), 0), coalesce(sum(a.code_total), 0), "
        "coalesce(sum(CASE WHEN a.revenue_under_cents > 0 OR a.revenue_over_cents > 0 "
        "THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(a.revenue_under_cents), 0), coalesce(sum(a.revenue_over_cents), 0) "
        f"FROM attempts a WHERE {COUNTED} AND a.submitted_at IS NOT NULL "
        f"GROUP BY a.user_id, {week}, a.specialty"
    )
    op.execute(
        "INSERT INTO trainee_em_summaries (user_id, em_key, em_given, charts) "
        "SELECT a.user_id, a.em_key, a.em_given, count(*) "
        f"FROM attempts a WHERE {COUNTED} AND a.em_key != '' "
        "GROUP BY a.user_id, a.em_key, a.em_given"
    )
    op.execute(
        "INSERT INTO trainee_error_summaries (user_id, error_type, errors) "
        "SELECT e.user_id, e.error_type, count(e.id) FROM attempt_errors e "
        "WHERE e.attempt_id NOT IN (SELECT x.id FROM attempts x WHERE x.mode = 'exam' AND "
        "x.run_id IN (SELECT r.id FROM assignment_runs r WHERE r.finished_at IS NULL)) "
        "AND e.attempt_id NOT IN (SELECT y.id FROM attempts y WHERE y.status = 'submitted' "
        "AND y.course > '') "
        "GROUP BY e.user_id, e.error_type"
    )


def downgrade():
    op.drop_table('trainee_error_summaries')
    op.drop_table('trainee_em_summaries')
    op.drop_table('trainee_week_summaries')
    op.drop_table('trainee_template_summaries')
    with op.batch_alter_table('cohort_instructors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_instructors_user_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_instructors_cohort_id'))
    op.drop_table('cohort_instructors')
