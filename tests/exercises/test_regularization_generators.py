"""weight-decay-gradient and dropout-forward-backward: numbers checked by hand, every
misconception named when a learner types its answer, explicit parameters refused, and (as the
shared generator tests do for number parts) 30 seeds graded, rebuilt and compared."""
import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.generators.dropout import GivenDraws
from exercises.grading import reference_answers
from exercises.misconceptions import MISCONCEPTIONS

L2 = {"penalty": "l2", "W": [[1, 2], [3, 4]], "dW_data": [[0.5, -0.5], [0.2, 0.1]], "lam": 0.1, "lr": 0.1}
L1 = {"penalty": "l1", "W": [1, -2, 0.5], "dW_data": [0.1, 0.2, -0.3], "lam": 0.1, "lr": 0.5}
DROP = {"x": [1, -2, 3, 0.5], "mask": [1, 0, 1, 1], "dout": [0.5, 1, -1, 2], "ratio": 0.5}


def matrix_text(rows) -> str:
    return "; ".join(", ".join(repr(float(v)) for v in row) for row in rows)


def vector_text(values) -> str:
    return ", ".join(repr(float(v)) for v in values)


def named(ex, pid, text):
    part = grade(ex, {pid: text}).parts[pid]
    assert part.status == "incorrect", (pid, text)
    return part.misconception["id"] if part.misconception else None


# --------------------------------------------------------------------------- weight decay
def test_l2_weight_decay_adds_lambda_w_by_hand():
    ex = generate("weight-decay-gradient", params=L2)
    # ½ · 0.1 · (1 + 4 + 9 + 16) = 1.5; λW = [[0.1, 0.2], [0.3, 0.4]]
    assert ex.answers["penalty"] == pytest.approx(1.5)
    assert np.allclose(ex.answers["dw"].values, [[0.6, -0.3], [0.5, 0.5]])
    assert np.allclose(np.asarray(ex.answers["dw"].values) - np.asarray(L2["dW_data"]), [[0.1, 0.2], [0.3, 0.4]])
    assert np.allclose(ex.answers["w_new"].values, [[0.94, 2.03], [2.95, 3.95]])
    assert ex.part("dw").kind == "matrix" and ex.part("dw").shape == (2, 2)
    assert grade(ex, {"penalty": "1.5", "dw": "[[0.6, -0.3], [0.5, 0.5]]", "w_new": "0.94, 2.03; 2.95, 3.95"}).score == 1.0


def test_l2_misconceptions_are_named():
    ex = generate("weight-decay-gradient", params=L2)
    assert named(ex, "penalty", "3") == "l2_factor_two"          # λ‖W‖², the ½ dropped
    assert named(ex, "penalty", "1") == "l2_as_l1"               # 0.1 · (1 + 2 + 3 + 4)
    assert named(ex, "dw", "0.7, -0.1; 0.8, 0.9") == "l2_factor_two"          # + 2λW
    assert named(ex, "dw", "0.55, -0.4; 0.35, 0.3") == "l2_half_lambda"       # + ½λW
    assert named(ex, "dw", "0.5, -0.5; 0.2, 0.1") == "weight_decay_forgotten"
    assert named(ex, "dw", "0.6, -0.4; 0.3, 0.2") == "l2_as_l1"               # + λ sign(W)
    assert named(ex, "w_new", "0.95, 2.05; 2.98, 3.99") == "weight_decay_forgotten"
    assert named(ex, "w_new", "1.06, 1.97; 3.05, 4.05") == "update_wrong_sign"
    assert named(ex, "w_new", "0.4, 2.3; 2.5, 3.5") == "update_no_lr"
    assert named(ex, "dw", "1, 1; 1, 1") is None


def test_l1_gradient_is_lambda_sign_w_by_hand():
    ex = generate("weight-decay-gradient", params=L1)
    assert ex.answers["penalty"] == pytest.approx(0.35)           # 0.1 · (1 + 2 + 0.5)
    assert np.allclose(ex.answers["dw"].values, [0.2, 0.1, -0.2])  # G + 0.1 · [1, -1, 1]
    assert np.allclose(ex.answers["w_new"].values, [0.9, -2.05, 0.6])
    assert ex.part("dw").kind == "vector" and ex.part("dw").shape == (3,)
    assert named(ex, "dw", "0.2, 0, -0.25") == "l1_as_l2"          # G + λW
    assert named(ex, "dw", "0.1, 0.2, -0.3") == "weight_decay_forgotten"
    assert named(ex, "penalty", "0.2625") == "l1_as_l2"            # ½ · 0.1 · 5.25
    assert "l2_factor_two" not in ex.mistakes["dw"]


