"""Templates: the catalog, one template, and the instructors' write/validate bodies."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from quizapp.api.schemas.common import (
    MAX_SOURCE_CHARS,
    LocalizedText,
    ProblemItem,
    RequestModel,
    ResponseModel,
)


class TemplateSummary(ResponseModel):
    slug: str
    version: int
    family: str
    family_name: LocalizedText
    difficulty: int
    topics: list[str]
    syllabus: list[str] = Field(description="JDLA E資格シラバスの項目 id（例: 3-2-3）/ JDLA syllabus item ids")
    title: LocalizedText
    kind: Literal["template", "generator"] = Field(
        description="template: YAML のテンプレート / generator: 組み込みの Python 生成器")


class TemplateList(ResponseModel):
    templates: list[TemplateSummary]
    count: int


class ParamDomain(ResponseModel):
    name: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: list[float] | None = None
    decimals: int


class TemplateDetail(TemplateSummary):
    statement: LocalizedText
    status: Literal["draft", "published"]
    params: list[ParamDomain] = Field(description="YAML テンプレートの定義域 / domains of a YAML template")
    params_doc: LocalizedText | None = Field(description="生成器のパラメータの説明 / a generator's parameters")
    created_at: datetime
    source: str | None = Field(None, description="instructor スコープのときだけ / instructor scope only")


class TemplateSource(RequestModel):
    source: str = Field(max_length=MAX_SOURCE_CHARS, description="テンプレートの YAML / the template's YAML")
    publish: bool = Field(False, description="保存と同時に公開する / publish it in the same step")


class TemplateValidate(RequestModel):
    source: str = Field(max_length=MAX_SOURCE_CHARS)


class ValidationReport(ResponseModel):
    valid: bool
    problems: list[ProblemItem] = Field(description="web の編集画面と同じ検査 / the same checks as the web editor")
