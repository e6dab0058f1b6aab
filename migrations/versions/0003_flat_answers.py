"""One answers shape: guided answers stored flat as "part.step" keys by every channel.

The web form used to store a guided part nested ({"part": {"step": text}}) while the API
stored it flat ({"part.step": text}); this rewrites the nested ones (attempts and pinned
template test cases). Part ids contain no dot, so the downgrade can nest them again.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
TABLES = ("attempts", "template_test_cases")
BATCH = 1000


def flat(answers: dict) -> dict:
    out = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            out.update({f"{key}.{step}": v for step, v in value.items()})
        else:
            out[key] = value
    return out


def nested(answers: dict) -> dict:
    out: dict = {}
    for key, value in answers.items():
        part, dot, step = key.partition(".")
        if dot:
            out.setdefault(part, {})[step] = value
        else:
            out[key] = value
    return out


def _rewrite(change) -> None:
    bind = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column("id", sa.Integer), sa.column("answers", JSON))
        last = 0
        while True:
            rows = bind.execute(sa.select(table.c.id, table.c.answers).where(table.c.id > last)
                                .order_by(table.c.id).limit(BATCH)).all()
            if not rows:
                break
            for row_id, answers in rows:
                new = change(answers or {})
                if new != answers:
                    bind.execute(table.update().where(table.c.id == row_id).values(answers=new))
            last = rows[-1][0]


def upgrade() -> None:
    _rewrite(flat)


def downgrade() -> None:
    _rewrite(nested)
