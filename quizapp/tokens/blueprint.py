"""Personal API tokens: the blueprint, on its own so that view modules need not import the package."""
from flask import Blueprint

bp = Blueprint("tokens", __name__)
