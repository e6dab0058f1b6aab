"""leaky-relu-gelu, softmax-temperature-stability, regression-losses and classification-losses:
numbers checked by hand (the book's cross-entropy examples among them), every misconception named
when a learner types its answer, explicit parameters refused."""
import math

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.generators.activations_more import EXP_MAX, EXP_MIN, nan_rows, predicted_nan

LEAKY = {"x": [2, -1, 0.5, -3], "dout": [0.5, 2, -1, 3], "slope": 0.1, "z": 1}
SOFT = {"x": [1, 2, 3], "T": 2, "batch": [[1000, 1001, 1002], [1, 2, 3], [-1000, -1001, -999]]}
REG = {"y": [1.5, 0, 3], "t": [1, 1, 1]}
BOOK_ROW = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]   # ゼロから作るDeep Learning 4.2.2
BOOK_ROW2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
CLS = {"a": [1, -0.5], "tb": [1, 0], "y": [BOOK_ROW, BOOK_ROW2], "labels": [2, 2]}


def named(ex, pid, text):
    part = grade(ex, {pid: text}).parts[pid]
    assert part.status == "incorrect", (pid, text)
    return part.misconception["id"] if part.misconception else None


def option(ex, pid, english):
    return str([c["en"] for c in ex.part(pid).choices].index(english))


# --------------------------------------------------------------------------- leaky ReLU, GELU
def test_leaky_relu_and_gelu_by_hand():
    ex = generate("leaky-relu-gelu", params=LEAKY)
    assert np.allclose(ex.answers["leaky_y"].values, [2, -0.1, 0.5, -0.3])   # αx where x ≤ 0
    assert np.allclose(ex.answers["leaky_dx"].values, [0.5, 0.2, -1, 0.3])
    cdf1, pdf1 = 0.5 * (1 + math.erf(1 / math.sqrt(2))), math.exp(-0.5) / math.sqrt(2 * math.pi)
    assert ex.answers["gelu"] == pytest.approx(cdf1) == pytest.approx(0.8413447461)
    assert ex.answers["gelu_tanh"] == pytest.approx(0.8411919906)
    assert ex.answers["dgelu"] == pytest.approx(cdf1 + pdf1) == pytest.approx(1.0833154706)
    assert grade(ex, {"leaky_y": "2, -0.1, 0.5, -0.3", "leaky_dx": "0.5, 0.2, -1, 0.3", "gelu": "0.84134",
                      "gelu_tanh": "0.84119", "dgelu": "1.08332"}).score == 1.0


def test_leaky_relu_and_gelu_misconceptions_are_named():
    ex = generate("leaky-relu-gelu", params=LEAKY)
    assert named(ex, "leaky_y", "2, 0, 0.5, 0") == "leaky_relu_slope_forgotten"
    assert named(ex, "leaky_dx", "0.5, 0, -1, 0") == "leaky_relu_slope_forgotten"
    assert named(ex, "leaky_dx", "1, 0.1, 1, 0.1") == "dropped_upstream"
    assert named(ex, "gelu", "0.84119") == "gelu_approx_confused"
    assert named(ex, "gelu_tanh", "0.84134") == "gelu_approx_confused"
    assert named(ex, "dgelu", "1.08296") == "gelu_approx_confused"
    assert named(ex, "dgelu", "0.84134") == "gelu_product_rule_forgotten"
    assert named(ex, "dgelu", "1.2") is None


# --------------------------------------------------------------------------- softmax
def test_softmax_with_temperature_and_stability_by_hand():
    ex = generate("softmax-temperature-stability", params=SOFT)
    e = np.exp([0.5, 1.0, 1.5])
    assert np.allclose(ex.answers["y_temp"].values, e / e.sum()) and np.allclose(ex.answers["y_temp"].values, [0.18632, 0.30720, 0.50648], atol=1e-5)
    assert ex.params["lse_row"] == 0                       # the first row that overflows
    assert ex.answers["lse"] == pytest.approx(1002 + math.log(1 + math.exp(-1) + math.exp(-2)))  # 1002.4076
    assert ex.answers["naive"] == int(option(ex, "naive", "Rows 0 and 2 only"))        # inf/inf and 0/0
    assert ex.answers["batch_max"] == int(option(ex, "batch_max", "Rows 1 and 2 only"))  # 1 - 1002 underflows
    assert "softmax_naive" in ex.statement["ja"] and "np.max(x)" in ex.statement["en"]


