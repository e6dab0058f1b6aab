"""The exercise flow in the browser's shoes (Flask test client): start, answer, result,
authorization, CSRF, unreadable answers, double submission, the anonymous sample, English."""
from __future__ import annotations

import html
import re
import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from exercises import generate
from quizapp.models import Attempt, ExerciseInstance
from quizapp.services import attempts, throttle
from tests.web.exercise_helpers import (
    CANONICAL, JAPANESE, RIGHT, SHOP, answer, count, form_fields, load_templates, start, text_of,
)


@pytest.fixture
def loaded(db):
    load_templates(db)
    return db


@pytest.fixture
def learner(loaded, make_user, auth):
    """A signed-in learner, with the built-in templates published."""
    user = make_user()
    auth.login()
    return user


# --- starting and showing ------------------------------------------------------------------

def test_new_exercise_stores_an_instance_and_redirects_to_it(client, learner, db):
    response = client.get(f"/exercises/{SHOP}/new?seed=5")
    assert response.status_code == 302
    instance_id = response.headers["Location"].rsplit("/", 1)[1]
    with db.sessions() as session:
        instance = session.get(ExerciseInstance, instance_id)
    assert instance.seed == 5 and instance.user_id == learner.id
    assert response.headers["Location"] == f"/exercises/{instance_id}"


def test_exercise_page_has_statement_graph_labelled_inputs_hints_and_tokens(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    page = text_of(client.get(f"/exercises/{instance_id}"))
    assert "<h1>りんごとみかんの買い物（消費税つき）</h1>" in page
    assert "1個 100 円のりんごを 2 個、1個 150 円のみかんを 3 個買いました。" in page
    assert 'data-tex="\\mathrm{price} = (\\mathrm{apple}' in page  # KaTeX renders it
    assert '<svg class="graph-svg"' in page and 'role="img"' in page
    assert '<title id="graph-title">計算グラフ</title>' in page
    assert "apple, apple_num を × で計算して apple_price" in page  # the text description
    assert ">tax</text>" in page and ">= 1.1</text>" in page
    for part in RIGHT:
        assert f'<label class="prompt" for="answer-{part}">' in page
        assert re.search(rf'<input type="text" id="answer-{part}" name="{part}"[^>]*inputmode="text"', page)
    assert "小数第3位を四捨五入して、小数第2位まで答えなさい。" in page and "小数第1位を四捨五入して、整数で答えなさい。" in page
    assert page.count('<details class="hint-item">') == 2 and "<summary>ヒント 1</summary>" in page
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)
    assert 'name="csrf_token"' in page and 'action="/exercises/' + instance_id + '"' in page


def test_every_label_of_every_kind_of_part_belongs_to_a_field(client, learner, db):
    for slug in (SHOP, "chain-exp-neg-square", "layer-backward-code-fill", "node-add-mul-graph"):
        page = text_of(client.get(f"/exercises/{start(db, learner.id, slug, seed=2)}"))
        targets = re.findall(r'<label[^>]* for="([^"]+)"', page)
        assert targets, slug
        for target in targets:
            assert f'id="{target}"' in page, (slug, target)


# --- authorization ----------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_log_in(client, loaded, make_user, db):
    instance_id = start(db, make_user().id, params=CANONICAL)
    for response in (client.get(f"/exercises/{SHOP}/new"), client.get(f"/exercises/{instance_id}"),
                     client.post(f"/exercises/{instance_id}", data=RIGHT),
                     client.get(f"/exercises/{instance_id}/attempts/1")):
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert count(db, Attempt) == 0


def test_another_learners_exercise_and_attempts_are_not_found(client, learner, db, make_user, auth):
    instance_id = start(db, learner.id, params=CANONICAL)
    result_url = answer(client, instance_id, RIGHT).headers["Location"]
    auth.logout()
    make_user(email="other@example.com")
    auth.login(email="other@example.com")
    assert client.get(f"/exercises/{instance_id}").status_code == 404
    assert client.post(f"/exercises/{instance_id}", data=RIGHT).status_code == 404
    assert client.get(result_url).status_code == 404
    assert count(db, Attempt) == 1


