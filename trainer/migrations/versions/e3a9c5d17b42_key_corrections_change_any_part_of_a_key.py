"""key corrections change any part of a key

A key correction could only replace a keyed code or accept another in its place; it now also
records changes (a JSON list): add a missing diagnosis or line, remove a code, change a line's
modifiers, units, revenue code or pointers, move a diagnosis in the sequence. Existing
corrections have none.

Revision ID: e3a9c5d17b42
Revises: e1a9c3d7f2b4
Create Date: 2026-12-01 13:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9c5d17b42'
down_revision = 'e1a9c3d7f2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('key_corrections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('key_corrections', schema=None) as batch_op:
        batch_op.drop_column('changes')
