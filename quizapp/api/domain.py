"""Domain errors (exercises, authoring) -> API problems, with the offending field."""
from __future__ import annotations

from exercises.errors import ExerciseError, ParamsError, TemplateBroken, UnknownTemplate
from quizapp.api.problems import CODES, ApiError, pick
from quizapp.services.ownership import AuthoringError


def _exercise_field(err: ExerciseError) -> str | None:
    if isinstance(err, UnknownTemplate):
        return "template"
    if isinstance(err, ParamsError):
        return (err.details or {}).get("field") or "params"
    if isinstance(err, TemplateBroken):
        return "seed"
    return (err.details or {}).get("field")


def _exercise_code(err: ExerciseError) -> str:
    return err.code if err.code in CODES else "invalid_params"


def exercise_problem(err: ExerciseError, prefix: str = "") -> ApiError:
    field = _exercise_field(err)
    return ApiError(_exercise_code(err), err.message_ja, err.message_en,
                    field=f"{prefix}{field}" if field else None)


def item_error(err: ExerciseError, prefix: str) -> dict:
    """A batch item's error (the batch itself succeeds)."""
    code = _exercise_code(err)
    status, title_ja, title_en = CODES[code]
    field = _exercise_field(err)
    return {"code": code, "status": status, "title": pick(title_ja, title_en),
            "detail": pick(err.message_ja, err.message_en), "field": f"{prefix}{field}" if field else None}


def unreadable(result, prefix: str = "answers.") -> ApiError:
    """Some answers could not be read: nothing was stored; say which and why."""
    items = []
    for pid, part in result.parts.items():
        if part.status == "invalid" and part.error:
            items.append({"field": prefix + pid, "code": "unreadable_answer",
                          "detail": pick(part.error["ja"], part.error["en"]), "caret": part.error.get("caret"),
                          "message_ja": part.error["ja"], "message_en": part.error["en"]})
    first = items[0] if items else {"field": None, "detail": None}
    return ApiError("unreadable_answer", first["detail"], first["detail"], field=first["field"], errors=items)


def problem_items(problems: list[dict]) -> list[dict]:
    """Template problems (field, line, code, message_ja, message_en, caret) with ``detail``."""
    return [{"field": p.get("field") or "", "line": p.get("line"), "code": p["code"],
             "detail": pick(p["message_ja"], p["message_en"]), "caret": p.get("caret"),
             "message_ja": p["message_ja"], "message_en": p["message_en"]} for p in problems]


def authoring_problem(err: AuthoringError) -> ApiError:
    code = err.code if err.code in CODES else "bad_request"
    items = problem_items(err.problems) if err.problems else None
    field = items[0]["field"] if items else None
    return ApiError(code, err.message_ja, err.message_en, status=err.status, field=field, errors=items)
