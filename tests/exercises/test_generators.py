"""Built-in generators (exercises/generators): every generator over 30 seeds, grading of the
reference and misconception answers, determinism, explicit parameters, and numbers checked by
hand for fixed parameters."""
import math
import pathlib

import numpy as np
import pytest

from exercises import generate, grade
from exercises import catalog
from exercises.errors import ParamsError, Rejected
from exercises.grading import reference_answers
from tests.exercises.answer_text import ARRAYS, differs, flat, typed
from exercises.generators import GENERATORS
from exercises.generators import codefill, codefill_lines
from exercises.misconceptions import MISCONCEPTIONS
from exercises.spec.syllabus import SYLLABUS, ordered
from exercises.spec.vocab import FAMILIES, LIMITS, TOPICS

SEEDS = range(30)
SLUGS = [g.slug for g in GENERATORS]
NUMERIC = {"value", "gradient"}


def by_slug(slug):
    return next(g for g in GENERATORS if g.slug == slug)


def is_text(x) -> bool:
    return isinstance(x, dict) and set(x) == {"ja", "en"} and all(isinstance(v, str) and v.strip() for v in x.values())


# --------------------------------------------------------------------------- registry
def test_registry_metadata_follows_the_template_vocabulary():
    assert len(SLUGS) == len(set(SLUGS)) and set(BAD_PARAMS) == set(SLUGS)
    listed = {t.slug for t in catalog()}
    for g in GENERATORS:
        assert g.slug in listed
        assert g.family in FAMILIES and set(g.topics) <= set(TOPICS) and g.topics
        assert g.syllabus and list(g.syllabus) == ordered(g.syllabus) and set(g.syllabus) <= set(SYLLABUS)
        assert g.difficulty in (1, 2, 3, 4, 5) and isinstance(g.version, int) and g.version >= 1
        assert is_text(g.title) and is_text(g.statement) and is_text(g.params_doc)
        assert isinstance(g.source, str) and g.source
        assert all(is_text(h) for h in g.hints) and len(g.hints) <= LIMITS["hints"]

# --------------------------------------------------------------------------- every generator
@pytest.mark.parametrize("slug", SLUGS)
def test_thirty_seeds_generate_well_formed_exercises(slug):
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        assert (ex.slug, ex.seed, ex.family) == (slug, seed, by_slug(slug).family)
        assert is_text(ex.statement) and "$" in ex.statement["ja"] + ex.statement["en"] or ex.family == "code-fill"
        assert ex.parts and set(ex.answers) == {p.id for p in ex.parts} and set(ex.mistakes) <= set(ex.answers)
        for part in ex.parts:
            assert is_text(part.prompt)
            if part.kind in NUMERIC:
                assert part.precision is not None and math.isfinite(ex.answers[part.id])
                assert not (ex.answers[part.id] == 0 and math.copysign(1, ex.answers[part.id]) < 0)  # no -0.0
            elif part.kind in ARRAYS:
                values = flat(ex.answers[part.id].values)
                assert part.precision is not None and len(values) == math.prod(part.shape)
                assert all(math.isfinite(v) for v in values)
            else:
                assert part.kind == "choice" and 2 <= len(part.choices) <= LIMITS["choices"]
                assert all(is_text(c) for c in part.choices)
                assert len({c["ja"] for c in part.choices}) == len(part.choices)
                assert 0 <= ex.answers[part.id] < len(part.choices)
        sol = ex.solution
        assert isinstance(sol["forward"], list) and isinstance(sol["backward"], list) and sol["backward"]
        assert all(isinstance(s, str) and s.startswith("$") for s in sol["forward"] + sol["backward"])
        assert set(sol["headings"]) == {"forward", "backward"} and all(is_text(h) for h in sol["headings"].values())
        assert all(is_text(h) for h in ex.hints) and is_text(ex.explanation)
        public = ex.public()
        assert "answers" not in public and "mistakes" not in public and "solution" not in public
        if ex.graph is not None:
            assert all("grad" not in n for n in ex.graph["nodes"])


