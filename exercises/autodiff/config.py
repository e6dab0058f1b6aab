"""Whether the graph is being recorded (DeZero's ``Config.enable_backprop``) and whether the
model is training (``Config.train``, which ``F.dropout`` reads), per context so that threads
and async tasks of the web server do not switch them for each other."""
from __future__ import annotations

import contextlib
import contextvars

enable_backprop = contextvars.ContextVar("enable_backprop", default=True)
train = contextvars.ContextVar("train", default=True)


@contextlib.contextmanager
def using_config(value: bool):
    token = enable_backprop.set(value)
    try:
        yield
    finally:
        enable_backprop.reset(token)


def no_grad():
    """Compute without recording the graph (inference, parameter updates)."""
    return using_config(False)


@contextlib.contextmanager
def test_mode():
    """Inference: ``F.dropout`` passes its input through (DeZero's ``test_mode``)."""
    token = train.set(False)
    try:
        yield
    finally:
        train.reset(token)
