"""The learner's framework (/settings): saved, and used for the framework-code exercises on the
exercise pages, in mock exams and on /try (PyTorch unless chosen otherwise)."""
from __future__ import annotations

import html
import re

import pytest

from sqlalchemy import select

from exercises import generate
from quizapp.models import Attempt, ExerciseInstance, User
from quizapp.services import instances, mock_exams
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services.learner_settings import set_framework
from tests.web.exercise_helpers import JAPANESE, SHOP, load_templates, start, text_of

FW = "framework-autograd-code"


@pytest.fixture
def loaded(db):
    load_templates(db)
    return db


@pytest.fixture
def learner(loaded, make_user, auth):
    user = make_user()
    auth.login()
    return user


def framework_of(db, user_id) -> str:
    with db.sessions() as session:
        return session.get(User, user_id).framework


def code_page(client, slug=FW, seed=3) -> str:
    """The exercise page a learner lands on after starting ``slug``, unescaped."""
    response = client.get(f"/exercises/{slug}/new?seed={seed}")
    assert response.status_code == 302
    return html.unescape(text_of(client.get(response.headers["Location"])))


def checked(page: str) -> list[str]:
    return re.findall(r'<input checked id="framework-\d" name="framework" type="radio" value="(\w+)">', page)


# --- the settings page ---------------------------------------------------------------------

def test_settings_need_a_log_in(client):
    assert client.get("/settings").headers["Location"].startswith("/login")
    assert client.post("/settings", data={"framework": "tensorflow"}).headers["Location"].startswith("/login")


def test_pytorch_is_the_default_and_the_choice_is_saved(client, learner, db):
    page = text_of(client.get("/settings"))
    assert "<h1>学習の設定</h1>" in page and checked(page) == ["pytorch"]
    assert 'href="/settings" aria-current="page"' in page  # in the account menu
    assert framework_of(db, learner.id) == "pytorch"
    response = client.post("/settings", data={"framework": "tensorflow"})
    assert response.status_code == 302 and response.headers["Location"] == "/settings"
    page = text_of(client.get("/settings"))
    assert "設定を保存しました。" in page and checked(page) == ["tensorflow"]
    assert framework_of(db, learner.id) == "tensorflow"


@pytest.mark.parametrize("bad", ["jax", "", "PyTorch"])
def test_another_value_is_refused_and_nothing_changes(client, learner, db, bad):
    response = client.post("/settings", data={"framework": bad})
    assert response.status_code == 422
    assert "PyTorch か TensorFlow を選んでください。" in text_of(response)
    assert framework_of(db, learner.id) == "pytorch"


def test_the_page_in_english_has_no_japanese_left(client, loaded, make_user, auth):
    make_user()
    client.post("/lang/en", data={"next": "/settings"})
    auth.login()
    client.get("/")  # the log-in's flash
    page = text_of(client.get("/settings"))
    assert "<h1>Study settings</h1>" in page and "Framework of the code exercises" in page
    assert sorted(set(JAPANESE.findall(page.replace("日本語", "")))) == []
    page = text_of(client.post("/settings", data={"framework": "jax"}))
    assert "Choose PyTorch or TensorFlow." in page and not JAPANESE.findall(page.replace("日本語", ""))
    page = text_of(client.post("/settings", data={"framework": "tensorflow"}, follow_redirects=True))
    assert "Your settings have been saved." in page and not JAPANESE.findall(page.replace("日本語", ""))


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_the_form_needs_its_csrf_token(client, loaded, make_user, auth, db):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": auth.password,
                                "csrf_token": _token(text_of(client.get("/login")))})
    assert client.post("/settings", data={"framework": "tensorflow"}).status_code == 400
    assert framework_of(db, user.id) == "pytorch"
    token = _token(text_of(client.get("/settings")))
    assert client.post("/settings", data={"framework": "tensorflow", "csrf_token": token}).status_code == 302
    assert framework_of(db, user.id) == "tensorflow"


# --- the setting used ----------------------------------------------------------------------

def test_a_learner_gets_pytorch_by_default(client, learner):
    for seed in range(4):
        page = code_page(client, seed=seed)
        assert "import torch" in page and "tensorflow" not in page and "tf.GradientTape" not in page


def test_a_learner_with_tensorflow_gets_tensorflow_code(client, learner, db):
    client.post("/settings", data={"framework": "tensorflow"})
    for seed in range(4):
        page = code_page(client, seed=seed)
        assert "tf.GradientTape" in page and "import tensorflow as tf" in page and "torch" not in page


