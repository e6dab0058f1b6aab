"""Reverse-mode automatic differentiation in DeZero's names.

    >>> import numpy as np
    >>> from exercises.autodiff import Variable, functions as F
    >>> x = Variable(np.array(0.5))
    >>> y = F.square(F.exp(F.square(x)))
    >>> y.backward()
    >>> round(float(x.grad), 10)
    3.2974425414
"""
from . import functions, operators, optimizers
from .core import Function, Variable, as_array, as_variable, no_grad
from .elementwise import Abs, Cos, Exp, Log, ReLU, Sigmoid, Sin, Sqrt, Square, Tan, Tanh
from .errors import AutodiffError, GraphError, NotANumberError, ShapeError
from .numdiff import forward_diff, gradient_check, numerical_diff, numerical_grad
from .layers import AddLayer, Affine, MulLayer, Relu, SoftmaxWithLoss
from .layers import Sigmoid as SigmoidLayer
from .activations_extra import GELU, GELUTanh, LeakyReLU
from .conv import Col2im, Conv2d, Im2col
from .layers import Convolution, Pooling
from .normalization import BatchNormalization, Dropout, LayerNormalization, batch_norm, layer_norm
from .losses import LogSoftmax, MeanSquaredError, Softmax, SoftmaxCrossEntropy
from .operators import Add, Div, Mul, Neg, Pow, PowVar, Sub
from .rules import BackwardRules
from .selection import Clip, GetItem, GetItemGrad, Max, Min
from .tensor import BroadcastTo, Linear, MatMul, Reshape, Sum, SumTo, Transpose
from .trace import GraphTrace, TraceNode, trace

operators.install()

__all__ = [
    "Abs",
    "Add",
    "AddLayer",
    "Affine",
    "AutodiffError",
    "BackwardRules",
    "BatchNormalization",
    "BroadcastTo",
    "Clip",
    "Col2im",
    "Conv2d",
    "Convolution",
    "Cos",
    "Div",
    "Dropout",
    "Exp",
    "Function",
    "GELU",
    "GELUTanh",
    "GetItem",
    "GetItemGrad",
    "GraphError",
    "GraphTrace",
    "Im2col",
    "LayerNormalization",
    "LeakyReLU",
    "Linear",
    "Log",
    "LogSoftmax",
    "MatMul",
    "Max",
    "MeanSquaredError",
    "Min",
    "Mul",
    "MulLayer",
    "Neg",
    "NotANumberError",
    "Pooling",
    "Pow",
    "PowVar",
    "ReLU",
    "Relu",
    "Reshape",
    "ShapeError",
    "Sigmoid",
    "SigmoidLayer",
    "Sin",
    "Softmax",
    "SoftmaxCrossEntropy",
    "SoftmaxWithLoss",
    "Sqrt",
    "Square",
    "Sub",
    "Sum",
    "SumTo",
    "Tan",
    "Tanh",
    "TraceNode",
    "Transpose",
    "Variable",
    "as_array",
    "as_variable",
    "batch_norm",
    "forward_diff",
    "functions",
    "gradient_check",
    "layer_norm",
    "no_grad",
    "numerical_diff",
    "numerical_grad",
    "operators",
    "optimizers",
    "trace",
]
