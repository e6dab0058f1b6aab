"""/settings/tokens: list, create (the secret is shown once, on the response page itself,
never through the session or a flash message) and revoke personal API tokens."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.db import get_session, write_session
from quizapp.models import User
from quizapp.services import tokens as svc
from quizapp.tokens.blueprint import bp
from quizapp.tokens.forms import CreateTokenForm, RevokeTokenForm

INVALID = 422


def _page(form: CreateTokenForm, *, secret: str | None = None, status: int = 200):
    rows = svc.tokens_of(get_session(), current_user.id)
    html = render_template("tokens/settings.html", form=form, tokens=rows, secret=secret, max_tokens=svc.MAX_ACTIVE_TOKENS)
    headers = {"Cache-Control": "no-store"}  # the page may carry a secret
    return html, status, headers


def _form() -> CreateTokenForm:
    form = CreateTokenForm()
    form.set_scopes(svc.allowed_scopes(current_user))
    return form


@bp.get("/settings/tokens")
@login_required
def settings():
    return _page(_form())


@bp.post("/settings/tokens")
@login_required
def create():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=INVALID)
    try:
        with write_session() as session:
            user = session.get(User, current_user.id)
            _, secret = svc.create_token(session, user, form.name.data, form.scope.data)
    except svc.TokenError as err:
        form.name.errors.append(_message(err))
        return _page(form, status=INVALID)
    return _page(_form(), secret=secret, status=201)


def _message(err: svc.TokenError) -> str:
    messages = {
        "too_many_tokens": _("有効なトークンは%(n)d個までです。使わないものを無効にしてください。", n=svc.MAX_ACTIVE_TOKENS),
        "scope_not_allowed": _("instructor スコープのトークンは講師・管理者だけが作れます。"),
    }
    return messages.get(err.code, _("トークンを作成できませんでした。"))


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if not RevokeTokenForm().validate_on_submit():
        return redirect(url_for("tokens.settings"))
    with write_session() as session:
        row = svc.revoke_token(session, current_user.id, token_id)
    if row is None:
        abort(404)  # not yours, or no such token: the same answer
    flash(_("トークン「%(name)s」を無効にしました。", name=row.name), "success")
    return redirect(url_for("tokens.settings"))
