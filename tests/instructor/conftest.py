"""Fixtures of the instructor tests: built-ins loaded, users of each role, a small template."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.models import TemplateTestCase, TemplateVersion

SOURCE = """\
slug: my-mul
version: 1
family: node-backprop
difficulty: 1
topics: [backprop]
title:
  ja: 乗算ノード（講師作成）
  en: Mul node (authored)
statement:
  ja: x = {{x}}, y = {{y}} のとき z = xy の順伝播と逆伝播を求めなさい。
  en: With x = {{x}} and y = {{y}}, find z = xy and its gradients.
params:
  x: {min: 1, max: 9}
  y: {min: 2, max: 9}
nodes:
  z: x * y
parts:
  - {id: z, kind: value, node: z, precision: {decimals: 0}}
  - {id: dx, kind: gradient, wrt: x, precision: {decimals: 0}}
"""

CANONICAL = {"x": 3, "y": 4}
RIGHT = {"z": "12", "dx": "4"}


@pytest.fixture
def users(make_user):
    """One user per role (and a second instructor), by name -> id."""
    return {
        "learner": make_user(email="learner@example.com").id,
        "instructor": make_user(email="teacher@example.com", role="instructor", display_name="講師").id,
        "other": make_user(email="other@example.com", role="instructor", display_name="別の講師").id,
        "admin": make_user(email="admin@example.com", role="admin", display_name="管理者").id,
    }


EMAILS = {"learner": "learner@example.com", "instructor": "teacher@example.com",
          "other": "other@example.com", "admin": "admin@example.com"}


@pytest.fixture
def login(auth, users):
    def as_role(role: str):
        auth.logout()
        if role != "anonymous":
            response = auth.login(email=EMAILS[role])
            assert response.status_code == 302
    return as_role


def count_rows(db, model=TemplateVersion) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def stored_counts(db) -> tuple[int, int]:
    return count_rows(db, TemplateVersion), count_rows(db, TemplateTestCase)


def save(db, source: str, author_id: int):
    from quizapp.services.authoring import save_template

    with db.write() as session:
        row = save_template(session, source, author_id)
        return row.slug, row.version
