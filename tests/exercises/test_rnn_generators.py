"""rnn-bptt-scalar, rnn-gradient-vanishing, grad-clipping-global-norm and lstm-forget-gate:
numbers worked out by hand here (independently of the generators' code), every misconception
named when a learner types its answer, explicit parameters refused."""
import math

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.generators.rnn_clip import book_clip_grads, clip_engine
from exercises.grading import reference_answers

BPTT = {"wh": 0.5, "wx": 1, "b": 0, "x": [1, -1, 0.5], "y": 0.5}
VANISH = {"w": 0.5, "x": [1, -1, 0.5], "h0": 0, "N": 20}
CLIP = {"gradients": [[3, 4], [12]], "max_norm": 2}
LSTM = {"c_prev": [1, -2], "f": [0.5, 0.8], "i": [0.2, 0.6], "g": [0.5, -0.5], "o": [0.5, 0.5],
        "dc_next": [2, -1], "dh_next": [0, 0]}


def vec(values) -> str:
    return ", ".join(repr(float(v)) for v in values)


def named(ex, pid, text):
    part = grade(ex, {pid: text}).parts[pid]
    assert part.status == "incorrect", (pid, text)
    return part.misconception["id"] if part.misconception else None


def choice_of(ex, pid, en_start: str) -> int:
    return next(k for k, c in enumerate(ex.part(pid).choices) if c["en"].startswith(en_start))


# --------------------------------------------------------------------------- BPTT
def bptt_by_hand(wh, wx, b, x, y):
    h1 = math.tanh(wx * x[0] + b)
    h2 = math.tanh(wh * h1 + wx * x[1] + b)
    h3 = math.tanh(wh * h2 + wx * x[2] + b)
    d3 = (h3 - y) * (1 - h3 ** 2)
    d2 = d3 * wh * (1 - h2 ** 2)
    d1 = d2 * wh * (1 - h1 ** 2)
    return (h1, h2, h3), (d1, d2, d3)


def test_bptt_hidden_states_and_gradients_by_hand():
    ex = generate("rnn-bptt-scalar", params=BPTT)
    (h1, h2, h3), (d1, d2, d3) = bptt_by_hand(0.5, 1, 0, [1, -1, 0.5], 0.5)
    assert h1 == pytest.approx(0.7615941559557649)  # tanh(1)
    assert ex.answers["h"].values == pytest.approx((h1, h2, h3), rel=1e-12)
    assert ex.answers["terms"].values == pytest.approx((d2 * h1, d3 * h2), rel=1e-9)  # t = 2, 3 (t = 1: h0 = 0)
    assert ex.answers["dwh"] == pytest.approx(d2 * h1 + d3 * h2, rel=1e-9) == pytest.approx(0.0756845, rel=1e-5)
    assert ex.answers["dwx"] == pytest.approx(d1 * 1 + d2 * -1 + d3 * 0.5, rel=1e-9)
    answers = {"h": "0.762, -0.551, 0.221", "terms": "-0.0704, 0.146", "dwh": "0.0757", "dwx": "-0.0596"}
    assert grade(ex, answers).score == 1.0
    assert ex.part("h").kind == "ordered" and ex.part("terms").shape == (2,)


def test_bptt_misconceptions_are_named():
    ex = generate("rnn-bptt-scalar", params=BPTT)
    (h1, h2, h3), (d1, d2, d3) = bptt_by_hand(0.5, 1, 0, [1, -1, 0.5], 0.5)
    assert named(ex, "dwh", repr(d3 * h2)) == "bptt_last_step_only"
    assert named(ex, "dwx", repr(d3 * 0.5)) == "bptt_last_step_only"
    assert named(ex, "dwx", repr(d1 * 1)) == "bptt_not_summed"          # grads overwritten: the t = 1 term is left
    # tanh' taken as 1 - a² with the pre-activations a_t
    a1, a2, a3 = 1.0, 0.5 * h1 - 1, 0.5 * h2 + 0.5
    e3 = (h3 - 0.5) * (1 - a3 ** 2)
    e2 = e3 * 0.5 * (1 - a2 ** 2)
    e1 = e2 * 0.5 * (1 - a1 ** 2)
    assert named(ex, "dwh", repr(e2 * h1 + e3 * h2)) == "tanh_from_x"
    assert named(ex, "dwx", repr(e1 - e2 + 0.5 * e3)) == "tanh_from_x"
    assert named(ex, "terms", vec([e2 * h1, e3 * h2])) == "tanh_from_x"
    assert named(ex, "dwh", "1") is None


