"""Stateless batch grading: POST /grade."""
from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from quizapp.api.schemas.common import (
    MAX_BATCH_ITEMS,
    Answers,
    Params,
    RequestModel,
    ResponseModel,
    Seed,
    Slug,
)
from quizapp.api.schemas.exercises import Grading


class GradeItem(RequestModel):
    """One answered exercise, named by (template, seed) or (template, params[, seed])."""

    # At least one of the two, and not null: a random seed would grade against an exercise
    # nobody has seen. (The other one may be null, as if it were left out.)
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["seed"], "properties": {"seed": {"type": "integer"}}},
        {"required": ["params"], "properties": {"params": {"type": "object"}}},
    ]})

    template: Slug
    seed: Seed | None = Field(None, description="params だけのとき（省略か null）は 0 / 0 when only params "
                                                "are given (seed absent or null)")
    params: Params | None = None
    answers: Answers

    @model_validator(mode="after")
    def _seed_or_params(self):
        if self.seed is None and self.params is None:
            raise PydanticCustomError("seed_or_params", "give seed or params")
        return self


class GradeRequest(RequestModel):
    items: list[GradeItem] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class ItemError(ResponseModel):
    code: str
    status: int
    title: str
    detail: str
    field: str | None = None


class GradeItemResult(ResponseModel):
    index: int
    template: str
    version: int | None
    seed: int | None
    ok: bool
    result: Grading | None = Field(description="ok のとき / when ok")
    error: ItemError | None = Field(description="ok でないとき / when not ok")


class GradeSummary(ResponseModel):
    items: int
    graded: int
    failed: int
    mean_score: float | None


class GradeResponse(ResponseModel):
    items: list[GradeItemResult]
    summary: GradeSummary
