"""Shared pieces of the API's request and response models.

Request models are strict (``"5"`` is not an integer, unknown fields are refused) so that
what the OpenAPI document says is exactly what the server accepts. Response models forbid
extra fields, so a test that validates a response against the document also catches a field
that the code returns but the document does not describe.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_ANSWER_CHARS = 500       # per answer, as the study pages allow
MAX_ANSWERS = 100            # keys per "answers" object
MAX_BATCH_ITEMS = 200        # items per POST /grade
MAX_SEED = 2**63 - 1
MAX_SOURCE_CHARS = 64 * 1024  # template YAML (exercises.spec also caps it at 64 KB of UTF-8)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$"),
                 Field(description="テンプレートの slug / the template's slug", examples=["shopping-apple-orange"])]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED, description="乱数の種 / the seed (0 … 2⁶³−1)")]
AnswerKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]
AnswerText = Annotated[str, StringConstraints(max_length=MAX_ANSWER_CHARS)]
Answers = Annotated[
    dict[AnswerKey, AnswerText],
    Field(max_length=MAX_ANSWERS, description=(
        "小問 id → 解答の文字列。ガイド付き小問は「小問.ステップ」ごとに答えます（exercise の answer_keys）。 / "
        "part id -> answer text; a guided part is answered per step as \"part.step\" (see answer_keys)."),
        examples=[{"price": "715", "d_apple": "2.2"}]),
]
Params = Annotated[dict[str, object], Field(max_length=50, description=(
    "明示的なパラメータ（テンプレートの定義域の格子上の値） / explicit parameters, on the template's grid"),
    examples=[{"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}])]


class RequestModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalizedText(ResponseModel):
    """The same text in Japanese and English."""

    ja: str
    en: str


class ProblemItem(ResponseModel):
    """One offending field of a request (or one problem of a template source)."""

    field: str = Field(description="例 / e.g. answers.price, items[3].template, params.x")
    code: str
    detail: str
    line: int | None = Field(None, description="テンプレートの行番号 / template source line")
    caret: str | None = Field(None, description="式の中の誤りの位置 / the expression with a caret under the fault")
    message_ja: str | None = None
    message_en: str | None = None


class Problem(ResponseModel):
    """RFC 9457 problem details, with a stable machine-readable ``code``."""

    type: str = Field(description="この code の説明への URI 参照 / URI reference to this code's documentation")
    title: str
    status: int
    detail: str
    code: str = Field(description="安定した機械可読のエラーコード / stable machine-readable error code")
    instance: str
    field: str | None = Field(None, description="問題のある項目 / the offending field")
    errors: list[ProblemItem] | None = None