@pytest.mark.parametrize("params", [
    {**L2, "penalty": "ridge"}, {**L1, "W": [1, 0, 2]}, {**L2, "dW_data": [0.1, 0.2]}, {**L2, "lam": -0.1},
    {**L2, "lr": 0}, {**L2, "W": [[1, "2"], [3, 4]]}, {**L2, "extra": 1},
])
def test_weight_decay_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("weight-decay-gradient", params=params)


# --------------------------------------------------------------------------- dropout
def test_dropout_by_hand_with_the_books_layer():
    ex = generate("dropout-forward-backward", params=DROP)
    assert ex.answers["train"].values == (1.0, 0.0, 3.0, 0.5)     # x * mask
    assert ex.answers["dx"].values == (0.5, 0.0, -1.0, 2.0)       # dout * mask
    assert ex.answers["test"].values == (0.5, -1.0, 1.5, 0.25)    # x * (1 - 0.5)
    assert ex.answers["inverted"].values == (2.0, 0.0, 6.0, 1.0)  # x * mask / (1 - 0.5)
    assert "[True, False, True, True]" in ex.statement["ja"]
    assert "dropout_ratio_as_keep" not in ex.mistakes["test"]     # ratio = 1 - ratio at 0.5


def test_dropout_misconceptions_are_named():
    ex = generate("dropout-forward-backward", params={**DROP, "ratio": 0.2})
    assert np.allclose(ex.answers["test"].values, [0.8, -1.6, 2.4, 0.4])
    assert np.allclose(ex.answers["inverted"].values, [1.25, 0, 3.75, 0.625])
    assert named(ex, "dx", "0.5, 1, -1, 2") == "dropout_no_mask_backward"
    assert named(ex, "dx", "0.625, 0, -1.25, 2.5") == "dropout_scaling_confused"
    assert named(ex, "test", "1, -2, 3, 0.5") == "dropout_test_unscaled"
    assert named(ex, "test", "1.25, -2.5, 3.75, 0.625") == "dropout_scaling_confused"
    assert named(ex, "test", "0.2, -0.4, 0.6, 0.1") == "dropout_ratio_as_keep"
    assert named(ex, "inverted", "0.8, 0, 2.4, 0.4") == "dropout_scaling_confused"
    assert named(ex, "inverted", "5, 0, 15, 2.5") == "dropout_ratio_as_keep"
    assert named(ex, "inverted", "1, 0, 3, 0.5") == "dropout_inverted_unscaled"
    assert named(ex, "train", "1.25, 0, 3.75, 0.625") == "dropout_scaling_confused"


def test_the_given_mask_is_what_the_layers_draws_give_back():
    for ratio in (0.05, 0.3, 0.5, 0.95):
        mask = np.array([True, False, False, True])
        assert np.array_equal(GivenDraws(mask).random((4,)) > ratio, mask)


@pytest.mark.parametrize("params", [
    {**DROP, "mask": [1, 0, 1]}, {**DROP, "mask": [0] * 4}, {**DROP, "mask": [True, False, True, True]},
    {**DROP, "ratio": 0}, {**DROP, "dout": [1, 2]}, {k: v for k, v in DROP.items() if k != "ratio"},
])
def test_dropout_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("dropout-forward-backward", params=params)


# --------------------------------------------------------------------------- every seed
@pytest.mark.parametrize("slug", ["weight-decay-gradient", "dropout-forward-backward"])
def test_thirty_seeds_grade_rebuild_and_name_their_mistakes(slug):
    for seed in range(30):
        ex = generate(slug, seed=seed)
        assert grade(ex, reference_answers(ex)).score == 1.0, seed
        again = generate(slug, seed=seed, params=ex.params)
        assert again.public() == ex.public() and again.answers == ex.answers and again.mistakes == ex.mistakes
        for pid, found in ex.mistakes.items():
            kind = ex.part(pid).kind
            for mid, wrong in found.items():
                assert mid in MISCONCEPTIONS
                text = (matrix_text(wrong) if kind == "matrix" else vector_text(wrong)) if kind != "value" else repr(wrong)
                got = named(ex, pid, text)
                same = {m for m, v in found.items() if np.allclose(v, wrong, rtol=0, atol=1e-9)}
                assert got in same, (seed, pid, mid, got)
