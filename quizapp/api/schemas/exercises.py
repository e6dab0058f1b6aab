"""Exercises as handed out (never with reference answers) and their grading results."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from exercises.kinds import KINDS

from quizapp.api.schemas.common import (
    Answers,
    LocalizedText,
    Params,
    RequestModel,
    ResponseModel,
    Seed,
    Slug,
    integer,
)

PartKind = Literal[tuple(KINDS)]  # the registry's names, in its order
KIND_DESCRIPTION = "設問の種類と解答の書き方 / the part's kind and what its answer is: " + "; ".join(
    f"{name}: {kind.description['ja']} / {kind.description['en']}" for name, kind in KINDS.items())
TimeTaken = integer(0, 86_400_000)  # ms, at most a day
Status = Literal["correct", "incorrect", "unanswered", "invalid"]


class ExerciseCreate(RequestModel):
    """Start an exercise: a template, and a seed or explicit params (both optional)."""

    template: Slug
    seed: Seed | None = Field(None, description="省略か null なら無作為に選びます / absent or null: a random one")
    params: Params | None = Field(None, description="省略か null なら seed から引きます / absent or null: drawn "
                                                    "from the seed")


class Part(ResponseModel):
    id: str
    kind: PartKind = Field(description=KIND_DESCRIPTION)
    prompt: LocalizedText
    precision: LocalizedText | None = Field(None, description="求める精度 / the precision asked for")
    choices: list[LocalizedText] | None = Field(None, description="choice: 選択肢（0 から番号、解答は番号）/ "
                                                                "options; answer with the index, from 0")
    variables: list[str] | None = Field(None, description="formula: 使える変数 / the variables the formula may use")
    steps: list[str] | None = Field(None, description="guided: 出力から順に埋めるノード / nodes to fill in, output first")
    shape: list[int] | None = Field(None, description="vector, matrix: 解答の形状 / the answer's shape")
    functions: bool | None = Field(None, description="true のとき数値の解答で関数（tanh など）を使える / "
                                   "when true, a number answer may call functions such as tanh")


class GraphNode(ResponseModel):
    id: str
    op: str
    inputs: list[str]
    name: str | None = None
    label: str
    named: bool
    value: float | list | None = Field(None, description="入力ノードの値のみ / only on input nodes")


class Graph(ResponseModel):
    """The computational graph to draw; values only on inputs, no gradients."""

    nodes: list[GraphNode]
    outputs: list[str]


class Exercise(ResponseModel):
    id: str = Field(description="この問題の id（解答の送信先）/ the id to submit answers to")
    template: str
    version: int
    seed: int
    family: str
    topics: list[str]
    difficulty: int
    title: LocalizedText
    prompt: LocalizedText = Field(description="問題文（LaTeX を含む）/ the statement, with LaTeX")
    params: dict[str, object]
    parts: list[Part]
    answer_keys: list[str] = Field(description="answers に使うキー / the keys that \"answers\" takes")
    graph: Graph | None
    hint_count: int
    created_at: datetime


class SubmissionCreate(RequestModel):
    answers: Answers
    time_taken_ms: TimeTaken | None = Field(None, description="解答にかかった時間 / time spent")


class Misconception(ResponseModel):
    id: str
    name: LocalizedText
    explanation: LocalizedText


class AnswerError(ResponseModel):
    ja: str
    en: str
    caret: str | None = None


class StepVerdict(ResponseModel):
    status: Literal["correct", "incorrect"]
    expected: str
    expected_given_upstream: str
    misconception: str | None = Field(None, description="この段の答えに見られる典型的な誤り（誤解の id）/ "
                                      "the misconception id this step's answer shows, when recognised")


class PartVerdict(ResponseModel):
    id: str
    status: Status
    score: float = Field(ge=0, le=1)
    given: object = Field(None, description="読み取った解答 / the answer as read")
    expected: str = Field(description="正解（表示用の文字列）/ the reference answer, as shown")
    misconception: Misconception | None = None
    error: AnswerError | None = Field(None, description="status=invalid のとき / when status is invalid")
    steps: dict[str, StepVerdict]


class Solution(ResponseModel):
    """The worked solution: forward values and backward steps (LaTeX), with the full graph."""

    model_config = ConfigDict(extra="allow")

    explanation: LocalizedText | None = None
    hints: list[LocalizedText] = Field(default_factory=list)
    forward: list[str] | None = None
    backward: list[str] | None = None


class Grading(ResponseModel):
    score: float = Field(ge=0, le=1)
    valid: bool = Field(description="false: 読み取れない解答あり（記録されない）/ some answer was unreadable (nothing stored)")
    correct_parts: int
    total_parts: int
    misconceptions: list[Misconception]
    parts: dict[str, PartVerdict]
    feedback: LocalizedText


class SubmissionResult(Grading):
    attempt_id: int
    exercise_id: str
    template: str
    version: int
    seed: int
    submitted_at: datetime
    solution: Solution | None = Field(None, description="?solution=1 のとき / with ?solution=1")
