"""Exercises: start one, read it again, submit answers (stored once per Idempotency-Key)."""
from __future__ import annotations

from exercises.errors import ExerciseError
from quizapp.api.blueprint import bp
from quizapp.api.domain import exercise_problem, unreadable
from quizapp.api.endpoint import Param, Reply, operation
from quizapp.api.problems import ApiError
from quizapp.api.schemas.exercises import (
    Exercise,
    ExerciseCreate,
    SubmissionCreate,
    SubmissionResult,
)
from quizapp.api.serialize import exercise_model, submission_model
from quizapp.api.validation import IDEMPOTENCY_KEY_RE, flag, idempotency_key
from quizapp.caches import get_cache
from quizapp.db import get_db, get_session, write_session
from quizapp.services import api_grading
from quizapp.services.attempts import clip_answers, submit_loaded
from quizapp.services.instances import NotFound, load_instance, prepare_exercise, store_exercise

EXERCISE_ID = Param("exercise_id", "path", {"type": "string", "maxLength": 64}, "問題の id / the exercise id")
IDEMPOTENCY = Param("Idempotency-Key", "header", {"type": "string", "pattern": IDEMPOTENCY_KEY_RE.pattern},
                    "再送しても一度だけ記録する鍵（UUID など）/ a key (e.g. a UUID): a retry returns the "
                    "first result and stores nothing twice")
SOLUTION = Param("solution", "query", {"type": "string", "enum": ["0", "1", "true", "false"], "default": "0"},
                 "1: 解説（計算グラフの順伝播・逆伝播）を付ける / 1: include the worked solution")
REPLAYED = {"Idempotent-Replayed": {"schema": {"type": "string", "enum": ["true"]},
                                    "description": "同じ鍵の最初の結果を返したとき / the first result of this key"}}


def _not_found(exercise_id: str) -> ApiError:
    return ApiError("exercise_not_found", f"問題 {exercise_id[:64]} はありません",
                    f"no exercise {exercise_id[:64]}", field="id")


@operation(bp, "/exercises", "POST", summary="問題を作る / Start an exercise", tag="exercises",
           auth="learner", body=ExerciseCreate, response=Exercise, status=201,
           errors=(400, 401, 404, 413, 415, 422, 429), limit="submit",
           response_headers={"Location": {"schema": {"type": "string"}}})
def create_exercise(principal, body: ExerciseCreate):
    """テンプレートから問題を1つ作ります（seed か params で固定できます）。正解は含みません。
    Generates one exercise from a template (fix it with a seed or params); no reference answers."""
    try:  # generate before the write: no writer waits on the CPU work
        prepared = prepare_exercise(get_session(), get_cache(), body.template, user_id=principal.user_id,
                                    seed=body.seed, params=body.params)
    except ExerciseError as err:
        raise exercise_problem(err) from None
    with write_session() as session:
        instance = store_exercise(session, get_cache(), prepared, user_id=principal.user_id)
    exercise = prepared.exercise
    return Reply(exercise_model(instance, exercise), headers={"Location": f"/api/v1/exercises/{instance.id}"})


@operation(bp, "/exercises/<exercise_id>", "GET", summary="問題をもう一度読む / Read an exercise",
           tag="exercises", auth="learner", response=Exercise, errors=(401, 404, 429), limit="account",
           params=(EXERCISE_ID,))
def get_exercise(exercise_id: str, principal):
    """自分の問題だけが見えます（他人の id は 404）。 Only your own exercises (others' ids are 404)."""
    instance, _, exercise = _stored(exercise_id, principal.user_id)
    return exercise_model(instance, exercise)


@operation(bp, "/exercises/<exercise_id>/submissions", "POST", summary="解答を送って採点する / Submit answers",
           tag="exercises", auth="learner", body=SubmissionCreate, response=SubmissionResult, status=201,
           errors=(400, 401, 404, 413, 415, 422, 429), limit="submit",
           params=(EXERCISE_ID, IDEMPOTENCY, SOLUTION), response_headers=REPLAYED)
def submit_answers(exercise_id: str, principal, body: SubmissionCreate):
    """採点して一度だけ記録します。同じ Idempotency-Key の再送は最初の結果を返し、何も記録しません
    （同時に届いても）。読み取れない解答は 422 で、記録されません。
    Grades and stores the attempt once. A retry with the same Idempotency-Key returns the first
    result and stores nothing (also when both arrive at once). Unreadable answers: 422, not stored."""
    key, with_solution = idempotency_key(), flag("solution")
    loaded = _stored(exercise_id, principal.user_id)
    exercise = loaded.exercise
    try:
        api_grading.check_answer_keys(exercise, body.answers)
        sub = submit_loaded(get_db(), loaded, body.answers, user_id=principal.user_id,
                            time_taken_ms=body.time_taken_ms, idempotency_key=key)
    except ExerciseError as err:
        raise exercise_problem(err) from None
    if sub.attempt is None:
        raise unreadable(sub.result)
    headers = {}
    if sub.replayed:
        if sub.attempt.instance_id != exercise_id or sub.attempt.answers != clip_answers(body.answers):
            raise ApiError("idempotency_key_reused",
                           "この Idempotency-Key は別の問題か別の解答で使われています。新しい鍵を使ってください",
                           "this Idempotency-Key was used with another exercise or other answers; use a new key",
                           field="Idempotency-Key")
        headers["Idempotent-Replayed"] = "true"
    return Reply(submission_model(sub.attempt, exercise, sub.result, with_solution=with_solution), headers=headers)


def _stored(exercise_id: str, user_id: int):
    """(instance, row, exercise) of the user's own exercise; the exercise from the shared cache."""
    try:
        if len(exercise_id) > 64:
            raise NotFound(exercise_id)
        return load_instance(get_session(), get_cache(), exercise_id, user_id=user_id)
    except NotFound:
        raise _not_found(exercise_id) from None