@pytest.mark.parametrize("slug", SLUGS)
def test_reference_answers_score_one_and_misconceptions_are_incorrect_and_named(slug):
    named = set()
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        result = grade(ex, reference_answers(ex))
        assert result.valid and result.score == 1.0, (seed, result.to_dict())
        for pid, found in ex.mistakes.items():
            part = ex.part(pid)
            for mid, wrong in found.items():
                assert mid in MISCONCEPTIONS
                right = ex.answers[pid].values if part.kind in ARRAYS else ex.answers[pid]
                if part.kind == "choice":
                    assert wrong != ex.answers[pid]
                else:
                    assert differs(part, wrong, right)
                r = grade(ex, {pid: typed(part, wrong)}).parts[pid]
                assert r.status == "incorrect" and r.misconception is not None, (seed, pid, mid)
                if part.kind == "choice":
                    assert r.misconception["id"] == mid
                else:  # two mistakes may give the same number: the grader names one of them
                    same = {m for m, v in found.items() if not differs(part, wrong, v)}
                    assert r.misconception["id"] in same
                named.add(mid)
    assert named, "no generator exercise named any misconception"


@pytest.mark.parametrize("slug", SLUGS)
def test_same_seed_gives_the_same_exercise_and_params_rebuild_it(slug):
    statements = set()
    for seed in range(6):
        a, b = generate(slug, seed=seed), generate(slug, seed=seed)
        assert a.public() == b.public() and reference_answers(a) == reference_answers(b)
        assert a.mistakes == b.mistakes and a.solution == b.solution
        c = generate(slug, seed=seed, params=a.params)  # the exercise's own params rebuild it
        assert c.public() == a.public() and reference_answers(c) == reference_answers(a) and c.mistakes == a.mistakes
        statements.add(a.statement["ja"] + repr(a.parts))
    assert len(statements) > 1


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


@pytest.mark.parametrize("slug", SLUGS)
def test_bad_explicit_params_are_refused_with_a_message_in_both_languages(slug):
    for params in BAD_PARAMS[slug]:
        with pytest.raises(ParamsError) as info:
            generate(slug, seed=1, params=params)
        assert info.value.message("ja") and info.value.message("en") and info.value.code == "invalid_params"


# --------------------------------------------------------------------------- layer-gradients, by hand
def choice_text(ex, pid, index):
    return ex.part(pid).choices[index]["en"]


def test_affine_shapes_for_n4_d3_m2():
    ex = generate("affine-gradient-shapes", seed=5, params={"N": 4, "D": 3, "M": 2})
    assert choice_text(ex, "dw", ex.answers["dw"]) == "(D, M) = (3, 2)"
    assert choice_text(ex, "db", ex.answers["db"]) == "(M,) = (2,)"
    assert choice_text(ex, "dx", ex.answers["dx"]) == "(N, D) = (4, 3)"
    assert choice_text(ex, "dw", ex.mistakes["dw"]["dw_no_transpose"]) == "(M, D) = (2, 3)"
    assert choice_text(ex, "db", ex.mistakes["db"]["db_wrong_axis"]) == "(N,) = (4,)"
    options = {c["en"] for c in ex.part("db").choices}
    assert options == {"(M,) = (2,)", "(N,) = (4,)", "(N, M) = (4, 2)", "() (a scalar)"}
    result = grade(ex, {"dw": str(ex.mistakes["dw"]["dw_no_transpose"]), "db": str(ex.answers["db"])})
    assert result.parts["dw"].misconception["id"] == "dw_no_transpose" and result.parts["db"].status == "correct"
    assert result.parts["dx"].status == "unanswered"


AFFINE = {"X": [[1, 2], [3, -1]], "W": [[2, -1], [1, 3]], "b": [0, 1], "dout": [[1, -1], [2, 1]],
          "dw_at": [[0, 0], [1, 1]], "db_at": 0, "dx_at": [1, 1]}


