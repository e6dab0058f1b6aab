"""The learner's pages: the blueprint, on its own so that view modules need not import the package."""
from flask import Blueprint

bp = Blueprint("study", __name__)
