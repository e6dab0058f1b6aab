"""The services shared by the study pages and the API: instances, attempts, progress."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.models import Attempt, ExerciseInstance, Progress
from quizapp.services import attempts, instances
from quizapp.services.exercise_cache import ExerciseCache

CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3",
         "d_orange_num": "165", "d_tax": "650"}


@pytest.fixture
def learner(make_user):
    return make_user().id


def start(db, user_id, cache=None, **kw):
    with db.write() as session:
        instance, exercise = instances.start_exercise(session, cache or ExerciseCache(), "shopping-apple-orange",
                                                      user_id=user_id, **kw)
        return instance.id, exercise


def count_attempts(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Attempt))


def test_instance_regenerates_identically(loaded, cache, learner):
    instance_id, exercise = start(loaded, learner, seed=5)  # in a cache of its own: the app's is empty
    with loaded.sessions() as session:
        _, _, again = instances.load_instance(session, cache, instance_id, user_id=learner)
    assert again is not exercise
    assert again.public() == exercise.public() and again.answers == exercise.answers


def test_loading_and_submitting_reuse_the_instance_generated_at_start(loaded, cache, learner):
    instance_id, exercise = start(loaded, learner, cache, seed=5)
    other_id, other = start(loaded, learner, cache, params=CANONICAL)
    assert cache.instances.misses == 0  # start_exercise generates itself and keeps the result
    with loaded.sessions() as session:
        assert instances.load_instance(session, cache, instance_id, user_id=learner)[2] is exercise
        assert instances.load_instance(session, cache, other_id, user_id=learner)[2] is other
    sub = attempts.submit(loaded, cache, other_id, RIGHT, user_id=learner)
    assert sub.result.score == 1.0 and cache.instances.misses == 0 and cache.instances.hits == 3


def test_another_learners_instance_is_not_found(loaded, cache, learner, make_user):
    instance_id, _ = start(loaded, learner)
    other = make_user(email="other@example.com").id
    with loaded.sessions() as session, pytest.raises(instances.NotFound):
        instances.load_instance(session, cache, instance_id, user_id=other)
    with loaded.sessions() as session, pytest.raises(instances.NotFound):
        instances.load_instance(session, cache, "no-such-id", user_id=learner)


def test_submission_is_stored_with_verdicts_and_progress(loaded, cache, learner):
    instance_id, _ = start(loaded, learner, params=CANONICAL)
    sub = attempts.submit(loaded, cache, instance_id, {"price": "715", "d_apple": "2"}, user_id=learner, time_taken_ms=4200)
    assert sub.attempt.score == pytest.approx(1 / 6, rel=1e-5)
    assert sub.attempt.misconceptions == ["tax_forgotten"]
    assert sub.attempt.verdicts["d_apple"]["status"] == "incorrect"
    assert sub.attempt.answers["d_apple"] == "2" and sub.attempt.time_taken_ms == 4200
    with loaded.sessions() as session:
        progress = session.get(Progress, (learner, "shopping"))
    assert progress.attempts == 1 and progress.correct == 0
    assert progress.next_review_at - progress.last_attempt_at == timedelta(minutes=10)


def test_unreadable_answer_is_not_stored(loaded, cache, learner):
    instance_id, _ = start(loaded, learner, params=CANONICAL)
    sub = attempts.submit(loaded, cache, instance_id, {**RIGHT, "price": "七百"}, user_id=learner)
    assert sub.attempt is None and not sub.result.valid
    assert count_attempts(loaded) == 0


def test_good_results_push_the_review_further(loaded, cache, learner):
    instance_id, _ = start(loaded, learner, params=CANONICAL)
    gaps = []
    for _ in range(3):
        attempts.submit(loaded, cache, instance_id, RIGHT, user_id=learner)
        with loaded.sessions() as session:
            p = session.get(Progress, (learner, "shopping"))
            gaps.append(p.next_review_at - p.last_attempt_at)
    assert gaps == [timedelta(days=1), timedelta(days=2), timedelta(days=4)]
    assert p.mastery == pytest.approx(1.0) and p.correct == 3


def test_idempotency_key_replays_the_first_attempt(loaded, cache, learner):
    instance_id, _ = start(loaded, learner, params=CANONICAL)
    first = attempts.submit(loaded, cache, instance_id, RIGHT, user_id=learner, idempotency_key="k1")
    again = attempts.submit(loaded, cache, instance_id, {"price": "1"}, user_id=learner, idempotency_key="k1")
    assert again.replayed and again.attempt.id == first.attempt.id and again.attempt.score == 1.0
    assert count_attempts(loaded) == 1


def test_concurrent_double_submit_with_one_key_stores_one_attempt(loaded, cache, learner):
    instance_id, _ = start(loaded, learner, params=CANONICAL)
    barrier, results, errors = threading.Barrier(6), [], []

    def send():
        barrier.wait()
        try:
            results.append(attempts.submit(loaded, cache, instance_id, RIGHT, user_id=learner, idempotency_key="same"))
        except Exception as exc:  # noqa: BLE001 - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert count_attempts(loaded) == 1
    assert len({r.attempt.id for r in results}) == 1
    with loaded.sessions() as session:
        assert session.get(Progress, (learner, "shopping")).attempts == 1


def test_huge_answers_are_clipped_before_storage(loaded, cache, learner):
    instance_id, _ = start(loaded, learner, params=CANONICAL)
    sub = attempts.submit(loaded, cache, instance_id, {**RIGHT, "d_tax": "6" * 10_000}, user_id=learner)
    assert sub.attempt is None or len(sub.attempt.answers["d_tax"]) <= attempts.MAX_ANSWER_CHARS


def test_an_instance_of_a_generator_version_no_longer_registered_is_not_found(loaded, cache, learner):
    from quizapp.models import TemplateVersion
    with loaded.write() as session:
        row = session.scalar(select(TemplateVersion).where(TemplateVersion.slug == "affine-gradient-shapes"))
        old = TemplateVersion(slug=row.slug, version=99, source=row.source, family=row.family,
                              title_ja=row.title_ja, title_en=row.title_en, topics=row.topics, status="draft")
        session.add(old)
        session.flush()
        instance = ExerciseInstance(template_version_id=old.id, seed=1, params={}, user_id=learner)
        session.add(instance)
        session.flush()
        instance_id = instance.id
    with loaded.sessions() as session, pytest.raises(instances.NotFound):
        instances.load_instance(session, cache, instance_id, user_id=learner)
