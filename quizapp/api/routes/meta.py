"""The OpenAPI document and the reference page rendered from it."""
from __future__ import annotations

from flask import Response, current_app, jsonify, render_template

from quizapp.api.blueprint import bp
from quizapp.api.docs import HELPERS, operations_by_tag
from quizapp.api.endpoint import operation
from quizapp.api.openapi import document
from quizapp.api.problems import CODES


@operation(bp, "/openapi.json", "GET", summary="OpenAPI 文書 / The OpenAPI document", tag="meta",
           auth=None, errors=(429,), limit="public")
def openapi_json():
    """この API の OpenAPI 3.1 文書（コードから生成）。The OpenAPI 3.1 document, generated from the code."""
    return jsonify(document())


@operation(bp, "/docs", "GET", summary="API リファレンス / API reference (HTML)", tag="meta",
           auth=None, errors=(429,), limit="public", media_type="text/html")
def docs():
    """OpenAPI 文書をこのサーバーで HTML にしたもの。The OpenAPI document rendered as HTML here."""
    doc = document()
    html = render_template("api/docs.html", doc=doc, ops=operations_by_tag(doc), codes=CODES,
                           limits=current_app.config["API_RATE_LIMITS"], **HELPERS)
    return Response(html, mimetype="text/html")