def test_softmax_misconceptions_are_named():
    ex = generate("softmax-temperature-stability", params=SOFT)
    assert named(ex, "y_temp", "0.0159, 0.1173, 0.8668") == "temperature_multiplied"    # softmax([2, 4, 6])
    assert named(ex, "lse", "0.4076") == "logsumexp_max_not_added_back"
    assert named(ex, "naive", option(ex, "naive", "Row 0 only")) == "softmax_underflow_ignored"
    assert named(ex, "naive", option(ex, "naive", "No row")) == "wrong_choice"
    assert named(ex, "batch_max", option(ex, "batch_max", "No row")) == "softmax_max_per_batch"


def test_nan_rows_follow_the_float64_limits_of_exp():
    assert EXP_MAX == pytest.approx(709.7827, abs=1e-4) and EXP_MIN == pytest.approx(-745.1332, abs=1e-4)
    batch = np.array([[710.0, 0, 0], [709.5, 709.5, 709.5], [-745.2, -800, -900], [-745.0, -800, -900]])
    none = np.zeros((4, 1))
    # exp(710) = inf: nan; 3·exp(709.5) overflows the sum only: zeros, no nan; exp(-745.2) = 0: 0/0
    assert nan_rows(batch, none) == predicted_nan(batch, none) == (0, 2)
    assert nan_rows(batch, np.max(batch, axis=1, keepdims=True)) == ()


# --------------------------------------------------------------------------- regression
def test_regression_losses_by_hand():
    ex = generate("regression-losses", params=REG)     # y - t = [0.5, -1, 2], N = 3
    assert ex.answers["mse"] == pytest.approx(1.75) and ex.answers["sse"] == pytest.approx(2.625)
    assert ex.answers["mae"] == pytest.approx(3.5 / 3)
    assert np.allclose(ex.answers["dmse"].values, [1 / 3, -2 / 3, 4 / 3])
    assert np.allclose(ex.answers["dsse"].values, [0.5, -1, 2])
    assert np.allclose(ex.answers["dmae"].values, [1 / 3, -1 / 3, 1 / 3])
    assert grade(ex, {"mse": "1.75", "dmse": "0.3333, -0.6667, 1.3333", "sse": "2.63", "dsse": "0.5, -1, 2",
                      "mae": "1.17", "dmae": "1/3, -1/3, 1/3"}).score == 1.0


def test_regression_misconceptions_are_named():
    ex = generate("regression-losses", params=REG)
    assert named(ex, "mse", "5.25") == "mse_no_mean"
    assert named(ex, "dmse", "1, -2, 4") == "mse_no_mean"
    assert named(ex, "dmse", "-0.3333, 0.6667, -1.3333") == "residual_reversed"
    assert named(ex, "dmse", "0.1667, -0.3333, 0.6667") == "power_rule_no_factor"
    assert named(ex, "dsse", "0.25, -0.5, 1") == "mse_half_factor_kept"
    assert named(ex, "dsse", "-0.5, 1, -2") == "residual_reversed"
    assert named(ex, "mae", "3.5") == "mse_no_mean"
    assert named(ex, "dmae", "0.1667, -0.3333, 0.6667") == "mae_gradient_as_residual"
    assert named(ex, "dmae", "1, -1, 1") == "mse_no_mean"
    assert named(ex, "dmae", "-0.3333, 0.3333, -0.3333") == "residual_reversed"


