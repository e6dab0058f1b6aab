"""The study record as plain data (quizapp/services/progress_report.py), from real attempts."""
from __future__ import annotations

from datetime import datetime, timedelta, UTC

import pytest
from sqlalchemy import update

from quizapp.models import Attempt
from quizapp.services import attempts, instances
from quizapp.services.exercise_cache import ExerciseCache
from quizapp.services import progress_report as report

CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3",
         "d_orange_num": "165", "d_tax": "650"}
TAX_FORGOTTEN = {**RIGHT, "d_apple": "2"}  # 5 of 6 parts right, the tax left out of d_apple
WRONG_Z = {"z": "0"}  # node-add-mul-graph seed 3: z = (-5 + -4) * 4 = -36, nothing else answered


@pytest.fixture
def learner(make_user):
    return make_user().id


def answer(db, user_id, answers, slug="shopping-apple-orange", params=CANONICAL, at=None):
    cache = ExerciseCache()  # the helper runs outside the app: a cache of its own
    with db.write() as session:
        instance, _ = instances.start_exercise(session, cache, slug, user_id=user_id, params=params, seed=3)
        instance_id = instance.id
    attempt = attempts.submit(db, cache, instance_id, answers, user_id=user_id).attempt
    if at is not None:
        with db.write() as session:
            session.execute(update(Attempt).where(Attempt.id == attempt.id).values(created_at=at))
    return attempt


def test_syllabus_lists_families_in_vocabulary_order_with_their_templates(loaded, cache):
    with loaded.sessions() as session:
        families = report.syllabus(session, cache)
    ids = [f.id for f in families]
    assert ids[:3] == ["chain-rule", "node-backprop", "shopping"]
    shopping = families[ids.index("shopping")]
    assert shopping.name["ja"] == "買い物の計算グラフ"
    assert shopping.topics == ["computational-graph", "backprop"]
    first = shopping.templates[0]
    assert (first.slug, first.difficulty) == ("shopping-apple-orange", 1)
    assert first.title == {"ja": "りんごとみかんの買い物（消費税つき）", "en": "Apples and oranges, with tax"}
    assert [t.difficulty for t in shopping.templates] == sorted(t.difficulty for t in shopping.templates)


def test_topic_map_covers_the_whole_syllabus(loaded, cache):
    with loaded.sessions() as session:
        families = report.syllabus(session, cache)
        topics = {t["id"]: t for t in report.topic_map(families)}
    assert list(topics) == ["3-1-1", "3-1-2", "3-1-3", "3-1-4", "3-2-1", "3-2-2", "3-2-3", "3-2-4",
                            "3-3", "3-4", "3-5", "3-7"]
    assert "numerical-diff" in topics["3-2-2"]["families"] and "shopping" not in topics["3-1-1"]["families"]
    assert "layer-gradients" in topics["3-1-1"]["families"]
    # gd-linear-regression-* are tagged MSE by the data file, beside their family's 3-2-1
    assert "gradient-descent" in topics["3-1-2"]["families"]
    shopping = next(f for f in families if f.id == "shopping")
    assert shopping.syllabus == ["3-2-2"] and topics["3-2-2"]["templates"] >= 6 + len(shopping.templates)


def test_topic_mastery_is_the_attempt_weighted_mean_of_its_families(loaded, cache, learner):
    answer(loaded, learner, RIGHT)            # shopping: 1.0
    answer(loaded, learner, TAX_FORGOTTEN)    # shopping: 0.7 * 1.0 + 0.3 * 5/6 = 0.95
    answer(loaded, learner, WRONG_Z, slug="node-add-mul-graph", params=None)  # node-backprop: 0
    with loaded.sessions() as session:
        families = report.syllabus(session, cache)
        progress = report.progress_by_family(session, learner)
    topics = report.topic_mastery(families, progress)
    assert progress["shopping"].mastery == pytest.approx(0.95)
    # 3-2-2 (backprop): shopping (2 attempts, 0.95) and node-backprop (1 attempt, 0.0)
    assert topics["3-2-2"] == {"mastery": pytest.approx(0.95 * 2 / 3), "attempts": 3}
    assert topics["3-2-3"] == {"mastery": None, "attempts": 0}