def test_an_attempt_is_only_found_under_its_own_exercise(client, learner, db):
    first, second = start(db, learner.id, seed=1), start(db, learner.id, seed=2)
    attempt_id = answer(client, first, RIGHT).headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/exercises/{second}/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/exercises/{first}/attempts/{attempt_id}").status_code == 200


def test_unknown_templates_and_bad_seeds_are_not_found(client, learner):
    assert client.get("/exercises/no-such-template/new").status_code == 404
    assert client.get(f"/exercises/{SHOP}/new?seed=abc").status_code == 404
    assert client.get(f"/exercises/{SHOP}/new?seed=-1").status_code == 404
    assert client.get(f"/exercises/{SHOP}/new?seed=²").status_code == 404  # str.isdigit() says yes
    assert client.get(f"/try/{SHOP}?seed=٣").status_code == 404
    assert client.get("/try/no-such-template?seed=1").status_code == 404
    assert client.get("/exercises/0123456789abcdef").status_code == 404


# --- answering ----------------------------------------------------------------------------------

def test_right_answers_get_full_marks_and_the_worked_solution(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    response = answer(client, instance_id, RIGHT)
    assert response.status_code == 302
    assert re.fullmatch(rf"/exercises/{instance_id}/attempts/\d+", response.headers["Location"])
    page = text_of(client.get(response.headers["Location"]))
    assert "<strong>100%</strong>" in page and "（6 問中 6 問正解）" in page
    assert page.count('class="result-part status-correct"') == 6
    assert "逆伝播（出力から入力へ、連鎖律）" in page  # worked solution heading
    assert 'data-tex="\\mathrm{price} = \\mathrm{all\\_price} \\cdot \\mathrm{tax} = 650 \\cdot 1.1 = 715"' in page
    assert ">勾配 2.2</text>" in page and ">勾配 650</text>" in page  # the graph with gradients
    assert f'href="/exercises/{instance_id}">もう一度（同じ問題）</a>' in page
    assert f'href="/exercises/{SHOP}/new">別の数値で（新しい問題）</a>' in page
    with db.sessions() as session:
        stored = session.scalars(select(Attempt)).one()
    assert stored.score == 1.0 and stored.user_id == learner.id and stored.answers["price"] == "715"


def test_a_wrong_answer_names_the_misconception_and_shows_the_expected_answer(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    page = text_of(client.get(answer(client, instance_id, {**RIGHT, "d_apple": "2"}).headers["Location"]))
    assert "<strong>83%</strong>" in page and "（6 問中 5 問正解）" in page
    assert '<section class="result-part status-incorrect" id="result-d_apple">' in page
    assert "考えられる誤解: 消費税（税率）を掛け忘れている" in page
    assert '<dd class="expected">2.20</dd>' in page and "<dd>2</dd>" in page
    with db.sessions() as session:
        assert session.scalars(select(Attempt.misconceptions)).all()[-1] == ["tax_forgotten"]


def test_unanswered_parts_are_marked_unanswered(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    page = text_of(client.get(answer(client, instance_id, {"price": "715"}).headers["Location"]))
    assert page.count('class="result-part status-unanswered"') == 5
    assert "<strong>17%</strong>" in page and "（未回答）" in page


def test_an_unreadable_answer_keeps_the_typed_text_shows_the_caret_and_stores_nothing(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    response = answer(client, instance_id, {**RIGHT, "price": "(715", "d_tax": "六百五十"})
    page = text_of(response)
    assert response.status_code == 422
    assert 'value="(715"' in page and 'value="六百五十"' in page and 'value="2.2"' in page
    assert "1文字目: この ( に対応する閉じ括弧 ) が足りません" in page
    assert '<pre class="caret" aria-label="読み取れなかった位置">(715\n^</pre>' in page
    assert re.search(r'id="answer-price"[^>]*aria-describedby="answer-price-precision answer-price-error"'
                     r'[^>]*aria-invalid="true"', page)
    assert "この送信は記録されていません" in page
    assert count(db, Attempt) == 0


def test_a_function_call_for_a_number_is_explained_not_graded(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    response = answer(client, instance_id, {**RIGHT, "d_tax": "abs(650)"})
    page = text_of(response)
    assert response.status_code == 422 and 'value="abs(650)"' in page
    assert "1文字目: ここでは関数 abs は使えません" in page and count(db, Attempt) == 0


def test_a_double_submission_with_one_idempotency_key_stores_one_attempt(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    fields = form_fields(text_of(client.get(f"/exercises/{instance_id}")))
    first = client.post(f"/exercises/{instance_id}", data={**fields, **RIGHT})
    second = client.post(f"/exercises/{instance_id}", data={**fields, **RIGHT, "price": "1"})
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, Attempt) == 1
    answer(client, instance_id, RIGHT)  # the page rendered again: a new key, a new attempt
    assert count(db, Attempt) == 2


def test_time_taken_comes_from_the_signed_start_and_a_forged_one_is_ignored(client, learner, db):
    instance_id = start(db, learner.id, params=CANONICAL)
    answer(client, instance_id, RIGHT)
    answer(client, instance_id, RIGHT, started="WyJ4IiwwXQ.forged")
    with db.sessions() as session:
        times = session.scalars(select(Attempt.time_taken_ms).order_by(Attempt.id)).all()
    assert times[0] is not None and 0 <= times[0] < 60_000
    assert times[1] is None


# --- the sample for visitors -----------------------------------------------------------------

def test_try_page_without_seed_redirects_to_a_seed(client, loaded):
    response = client.get(f"/try/{SHOP}")
    assert response.status_code == 302
    assert re.fullmatch(rf"/try/{SHOP}\?seed=\d+", response.headers["Location"])


def test_try_page_renders_grades_and_stores_nothing(client, loaded, db):
    page = text_of(client.get(f"/try/{SHOP}?seed=3"))
    assert "お試し中です。" in page and 'href="/signup">新規登録して記録を残す</a>' in page
    assert 'action="/try/shopping-apple-orange?seed=3"' in page and "idempotency_key" not in page
    ex = generate(SHOP, seed=3)
    right = {pid: f"{value:.10g}" for pid, value in ex.answers.items()}
    response = client.post(f"/try/{SHOP}?seed=3", data={**right, "d_tax": "1"})
    page = text_of(response)
    assert response.status_code == 200
    assert "<strong>83%</strong>" in page and "新規登録して記録を残す" in page
    assert f'href="/try/{SHOP}?seed=3">もう一度（同じ問題）</a>' in page
    assert count(db, ExerciseInstance) == 0 and count(db, Attempt) == 0


def test_try_page_keeps_an_unreadable_answer(client, loaded, db):
    response = client.post(f"/try/{SHOP}?seed=3", data={"price": "1..2"})
    assert response.status_code == 422 and 'value="1..2"' in text_of(response)
    assert count(db, Attempt) == 0


# --- CSRF -------------------------------------------------------------------------------------

def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_posts_without_the_csrf_token_are_refused(client, loaded, make_user, auth, db):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": auth.password,
                                "csrf_token": csrf_token(text_of(client.get("/login")))})
    instance_id = start(db, user.id, params=CANONICAL)
    page = text_of(client.get(f"/exercises/{instance_id}"))
    fields = form_fields(page)
    refused = client.post(f"/exercises/{instance_id}", data={**fields, **RIGHT})
    assert refused.status_code == 400 and "ページの有効期限が切れました" in text_of(refused)
    assert client.post(f"/try/{SHOP}?seed=3", data=RIGHT).status_code == 400
    assert client.post("/exercises/preview", json={"text": "x"}).status_code == 400
    assert count(db, Attempt) == 0
    token = csrf_token(page)
    response = client.post(f"/exercises/{instance_id}", data={**fields, **RIGHT, "csrf_token": token})
    assert response.status_code == 302 and count(db, Attempt) == 1
    preview = client.post("/exercises/preview", json={"text": "x", "variables": ["x"]},
                          headers={"X-CSRFToken": token})
    assert preview.status_code == 200 and preview.get_json()["ok"] is True


# --- English ----------------------------------------------------------------------------------

def test_english_pages_show_the_english_exercise_and_no_japanese(client, learner, db):
    client.get("/")  # shows (and so clears) the log-in message, flashed in Japanese
    client.post("/lang/en", data={"next": "/"})
    instance_id = start(db, learner.id, params=CANONICAL)
    page = text_of(client.get(f"/exercises/{instance_id}"))
    assert "<h1>Apples and oranges, with tax</h1>" in page and "You buy 2 apples" in page
    assert JAPANESE.findall(page.replace("日本語", "")) == []
    result = text_of(client.get(answer(client, instance_id, {**RIGHT, "d_apple": "2"}).headers["Location"]))
    assert "Tax factor forgotten" in result and "Round to 2 decimal places." not in result
    assert JAPANESE.findall(result.replace("日本語", "")) == []
    invalid = text_of(answer(client, instance_id, {"price": "(715"}))
    assert "column 1: this ( has no matching )" in invalid
    assert JAPANESE.findall(invalid.replace("日本語", "")) == []


def test_a_guided_step_names_the_slip_it_shows(client, learner, db):
    # price = apple * apple_num * tax (100, 2, 1.1). dprice/dapple = tax * apple_num = 2.2: writing
    # 2 drops the upstream tax factor, which the shopping family calls the tax forgotten.
    params = {"apple": 100, "apple_num": 2, "tax": 1.1}
    instance_id = start(db, learner.id, slug="shopping-apples-tax", params=params)
    steps = {"backprop.tax": "200", "backprop.apple_price": "1.1", "backprop.apple": "2", "backprop.apple_num": "110"}
    done = answer(client, instance_id, {"price": "220", "d_apple": "2.2", "d_apple_num": "110", "d_tax": "200", **steps})
    assert done.status_code in (302, 303)
    page = text_of(client.get(done.headers["Location"]))
    assert '<span class="note step-misconception">考えられる誤解: 消費税（税率）を掛け忘れている</span>' in page


def _locked(*args, **kwargs):
    raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def test_a_locked_database_is_a_503_page_with_retry_after_not_a_500(client, learner, db, monkeypatch):
    instance_id = start(db, learner.id, params=CANONICAL)
    monkeypatch.setattr(attempts, "submit_loaded", _locked)
    response = answer(client, instance_id, RIGHT)
    assert response.status_code == 503 and response.headers["Retry-After"] == "3"
    assert "ただいま混み合っています" in text_of(response) and count(db, Attempt) == 0


def test_a_busy_database_keeps_the_typed_answers_and_sending_again_stores_once(client, learner, db, monkeypatch):
    instance_id = start(db, learner.id, params=CANONICAL)
    real = attempts.submit_loaded
    monkeypatch.setattr(attempts, "submit_loaded", _locked)
    busy = answer(client, instance_id, {**RIGHT, "d_tax": "6５0"})
    page = text_of(busy)
    assert busy.status_code == 503 and "入力した内容" in page and "<code>6５0</code>" in page
    resend = {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)}
    assert resend["d_apple"] == "2.2" and resend["idempotency_key"] and resend["started"]
    monkeypatch.setattr(attempts, "submit_loaded", real)
    for _ in range(2):  # pressed twice: one attempt
        done = client.post(f"/exercises/{instance_id}", data=resend)
        assert done.status_code in (302, 303)
    assert count(db, Attempt) == 1


def test_a_busy_log_in_never_writes_the_password_back_into_a_page(client, auth, monkeypatch):
    monkeypatch.setattr(throttle, "locked_until", _locked)
    response = auth.login(password="secret words here")
    assert response.status_code == 503 and "secret words here" not in text_of(response)
