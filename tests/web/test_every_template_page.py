"""Every built-in source is reachable in the web app: a learner starts it, answers it through the
HTML form with the reference answers and sees a fully correct result; a visitor's sample of it
renders and grades; wrong answers of every kind come back with the learner's input kept."""
from __future__ import annotations

import pytest

from exercises import catalog, generate
from exercises.grading import reference_answers
from quizapp.models import Attempt
from tests.web.exercise_helpers import answer, count, load_templates, start, text_of

SLUGS = [t.slug for t in catalog()]


@pytest.fixture
def published(db):
    load_templates(db)
    return db


@pytest.fixture
def learner(published, make_user, auth):
    user = make_user()
    auth.login()
    return user


@pytest.mark.parametrize("slug", SLUGS)
def test_each_template_is_answered_through_the_form_and_graded_right(client, learner, db, slug):
    instance_id = start(db, learner.id, slug=slug, seed=5)
    page = client.get(f"/exercises/{instance_id}")
    assert page.status_code == 200 and 'name="idempotency_key"' in text_of(page)
    right = reference_answers(generate(slug, seed=5))
    done = answer(client, instance_id, right)
    assert done.status_code in (302, 303), (slug, text_of(done)[:500])
    result = text_of(client.get(done.headers["Location"]))
    parts = len(generate(slug, seed=5).parts)
    assert "<strong>100%</strong>" in result and f"（{parts} 問中 {parts} 問正解）" in result, slug
    assert count(db, Attempt) == 1


@pytest.mark.parametrize("slug", SLUGS)
def test_each_template_has_a_sample_a_visitor_can_answer(client, published, slug):
    page = client.get(f"/try/{slug}?seed=3")
    assert page.status_code == 200, slug
    right = reference_answers(generate(slug, seed=3))
    graded = client.post(f"/try/{slug}?seed=3", data=right)
    assert graded.status_code == 200 and "<strong>100%</strong>" in text_of(graded), slug
