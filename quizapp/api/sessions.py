"""No cookies on the API: requests under /api/ get an empty, throw-away session (a browser's
session cookie grants nothing there) and their responses never set one."""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SessionInterface

from quizapp.api.errors import API_PREFIX


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


class ApiAwareSessionInterface(SessionInterface):
    """Wraps the app's session interface; for /api/ requests opens an empty session and saves
    nothing (no Set-Cookie, no Vary: Cookie)."""

    def __init__(self, inner: SessionInterface):
        self.inner = inner

    def open_session(self, app, request):
        if _is_api(request):
            return self.inner.session_class() if hasattr(self.inner, "session_class") else None
        return self.inner.open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if _is_api(request):
            return None
        return self.inner.save_session(app, session, response)

    def make_null_session(self, app):
        return self.inner.make_null_session(app)

    def is_null_session(self, obj) -> bool:
        return self.inner.is_null_session(obj)


def init_app(app: Flask) -> None:
    if not isinstance(app.session_interface, ApiAwareSessionInterface):
        app.session_interface = ApiAwareSessionInterface(app.session_interface)
