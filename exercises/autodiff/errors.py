"""Errors the engine raises instead of bare numpy tracebacks."""


class AutodiffError(Exception):
    """Base class of every error the engine raises on purpose."""


class NotANumberError(AutodiffError, TypeError):
    """A value that is not a real number (or an array of them) was given to the engine."""


class ShapeError(AutodiffError, ValueError):
    """The shapes of an operation's inputs do not fit together."""


class GraphError(AutodiffError, RuntimeError):
    """The graph is inconsistent: a creator was reassigned after its variable was used."""
