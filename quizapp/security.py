"""CSRF protection and security headers on every response. Pages load scripts, styles and fonts from this site
only; KaTeX is called through katex.render (DOM styles), which this policy allows."""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

# Global: every POST needs a token. The JSON API blueprint will be exempted (csrf.exempt),
# it authenticates with bearer tokens instead of cookies.
csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _hsts(max_age: int):
    value = f"max-age={int(max_age)}; includeSubDomains"

    def add(response):
        response.headers.setdefault("Strict-Transport-Security", value)
        return response
    return add


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(_add_headers)
    if app.config["TLS"]:  # only when served over HTTPS: HSTS over plain HTTP would be ignored anyway
        app.after_request(_hsts(app.config["HSTS_MAX_AGE"]))
