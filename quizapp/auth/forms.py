"""Account forms. Labels and messages are lazy so they follow the request's language."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, ValidationError

from quizapp.models import FRAMEWORKS
from quizapp.services.accounts import looks_like_email
from quizapp.services.passwords import MAX_LENGTH, password_problem

_REQUIRED = _l("入力してください。")
_TOO_LONG = Length(max=254, message=_l("長すぎます。"))

PASSWORD_MESSAGES = {
    "too_short": _l("パスワードは %(min)d 文字以上にしてください。"),
    "too_long": _l("パスワードは %(max)d 文字以内にしてください。"),
    "common": _l("このパスワードはよく使われていて推測されやすいため使えません。"),
    "like_email": _l("メールアドレスと同じパスワードは使えません。"),
}


def email_address(_form, field) -> None:
    if not looks_like_email(field.data or ""):
        raise ValidationError(_l("メールアドレスの形式が正しくありません。"))


def check_password_policy(password: str, email: str = "") -> None:
    """Raise ValidationError with the learner-facing reason when the password is refused."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    problem = password_problem(password or "", min_length=min_length, email=email)
    if problem is not None:
        raise ValidationError(PASSWORD_MESSAGES[problem] % {"min": min_length, "max": MAX_LENGTH})


class SignupForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), [DataRequired(_REQUIRED), _TOO_LONG, email_address])
    display_name = StringField(
        _l("表示名"), [DataRequired(_REQUIRED), Length(max=40, message=_l("40 文字以内で入力してください。"))]
    )
    password = PasswordField(_l("パスワード"), [DataRequired(_REQUIRED)])
    password_confirm = PasswordField(
        _l("パスワード（確認）"),
        [DataRequired(_REQUIRED), EqualTo("password", message=_l("パスワードが一致しません。"))],
    )
    submit = SubmitField(_l("登録する"))

    def validate_password(self, field) -> None:
        check_password_policy(field.data, self.email.data or "")


class LoginForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), [DataRequired(_REQUIRED), _TOO_LONG])
    password = PasswordField(_l("パスワード"), [DataRequired(_REQUIRED)])
    next = HiddenField()
    submit = SubmitField(_l("ログイン"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("現在のパスワード"), [DataRequired(_REQUIRED)])
    new_password = PasswordField(_l("新しいパスワード"), [DataRequired(_REQUIRED)])
    new_password_confirm = PasswordField(
        _l("新しいパスワード（確認）"),
        [DataRequired(_REQUIRED), EqualTo("new_password", message=_l("パスワードが一致しません。"))],
    )
    submit = SubmitField(_l("変更する"))

    def validate_new_password(self, field) -> None:
        check_password_policy(field.data, current_user.email)


FRAMEWORK_LABELS = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}


class SettingsForm(FlaskForm):
    framework = RadioField(_l("コード問題のフレームワーク"),
                           choices=[SelectChoice(fw, FRAMEWORK_LABELS[fw]) for fw in FRAMEWORKS],
                           validate_choice=False,
                           validators=[AnyOf(FRAMEWORKS, message=_l("PyTorch か TensorFlow を選んでください。"))])
    submit = SubmitField(_l("保存する"))
