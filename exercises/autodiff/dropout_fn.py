"""``F.dropout(x, dropout_ratio=0.5)``: DeZero's inverted dropout. In training (the default,
``config.train``) it keeps the units where ``rand > dropout_ratio`` and scales them by
``1 / (1 - dropout_ratio)``, so nothing changes at test time (``config.test_mode()``: x as it
is). The book's ``Dropout`` layer scales at test time instead (normalization.py). Built from the
engine's multiplication by a constant mask, so its gradient is ``mask / (1 - dropout_ratio)``.
``rng`` (a numpy Generator or a seed) makes the mask reproducible; DeZero uses numpy's global one."""
from __future__ import annotations

import numpy as np

from . import config
from .core import as_variable


def dropout(x, dropout_ratio: float = 0.5, rng=None):
    x = as_variable(x)
    if not config.train.get():
        return x
    if rng is None:
        mask = np.random.rand(*x.shape) > dropout_ratio  # DeZero's draw
    else:
        mask = np.random.default_rng(rng).random(x.shape) > dropout_ratio
    return x * (mask.astype(x.data.dtype) / (1.0 - dropout_ratio))
