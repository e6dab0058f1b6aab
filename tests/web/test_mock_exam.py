"""Mock exams: planning, the timed page, one submission, the score report, and who may see it."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from exercises.spec.vocab import FAMILIES
from quizapp.models import Attempt, MockExam, utcnow
from quizapp.services import catalog, instances, mock_exams
from quizapp.services.exercise_cache import ExerciseCache

CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
SHOPPING_TAX_FORGOTTEN = {"price": "715", "d_apple": "2", "d_apple_num": "110", "d_orange": "3.3",
                          "d_orange_num": "165", "d_tax": "650"}  # 5 of 6: tax_forgotten on d_apple
# node-add-mul-graph, seed 3: x = -5, y = -4, w = 4, dL/dz = 3; t = -9, z = -36
NODE_RIGHT = {"z": "-36", "dt": "12", "dw": "-27", "dx": "12", "dy": "12",
              "backprop.w": "-27", "backprop.t": "12", "backprop.x": "12", "backprop.y": "12"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


@pytest.fixture
def learner(make_user, auth, loaded):
    user = make_user()
    auth.login()
    return user.id


@pytest.fixture
def clock(monkeypatch):
    """The mock-exam service's clock, set by the test: ``clock.now = ...``."""
    class Clock:
        now = utcnow()

    monkeypatch.setattr(mock_exams, "now", lambda: Clock.now)
    return Clock


def make_exam(db, user_id, started_at, time_limit_s=600) -> str:
    """Question 1: shopping with the canonical prices; question 2: node-add-mul-graph seed 3."""
    cache = ExerciseCache()  # the helper runs outside the app: a cache of its own
    with db.write() as session:
        shopping, _ = instances.start_exercise(session, cache, "shopping-apple-orange", user_id=user_id, params=CANONICAL)
        node, _ = instances.start_exercise(session, cache, "node-add-mul-graph", user_id=user_id, seed=3)
        exam = MockExam(user_id=user_id, instance_ids=[shopping.id, node.id],
                        time_limit_s=time_limit_s, started_at=started_at)
        session.add(exam)
        session.flush()
        return exam.id


def form(shopping=SHOPPING_TAX_FORGOTTEN, node=NODE_RIGHT) -> dict:
    return {**{f"q1-{k}": v for k, v in shopping.items()}, **{f"q2-{k}": v for k, v in node.items()}}


def stored(db, model=Attempt) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def exam_row(db, exam_id) -> MockExam:
    with db.sessions() as session:
        return session.get(MockExam, exam_id)


# --- planning and starting ------------------------------------------------------------------

def test_plan_is_deterministic_one_template_per_family_weakest_first(loaded):
    with loaded.sessions() as session:
        templates = catalog.published_templates(session)
    mastery = {f: 0.9 for f in ("chain-rule", "node-backprop", "shopping", "numerical-diff",
                                "graph-paths", "layer-gradients")}
    plan = mock_exams.plan(templates, mastery, 3, seed=11)
    assert plan == mock_exams.plan(templates, mastery, 3, seed=11)
    family = {row.slug: row.family for row in templates}
    # three of the families never tried (mastery 0) come first, in the catalog's family order
    chosen = [family[slug] for slug, _ in plan]
    untried = set(family.values()) - set(mastery)
    assert len(set(chosen)) == 3 and set(chosen) <= untried and chosen == [f for f in FAMILIES if f in chosen]
    assert len({family[slug] for slug, _ in mock_exams.plan(templates, {}, 6, seed=5)}) == 6


def test_starting_an_exam_makes_six_questions_of_six_families(client, cache, learner, loaded, clock):
    response = client.post("/mock", data={"count": "6"})
    exam_id = response.headers["Location"].rsplit("/", 1)[1]
    assert response.status_code == 302 and response.headers["Location"] == f"/mock/{exam_id}"
    exam = exam_row(loaded, exam_id)
    assert exam.user_id == learner and exam.time_limit_s == 6 * 300 and exam.started_at == clock.now
    with loaded.sessions() as session:
        families = {instances.load_instance(session, cache, i, user_id=learner)[2].family for i in exam.instance_ids}
    assert len(exam.instance_ids) == 6 and len(families) == 6
    html = client.get(f"/mock/{exam_id}").get_data(as_text=True)
    assert html.count('class="mock-question"') == 6 and "第 6 問" in html
    assert 'data-seconds-left="1800"' in html and "制限時間 30 分" in html


def test_an_unknown_question_count_falls_back_to_six(client, learner, loaded):
    exam_id = client.post("/mock", data={"count": "1000"}).headers["Location"].rsplit("/", 1)[1]
    assert len(exam_row(loaded, exam_id).instance_ids) == 6