def test_affine_numbers_by_hand():
    # dW = Xᵀ dout = [[1, 3], [2, -1]] [[1, -1], [2, 1]] = [[7, 2], [0, -3]]
    # db = [1 + 2, -1 + 1] = [3, 0]; dx = dout Wᵀ = [[1, -1], [2, 1]] [[2, 1], [-1, 3]] = [[3, -2], [3, 5]]
    # X dout (no transpose) = [[5, 1], [1, -4]]; mean over axis 0 = [1.5, 0]; sum over axis 1 = [0, 3]
    ex = generate("affine-gradient-numbers", seed=0, params=AFFINE)
    assert ex.answers == {"dw_1": 7.0, "dw_2": -3.0, "db": 3.0, "dx": 5.0}
    # W dout = [[0, -3], [7, 2]] (W instead of X); dout Xᵀ = [[-1, 4], [4, 5]] (the column-vector form)
    assert ex.mistakes["dw_1"] == {"dw_no_transpose": 5.0, "dw_dout_xt": -1.0, "dw_uses_w": 0.0}
    assert ex.mistakes["dw_2"] == {"dw_no_transpose": -4.0, "dw_dout_xt": 5.0, "dw_uses_w": 2.0}
    assert ex.mistakes["db"] == {"db_averaged": 1.5, "db_wrong_axis": 0.0}
    assert set(ex.mistakes["dx"]) <= {"dx_no_transpose"}  # dout W = [[1, -4], [5, 1]] once the id exists
    if "dx_no_transpose" in MISCONCEPTIONS:
        assert ex.mistakes["dx"] == {"dx_no_transpose": 1.0}
    result = grade(ex, {"dw_1": "7", "dw_2": "-3", "db": "1.5", "dx": "５"})
    assert result.parts["db"].misconception["id"] == "db_averaged"
    assert result.score == 0.75
    assert [n["label"] for n in ex.graph["nodes"]] == ["X", "W", "b", "Y"]
    assert ex.graph["nodes"][0]["value"] == [[1, 2], [3, -1]] and "value" not in ex.graph["nodes"][3]
    assert any("= 7$" in line for line in ex.solution["backward"])


def test_affine_numbers_for_a_non_square_x_uses_dout_transpose_x_for_the_mistake():
    params = {"X": [[1, 0, 2], [-1, 3, 1]], "W": [[1, 2], [0, 1], [-1, 1]], "b": [0, 0],
              "dout": [[1, 2], [-1, 1]], "dw_at": [[0, 1]], "db_at": 1, "dx_at": [0, 2]}
    ex = generate("affine-gradient-numbers", seed=0, params=params)
    X, dout, W = (np.array(params[k], dtype=float) for k in ("X", "dout", "W"))
    assert ex.answers["dw"] == (X.T @ dout)[0, 1] == 1.0
    # (M, D) read at [0, 1]: 3; W dout fits (M = N = 2): (W @ dout)[0, 1]; dout Xᵀ does not (M != D)
    assert ex.mistakes["dw"] == {"dw_no_transpose": (dout.T @ X)[0, 1], "dw_uses_w": (W @ dout)[0, 1]}
    assert ex.answers["dx"] == (dout @ W.T)[0, 2] == 1.0
    # db = dout summed over axis 0 = [0, 3]; over axis 1 it would be [3, 0]
    assert ex.answers["db"] == 3.0 and ex.mistakes["db"] == {"db_averaged": 1.5, "db_wrong_axis": 0.0}


NET_111 = {"x": [1], "W1": [[0]], "b1": [0], "W2": [2], "b2": -1, "t": 1}


def test_sigmoid_net_1_1_1_by_hand():
    # z1 = 0, h = 0.5, z2 = 2 * 0.5 - 1 = 0, y = 0.5, L = (0.5 - 1)^2 / 2 = 0.125
    # dL/db2 = (y - t) y (1 - y) = -0.5 * 0.25 = -0.125; dL/dw2 = -0.125 * h = -0.0625
    # dL/db1 = -0.125 * w2 * h (1 - h) = -0.0625; dL/dw1 = dL/db1 * x = -0.0625
    ex = generate("sigmoid-net-bias-weight-grads", seed=0, params=NET_111)
    assert ex.answers == pytest.approx({"y": 0.5, "d_b2": -0.125, "d_w2": -0.0625, "d_b1": -0.0625,
                                        "d_w1": -0.0625}, abs=1e-12)
    m = ex.mistakes
    assert m["d_b2"]["sigmoid_from_x"] == 0.0           # z2 (1 - z2) = 0 at z2 = 0
    assert m["d_b2"]["power_rule_no_factor"] == pytest.approx(-0.0625)  # the 2 of (y - t)^2 dropped
    assert m["d_b2"]["dropped_upstream"] == 1.0         # only the local derivative of z2 = ... + b2
    assert m["d_w2"]["mul_no_swap"] == pytest.approx(-0.25)  # dL/db2 * w2 instead of * h
    result = grade(ex, {"y": "0.5", "d_b2": "0", "d_w2": "-1/16", "d_b1": "-0.0625", "d_w1": "-0.0625"})
    assert result.parts["d_b2"].misconception["id"] == "sigmoid_from_x" and result.score == 0.8
    assert ex.solution["backward"][1].endswith("= -0.125$")