def test_review_queue_splits_due_and_later(loaded, learner):
    answer(loaded, learner, RIGHT)                                  # shopping: next in a day
    answer(loaded, learner, WRONG_Z, slug="node-add-mul-graph", params=None)  # in 10 minutes
    with loaded.sessions() as session:
        progress = report.progress_by_family(session, learner)
    now = progress["node-backprop"].next_review_at + timedelta(seconds=1)
    queue = report.review_queue(progress, now)
    assert [r.family for r in queue["due"]] == ["node-backprop"]
    assert [r.family for r in queue["later"]] == ["shopping"]
    assert report.review_queue(progress, now - timedelta(minutes=20)) == {
        "due": [], "later": [progress["node-backprop"], progress["shopping"]]}


def test_daily_accuracy_uses_japan_dates(loaded, learner):
    now = datetime(2025, 3, 31, 3, 0, tzinfo=UTC)        # 12:00 on 31 March in Tokyo
    late_evening = datetime(2025, 3, 29, 14, 30, tzinfo=UTC)  # 23:30 on the 29th in Tokyo
    after_midnight = datetime(2025, 3, 29, 15, 30, tzinfo=UTC)  # 00:30 on the 30th
    answer(loaded, learner, RIGHT, at=late_evening)
    answer(loaded, learner, TAX_FORGOTTEN, at=late_evening)
    answer(loaded, learner, TAX_FORGOTTEN, at=after_midnight)
    answer(loaded, learner, RIGHT, at=now - timedelta(days=40))     # outside the window
    with loaded.sessions() as session:
        days = report.daily_accuracy(session, learner, now)
    assert len(days) == 30
    assert days[0]["date"].isoformat() == "2025-03-02" and days[-1]["date"].isoformat() == "2025-03-31"
    by_date = {d["date"].isoformat(): d for d in days if d["attempts"]}
    assert by_date == {
        "2025-03-29": {"date": by_date["2025-03-29"]["date"], "attempts": 2, "mean": pytest.approx((1 + 5 / 6) / 2)},
        "2025-03-30": {"date": by_date["2025-03-30"]["date"], "attempts": 1, "mean": pytest.approx(5 / 6)},
    }
    assert days[-1] == {"date": days[-1]["date"], "attempts": 0, "mean": None}


def test_mistakes_are_grouped_by_misconception_with_names_and_attempts(loaded, learner, make_user):
    first = answer(loaded, learner, TAX_FORGOTTEN)
    answer(loaded, learner, RIGHT)
    second = answer(loaded, learner, TAX_FORGOTTEN)
    other = make_user(email="other@example.com").id
    answer(loaded, other, TAX_FORGOTTEN)
    with loaded.sessions() as session:
        groups = report.mistakes_by_misconception(session, learner)
    assert [g["id"] for g in groups] == ["tax_forgotten"]
    group = groups[0]
    assert group["name"] == {"ja": "消費税（税率）を掛け忘れている", "en": "Tax factor forgotten"}
    assert [a["id"] for a in group["attempts"]] == [second.id, first.id]
    assert group["attempts"][0]["instance_id"] == second.instance_id
    assert group["attempts"][0]["title"]["en"] == "Apples and oranges, with tax"


def test_recent_attempts_newest_first_with_titles_and_scores(loaded, learner, make_user):
    first = answer(loaded, learner, RIGHT)
    second = answer(loaded, learner, TAX_FORGOTTEN)
    answer(loaded, make_user(email="other@example.com").id, RIGHT)
    with loaded.sessions() as session:
        rows = report.recent_attempts(session, learner)
    assert [r["id"] for r in rows] == [second.id, first.id]
    assert rows[0]["score"] == pytest.approx(5 / 6) and rows[1]["score"] == 1.0
    assert rows[0]["title"]["ja"] == "りんごとみかんの買い物（消費税つき）"
    assert rows[0]["misconceptions"] == ["tax_forgotten"] and rows[0]["family"] == "shopping"


def test_a_learner_without_attempts_gets_empty_data(loaded, learner):
    now = datetime(2025, 3, 31, tzinfo=UTC)
    with loaded.sessions() as session:
        assert report.progress_by_family(session, learner) == {}
        assert report.recent_attempts(session, learner) == []
        assert report.mistakes_by_misconception(session, learner) == []
        assert all(d["attempts"] == 0 for d in report.daily_accuracy(session, learner, now))
    assert report.review_queue({}, now) == {"due": [], "later": []}
