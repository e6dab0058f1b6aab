"""Mock exams (study) and pinned template test cases (instructor area).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 23:48:50.122241
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mock_exams',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('instance_ids', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('time_limit_s', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('report', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mock_exams_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mock_exams'))
    )
    with op.batch_alter_table('mock_exams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mock_exams_user_id'), ['user_id'], unique=False)

    op.create_table('template_test_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('expected_score', sa.Double(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_template_test_cases_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_test_cases'))
    )
    with op.batch_alter_table('template_test_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_test_cases_slug'), ['slug'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('template_test_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_test_cases_slug'))

    op.drop_table('template_test_cases')
    with op.batch_alter_table('mock_exams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mock_exams_user_id'))

    op.drop_table('mock_exams')