# --------------------------------------------------------------------------- classification
def test_the_books_cross_entropy_examples():
    ex = generate("classification-losses", params=CLS)
    # the book: 0.510825457099338 (t = 2 at 0.6) and 2.302584092994546 (t = 2 at 0.1); here their mean
    assert ex.answers["ce"] == pytest.approx((0.510825457099338 + 2.302584092994546) / 2)
    ex0 = generate("classification-losses", params={**CLS, "labels": [2, 3]})   # y[1, 3] = 0: δ gives -log(1e-7)
    assert ex0.answers["ce"] == pytest.approx((0.510825457099338 - math.log(1e-7)) / 2)
    assert ex.answers["same"] == int(option(ex, "same", "The same value"))
    assert np.allclose(ex.answers["dx_sum"].values, np.array([BOOK_ROW, BOOK_ROW2]) - np.eye(10)[[2, 2]])
    assert np.allclose(ex.answers["dx_mean"].values, np.asarray(ex.answers["dx_sum"].values) / 2)
    assert ex.answers["dx_mean"].values[0][3] == 0.0   # y = 0 gives exactly 0, no 1e-300 left over
    assert ex.part("dx_mean").kind == "matrix" and ex.part("dx_mean").shape == (2, 10)


def test_binary_cross_entropy_by_hand():
    ex = generate("classification-losses", params=CLS)
    s = 1 / (1 + np.exp(-np.array([1.0, -0.5])))
    assert ex.answers["bce"] == pytest.approx(-(math.log(s[0]) + math.log(1 - s[1])) / 2) == pytest.approx(0.393669, abs=1e-6)
    assert np.allclose(ex.answers["dbce"].values, [(s[0] - 1) / 2, s[1] / 2])   # (σ(a) - t)/N


def test_classification_misconceptions_are_named():
    ex = generate("classification-losses", params=CLS)
    assert named(ex, "bce", "-0.394") == "bce_sign_error"
    assert named(ex, "bce", "1.14") == "ce_log_of_wrong_class"        # log(1 - y) for t = 1, log y for t = 0
    assert named(ex, "bce", "0.787") == "ce_no_mean"
    assert named(ex, "dbce", "-0.2689, 0.3775") == "ce_no_mean"
    assert named(ex, "dbce", "0.1345, -0.1888") == "residual_reversed"
    assert named(ex, "dbce", "-0.0264, 0.0444") == "extra_sigmoid_derivative"
    assert named(ex, "ce", "0.511") == "ce_log_of_wrong_class"         # row 1's largest output, class 7
    assert named(ex, "ce", "2.81") == "ce_no_mean"
    assert named(ex, "same", option(ex, "same", "C times the one-hot value (every class's log is added)")) == "wrong_choice"
    y, hot = np.array([BOOK_ROW, BOOK_ROW2]), np.eye(10)[[2, 2]]
    matrix = lambda m: "; ".join(", ".join(repr(float(v)) for v in row) for row in m)  # noqa: E731
    assert named(ex, "dx_mean", matrix(y - hot)) == "softmax_no_n"
    assert named(ex, "dx_mean", matrix((hot - y) / 2)) == "residual_reversed"
    assert named(ex, "dx_sum", matrix((y - hot) / 2)) == "ce_reduction_confused"
    assert named(ex, "dx_sum", matrix(hot - y)) == "residual_reversed"


# --------------------------------------------------------------------------- params
@pytest.mark.parametrize("slug, params", [
    ("leaky-relu-gelu", {**LEAKY, "x": [2, 0, -1]}), ("leaky-relu-gelu", {**LEAKY, "slope": 0}),
    ("leaky-relu-gelu", {**LEAKY, "extra": 1}),
    ("softmax-temperature-stability", {**SOFT, "T": 0}), ("softmax-temperature-stability", {**SOFT, "lse_row": -1}),
    ("softmax-temperature-stability", {**SOFT, "x": [1, 2]}),
    ("regression-losses", {"y": [1, 2], "t": [1, 3]}), ("regression-losses", {"y": [1, 2]}),
    ("classification-losses", {**CLS, "y": [[0.5, 0.5, 0.1], [0.2, 0.8, 0.0]]}),
    ("classification-losses", {**CLS, "labels": [2, 10]}), ("classification-losses", {**CLS, "a": [1, -0.5, 2]}),
])
def test_bad_params_are_refused(slug, params):
    with pytest.raises(ParamsError):
        generate(slug, params=params)
