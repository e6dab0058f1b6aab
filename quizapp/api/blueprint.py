"""The API's blueprint, on its own so that route modules need not import the package."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates",
               static_folder="static", static_url_path="/static")
