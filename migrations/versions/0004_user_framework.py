"""A learner's framework (PyTorch or TensorFlow) for the framework-code exercises.

Existing users get PyTorch, the default. Batch mode, so that SQLite (which cannot add a
CHECK constraint to a table) recreates the table.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('framework', sa.String(length=16), server_default='pytorch', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_users_framework'), "framework IN ('pytorch', 'tensorflow')")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_framework'), type_='check')
        batch_op.drop_column('framework')
