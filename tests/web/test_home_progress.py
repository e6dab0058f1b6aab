"""The home page (topic map, mastery, review queue, start links) and the study record page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, UTC

import pytest
from sqlalchemy import update

from quizapp.models import Attempt, Progress, utcnow
from quizapp.services import attempts, instances
from quizapp.services.exercise_cache import ExerciseCache

CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3",
         "d_orange_num": "165", "d_tax": "650"}
TAX_FORGOTTEN = {**RIGHT, "d_apple": "2"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")


@pytest.fixture
def learner(make_user, auth, loaded):
    user = make_user(display_name="Taro")  # a name in Latin letters: the English pages stay English
    auth.login()
    return user.id


def answer(db, user_id, answers, at=None):
    cache = ExerciseCache()  # the helper runs outside the app: a cache of its own
    with db.write() as session:
        instance, _ = instances.start_exercise(session, cache, "shopping-apple-orange", user_id=user_id, params=CANONICAL)
        instance_id = instance.id
    attempt = attempts.submit(db, cache, instance_id, answers, user_id=user_id).attempt
    if at is not None:
        with db.write() as session:
            session.execute(update(Attempt).where(Attempt.id == attempt.id).values(created_at=at))
    return attempt


def make_due(db, user_id, family="shopping"):
    with db.write() as session:
        session.execute(update(Progress).where(Progress.user_id == user_id, Progress.family == family)
                        .values(next_review_at=utcnow() - timedelta(hours=1)))


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def english(client) -> None:
    """Switch to English (following the redirect shows, and so clears, the log-in message)."""
    client.post("/lang/en", data={"next": "/"}, follow_redirects=True)


def japanese_left(html: str) -> list[str]:
    return sorted(set(JAPANESE.findall(html.replace("日本語", ""))))


# --- home ---------------------------------------------------------------------------------

def test_home_maps_syllabus_topics_to_families_with_sample_links_for_visitors(client, loaded):
    html = page(client, "/")
    assert "E資格の出題範囲と問題の種類" in html
    topic_map = html[html.index('class="topic-map"'):html.index('id="families"')]
    assert "3-2-3" in topic_map and "AdaGrad・RMSProp・Adam" in topic_map
    assert '<a href="#family-numerical-diff">' in topic_map
    assert 'id="family-shopping"' in html and "買い物の計算グラフ" in html
    assert re.search(r'href="/try/shopping-apple-orange\?seed=\d+">りんごとみかんの買い物（消費税つき）</a>', html)
    assert "/exercises/shopping-apple-orange/new" not in html
    assert 'href="/signup"' in html and "登録して学習の記録を残しましょう" in html
    assert "難易度 1（5段階）" in html


def test_home_sample_seed_is_the_same_all_day(client, loaded):
    seeds = [re.search(r"/try/shopping-apple-orange\?seed=(\d+)", page(client, "/")).group(1) for _ in range(2)]
    assert seeds[0] == seeds[1]


def test_home_shows_mastery_start_links_and_due_families_when_signed_in(client, learner, loaded):
    answer(loaded, learner, RIGHT)
    answer(loaded, learner, TAX_FORGOTTEN)  # mastery 0.7 * 1 + 0.3 * 5/6 = 0.95
    html = page(client, "/")
    assert 'href="/exercises/shopping-apple-orange/new">りんごとみかんの買い物（消費税つき）</a>' in html
    assert "/try/" not in html
    shopping = html[html.index('id="family-shopping"'):html.index('id="family-numerical-diff"')]
    assert 'value="0.95"' in shopping and "95%" in shopping and "（解答 2 回）" in shopping
    assert "今、復習が必要な問題はありません。" in html  # a poor result is due in 10 minutes
    make_due(loaded, learner)
    due_box = page(client, "/").split('id="review-title"')[1].split("</section>")[0]
    assert '<a href="/exercises/shopping-apple-orange/new">買い物の計算グラフ</a>' in due_box


def test_home_in_english_has_no_japanese(client, learner, loaded):
    answer(loaded, learner, TAX_FORGOTTEN)
    english(client)
    html = page(client, "/")
    assert "Shopping price gradients" in html and "Apples and oranges, with tax" in html
    assert "Numerical differentiation" in html
    assert japanese_left(html) == []


def test_home_in_english_for_visitors_has_no_japanese(client, loaded):
    english(client)
    assert japanese_left(page(client, "/")) == []


# --- progress -----------------------------------------------------------------------------

def test_progress_needs_log_in(client):
    response = client.get("/progress")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=%2Fprogress"


def test_progress_without_attempts_invites_to_practise(client, learner):
    html = page(client, "/progress")
    assert "まだ記録がありません。" in html and "<svg" not in html


def test_progress_shows_mastery_per_family_and_topic(client, learner, loaded):
    answer(loaded, learner, RIGHT)
    answer(loaded, learner, TAX_FORGOTTEN)
    html = page(client, "/progress")
    row = html.split('id="mastery-shopping"')[1].split("</tr>")[0]
    assert "買い物の計算グラフ" in row and 'value="0.95"' in row and "95%" in row
    assert "<td>2</td>" in row and "<td>1</td>" in row  # two attempts, one fully right
    topic = html.split('id="topic-3-2-2"')[1].split("</tr>")[0]
    assert "3-2-2 誤差逆伝播法" in topic and "95%" in topic and "<td>2</td>" in topic
    adam = html.split('id="topic-3-2-3"')[1].split("</tr>")[0]
    assert "まだ解いていません" in adam


def test_progress_chart_is_accessible_svg_with_a_data_table(client, learner, loaded):
    now = utcnow()
    answer(loaded, learner, RIGHT, at=now - timedelta(days=2))
    answer(loaded, learner, TAX_FORGOTTEN, at=now - timedelta(days=2))
    answer(loaded, learner, TAX_FORGOTTEN, at=now)
    html = page(client, "/progress")
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">1日ごとの平均得点（過去30日、日本時間）</title>' in svg
    assert "解答した日は 2 日、解答数は 3、全体の平均得点は 89% です。" in svg  # (1 + 5/6 + 5/6) / 3
    assert svg.count('<rect class="bar"') == 2
    table = html[html.index("<summary>グラフの数値を表で見る</summary>"):]
    two_days_ago = (now - timedelta(days=2)).astimezone(timezone(timedelta(hours=9))).date().isoformat()
    assert f'<tr><th scope="row">{two_days_ago}</th><td>2</td><td>92%</td></tr>' in table


def test_progress_groups_mistakes_by_misconception_with_links(client, learner, loaded):
    first = answer(loaded, learner, TAX_FORGOTTEN)
    answer(loaded, learner, RIGHT)
    second = answer(loaded, learner, TAX_FORGOTTEN)
    html = page(client, "/progress")
    mistakes = html.split('id="mistakes"')[1].split('id="recent"')[0]
    assert "<strong>消費税（税率）を掛け忘れている</strong>" in mistakes and "2 回" in mistakes
    assert "税込み価格 = 合計 × 税率" in mistakes  # the explanation
    assert mistakes.index(f'href="/exercises/{second.instance_id}"') < mistakes.index(f'href="/exercises/{first.instance_id}"')


def test_progress_lists_recent_attempts_in_japan_time(client, learner, loaded):
    answer(loaded, learner, TAX_FORGOTTEN, at=datetime(2025, 1, 1, 15, 30, tzinfo=UTC))
    html = page(client, "/progress")
    recent = html.split('id="recent"')[1]
    assert '<time datetime="2025-01-01T15:30:00+00:00">2025-01-02 00:30</time>' in recent
    assert "りんごとみかんの買い物（消費税つき）" in recent and "<td>83%</td>" in recent


def test_progress_review_queue_lists_due_and_later_families(client, learner, loaded):
    answer(loaded, learner, RIGHT)
    html = page(client, "/progress")
    assert "今、復習が必要な問題はありません。" in html and "次の復習予定" in html
    make_due(loaded, learner)
    box = page(client, "/progress").split('id="review-title"')[1].split("</section>")[0]
    assert '<a href="/exercises/shopping-apple-orange/new">買い物の計算グラフ</a>' in box


def test_progress_shows_only_the_learners_own_record(client, learner, loaded, make_user):
    other = make_user(email="other@example.com").id
    attempt = answer(loaded, other, TAX_FORGOTTEN)
    html = page(client, "/progress")
    assert "まだ記録がありません。" in html and attempt.instance_id not in html


def test_progress_in_english_has_no_japanese(client, learner, loaded):
    answer(loaded, learner, RIGHT, at=utcnow() - timedelta(days=1))
    answer(loaded, learner, TAX_FORGOTTEN)
    english(client)
    html = page(client, "/progress")
    assert "Tax factor forgotten" in html and "Shopping price gradients" in html
    assert "Daily mean score" in html
    assert japanese_left(html) == []