def test_bptt_hidden_states_carry_the_learners_own_error_forward():
    ex = generate("rnn-bptt-scalar", params=BPTT)
    wrong_h1 = 0.7
    h2 = math.tanh(0.5 * wrong_h1 - 1)
    h3 = math.tanh(0.5 * h2 + 0.5)
    result = grade(ex, {"h": vec([wrong_h1, h2, h3])}).parts["h"]
    assert result.status == "incorrect" and result.score == pytest.approx(2 / 3)


@pytest.mark.parametrize("params", [
    {**BPTT, "wx": 0}, {**BPTT, "x": [1, 2, 3, 4, 5]}, {**BPTT, "b": "0"}, {**BPTT, "y": 4}, {**BPTT, "h0": 1},
])
def test_bptt_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("rnn-bptt-scalar", params=params)


# --------------------------------------------------------------------------- vanishing / exploding
def test_vanishing_factor_is_the_product_of_w_tanh_prime_by_hand():
    ex = generate("rnn-gradient-vanishing", params=VANISH)
    h1 = math.tanh(1.0)
    h2 = math.tanh(0.5 * h1 - 1)
    h3 = math.tanh(0.5 * h2 + 0.5)
    local = [0.5 * (1 - h ** 2) for h in (h1, h2, h3)]
    assert ex.answers["factor"] == pytest.approx(local[0] * local[1] * local[2], rel=1e-9)
    assert ex.answers["long"] == pytest.approx(0.5 ** 20) == pytest.approx(9.5367e-7, rel=1e-4)
    assert named(ex, "factor", repr(sum(local))) == "vanishing_product_as_sum"
    assert named(ex, "factor", "0.125") == "vanishing_tanh_ignored"     # w^3
    assert named(ex, "long", "10") == "vanishing_product_as_sum"         # N·w
    assert ex.part("regime").choices[ex.answers["regime"]]["en"].startswith("It shrinks exponentially")
    assert ex.part("remedy").choices[ex.answers["remedy"]]["en"].startswith("Switch to a gated RNN")
    clipping = choice_of(ex, "remedy", "Use gradient clipping")
    assert named(ex, "remedy", str(clipping)) == "clipping_for_vanishing"
    assert grade(ex, {"factor": "0.0348", "long": "9.54e-7", "regime": str(ex.answers["regime"]),
                      "remedy": str(ex.answers["remedy"])}).score == 1.0


def test_exploding_gradients_call_for_clipping():
    ex = generate("rnn-gradient-vanishing", params={**VANISH, "w": 2, "N": 10})
    assert ex.answers["long"] == 1024.0
    assert ex.part("regime").choices[ex.answers["regime"]]["en"].startswith("It grows exponentially")
    assert ex.part("remedy").choices[ex.answers["remedy"]]["en"] == "Use gradient clipping"
    gates = choice_of(ex, "remedy", "Gates (LSTM, GRU)")
    assert named(ex, "remedy", str(gates)) == "gating_for_exploding"


@pytest.mark.parametrize("params", [
    {**VANISH, "w": -1}, {**VANISH, "w": 0.95}, {**VANISH, "w": 3, "N": 100}, {**VANISH, "N": 5},
    {**VANISH, "x": [1, 2, "3"]},
])
def test_vanishing_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("rnn-gradient-vanishing", params=params)


# --------------------------------------------------------------------------- gradient clipping
def test_clip_grads_by_hand():
    ex = generate("grad-clipping-global-norm", params=CLIP)
    # total_norm = sqrt(9 + 16 + 144) = 13, rate = 2 / 13
    assert ex.answers["norm"] == pytest.approx(13.0)
    assert ex.answers["rate"] == pytest.approx(2 / 13, rel=1e-6)
    assert ex.answers["g0"].values == pytest.approx((6 / 13, 8 / 13), rel=1e-6)
    assert ex.answers["g1"].values == pytest.approx((24 / 13,), rel=1e-6)
    assert ex.part("clips").choices[ex.answers["clips"]]["en"].startswith("The global norm exceeds max_norm")
    answers = {"norm": "13", "rate": "0.154", "clips": str(ex.answers["clips"]), "g0": "0.462, 0.615", "g1": "1.85"}
    assert grade(ex, answers).score == 1.0


def test_clip_grads_misconceptions_are_named():
    ex = generate("grad-clipping-global-norm", params=CLIP)
    assert named(ex, "norm", "169") == "clip_norm_not_sqrt"
    assert named(ex, "rate", repr(2 / 169)) == "clip_norm_not_sqrt"
    assert named(ex, "g0", "1.2, 1.6") == "clip_per_array"               # [3, 4] · 2/5
    assert named(ex, "g0", "2, 2") == "clip_elementwise"                 # np.clip(g, -2, 2)
    assert named(ex, "g0", vec([6 / 169, 8 / 169])) == "clip_norm_not_sqrt"
    assert named(ex, "g1", "2") in {"clip_per_array", "clip_elementwise"}  # both give 2 here
    for mid, start in (("clip_per_array", "Only the arrays"), ("clip_elementwise", "Only the elements")):
        assert named(ex, "clips", str(choice_of(ex, "clips", start))) == mid


