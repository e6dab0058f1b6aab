"""A bare Flask app for the --bare comparison: what gunicorn and Flask cost on their own.

``GET /page`` renders (Jinja, as the app does) an HTML page of about BARE_PAGE_BYTES bytes
(the load sets it to the exercise page's mean size) with a form like the exercise form;
``POST /page`` reads the form and redirects back to the page, as a submission redirects to
its result. No database, no session, no CSRF check: the floor under the app's figures.

    gunicorn -c gunicorn.conf.py bench.load.bare_app:app
"""
from __future__ import annotations

import os

from flask import Flask, redirect, render_template_string, request

PAGE_BYTES = int(os.environ.get("BARE_PAGE_BYTES") or 14_000)
PARAGRAPH = "<p>計算グラフを逆向きにたどり、各ノードの局所的な微分を上流の勾配に掛けていきます。</p>\n"
TEMPLATE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>bare page</title></head>
<body><main>
<h1>りんごとみかんの買い物（消費税つき）</h1>
<form method="post" action="/page" class="exercise-form" novalidate>
  <input type="hidden" name="csrf_token" value="{{ token }}">
  <input type="hidden" name="idempotency_key" value="{{ token }}">
  {% for name in fields %}<label for="answer-{{ name }}">{{ name }}</label>
  <input type="text" id="answer-{{ name }}" name="{{ name }}" value="" maxlength="500">
  {% endfor %}
  <button type="submit">解答する</button>
</form>
{% for paragraph in filler %}{{ paragraph|safe }}{% endfor %}
</main></body></html>
"""
FIELDS = ("price", "d_apple", "d_apple_num", "d_orange", "d_orange_num", "d_tax")
FILLER = [PARAGRAPH] * max(0, (PAGE_BYTES - 1500) // len(PARAGRAPH.encode()))

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/page")
def page():
    return render_template_string(TEMPLATE, token=os.urandom(16).hex(), fields=FIELDS, filler=FILLER)


@app.post("/page")
def submit():
    answered = sum(1 for name in FIELDS if request.form.get(name))
    return redirect(f"/page?answered={answered}")
