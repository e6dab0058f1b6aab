"""Account pages. Each POST validates a form, calls a service in one short write
transaction, then redirects (or re-renders the form with the reason)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from quizapp import audit
from quizapp.auth.blueprint import bp, hasher
from quizapp.auth.forms import ChangePasswordForm, LoginForm, SettingsForm, SignupForm
from quizapp.db import get_session, write_session
from quizapp.models import User, utcnow
from quizapp.redirects import safe_next
from quizapp.services import throttle
from quizapp.services.accounts import (
    EmailTaken, authenticate, create_user, normalise_email, set_password,
)
from quizapp.services.learner_settings import set_framework
from quizapp.services.passwords import verify_password

INVALID = 422  # the form was understood but refused: the page shows why


def start_session(user: User) -> None:
    """Log in on a fresh session (no data from before the log-in survives but the language)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)


def _throttle_policy() -> throttle.ThrottlePolicy:
    config = current_app.config
    return throttle.ThrottlePolicy(
        max_failures=config["LOGIN_MAX_FAILURES"],
        window=timedelta(seconds=config["LOGIN_WINDOW_SECONDS"]),
        lockout=timedelta(seconds=config["LOGIN_LOCKOUT_SECONDS"]),
    )


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("study.home"))
    form = SignupForm()
    if form.validate_on_submit():
        password_hash = hasher().hash(form.password.data)  # before the write: no writer waits on it
        try:
            with write_session() as db:
                user = create_user(
                    db, email=form.email.data, display_name=form.display_name.data,
                    password_hash=password_hash, locale=session.get("lang"),
                )
        except EmailTaken:
            form.email.errors.append(_("このメールアドレスはすでに登録されています。"))
        else:
            audit.event("signup", user=user.id)
            start_session(user)
            flash(_("登録しました。ようこそ、%(name)s さん。", name=user.display_name), "success")
            return redirect(url_for("study.home"))
    return render_template("auth/signup.html", form=form), INVALID if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), INVALID if form.errors else 200
    email, ip, now = normalise_email(form.email.data), request.remote_addr or "-", utcnow()
    if throttle.locked_until(get_session(), email, ip, now):
        audit.event("login_locked_out", email=audit.email_tag(email))
        return _locked(form)
    user = authenticate(get_session(), hasher(), email, form.password.data)
    if user is None:
        with write_session() as db:
            locked = throttle.record_failure(db, email, ip, _throttle_policy(), now)
        audit.event("lockout" if locked else "login_failed", email=audit.email_tag(email))
        if locked:
            return _locked(form)
        form.password.errors.append(_("メールアドレスまたはパスワードが違います。"))
        return render_template("auth/login.html", form=form), INVALID
    rehashed = hasher().hash(form.password.data) if hasher().check_needs_rehash(user.password_hash) else None
    with write_session() as db:
        throttle.clear(db, email, ip)
        if rehashed:
            user = set_password(db, user.id, rehashed)
    audit.event("login", user=user.id)
    start_session(user)
    flash(_("ログインしました。"), "success")
    return redirect(safe_next(form.next.data))


def _locked(form: LoginForm):
    minutes = max(1, current_app.config["LOGIN_LOCKOUT_SECONDS"] // 60)
    form.password.errors.append(
        _("ログインの失敗が続いたため、一時的にログインできません。%(minutes)d 分ほど待ってからもう一度お試しください。",
          minutes=minutes)
    )
    return render_template("auth/login.html", form=form), 429


@bp.post("/logout")
def logout():
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("ログアウトしました。"), "info")
    return redirect(url_for("study.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if verify_password(hasher(), current_user.password_hash, form.current_password.data):
            new_hash = hasher().hash(form.new_password.data)
            with write_session() as db:
                user = set_password(db, current_user.id, new_hash)
            audit.event("password_changed", user=user.id)
            start_session(user)  # other sessions end: their stamp no longer matches
            flash(_("パスワードを変更しました。"), "success")
            return redirect(url_for("study.home"))
        audit.event("password_change_failed", user=current_user.id)
        form.current_password.errors.append(_("現在のパスワードが違います。"))
    return render_template("auth/change_password.html", form=form), INVALID if form.errors else 200


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Study settings: the framework of the code exercises (PyTorch or TensorFlow)."""
    form = SettingsForm(framework=current_user.framework)
    if form.validate_on_submit():
        with write_session() as db:
            set_framework(db, current_user.id, form.framework.data)
        flash(_("設定を保存しました。"), "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form), INVALID if form.errors else 200
