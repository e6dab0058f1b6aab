"""Explicit parameters every built-in generator must refuse with a ParamsError (ja/en), one list
per slug; tests/exercises/test_generators.py checks every slug has its list and tries each."""

BAD_PARAMS = {
    "affine-gradient-shapes": [{"N": 2, "D": 2, "M": 3}, {"N": 2, "D": 3}, {"N": 0, "D": 3, "M": 2},
                               {"N": 2.5, "D": 3, "M": 4}, {"N": 2, "D": 3, "M": 4, "K": 1}, [1, 2, 3]],
    "affine-gradient-numbers": [
        {"X": [[1, 2]], "W": [[1, 2]], "b": [0, 0], "dout": [[1, 1]]},               # W has 1 row, X 2 cols
        {"X": [[1, 2], [3]], "W": [[1], [2]], "b": [0], "dout": [[1], [1]]},          # ragged
        {"X": [[1]], "W": [[1]], "b": [0], "dout": [[1]], "dw_at": [[1, 0]]},         # index outside
        {"X": [[1]], "W": [[1]], "b": [0], "dout": [["1"]]},                          # not a number
        {"X": [[1, 2], [3, 4]], "W": [[1, 0], [0, 1]], "b": [0, 0], "dout": [[1, 0], [0, 1]],
         "dw_at": [[0, 0], [0, 0]]},                                                  # the same index twice
    ],
    "sigmoid-net-bias-weight-grads": [
        {"x": [1, 2, 3], "W1": [[1]], "b1": [0], "W2": [1], "b2": 0, "t": 1},        # 3 inputs
        {"x": [1], "W1": [[1]], "b1": [0], "W2": [1], "b2": 0, "t": 2},              # t outside 0..1
        {"x": [0], "W1": [[1]], "b1": [0], "W2": [1], "b2": 0, "t": 1},              # dL/dw1 = 0 exactly
    ],
    "softmax-cross-entropy-grad": [
        {"x": [[0, 0, 1]], "t": [3]}, {"x": [[0, 0, 1]], "t": [0.5]}, {"x": [[0, 0, 1]], "t": [0, 1]},
        {"x": [[0, 0, 100]], "t": [0]}, {"x": [[0, 0, 1]], "t": [0], "dx_at": [[0, 1]]},
    ],
    "sigmoid-relu-backward": [
        {"x": [0, 1], "dout": [1, 1]}, {"x": [1, -1], "dout": [1]}, {"x": [1, -1], "dout": [1, 1], "sig_at": [0, 0]},
        {"x": [1, -1], "dout": [1, 1], "relu_at": 2},
    ],
    "layer-backward-code-fill": [{"layer": "Conv"}, {"layer": "Relu", "blank": "dW"}, {"blank": "dx"},
                                 {"layer": "Affine", "blank": "dW", "extra": 1}],
    "weight-decay-gradient": [
        {"penalty": "l3", "W": [1, 2], "dW_data": [0, 0], "lam": 0.1},                   # unknown penalty
        {"penalty": "l1", "W": [1, 0], "dW_data": [0, 0], "lam": 0.1},                   # |w| at w = 0
        {"penalty": "l2", "W": [[1, 2], [3, 4]], "dW_data": [1, 2], "lam": 0.1},         # shapes differ
        {"penalty": "l2", "W": [1, 2], "dW_data": [0, 0], "lam": 0},                     # λ = 0
        {"penalty": "l2", "W": [1, 2], "dW_data": [0, 0], "lam": 0.1, "lr": -0.1},       # negative lr
        {"penalty": "l2", "W": [1, 2], "dW_data": [0, 0]},                               # λ missing
    ],
    "dropout-forward-backward": [
        {"x": [1, 2, 3], "mask": [1, 0], "dout": [1, 1, 1], "ratio": 0.5},        # mask too short
        {"x": [1, 2], "mask": [1, 1], "dout": [1, 1], "ratio": 0.5},               # nothing dropped
        {"x": [1, 2], "mask": [True, False], "dout": [1, 1], "ratio": 0.5},        # not 1/0
        {"x": [1, 2], "mask": [1, 0.5], "dout": [1, 1], "ratio": 0.5},             # not 1/0
        {"x": [1, 2], "mask": [1, 0], "dout": [1, 1], "ratio": 1.0},               # ratio outside
        {"x": [1, 2], "mask": [1, 0], "dout": [1], "ratio": 0.5},                  # dout too short
    ],
    "init-std": [{"n": 100, "m": 100, "activation": "relu"}, {"n": 2, "m": 50, "activation": "relu"},
                 {"n": 100.5, "m": 50, "activation": "tanh"}, {"n": 100, "m": 50, "activation": "softmax"},
                 {"n": 100, "activation": "relu"}],
    "gd-quadratic-trajectory": [
        {"start": [0, 0], "lr": 0.1}, {"start": [-3, 4], "lr": 0.5}, {"start": [-3, 4, 1], "lr": 0.1},
        {"start": [-3, 4], "lr": 0.1, "probe_lr": 5}, {"start": [-3, 4], "lr": 0.1, "steps": 2.5}, {"start": [-3, 4]},
    ],
    "rosenbrock-gd-steps": [{"start": [1, 1], "lr": 0.001}, {"start": [0, 2], "lr": 0.1},  # the minimum; lr too big
                            {"start": [0, "2"], "lr": 0.001}, {"start": [0, 2]}],
    "newton-double-backprop": [{"x0": 1}, {"x0": 0}, {"x0": 3 ** -0.5}, {"x0": 5}],  # f' = 0, f' = 0, f'' = 0, outside
    "minibatch-arithmetic": [
        {"N": 60050, "B": 100, "E": 10, "N2": 1050}, {"N": 60000, "B": 100, "E": 10, "N2": 1000},  # not / divisible
        {"N": 100, "B": 100, "E": 10, "N2": 1050}, {"N": 60000, "B": 100, "E": 0, "N2": 1050},
        {"N": 60000, "B": 100, "E": 10},
    ],
    "batchnorm-forward-backward": [
        {"x": [[1, 2], [1, 3]], "gamma": [1, 1], "beta": [0, 0], "dout": [[1, 1], [1, 1]]},    # column 0: variance 0
        {"x": [[1, 2]], "gamma": [1, 1], "beta": [0, 0], "dout": [[1, 1]]},                    # a batch of one
        {"x": [[1, 2], [3, 6]], "gamma": [1], "beta": [0, 0], "dout": [[1, 1], [1, 1]]},       # gamma too short
        {"x": [[1, 2], [3, 6]], "gamma": [1, 1], "beta": [0, 0], "dout": [[1, 1]]},            # dout has 1 row
        {"x": [[1, 2], [3, 6]], "gamma": [1, 1], "beta": [0, 0], "dout": [[1, 1], [1, 1]], "dx_at": [[2, 0]]},
        {"x": [[1, 2], [3, 6]], "gamma": [1, 1], "beta": [0, 0], "dout": [[1, 1], [1, 1]], "col": 2},
    ],
    "batchnorm-concepts": [
        {"N": 32, "D": 32, "batch": [1, 2], "running_mean": 0, "running_var": 1, "momentum": 0.9},  # N = D
        {"N": 32, "D": 10, "batch": [1, 2], "running_mean": 0, "running_var": 1, "momentum": 1},    # momentum 1
        {"N": 32, "D": 10, "batch": [1, 2], "running_mean": 0, "running_var": -1, "momentum": 0.9},  # var < 0
        {"N": 32, "D": 10, "batch": [1], "running_mean": 0, "running_var": 1, "momentum": 0.9},     # one value
        {"N": 32, "D": 10, "batch": [1, 2], "running_mean": 0, "running_var": 1},                   # no momentum
    ],
    "layernorm-forward": [
        {"x": [[1, 1, 1], [1, 2, 3]], "gamma": [1, 1, 1], "beta": [0, 0, 0]},                  # row 0: variance 0
        {"x": [[1, 2, 3]], "gamma": [1, 1], "beta": [0, 0, 0]},                                # gamma too short
        {"x": [[1], [2]], "gamma": [1], "beta": [0]},                                          # one feature
        {"x": [[1, 2, 3]], "gamma": [1, 1, 1], "beta": [0, 0, 0], "row": 1},                   # no row 1
        {"x": [[1, 2, 3]], "gamma": [1, 1, 1], "beta": [0, 0, 0], "xhat_at": [0, 3]},
    ],
    "optimizer-steps": [
        {"optimizer": "Adadelta", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1},                  # unknown optimizer
        {"optimizer": "SGD", "w0": 1, "gradients": [1, 2], "lr": 0.1},                          # two gradients
        {"optimizer": "SGD", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1, "momentum": 0.9},      # not SGD's
        {"optimizer": "Adam", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1, "beta1": 1.5},        # beta1 outside
        {"optimizer": "AdaGrad", "w0": 1, "gradients": [1, 0, 3], "lr": 0.1},                   # a zero gradient
        {"optimizer": "Momentum", "w0": 1, "gradients": [1, 2, 3], "lr": 0},                    # lr = 0
        {"optimizer": "RMSprop", "w0": 1, "gradients": [1, 2, 3]},                              # lr missing
    ],
    "optimizer-code": [{"optimizer": "Adadelta"}, {"optimizer": "SGD", "blank": "v"}, {"blank": "update"},
                       {"optimizer": "Adam", "blank": "m", "extra": 1}],
    "init-variance-propagation": [
        {"n": 100, "sigma": 1, "v": 1, "L": 5, "histogram": "std1"},          # Var(z) = 100 = n, a given number
        {"n": 100, "sigma": 0.1, "v": 2, "L": 5, "histogram": "xavier"},      # Xavier: Var(z) = v, a given number
        {"n": 1, "sigma": 0.2, "v": 2, "L": 5, "histogram": "std1"},          # n = 1
        {"n": 100, "sigma": 0.2, "v": 2, "L": 2.5, "histogram": "std1"},      # L not an integer
        {"n": 100, "sigma": 0.2, "v": 2, "L": 5, "histogram": "std0.1"},      # unknown histogram
        {"n": 20, "sigma": 0.01, "v": 2, "L": 50, "histogram": "std1"},       # 1e-115 after 50 layers
        {"n": 100, "sigma": 0.2, "v": 2, "L": 5},                             # histogram missing
    ],
    "repeat-sum-matmul-nodes": [
        {"repeat_dout": [[1, 2]], "sum_n": 2, "sum_dout": [1], "x": [[1]], "W": [[1]], "dout": [[1]]},      # N = 1
        {"repeat_dout": [[1], [2]], "sum_n": 1, "sum_dout": [1], "x": [[1]], "W": [[1]], "dout": [[1]]},    # sum_n 1
        {"repeat_dout": [[1], [2]], "sum_n": 2, "sum_dout": [1], "x": [[1, 2]], "W": [[1]], "dout": [[1]]},  # W rows
        {"repeat_dout": [[1], [2]], "sum_n": 2, "sum_dout": [1], "x": [[1]], "W": [[1]], "dout": [[1, 2]]},  # dout
        {"repeat_dout": [[1], [2]], "sum_n": 2, "sum_dout": ["1"], "x": [[1]], "W": [[1]], "dout": [[1]]},
        {"repeat_dout": [[1], [2]], "sum_n": 2, "x": [[1]], "W": [[1]], "dout": [[1]]},                      # missing
    ],
    "framework-autograd-code": [
        {"framework": "jax"}, {"framework": "tensorflow", "case": "zero_grad"},              # zero_grad is PyTorch's
        {"framework": "pytorch", "case": "trainable"}, {"case": "accumulate", "x": 0},        # trainable is TF's; x = 0
        {"case": "double", "k": 2}, {"case": "accumulate", "x": "3"}, {"case": "detach", "lr": 0.1},
    ],
    "leaky-relu-gelu": [
        {"x": [1, 0, -1], "dout": [1, 1, 1], "slope": 0.2, "z": 1},           # x = 0
        {"x": [1, 2, 3], "dout": [1, 1, 1], "slope": 0.2, "z": 1},            # no negative x
        {"x": [1, -2, 3], "dout": [1, 1], "slope": 0.2, "z": 1},              # dout too short
        {"x": [1, -2, 3], "dout": [1, 1, 1], "slope": 0.9, "z": 1},           # slope outside
        {"x": [1, -2, 3], "dout": [1, 1, 1], "slope": 0.2, "z": 0},           # z = 0
        {"x": [1, -2, 3], "dout": [1, 1, 1], "slope": 0.2},                   # z missing
    ],
    "softmax-temperature-stability": [
        {"x": [1, 1, 1], "T": 2, "batch": [[1, 2, 3], [1, 2, 3], [1, 2, 3]]},             # x all equal
        {"x": [1, 2, 3], "T": 1, "batch": [[1, 2, 3], [1, 2, 3], [1, 2, 3]]},             # T = 1
        {"x": [1, 2, 3], "T": 2, "batch": [[1, 2, 3], [1, 2, 3]]},                        # 2 rows
        {"x": [1, 2, 3], "T": 2, "batch": [[1, 2, 3], [1, 2, 3], [1, 2, 3]], "lse_row": 3},
        {"x": [1, 2, 3], "T": 2, "batch": [[1, 2, 3], [1, 2, "3"], [1, 2, 3]]},           # not a number
    ],
    "regression-losses": [
        {"y": [1, 2, 3], "t": [1, 0, 0]},                 # y = t at element 0
        {"y": [1, 2, 3], "t": [0, 0]},                    # t too short
        {"y": [1], "t": [0]},                             # one element
        {"y": [1, "2"], "t": [0, 0]},
    ],
    "classification-losses": [
        {"a": [1, -1], "tb": [1, 2], "y": [[0.5, 0.5], [0.2, 0.8]], "labels": [0, 1]},    # tb not 0/1
        {"a": [1, -1], "tb": [1, 0], "y": [[0.5, 0.6], [0.2, 0.8]], "labels": [0, 1]},    # row sum 1.1
        {"a": [1, -1], "tb": [1, 0], "y": [[0.5, 0.5], [0.2, 0.8]], "labels": [0, 2]},    # label outside
        {"a": [1, -1], "tb": [1, 0], "y": [[0.5, 0.5]], "labels": [0]},                   # one row
        {"a": [1, -1], "tb": [1, 0], "y": [[0.5, 0.5], [0.2, 0.8]]},                      # labels missing
    ],
    "conv-output-size": [
        {"N": 10, "C": 3, "H": 28, "W": 28, "FN": 30, "FH": 5, "FW": 5, "P": 0, "S": 3,                # 23/3
         "fit_H": 7, "fit_F": 3, "fit_options": [[1, 2], [0, 3], [2, 3], [1, 4]]},
        {"N": 10, "C": 3, "H": 3, "W": 3, "FN": 30, "FH": 5, "FW": 5, "P": 0, "S": 1,                  # filter > input
         "fit_H": 7, "fit_F": 3, "fit_options": [[1, 2], [0, 3], [2, 3], [1, 4]]},
        {"N": 10, "C": 3, "H": 28, "W": 28, "FN": 30, "FH": 5, "FW": 5, "P": 0, "S": 1,                # two divide
         "fit_H": 7, "fit_F": 3, "fit_options": [[1, 2], [1, 3], [2, 3], [1, 4]]},
        {"N": 10, "C": 3, "H": 28, "W": 28, "FN": 30, "FH": 5, "FW": 5, "P": 0, "S": 1,                # three options
         "fit_H": 7, "fit_F": 3, "fit_options": [[1, 2], [0, 3], [2, 3]]},
        {"N": 0, "C": 3, "H": 28, "W": 28, "FN": 30, "FH": 5, "FW": 5, "P": 0, "S": 1,                 # N = 0
         "fit_H": 7, "fit_F": 3, "fit_options": [[1, 2], [0, 3], [2, 3], [1, 4]]},
        {"N": 10, "C": 3, "H": 28, "W": 28, "FN": 30, "FH": 5, "FW": 5, "P": 0, "S": 1},               # no fit_*
    ],
    "conv-forward-backward": [
        {"x": [[1, 2, 3], [4, 5, 6]], "W": [[1, 0], [0, 1]], "b": 0, "dout": [[1, 1]]},               # not square
        {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "W": [[1, 0], [0, 1]], "b": 0, "dout": [[1, 1, 1]]},  # dout 1×3
        {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "W": [[1, 0, 1], [0, 1, 0]], "b": 0, "dout": [[1, 1], [1, 1]]},
        {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "W": [[1, 0], [0, 1]], "b": 0, "dout": [[1, 1], [1, 1]],
         "dx_at": [[0, 0], [0, 0]]},                                                                   # same index twice
        {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "W": [[1, 0], [0, 1]], "b": 0, "dout": [[1, 1], [1, 1]],
         "y_at": [2, 0]},                                                                              # y is 2×2
    ],
    "pooling-backward": [
        {"x": [[1, 1, 2, 3], [0, 0, 4, 5], [6, 7, 8, 9], [10, 11, 12, 13]], "dout": [[1, 2], [3, 4]]},  # tied maximum
        {"x": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], "dout": [[1, 0], [3, 4]]},  # dout 0
        {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "dout": [[1, 2], [3, 4]]},                               # 3×3
        {"x": [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]], "dout": [[1, 2, 3], [3, 4, 5]]},
    ],
    "rnn-bptt-scalar": [
        {"wh": 0, "wx": 1, "b": 0, "x": [1, 0.5, -1], "y": 0.5},                # w_h = 0: nothing through time
        {"wh": 0.5, "wx": 1, "b": 0, "x": [1, 0.5], "y": 0.5},                  # two steps
        {"wh": 0.5, "wx": 1, "b": 0, "x": [1, 0.5, "1"], "y": 0.5},             # not a number
        {"wh": 5, "wx": 1, "b": 0, "x": [1, 0.5, -1], "y": 0.5},                # w_h outside -3..3
        {"wh": 0.5, "wx": 1, "b": 0, "x": [1, 0.5, -1]},                        # y missing
    ],
    "rnn-gradient-vanishing": [
        {"w": 1, "x": [0.5, 0.2, -0.5], "h0": 0, "N": 20},                      # |w| = 1
        {"w": 0.9, "x": [0.5, 0.2, -0.5], "h0": 0, "N": 20},                    # 0.9^20 = 0.12: not clear
        {"w": 0.5, "x": [0.5, 0.2, -0.5], "h0": 0, "N": 20.5},                  # N not an integer
        {"w": 0.5, "x": [0.5, 0.2], "h0": 0, "N": 20},                          # two steps
        {"w": 0.5, "x": [0.5, 0.2, -0.5], "h0": 2, "N": 20},                    # h0 outside -1..1
    ],
    "grad-clipping-global-norm": [
        {"gradients": [[3, 4]], "max_norm": 1},                                     # one array
        {"gradients": [[3, 4], [1, 2]], "max_norm": 0},                             # max_norm 0
        {"gradients": [[0, 0], [0]], "max_norm": 1},                                # all zero
        {"gradients": [[3, 4, 1, 2], [1]], "max_norm": 1},                          # an array of 4
        {"gradients": [[3, 4], [1, 2]]},                                            # max_norm missing
    ],
    "lstm-forget-gate": [
        {"c_prev": [1, -1], "f": [0.5, 1], "i": [0.5, 0.5], "g": [0.5, 0.5], "o": [0.5, 0.5],
         "dc_next": [1, 1], "dh_next": [0, 0]},                                 # f = 1 is not a sigmoid's value
        {"c_prev": [1, -1], "f": [0.5, 0.2], "i": [0.5, 0.5], "g": [0.5, -1], "o": [0.5, 0.5],
         "dc_next": [1, 1], "dh_next": [0, 0]},                                 # g = -1 is not tanh's value
        {"c_prev": [1, -1], "f": [0.5, 0.2], "i": [0.5], "g": [0.5, 0.5], "o": [0.5, 0.5],
         "dc_next": [1, 1], "dh_next": [0, 0]},                                 # i too short
        {"c_prev": [1], "f": [0.5], "i": [0.5], "g": [0.5], "o": [0.5], "dc_next": [1], "dh_next": [0]},
        {"c_prev": [1, -1], "f": [0.5, 0.2], "i": [0.5, 0.5], "g": [0.5, 0.5], "o": [0.5, 0.5],
         "dc_next": [1, 1]},                                                    # dh_next missing
    ],
}