def test_sigmoid_net_2_2_1_matches_the_seed_formulas():
    params = {"x": [1, -0.5], "W1": [[0.5, -1], [1.5, 0.5]], "b1": [0, 0.5], "W2": [1, -1.5], "b2": 0.5, "t": 0,
              "w2_at": 1, "b1_at": 0, "w1_at": [1, 0]}
    ex = generate("sigmoid-net-bias-weight-grads", seed=0, params=params)
    sig = lambda u: 1 / (1 + np.exp(-u))  # noqa: E731
    x, W1, b1, W2 = (np.array(params[k], dtype=float) for k in ("x", "W1", "b1", "W2"))
    h = sig(x @ W1 + b1)
    y = sig(h @ W2 + params["b2"])
    db2 = (y - params["t"]) * y * (1 - y)          # last bias
    db1 = db2 * W2 * h * (1 - h)                   # second-to-last biases
    assert ex.answers["y"] == pytest.approx(y, rel=1e-12)
    assert ex.answers["d_b2"] == pytest.approx(db2, rel=1e-12)
    assert ex.answers["d_w2"] == pytest.approx(db2 * h[1], rel=1e-12)   # weight = bias gradient x input
    assert ex.answers["d_b1"] == pytest.approx(db1[0], rel=1e-12)
    assert ex.answers["d_w1"] == pytest.approx(db1[0] * x[1], rel=1e-12)
    assert "w^{(1)}_{21}" in ex.part("d_w1").prompt["ja"]
    assert {n["name"] for n in ex.graph["nodes"] if n["op"] == "input"} >= {"x1", "x2", "w1_21", "b2", "t"}


# --------------------------------------------------------------------------- activations-losses, by hand
def test_softmax_of_0_0_ln2_with_label_2():
    ex = generate("softmax-cross-entropy-grad", seed=0,
                  params={"x": [[0, 0, math.log(2)]], "t": [2], "y_at": [0, 2], "dx_at": [[0, 2], [0, 0]]})
    # exp: 1, 1, 2 -> y = (1/4, 1/4, 1/2); L = -log(1/2) = ln 2; dx = y - t = (1/4, 1/4, -1/2)
    assert ex.answers == pytest.approx({"y": 0.5, "loss": math.log(2), "dx_1": -0.5, "dx_2": 0.25}, rel=1e-12)
    assert "softmax_no_n" not in ex.mistakes["dx_1"]  # N = 1: dividing by N changes nothing
    assert ex.mistakes["dx_1"] == pytest.approx({"residual_reversed": 0.5})  # and N^2 = N: not told apart
    result = grade(ex, {"y": "0.5", "loss": "0.693", "dx_1": "-1/2", "dx_2": "0.25"})
    assert result.score == 1.0


def test_softmax_batch_of_two_divides_by_n():
    x = [[0, 0, math.log(2)], [math.log(3), 0, 0]]
    ex = generate("softmax-cross-entropy-grad", seed=0,
                  params={"x": x, "t": [2, 0], "y_at": [1, 0], "dx_at": [[1, 0], [1, 2]]})
    # row 1: exp = 3, 1, 1 -> y = (0.6, 0.2, 0.2); L = -(log 0.5 + log 0.6) / 2
    assert ex.answers["y"] == pytest.approx(0.6)
    assert ex.answers["loss"] == pytest.approx(-(math.log(0.5) + math.log(0.6)) / 2)
    assert ex.answers["dx_1"] == pytest.approx((0.6 - 1) / 2) and ex.answers["dx_2"] == pytest.approx(0.2 / 2)
    assert ex.mistakes["dx_1"] == pytest.approx({"softmax_no_n": -0.4, "residual_reversed": 0.2, "softmax_n_twice": -0.1})
    assert ex.mistakes["dx_2"] == pytest.approx({"softmax_no_n": 0.2, "residual_reversed": -0.1, "softmax_n_twice": 0.05})
    result = grade(ex, {"dx_1": "-0.4"})
    assert result.parts["dx_1"].misconception["id"] == "softmax_no_n"


