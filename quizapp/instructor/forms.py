"""Instructor forms. Labels are lazy so they follow the request's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from exercises.spec.vocab import FAMILIES

# The source itself is checked by the template validator (64 KB, with a clear message);
# the request size is capped by MAX_CONTENT_LENGTH.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
_SLUG_MESSAGE = _l("slug は英小文字・数字・ハイフンで3〜64文字にしてください。")
_FROM_SOURCE = _l("（ソースのまま）")


def family_choices() -> list[SelectChoice]:
    return [SelectChoice("", _FROM_SOURCE)] + [SelectChoice(key, key) for key in FAMILIES]


def difficulty_choices() -> list[SelectChoice]:
    return [SelectChoice("", _FROM_SOURCE)] + [SelectChoice(str(i), str(i)) for i in range(1, 6)]


class TemplateForm(FlaskForm):
    """The editor: the YAML source plus metadata fields. A field left blank keeps the value
    written in the source; a filled field is written into the source before validation."""

    source = TextAreaField(_l("テンプレートのソース（YAML）"))
    upload = FileField(_l(".yaml ファイルから読み込む"),
                       [FileAllowed(["yaml", "yml"], _l(".yaml か .yml のファイルを選んでください。"))])
    slug = StringField(_l("slug"), [Optional(), Regexp(SLUG_PATTERN, message=_SLUG_MESSAGE)])
    title_ja = StringField(_l("タイトル（日本語）"), [Optional(), Length(max=200)])
    title_en = StringField(_l("タイトル（英語）"), [Optional(), Length(max=200)])
    family = SelectField(_l("分野（family）"), choices=family_choices, default="")
    difficulty = SelectField(_l("難易度"), choices=difficulty_choices, default="")
    submit = SubmitField(_l("検証して保存"))


class CopyForm(FlaskForm):
    new_slug = StringField(_l("新しい slug"), [DataRequired(_l("入力してください。")),
                                              Regexp(SLUG_PATTERN, message=_SLUG_MESSAGE)])
    submit = SubmitField(_l("コピーして編集"))


class ActionForm(FlaskForm):
    """A button that changes something (publish, unpublish, delete): only the CSRF token."""

    submit = SubmitField(_l("実行"))


def _finite(form, field) -> None:
    """NaN and infinities are no scores (and a signalling NaN cannot even be compared)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("0 から 1 の数にしてください。"))


class CaseForm(FlaskForm):
    """A pinned test case: params and answers as JSON, the expected score 0..1."""

    name = StringField(_l("名前"), [DataRequired(_l("入力してください。")), Length(max=100)])
    params = TextAreaField(_l("パラメータ（JSON）"), [DataRequired(_l("入力してください。")), Length(max=4000)])
    answers = TextAreaField(_l("解答（JSON）"), [DataRequired(_l("入力してください。")), Length(max=8000)])
    expected_score = DecimalField(_l("期待する得点（0〜1）"), [
        InputRequired(_l("入力してください。")),  # DataRequired would refuse a score of 0
        _finite,
        NumberRange(min=0, max=1, message=_l("0 から 1 の数にしてください。"))], places=None)
    submit = SubmitField(_l("固定テストを追加"))


class RunForm(FlaskForm):
    """How many instances to generate (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    n = IntegerField(_l("生成する問題の数"), [Optional(), NumberRange(min=1, max=500)], default=100)
