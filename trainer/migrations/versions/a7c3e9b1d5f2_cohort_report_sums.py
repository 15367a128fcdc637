"""cohort report sums: per trainee specialty and totals, per cohort template/specialty/week/E-M/error sums

The cohort report at 1,000,000 attempts cannot sum 2,000 trainees x 213 templates of
per-trainee rows on each request: each cohort keeps the sums of its members' rows
(services/report_summaries.py adjusts them in the transaction of each change and of each
membership change). The item analysis keeps, per template, the sums over trainees of
x = share of charts right, y = accuracy on every other template, x², y² and xy, from which the
discrimination (a Pearson correlation) is computed. Filled here from the per-trainee rows.
On SQLite the tables are WITHOUT ROWID: a cohort's rows are one range of the key.

Revision ID: a7c3e9b1d5f2
Revises: f2b8d4a6c1e9
Create Date: 2026-12-01 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9b1d5f2'
down_revision = 'f2b8d4a6c1e9'
branch_labels = None
depends_on = None


def _cohort(name):
    return (
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=f'fk_{name}_cohort_id'),
    )


def upgrade():
    op.create_table(
        'trainee_specialty_summaries',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        sa.Column('charts_correct', sa.Integer(), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name='fk_trainee_specialty_summaries_user_id'
        ),
        sa.PrimaryKeyConstraint('user_id', 'specialty'),
        sqlite_with_rowid=False,
    )
    op.create_table(
        'trainee_total_summaries',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        sa.Column('clean_charts', sa.Integer(), nullable=False),
        sa.Column('lines_denied', sa.Integer(), nullable=False),
        sa.Column('lines_total', sa.Integer(), nullable=False),
        sa.Column('under_cents', sa.Integer(), nullable=False),
        sa.Column('over_cents', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_trainee_total_summaries_user_id'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    column, fk = _cohort('cohort_template_summaries')
    op.create_table(
        'cohort_template_summaries',
        column,
        sa.Column('template_id', sa.String(length=36), nullable=False),
        sa.Column('trainees', sa.Integer(), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        sa.Column('charts_correct', sa.Integer(), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        sa.Column('item_n', sa.Integer(), nullable=False),
        sa.Column('sum_x', sa.Float(), nullable=False),
        sa.Column('sum_y', sa.Float(), nullable=False),
        sa.Column('sum_xx', sa.Float(), nullable=False),
        sa.Column('sum_yy', sa.Float(), nullable=False),
        sa.Column('sum_xy', sa.Float(), nullable=False),
        fk,
        sa.PrimaryKeyConstraint('cohort_id', 'template_id'),
        sqlite_with_rowid=False,
    )
    column, fk = _cohort('cohort_specialty_summaries')
    op.create_table(
        'cohort_specialty_summaries',
        column,
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('trainees', sa.Integer(), nullable=False),
        sa.Column('codes_correct', sa.Integer(), nullable=False),
        sa.Column('codes_total', sa.Integer(), nullable=False),
        fk,
        sa.PrimaryKeyConstraint('cohort_id', 'specialty'),
        sqlite_with_rowid=False,
    )
    column, fk = _cohort('cohort_week_summaries')
    op.create_table(
        'cohort_week_summaries',
        column,
        sa.Column('week_start', sa.String(length=10), nullable=False),
        sa.Column('specialty', sa.String(length=40), nullable=False),
        sa.Column('trainees', sa.Integer(), nullable=False),
        sa.Column('money_charts', sa.Integer(), nullable=False),
        sa.Column('under_cents', sa.Integer(), nullable=False),
        sa.Column('over_cents', sa.Integer(), nullable=False),
        fk,
        sa.PrimaryKeyConstraint('cohort_id', 'week_start', 'specialty'),
        sqlite_with_rowid=False,
    )
    column, fk = _cohort('cohort_em_summaries')
    op.create_table(
        'cohort_em_summaries',
        column,
        sa.Column('em_key', sa.String(length=5), nullable=False),
        sa.Column('em_given', sa.String(length=5), nullable=False),
        sa.Column('trainees', sa.Integer(), nullable=False),
        sa.Column('charts', sa.Integer(), nullable=False),
        fk,
        sa.PrimaryKeyConstraint('cohort_id', 'em_key', 'em_given'),
        sqlite_with_rowid=False,
    )
    column, fk = _cohort('cohort_error_summaries')
    op.create_table(
        'cohort_error_summaries',
        column,
        sa.Column('error_type', sa.String(length=32), nullable=False),
        sa.Column('trainees', sa.Integer(), nullable=False),
        sa.Column('errors', sa.Integer(), nullable=False),
        fk,
        sa.PrimaryKeyConstraint('cohort_id', 'error_type'),
        sqlite_with_rowid=False,
    )

    op.execute(
        "INSERT INTO trainee_specialty_summaries (user_id, specialty, charts, charts_correct, "
        "codes_correct, codes_total, seconds) "
        "SELECT user_id, specialty, sum(charts), sum(charts_correct), sum(codes_correct), "
        "sum(codes_total), sum(seconds) FROM trainee_template_summaries "
        "GROUP BY user_id, specialty"
    )
    op.execute(
        "INSERT INTO trainee_total_summaries (user_id, charts, codes_correct, codes_total, "
        "clean_charts, lines_denied, lines_total, under_cents, over_cents) "
        "SELECT user_id, sum(charts), sum(codes_correct), sum(codes_total), "
        "sum(clean_charts), sum(lines_denied), sum(lines_total), sum(under_cents), "
        "sum(over_cents) FROM trainee_template_summaries GROUP BY user_id"
    )
    op.execute(
        "INSERT INTO cohort_template_summaries (cohort_id, template_id, trainees, charts, "
        "charts_correct, codes_correct, codes_total, item_n, sum_x, sum_y, sum_xx, sum_yy, "
        "sum_xy) "
        "SELECT cohort_id, template_id, count(*), sum(n), sum(ok), sum(cc), sum(ct), "
        "sum(item), sum(x), sum(y), sum(x * x), sum(y * y), sum(x * y) FROM ("
        "SELECT m.cohort_id, c.template_id, c.n, c.ok, c.cc, c.ct, "
        "CASE WHEN c.n > 0 AND t.codes_total > c.ct THEN 1 ELSE 0 END AS item, "
        "CASE WHEN c.n > 0 AND t.codes_total > c.ct THEN CAST(c.ok AS FLOAT) / c.n "
        "ELSE 0.0 END AS x, "
        "CASE WHEN c.n > 0 AND t.codes_total > c.ct "
        "THEN CAST(t.codes_correct - c.cc AS FLOAT) / (t.codes_total - c.ct) ELSE 0.0 END AS y "
        "FROM (SELECT user_id, template_id, sum(charts) AS n, sum(charts_correct) AS ok, "
        "sum(codes_correct) AS cc, sum(codes_total) AS ct FROM trainee_template_summaries "
        "GROUP BY user_id, template_id) c "
        "JOIN trainee_total_summaries t ON t.user_id = c.user_id "
        "JOIN cohort_members m ON m.user_id = c.user_id) per "
        "GROUP BY cohort_id, template_id"
    )
    op.execute(
        "INSERT INTO cohort_specialty_summaries (cohort_id, specialty, trainees, "
        "codes_correct, codes_total) "
        "SELECT m.cohort_id, s.specialty, count(*), sum(s.codes_correct), "
        "sum(s.codes_total) FROM trainee_specialty_summaries s "
        "JOIN cohort_members m ON m.user_id = s.user_id GROUP BY m.cohort_id, s.specialty"
    )
    op.execute(
        "INSERT INTO cohort_week_summaries (cohort_id, week_start, specialty, trainees, "
        "money_charts, under_cents, over_cents) "
        "SELECT m.cohort_id, w.week_start, w.specialty, count(*), sum(w.money_charts), "
        "sum(w.under_cents), sum(w.over_cents) FROM trainee_week_summaries w "
        "JOIN cohort_members m ON m.user_id = w.user_id "
        "GROUP BY m.cohort_id, w.week_start, w.specialty"
    )
    op.execute(
        "INSERT INTO cohort_em_summaries (cohort_id, em_key, em_given, trainees, charts) "
        "SELECT m.cohort_id, e.em_key, e.em_given, count(*), sum(e.charts) "
        "FROM trainee_em_summaries e JOIN cohort_members m ON m.user_id = e.user_id "
        "GROUP BY m.cohort_id, e.em_key, e.em_given"
    )
    op.execute(
        "INSERT INTO cohort_error_summaries (cohort_id, error_type, trainees, errors) "
        "SELECT m.cohort_id, e.error_type, count(*), sum(e.errors) "
        "FROM trainee_error_summaries e JOIN cohort_members m ON m.user_id = e.user_id "
        "GROUP BY m.cohort_id, e.error_type"
    )


def downgrade():
    for name in (
        'cohort_error_summaries',
        'cohort_em_summaries',
        'cohort_week_summaries',
        'cohort_specialty_summaries',
        'cohort_template_summaries',
        'trainee_total_summaries',
        'trainee_specialty_summaries',
    ):
        op.drop_table(name)