def test_sigmoid_and_relu_backward_by_hand():
    ln3 = math.log(3)  # sigma(ln 3) = 3/4, sigma(-ln 3) = 1/4
    params = {"x": [ln3, -ln3, 2, -1], "dout": [2, -4, 1.5, 3], "y_at": 0, "sig_at": [0, 1], "relu_at": 2}
    ex = generate("sigmoid-relu-backward", seed=0, params=params)
    assert ex.answers == pytest.approx({"y": 0.75, "dsig_1": 2 * 0.75 * 0.25, "dsig_2": -4 * 0.25 * 0.75,
                                        "drelu": 1.5})
    assert ex.mistakes["dsig_1"] == pytest.approx({"sigmoid_from_x": 2 * ln3 * (1 - ln3),
                                                   "dropped_upstream": 0.1875})
    assert ex.mistakes["drelu"]["dropped_upstream"] == 1.0
    r = grade(ex, {"dsig_1": repr(2 * ln3 * (1 - ln3))}).parts["dsig_1"]
    assert r.misconception["id"] == "sigmoid_from_x"
    zero = generate("sigmoid-relu-backward", seed=0, params={**params, "relu_at": 3})
    assert zero.answers["drelu"] == 0.0 and grade(zero, {"drelu": "0"}).parts["drelu"].status == "correct"
    assert zero.mistakes["drelu"]["relu_no_mask"] == 3.0  # dout passed on although x = -1 <= 0
    assert grade(zero, {"drelu": "3"}).parts["drelu"].misconception["id"] == "relu_no_mask"


# --------------------------------------------------------------------------- code-fill
EXPECTED_VERDICTS = {
    ("MulLayer", "dx"): ["match", "mismatch", "mismatch", "mismatch"],
    ("MulLayer", "dy"): ["match", "mismatch", "mismatch", "mismatch"],
    ("AddLayer", "dx"): ["match", "mismatch", "mismatch", "mismatch"],
    ("AddLayer", "dy"): ["match", "mismatch", "mismatch", "mismatch"],
    ("Relu", "mask"): ["match", "mismatch", "mismatch", "mismatch"],
    ("Sigmoid", "dx"): ["match", "mismatch", "mismatch", "mismatch", "mismatch"],
    # X (4, 3), W (3, 2), dout (4, 2): a misplaced transpose is an error or the wrong shape
    ("Affine", "dx"): ["match", "error", "shape", "error"],
    ("Affine", "dW"): ["match", "error", "shape", "error"],
    ("Affine", "db"): ["match", "mismatch", "shape", "shape"],
    ("SoftmaxWithLoss", "dx"): ["match", "mismatch", "mismatch", "mismatch"],
}


def test_each_candidate_line_against_the_engine():
    assert set(EXPECTED_VERDICTS) == set(codefill.VARIANTS)
    rng = np.random.default_rng(2024)
    for key, variant in codefill.VARIANTS.items():
        verdicts = codefill.verify(variant, rng)
        assert [verdicts[o.text] for o in variant.options] == EXPECTED_VERDICTS[key], key
        assert all(o.text in codefill.CANDIDATES for o in variant.options)


def test_candidate_functions_compute_what_the_lines_say():
    s = type("State", (), {})()
    s.x, s.y = np.array(3.0), np.array(5.0)
    assert codefill.CANDIDATES["dout * self.y"](s, 2.0) == 10.0
    assert codefill.CANDIDATES["dout * self.x"](s, 2.0) == 6.0
    s.mask = np.array([True, False])
    dout = np.array([4.0, 7.0])
    np.testing.assert_array_equal(codefill.CANDIDATES["dout[self.mask] = 0"](s, dout), [0.0, 7.0])
    np.testing.assert_array_equal(codefill.CANDIDATES["dout[~self.mask] = 0"](s, dout), [4.0, 0.0])
    np.testing.assert_array_equal(dout, [4.0, 7.0])  # the caller's dout is left alone
    s.y, s.t, s.batch_size = np.array([[0.2, 0.8]]), np.array([[0.0, 1.0]]), 2
    np.testing.assert_allclose(codefill.CANDIDATES["(self.y - self.t) / batch_size"](s, 1), [[0.1, -0.1]])


