"""POST /grade: stateless batch grading (nothing stored).

The hot path of the API: the response is built as plain data and serialised by pydantic-core
without validating it again against GradeResponse (that re-validation cost ~25 us of ~220 us
per item). GradeResponse remains the documented schema, and tests/api check every response
of this endpoint against it (the contract client, test_grade.py and the fuzz test).
"""
from __future__ import annotations

from flask import Response
from pydantic_core import to_json

from quizapp.api.blueprint import bp
from quizapp.api.domain import item_error
from quizapp.api.endpoint import operation
from quizapp.api.problems import pick
from quizapp.api.schemas.grading import GradeRequest, GradeResponse
from quizapp.api.serialize import grading_fields
from quizapp.caches import get_cache
from quizapp.db import get_session
from quizapp.services.api_grading import BatchItem, grade_batch


def _unreadable_error(outcome, prefix: str) -> dict:
    pid, part = next((pid, p) for pid, p in outcome.result.parts.items() if p.status == "invalid")
    return {"code": "unreadable_answer", "status": 422,
            "title": pick("読み取れない解答があります", "An answer could not be read"),
            "detail": pick(part.error["ja"], part.error["en"]), "field": f"{prefix}answers.{pid}"}


def _item_result(outcome) -> dict:
    prefix = f"items[{outcome.index}]."
    ex, item = outcome.exercise, outcome.item
    out = {"index": outcome.index, "template": item.template,
           "version": ex.version if ex is not None else None,
           "seed": ex.seed if ex is not None else item.seed, "ok": False, "result": None, "error": None}
    if outcome.error is not None:
        out["error"] = item_error(outcome.error, prefix)
        return out
    out["result"] = grading_fields(outcome.result)
    if not outcome.result.valid:
        out["error"] = _unreadable_error(outcome, prefix)
    else:
        out["ok"] = True
    return out


def _summary(results: list[dict]) -> dict:
    scores = [r["result"]["score"] for r in results if r["ok"]]
    return {"items": len(results), "graded": len(scores), "failed": len(results) - len(scores),
            "mean_score": round(sum(scores) / len(scores), 6) if scores else None}


@operation(bp, "/grade", "POST", summary="まとめて採点する（記録なし）/ Batch grading (stateless)",
           tag="grading", auth="learner", body=GradeRequest, response=GradeResponse,
           errors=(400, 401, 413, 415, 422, 429), limit="grade")
def grade(principal, body: GradeRequest):
    """(template, seed) か (template, params) で問題を指定し、解答を採点します。何も記録しません。
    1回 200 件まで。1件の誤り（知らないテンプレート、範囲外のパラメータ、読めない解答）は
    その件の error に入り、ほかの件は採点されます。
    Grades up to 200 items named by (template, seed) or (template, params); stores nothing.
    An item's own error (unknown template, bad params, unreadable answer) is reported in that
    item; the others are still graded."""
    items = [BatchItem(i.template, i.seed, i.params, i.answers) for i in body.items]
    results = [_item_result(o) for o in grade_batch(get_session(), get_cache(), items)]
    body = to_json({"items": results, "summary": _summary(results)}, inf_nan_mode="null")
    return Response(body, mimetype="application/json")
