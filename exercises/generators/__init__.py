"""Built-in generators: exercise families that need arrays or code, written in Python.

A generator is an exercise ``Source`` (``exercises/source.py``), like a YAML template:
metadata plus ``draw``, ``check_params`` and ``build``; ``generation.generate_from`` runs the
one draw/verify/redraw loop for both. Register it in ``GENERATORS``: a new family is one class
plus one line here. See docs/generators.md.
"""
from .activations import SigmoidReluBackward, SoftmaxCrossEntropyGradients
from .affine import AffineNumbers, AffineShapes
from .codefill import LayerBackwardCodeFill
from .network import SigmoidNetGradients
from .dropout import DropoutForwardBackward
from .initialization import InitStd
from .init_variance import InitVariance
from .regularization import WeightDecayGradient
from .descent import QuadraticTrajectory
from .descent_newton import NewtonDoubleBackprop, RosenbrockSteps
from .minibatch import MinibatchArithmetic
from .batchnorm import BatchNormForwardBackward
from .layernorm import LayerNormForward, NormalizationConcepts
from .optimizer_code import OptimizerCodeFill
from .optimizer_steps import OptimizerSteps
from .graph_nodes import RepeatSumMatMulNodes
from .framework_code import FrameworkAutogradCode
from .activations_more import LeakyReluGelu, SoftmaxTemperature
from .losses import ClassificationLosses, RegressionLosses
from .cnn import ConvOutputSize
from .cnn_backward import ConvForwardBackward, PoolingBackward
from .rnn import GradientVanishing
from .rnn_bptt import RnnBpttScalar
from .rnn_clip import GradClippingGlobalNorm
from .lstm import LstmForgetGate

GENERATORS: list = [
    AffineShapes(),
    AffineNumbers(),
    SigmoidNetGradients(),
    SoftmaxCrossEntropyGradients(),
    SigmoidReluBackward(),
    LayerBackwardCodeFill(),
    WeightDecayGradient(),
    DropoutForwardBackward(),
    InitStd(),
    QuadraticTrajectory(),
    RosenbrockSteps(),
    NewtonDoubleBackprop(),
    MinibatchArithmetic(),
    BatchNormForwardBackward(),
    NormalizationConcepts(),
    LayerNormForward(),
    OptimizerSteps(),
    OptimizerCodeFill(),
    InitVariance(),
    RepeatSumMatMulNodes(),
    LeakyReluGelu(),
    SoftmaxTemperature(),
    RegressionLosses(),
    ClassificationLosses(),
    ConvOutputSize(),
    ConvForwardBackward(),
    PoolingBackward(),
    FrameworkAutogradCode(),
    RnnBpttScalar(),
    GradientVanishing(),
    GradClippingGlobalNorm(),
    LstmForgetGate(),
]
