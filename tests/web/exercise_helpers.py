"""Helpers shared by the exercise page tests."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from quizapp.services import instances
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services.templates import load_builtin_templates

SHOP = "shopping-apple-orange"
CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3",
         "d_orange_num": "165", "d_tax": "650"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


def load_templates(db) -> None:
    with db.write() as session:
        load_builtin_templates(session)


def start(db, user_id, slug=SHOP, **kw) -> str:
    with db.write() as session:
        instance, _ = instances.start_exercise(session, ExerciseCache(), slug, user_id=user_id, **kw)
        return instance.id


def count(db, model) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def form_fields(page: str) -> dict:
    """The hidden fields of the exercise form, as the browser would send them."""
    return dict(re.findall(r'<input type="hidden" name="(idempotency_key|started)" value="([^"]*)"', page))


def answer(client, instance_id, answers, **fields):
    page = client.get(f"/exercises/{instance_id}").get_data(as_text=True)
    return client.post(f"/exercises/{instance_id}", data={**form_fields(page), **fields, **answers})


def text_of(response) -> str:
    return response.get_data(as_text=True)