def test_no_clipping_below_the_threshold_asks_no_arrays():
    ex = generate("grad-clipping-global-norm", params={**CLIP, "max_norm": 20})
    assert [p.id for p in ex.parts] == ["norm", "rate", "clips"]
    assert ex.answers["rate"] == pytest.approx(20 / 13, rel=1e-6)
    assert ex.part("clips").choices[ex.answers["clips"]]["en"].startswith("The global norm is at most max_norm")


def test_the_books_clip_grads_matches_the_engine():
    grads = [np.array([1.0, -2.0]), np.array([2.0, 0.5, 3.0])]
    norm, rate, clipped = clip_engine(grads, 1.5)
    copies = [g.copy() for g in grads]
    book_clip_grads(copies, 1.5)
    assert norm == pytest.approx(math.sqrt(1 + 4 + 4 + 0.25 + 9))
    assert all(np.allclose(a, b) for a, b in zip(clipped, copies))
    assert np.linalg.norm(np.concatenate(copies)) == pytest.approx(1.5, rel=1e-5)


@pytest.mark.parametrize("params", [
    {**CLIP, "max_norm": -1}, {**CLIP, "gradients": [[1, 2], [3], [4], [5]]}, {**CLIP, "gradients": [[1, "2"], [3]]},
    {**CLIP, "extra": 1},
])
def test_clipping_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("grad-clipping-global-norm", params=params)


# --------------------------------------------------------------------------- LSTM
def test_lstm_cell_backward_without_dh_by_hand():
    ex = generate("lstm-forget-gate", params=LSTM)
    assert [p.id for p in ex.parts] == ["dc_prev", "df", "di", "dg"]     # ds = dc_t when dh_t = 0
    assert ex.answers["dc_prev"].values == pytest.approx((1.0, -0.8))   # [2, -1] ⊙ f
    assert ex.answers["df"].values == pytest.approx((2.0, 2.0))         # ⊙ c_prev
    assert ex.answers["di"].values == pytest.approx((1.0, 0.5))         # ⊙ g
    assert ex.answers["dg"].values == pytest.approx((0.4, -0.6))        # ⊙ i
    assert named(ex, "dc_prev", "2, -1") == "lstm_dc_not_times_f"
    assert named(ex, "dc_prev", "0.4, -0.6") == "lstm_gate_swapped"     # ⊙ i
    assert named(ex, "dc_prev", "2, 2") == "mul_no_swap"                # ⊙ c_prev, its own factor
    assert named(ex, "dg", "1, -0.8") == "lstm_gate_swapped"            # ⊙ f
    assert named(ex, "df", "1, 0.5") == "lstm_gate_swapped"             # ⊙ g
    assert grade(ex, reference_answers(ex)).score == 1.0


def test_lstm_with_dh_adds_the_path_through_h():
    ex = generate("lstm-forget-gate", params={**LSTM, "dh_next": [1, -1]})
    c = np.array([0.5 * 1 + 0.2 * 0.5, 0.8 * -2 + 0.6 * -0.5])           # [0.6, -1.9]
    ds = np.array([2, -1]) + np.array([1, -1]) * 0.5 * (1 - np.tanh(c) ** 2)
    assert ex.answers["ds"].values == pytest.approx(tuple(ds), rel=1e-9)
    assert ex.answers["dc_prev"].values == pytest.approx(tuple(ds * [0.5, 0.8]), rel=1e-9)
    assert named(ex, "ds", "2, -1") == "lstm_dh_path_dropped"
    assert named(ex, "dc_prev", "1, -0.8") == "lstm_dh_path_dropped"
    wrong = np.array([2, -1]) + np.array([1, -1]) * 0.5 * (1 - c ** 2)   # tanh' as 1 - c²
    assert named(ex, "ds", vec(wrong)) == "tanh_from_x"


@pytest.mark.parametrize("params", [
    {**LSTM, "f": [0, 0.5]}, {**LSTM, "o": [0.5, 1.5]}, {**LSTM, "g": [0.5]}, {**LSTM, "c_prev": [1, 2, 3, 4]},
    {k: v for k, v in LSTM.items() if k != "o"},
])
def test_lstm_refuses_bad_params(params):
    with pytest.raises(ParamsError):
        generate("lstm-forget-gate", params=params)