def test_a_variant_whose_designated_answer_is_wrong_is_rejected():
    v = codefill.VARIANTS[("MulLayer", "dx")]
    swapped = codefill.Variant(v.layer, v.blank, v.line, (v.options[1], v.options[0], *v.options[2:]),
                               v.forward, v.backward)
    with pytest.raises(Rejected, match="candidate_check"):
        codefill.verify(swapped, np.random.default_rng(0))
    add = codefill.VARIANTS[("AddLayer", "dx")]
    twins = codefill.Variant(add.layer, add.blank, add.line, (*add.options, codefill.Option("dout", None, add.options[0].why)),
                             add.forward, add.backward)  # "dout" and "dout * 1" are the same line
    with pytest.raises(Rejected, match="candidate_check"):
        codefill.verify(twins, np.random.default_rng(0))
    repeated = codefill.Variant(v.layer, v.blank, v.line, (*v.options, v.options[1]), v.forward, v.backward)
    unknown = codefill.Variant(v.layer, v.blank, v.line, (*v.options, codefill.Option("x.grad", None, v.options[0].why)),
                               v.forward, v.backward)
    for bad in (repeated, unknown):
        with pytest.raises(Rejected, match="bad_variant"):
            codefill.verify(bad, np.random.default_rng(0))


def test_candidates_are_never_evaluated_as_code():
    for module in (codefill, codefill_lines):
        source = pathlib.Path(module.__file__).read_text(encoding="utf-8")
        assert "eval(" not in source and "exec(" not in source and "compile(" not in source


@pytest.mark.parametrize("layer,blank", sorted(codefill.VARIANTS))
def test_code_fill_exercise_for_every_variant(layer, blank):
    ex = generate("layer-backward-code-fill", seed=3, params={"layer": layer, "blank": blank})
    variant = codefill.VARIANTS[(layer, blank)]
    ja = ex.statement["ja"]
    assert "```python\n" in ja and ja.rstrip().endswith("```") and "____" in ja
    assert variant.line not in ja  # the answer is blanked out
    options = [c["ja"] for c in ex.part("blank").choices]
    assert sorted(options) == sorted(o.text for o in variant.options)
    assert options[ex.answers["blank"]] == variant.options[0].text
    for o in variant.options[1:]:
        if o.misconception in MISCONCEPTIONS:
            index = ex.mistakes["blank"][o.misconception]
            assert options[index] == o.text
            assert grade(ex, {"blank": str(index)}).parts["blank"].misconception["id"] == o.misconception
    assert [c["verdict"] for c in ex.solution["checks"]].count("match") == 1
    assert grade(ex, {"blank": str(ex.answers["blank"])}).score == 1.0
    assert variant.line in ex.explanation["ja"]


def test_code_fill_named_distractors():
    ex = generate("layer-backward-code-fill", seed=0, params={"layer": "SoftmaxWithLoss"})
    options = [c["en"] for c in ex.part("blank").choices]
    assert options[ex.mistakes["blank"]["softmax_no_n"]] == "self.y - self.t"
    assert options[ex.mistakes["blank"]["residual_reversed"]] == "(self.t - self.y) / batch_size"
    ex = generate("layer-backward-code-fill", seed=0, params={"layer": "Affine", "blank": "db"})
    options = [c["en"] for c in ex.part("blank").choices]
    assert options[ex.mistakes["blank"]["db_averaged"]] == "np.mean(dout, axis=0)"
    assert options[ex.mistakes["blank"]["db_wrong_axis"]] == "np.sum(dout, axis=1)"


@pytest.mark.parametrize(("slug", "params"), [
    ("affine-gradient-shapes", {"N": 10**400, "D": 2, "M": 3}),
    ("sigmoid-relu-backward", {"x": [10**400, 1.0, 2.0], "dout": [1.0, 1.0, 1.0]}),
])
def test_integers_too_large_for_a_float_are_invalid_params_not_a_crash(slug, params):
    with pytest.raises(ParamsError) as info:
        generate(slug, params=params)
    assert len(info.value.message("en")) < 200
