"""The instructor blueprint and its guard, on their own so that view modules need not import
the package. Only instructors and admins get in (anonymous visitors are sent to log in,
learners get 403)."""
from __future__ import annotations

from flask import Blueprint

from quizapp.auth import role_required

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


@bp.before_request
@role_required("instructor")
def _instructors_only():
    """Every page and every POST of the blueprint, before any form is read."""
    return
