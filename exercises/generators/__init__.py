"""Built-in generators: exercise families that need arrays or code, written in Python.

A generator is an object with the metadata of a template (``slug``, ``version``, ``family``,
``difficulty``, ``topics``, ``title``, ``statement``, ``source``) and a method
``generate(seed, params, rng) -> Exercise``. Register it in ``GENERATORS``: a new family is
one class plus one line here. ``base.BuiltinGenerator`` supplies the draw/verify/redraw loop;
see docs/generators.md.
"""
from .activations import SigmoidReluBackward, SoftmaxCrossEntropyGradients
from .affine import AffineNumbers, AffineShapes
from .codefill import LayerBackwardCodeFill
from .network import SigmoidNetGradients

GENERATORS: list = [
    AffineShapes(),
    AffineNumbers(),
    SigmoidNetGradients(),
    SoftmaxCrossEntropyGradients(),
    SigmoidReluBackward(),
    LayerBackwardCodeFill(),
]
