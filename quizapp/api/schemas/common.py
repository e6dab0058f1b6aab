"""Shared pieces of the API's request and response models.

Request models are strict (``"5"`` is not an integer, unknown fields are refused) so that
what the OpenAPI document says is exactly what the server accepts. Response models forbid
extra fields, so a test that validates a response against the document also catches a field
that the code returns but the document does not describe.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

MAX_ANSWER_CHARS = 500       # per answer, as the study pages allow
MAX_ANSWERS = 100            # keys per "answers" object
MAX_BATCH_ITEMS = 200        # items per POST /grade
MAX_SEED = 2**63 - 1
MAX_SOURCE_CHARS = 64 * 1024  # template YAML (exercises.spec also caps it at 64 KB of UTF-8)
MAX_PARAMS = 50              # keys per "params" object
MAX_PARAM_ITEMS = 16         # entries of a list param (the generators take at most 5)
MAX_PARAM_TEXT = 32          # a text param (a generator's choice such as "Affine")
PARAM_BOUND = 1e12           # |number| of any domain (exercises/spec/fields.py: number)
# A part id (exercises/spec/parts.py PART_ID_RE), optionally ".step" with a node name
# (exercises/spec/fields.py NAME_RE) for a guided part; tests/api check every built-in key.
ANSWER_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,31}(\.[A-Za-z][A-Za-z0-9_]{0,31})?$"
PARAM_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,31}$"  # NAME_RE, as the generators' names


def _integral(value):
    """JSON Schema's ``integer`` is a number with no fractional part, so 374.0 is one too
    (JSON Schema 2020-12, section 6.1.1): read it as 374. Strict mode refuses the rest."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def integer(low: int, high: int, description: str | None = None):
    """An integer from ``low`` to ``high`` (the bounds inside, so the schema keeps them)."""
    return Annotated[int, Field(ge=low, le=high), BeforeValidator(_integral), Field(description=description)]


def _number(value) -> bool:
    # Compared before anything else: 10**400 and nan fail here, and bool is no number.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -PARAM_BOUND <= value <= PARAM_BOUND


def _numbers(value) -> bool:
    return isinstance(value, list) and len(value) <= MAX_PARAM_ITEMS and all(map(_number, value))


def _param_value(value):
    """The check ParamValue's schema describes, by hand: pydantic's union errors would put the
    branch names in the field ("params.x.union[...]"). Values are kept as sent (3 stays an int:
    an index has to be one)."""
    if value is None or _number(value) or (isinstance(value, str) and len(value) <= MAX_PARAM_TEXT):
        return value
    if isinstance(value, list) and len(value) <= MAX_PARAM_ITEMS and \
            all(_number(v) or _numbers(v) for v in value):
        return value
    raise PydanticCustomError("param_value", "not a parameter value")


def _names_and_values(schema: dict) -> None:
    """pydantic writes a dict with constrained keys as ``patternProperties``, which lets any
    other key through; the server refuses those, so: ``propertyNames`` + ``additionalProperties``."""
    ((pattern, values),) = schema.pop("patternProperties").items()
    schema["propertyNames"] = {"pattern": pattern}
    schema["additionalProperties"] = values


PARAM_NUMBER = {"type": "number", "minimum": -PARAM_BOUND, "maximum": PARAM_BOUND}
PARAM_NUMBERS = {"type": "array", "maxItems": MAX_PARAM_ITEMS, "items": PARAM_NUMBER}
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{2,63}$"),
                 Field(description="テンプレートの slug / the template's slug", examples=["shopping-apple-orange"])]
Seed = integer(0, MAX_SEED, "乱数の種（0 … 2⁶³−1 の整数、374.0 も 374 と同じ）/ "
                            "the seed, an integer 0 … 2⁶³−1 (374.0 is 374)")
AnswerKey = Annotated[str, StringConstraints(pattern=ANSWER_KEY_PATTERN)]
AnswerText = Annotated[str, StringConstraints(max_length=MAX_ANSWER_CHARS)]
Answers = Annotated[
    dict[AnswerKey, AnswerText],
    Field(max_length=MAX_ANSWERS, json_schema_extra=_names_and_values, description=(
        "小問 id → 解答の文字列。ガイド付き小問は「小問.ステップ」ごとに答えます（exercise の answer_keys）。"
        "どの小問にも当たらないキーは 422 unknown_answer_key。 / "
        "part id -> answer text; a guided part is answered per step as \"part.step\" (see answer_keys). "
        "A key that names no part of the exercise is a 422 unknown_answer_key."),
        examples=[{"price": "715", "d_apple": "2.2"}]),
]
ParamValue = Annotated[object, PlainValidator(_param_value), WithJsonSchema({
    "anyOf": [PARAM_NUMBER, {"type": "string", "maxLength": MAX_PARAM_TEXT},
              {"type": "array", "maxItems": MAX_PARAM_ITEMS, "items": {"anyOf": [PARAM_NUMBER, PARAM_NUMBERS]}},
              {"type": "null"}],
    "description": "数（|x| ≤ 10¹²）、文字列（生成器の選択肢）、数のリストか表。null は生成器の省略できる"
                   "パラメータを省く / a number (|x| ≤ 10¹²), a text (a generator's choice), a list or table of "
                   "numbers; null leaves out a generator's optional parameter"})]
Params = Annotated[
    dict[Annotated[str, StringConstraints(pattern=PARAM_NAME_PATTERN)], ParamValue],
    Field(max_length=MAX_PARAMS, json_schema_extra=_names_and_values, description=(
        "明示的なパラメータ。名前と値はテンプレートの定義域に従います（GET /templates/{slug} の params か "
        "params_doc）。外れると 422 invalid_params / explicit parameters; names and values follow the "
        "template's domains (params or params_doc of GET /templates/{slug}), otherwise 422 invalid_params"),
        examples=[{"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}]),
]


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
