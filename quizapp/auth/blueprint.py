"""The accounts blueprint and the app's password hasher, on their own so that the view module
need not import the package."""
from flask import Blueprint, current_app

bp = Blueprint("auth", __name__)


def hasher():
    return current_app.extensions["quizapp.hasher"]
