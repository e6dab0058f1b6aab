"""``POST /exercises/preview``: how a typed formula was understood (canonical text and
LaTeX), or the reading error with a caret. Optional sugar for js/exercise.js: the forms
work without it. CSRF-protected through the X-CSRFToken header (the global CSRFProtect),
and refused outright when the browser says the request comes from another site."""
from __future__ import annotations

import re

from flask import abort, jsonify, request
from flask_babel import get_locale

from exercises.expr import RESERVED_NAMES, render, to_latex
from exercises.grading.answers import AnswerFormatError, parse_formula
from quizapp.study.blueprint import bp

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
MAX_TEXT = 500


def _variables(raw) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    names = [v for v in raw[:20] if isinstance(v, str) and NAME.fullmatch(v) and v not in RESERVED_NAMES]
    return tuple(dict.fromkeys(names))


@bp.post("/exercises/preview")
def preview_formula():
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(403)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        abort(400)
    lang = "en" if str(get_locale()) == "en" else "ja"
    try:
        node = parse_formula(data["text"][:MAX_TEXT], _variables(data.get("variables")))
    except AnswerFormatError as err:
        return jsonify(ok=False, message=err.message_en if lang == "en" else err.message_ja,
                       caret=err.caret or "")
    return jsonify(ok=True, text=render(node), latex=to_latex(node))
