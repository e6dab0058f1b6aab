"""Personal API tokens: the settings page (/settings/tokens) and the CLI commands."""
from quizapp.tokens import routes  # noqa: F401  (registers the views on bp)
from quizapp.tokens.blueprint import bp

__all__ = ["bp"]