def test_the_instance_keeps_its_framework_after_the_setting_changes(client, learner, db):
    with db.write() as session:
        set_framework(session, learner.id, "tensorflow")
    instance_id = start(db, learner.id, FW, seed=11)
    with db.sessions() as session:
        stored = session.get(ExerciseInstance, instance_id)
        assert stored.params == {"framework": "tensorflow"}
        # regenerated from what was stored, in a cache that never saw it: the same exercise
        again = instances.load_instance(session, ExerciseCache(), instance_id, user_id=learner.id).exercise
    assert again == generate(FW, seed=11, params={"framework": "tensorflow"})
    client.post("/settings", data={"framework": "pytorch"})
    page = html.unescape(text_of(client.get(f"/exercises/{instance_id}")))
    assert "tf.GradientTape" in page
    answer = {"outcome": str(again.answers["outcome"])} if "outcome" in again.answers else \
        {"printed": repr(again.answers["printed"])}
    assert client.post(f"/exercises/{instance_id}", data=answer).status_code == 302
    with db.sessions() as session:
        assert session.scalar(select(Attempt.score).where(Attempt.instance_id == instance_id)) == 1.0


def test_other_templates_are_not_touched_by_the_setting(client, learner, db):
    client.post("/settings", data={"framework": "tensorflow"})
    instance_id = start(db, learner.id, SHOP, seed=5)
    with db.sessions() as session:
        assert session.get(ExerciseInstance, instance_id).params == {}


def test_a_mock_exam_draws_the_framework_code_question_in_the_learners_framework(loaded, make_user, db):
    user = make_user()
    with db.write() as session:
        set_framework(session, user.id, "tensorflow")
    cache, found = ExerciseCache(), 0
    for seed in range(12):
        exam = mock_exams.start(db, cache, user.id, count=9, seed=seed)
        with db.sessions() as session:
            for instance, row, ex in mock_exams.questions(session, cache, exam):
                if row.slug == FW:
                    found += 1
                    assert instance.params == {"framework": "tensorflow"} and ex.params["framework"] == "tensorflow"
                    assert "tf.GradientTape" in ex.statement["en"]
    assert found  # 9 of the 16 families: some of these exams ask it


# --- visitors ------------------------------------------------------------------------------

def test_visitors_get_pytorch_unless_they_ask_for_tensorflow(client, loaded):
    page = html.unescape(text_of(client.get(f"/try/{FW}?seed=3")))
    assert "import torch" in page and "tf.GradientTape" not in page
    assert f'action="/try/{FW}?seed=3&framework=pytorch"' in page
    page = html.unescape(text_of(client.get(f"/try/{FW}?seed=3&framework=tensorflow")))
    assert "tf.GradientTape" in page and "torch" not in page
    assert f'action="/try/{FW}?seed=3&framework=tensorflow"' in page
    assert client.get(f"/try/{FW}?seed=3&framework=jax").status_code == 404
    redirect = client.get(f"/try/{FW}?framework=tensorflow").headers["Location"]
    assert redirect.startswith(f"/try/{FW}?seed=") and redirect.endswith("&framework=tensorflow")


def test_a_visitors_tensorflow_answer_is_graded_on_the_same_exercise(client, loaded):
    ex = generate(FW, seed=3, params={"framework": "tensorflow"})
    answer = {"outcome": str(ex.answers["outcome"])} if "outcome" in ex.answers else \
        {"printed": repr(ex.answers["printed"])}
    page = text_of(client.post(f"/try/{FW}?seed=3&framework=tensorflow", data=answer))
    assert "正解" in page and "不正解" not in page


def test_a_signed_in_learner_trying_it_gets_their_own_framework(client, learner):
    client.post("/settings", data={"framework": "tensorflow"})
    page = html.unescape(text_of(client.get(f"/try/{FW}?seed=3")))
    assert "tf.GradientTape" in page and f'action="/try/{FW}?seed=3&framework=tensorflow"' in page
    assert "import torch" in html.unescape(text_of(client.get(f"/try/{FW}?seed=3&framework=pytorch")))


def test_try_pages_of_other_templates_keep_their_urls(client, loaded):
    page = html.unescape(text_of(client.get(f"/try/{SHOP}?seed=3")))
    assert f'action="/try/{SHOP}?seed=3"' in page
