"""Personal API tokens: the settings page (/settings/tokens) and the CLI commands."""
from flask import Blueprint

bp = Blueprint("tokens", __name__)

from quizapp.tokens import routes  # noqa: E402,F401  (registers the views on bp)
