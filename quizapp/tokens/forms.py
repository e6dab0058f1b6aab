"""Forms of the token settings page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from quizapp.services.tokens import MAX_NAME_CHARS

SCOPE_LABELS = {
    "learner": _l("学習者（問題・解答・採点・自分の記録）"),
    "instructor": _l("講師（学習者の操作＋テンプレートの作成・更新・検査）"),
}


class CreateTokenForm(FlaskForm):
    name = StringField(_l("トークン名"), [DataRequired(_l("入力してください。")),
                                          Length(max=MAX_NAME_CHARS, message=_l("長すぎます。"))])
    scope = SelectField(_l("スコープ"), default="learner")
    submit = SubmitField(_l("トークンを作成"))

    def set_scopes(self, scopes) -> None:
        self.scope.choices = [(s, SCOPE_LABELS[s]) for s in scopes]


class RevokeTokenForm(FlaskForm):
    submit = SubmitField(_l("無効にする"))