def test_the_menu_links_to_mock_exams_for_signed_in_learners(client, learner):
    assert '<a href="/mock" aria-current="page">模擬試験</a>' in client.get("/mock").get_data(as_text=True)
    assert '<a href="/mock">模擬試験</a>' in client.get("/").get_data(as_text=True)


def test_without_published_exercises_no_exam_starts(client, make_user, auth):
    make_user()
    auth.login()
    response = client.post("/mock", data={"count": "6"}, follow_redirects=True)
    assert "公開されている問題がないため、模擬試験を始められません。" in response.get_data(as_text=True)
    assert "まだ模擬試験を受けていません。" in response.get_data(as_text=True)


def test_the_start_page_lists_past_exams(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    html = client.get("/mock").get_data(as_text=True)
    assert f'href="/mock/{exam_id}">受験中（続ける）</a>' in html
    client.post(f"/mock/{exam_id}", data=form())
    assert f'href="/mock/{exam_id}/report">92 点の結果を見る</a>' in client.get("/mock").get_data(as_text=True)


# --- taking and submitting ------------------------------------------------------------------

def test_take_page_has_one_labelled_field_per_part_and_step(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    html = client.get(f"/mock/{exam_id}").get_data(as_text=True)
    for name in [*form()]:
        field_id = "answer-" + name.replace("backprop.", "backprop-")
        assert f'name="{name}"' in html and re.search(f'<label [^>]*for="{field_id}"', html), name
    assert html.count("<form") == html.count('name="csrf_token"')


def test_submission_grades_every_question_and_reports_per_family_topic_and_misconception(
        client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    clock.now += timedelta(minutes=4, seconds=5)
    response = client.post(f"/mock/{exam_id}", data=form())
    assert response.status_code == 302 and response.headers["Location"] == f"/mock/{exam_id}/report"
    exam = exam_row(loaded, exam_id)
    report = exam.report
    assert exam.score == pytest.approx((5 / 6 + 1) / 2, abs=1e-6) and exam.finished_at == clock.now
    assert [q["score"] for q in report["questions"]] == [pytest.approx(5 / 6), 1.0]
    assert report["families"] == {"shopping": {"score": pytest.approx(5 / 6), "questions": 1},
                                  "node-backprop": {"score": 1.0, "questions": 1}}
    assert report["topics"]["computational-graph"] == {"score": pytest.approx(11 / 12), "questions": 2}
    assert report["topics"]["chain-rule"] == {"score": 1.0, "questions": 1}
    assert report["misconceptions"] == [{"id": "tax_forgotten", "count": 1}]
    assert report["time_taken_s"] == 245 and report["late"] is False
    assert stored(loaded) == 2
    html = client.get(f"/mock/{exam_id}/report").get_data(as_text=True)
    assert '<dd class="score-total">92%</dd>' in html and "4 分 5 秒（制限時間 10 分）" in html
    assert "<strong>消費税（税率）を掛け忘れている</strong>" in html
    assert 'id="family-score-shopping">買い物の計算グラフ</th>' in html
    assert 'id="topic-score-computational-graph">計算グラフ</th>' in html
    assert f'href="/exercises/{exam.instance_ids[0]}"' in html


def test_a_second_submission_shows_the_first_report_and_stores_nothing(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    client.post(f"/mock/{exam_id}", data=form())
    first = exam_row(loaded, exam_id)
    all_right = {**SHOPPING_TAX_FORGOTTEN, "d_apple": "2.2"}
    response = client.post(f"/mock/{exam_id}", data=form(shopping=all_right), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "この模擬試験はすでに提出されています。" in html and '<dd class="score-total">92%</dd>' in html
    again = exam_row(loaded, exam_id)
    assert (again.score, again.finished_at, again.report) == (first.score, first.finished_at, first.report)
    assert stored(loaded) == 2
    assert client.get(f"/mock/{exam_id}").headers["Location"] == f"/mock/{exam_id}/report"


def test_simultaneous_submissions_store_each_question_once(loaded, cache, make_user, clock):
    learner = make_user().id
    exam_id = make_exam(loaded, learner, clock.now)
    with loaded.sessions() as session:
        shopping, node = mock_exams.load(session, exam_id, learner).instance_ids
    answers = {shopping: SHOPPING_TAX_FORGOTTEN,
               node: {**{k: v for k, v in NODE_RIGHT.items() if "." not in k},
                      "backprop": {"w": "-27", "t": "12", "x": "12", "y": "12"}}}
    barrier, outcomes, errors = threading.Barrier(4), [], []

    def send():
        barrier.wait()
        try:
            outcomes.append(mock_exams.submit(loaded, cache, exam_id, learner, answers))
        except Exception as exc:  # noqa: BLE001 - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and stored(loaded) == 2
    assert sum(not o.already for o in outcomes) == 1
    assert [o.exam.score for o in outcomes] == [pytest.approx(11 / 12, abs=1e-6)] * 4


def test_unreadable_answer_before_the_deadline_comes_back_and_stores_nothing(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    response = client.post(f"/mock/{exam_id}", data=form(shopping={**SHOPPING_TAX_FORGOTTEN, "price": "七百"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "読み取れない解答があります。" in html
    assert 'id="answer-q1-price" name="q1-price" value="七百"' in html and 'aria-invalid="true"' in html
    assert 'value="-27"' in html  # what was typed elsewhere stays
    assert stored(loaded) == 0 and exam_row(loaded, exam_id).finished_at is None


def test_answers_within_the_grace_period_count(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now, time_limit_s=600)
    clock.now += timedelta(seconds=600) + mock_exams.GRACE
    client.post(f"/mock/{exam_id}", data=form(shopping={**SHOPPING_TAX_FORGOTTEN, "price": "七百"}))
    exam = exam_row(loaded, exam_id)
    # no time left to correct: the unreadable price counts as unanswered, the rest is graded
    assert exam.report["questions"][0]["score"] == pytest.approx(4 / 6)
    assert exam.score == pytest.approx((4 / 6 + 1) / 2, abs=1e-6) and exam.report["time_taken_s"] == 600


def test_answers_after_the_deadline_and_grace_are_graded_as_unanswered(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now, time_limit_s=600)
    clock.now += timedelta(seconds=600) + mock_exams.GRACE + timedelta(seconds=1)
    response = client.post(f"/mock/{exam_id}", data=form(), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "制限時間を過ぎてから提出されたため" in html and '<dd class="score-total">0%</dd>' in html
    exam = exam_row(loaded, exam_id)
    assert exam.score == 0.0 and exam.report["late"] is True and exam.report["time_taken_s"] == 600
    with loaded.sessions() as session:
        verdicts = [a.verdicts for a in session.scalars(select(Attempt))]
    assert len(verdicts) == 2
    assert {v["status"] for parts in verdicts for v in parts.values()} == {"unanswered"}


def test_an_exam_left_open_past_its_deadline_is_closed_when_visited(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now, time_limit_s=600)
    clock.now += timedelta(hours=1)
    response = client.get(f"/mock/{exam_id}")
    assert response.headers["Location"] == f"/mock/{exam_id}/report"
    assert exam_row(loaded, exam_id).score == 0.0 and stored(loaded) == 2


# --- who may see what -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/mock", "/mock/abc", "/mock/abc/report"])
def test_mock_pages_need_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_another_learners_exam_is_not_found(app, client, learner, loaded, make_user, auth, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    client.post(f"/mock/{exam_id}", data=form())
    other_exam = make_exam(loaded, learner, clock.now)
    make_user(email="other@example.com")
    auth.logout()
    auth.login(email="other@example.com")
    assert client.get(f"/mock/{exam_id}/report").status_code == 404
    assert client.get(f"/mock/{other_exam}").status_code == 404
    assert client.post(f"/mock/{other_exam}", data=form()).status_code == 404
    assert client.get("/mock/no-such-exam").status_code == 404
    assert stored(loaded) == 2 and exam_row(loaded, other_exam).finished_at is None
    assert exam_id not in client.get("/mock").get_data(as_text=True)


def _token(client, path) -> str:
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_posts_without_csrf_token_are_refused(client, make_user, auth, loaded, clock):
    learner = make_user().id
    client.post("/login", data={"email": "learner@example.com", "password": auth.password,
                                "csrf_token": _token(client, "/login")})
    exam_id = make_exam(loaded, learner, clock.now)
    assert client.post("/mock", data={"count": "6"}).status_code == 400
    response = client.post(f"/mock/{exam_id}", data=form())
    assert response.status_code == 400 and "ページの有効期限が切れました" in response.get_data(as_text=True)
    assert stored(loaded, MockExam) == 1 and stored(loaded) == 0
    token = _token(client, "/mock")
    assert client.post("/mock", data={"count": "3", "csrf_token": token}).status_code == 302


# --- English --------------------------------------------------------------------------------

def test_mock_pages_in_english_have_no_japanese(client, learner, loaded, clock):
    exam_id = make_exam(loaded, learner, clock.now)
    client.post("/lang/en", data={"next": "/"}, follow_redirects=True)  # also clears the log-in flash
    for path in ["/mock", f"/mock/{exam_id}"]:
        html = client.get(path).get_data(as_text=True)
        assert JAPANESE.findall(html.replace("日本語", "")) == [], path
    client.post(f"/mock/{exam_id}", data=form())
    html = client.get(f"/mock/{exam_id}/report").get_data(as_text=True)
    assert "Tax factor forgotten" in html and "Shopping price gradients" in html
    assert JAPANESE.findall(html.replace("日本語", "")) == []
