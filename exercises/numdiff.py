"""Numerical differentiation and gradient checking: the public path of
``exercises.autodiff.numdiff`` (docs/numdiff.md)."""
from .autodiff.numdiff import (
    GradientCheckResult,
    InputReport,
    default_tolerances,
    forward_diff,
    gradient_check,
    numerical_diff,
    numerical_grad,
)

__all__ = ["GradientCheckResult", "InputReport", "default_tolerances", "forward_diff", "gradient_check",
           "numerical_diff", "numerical_grad"]
