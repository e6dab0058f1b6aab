"""The cnn family: numbers checked by hand (the book's output-size example among them), every
misconception named when the learner types its answer, and wrong parameters refused."""
from fractions import Fraction

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError
from exercises.generators.cnn import reads_last_row

BOOK = {"N": 2, "C": 3, "H": 28, "W": 31, "FN": 4, "FH": 5, "FW": 5, "P": 2, "S": 3,  # ゼロから作る 7.2.4, 例 3
        "fit_H": 7, "fit_F": 3, "fit_options": [[1, 2], [0, 3], [2, 3], [1, 4]]}
CONV = {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "W": [[1, 2], [3, 4]], "b": 1, "dout": [[2, -1], [1, 3]],
        "y_at": [0, 0], "dw_at": [0, 0], "dx_at": [[1, 1], [0, 0]]}
POOL = {"x": [[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 1, 1], [7, 1, 3, 9]], "dout": [[1, 2], [3, 4]]}


def named(ex, pid, answer):
    part = grade(ex, {pid: answer}).parts[pid]
    assert part.status == "incorrect"
    return part.misconception["id"] if part.misconception else None


# --------------------------------------------------------------------------- conv-output-size
def test_the_books_output_size_example():
    ex = generate("conv-output-size", params=BOOK)
    assert ex.answers["out_shape"].values == (2, 4, 10, 11)  # (28 + 4 - 5)/3 + 1, (31 + 4 - 5)/3 + 1
    assert ex.answers["col_shape"].values == (2 * 10 * 11, 75) and ex.answers["w_shape"].values == (75, 4)
    assert grade(ex, {"out_shape": "2, 4, 10, 11", "col_shape": "220, 75", "w_shape": "75, 4", "fits": "0"}).score == 1.0
    assert named(ex, "out_shape", "2, 4, 9, 10") == "conv_size_no_plus_one"
    assert named(ex, "out_shape", "2, 4, 28, 31") == "conv_size_stride_ignored"  # 28 + 4 - 5 + 1
    assert named(ex, "out_shape", "2, 3, 10, 11") == "conv_out_channels_as_input"
    assert named(ex, "col_shape", "75, 220") == "im2col_shape_transposed"
    assert named(ex, "w_shape", "4, 75") == "conv_filter_matrix_not_transposed"
    assert "conv_size_pad_once" not in ex.mistakes["out_shape"]  # (28 + 2 - 5)/3 is no whole number


def test_padding_counted_once_is_named_where_it_gives_whole_sizes():
    ex = generate("conv-output-size", params={**BOOK, "H": 10, "W": 10, "FH": 3, "FW": 3, "P": 2, "S": 1})
    assert ex.answers["out_shape"].values == (2, 4, 12, 12)
    assert named(ex, "out_shape", "2, 4, 10, 10") == "conv_size_pad_once"
    assert named(ex, "out_shape", "2, 4, 11, 11") == "conv_size_no_plus_one"
    assert "conv_size_stride_ignored" not in ex.mistakes["out_shape"]  # S = 1 divides by nothing


def test_the_setting_that_divides_and_the_pad_once_distractor():
    ex = generate("conv-output-size", params=BOOK)
    # H = 7, FH = 3: P=1,S=2 gives 6/2; P=0,S=3 gives 4/3; P=2,S=3 gives 8/3 (6/3 with P once); P=1,S=4 gives 6/4.
    assert ex.answers["fits"] == 0 and ex.mistakes["fits"] == {"conv_size_pad_once": 2}
    assert named(ex, "fits", "2") == "conv_size_pad_once"
    assert named(ex, "fits", "1") is None


def test_drawn_settings_have_one_dividing_option_and_distractors_that_do_not():
    for seed in range(40):
        ex = generate("conv-output-size", seed=seed)
        h, f = ex.params["fit_H"], ex.params["fit_F"]
        divides = [Fraction(h + 2 * p - f, s).denominator == 1 for p, s in ex.params["fit_options"]]
        assert divides.count(True) == 1 and divides.index(True) == ex.answers["fits"]
        assert "conv_size_pad_once" in ex.mistakes["fits"]
        oh, ow = ex.answers["out_shape"].values[2:]
        assert oh > 1 and ow > 1


def test_the_engine_col2im_tells_a_setting_that_does_not_divide():
    assert reads_last_row(7, 3, 1, 2) and not reads_last_row(7, 3, 0, 3)
    assert reads_last_row(13, 2, 2, 3) and not reads_last_row(13, 2, 1, 3)  # stride > kernel leaves gaps inside


# --------------------------------------------------------------------------- conv-forward-backward
def test_conv_numbers_checked_by_hand():
    ex = generate("conv-forward-backward", params=CONV)
    # y[0,0] = 1·1 + 2·2 + 4·3 + 5·4 + 1; dW[0,0] = 2·1 − 1·2 + 1·4 + 3·5; dx[1,1] = 2·4 − 1·3 + 1·2 + 3·1; dx[0,0] = 2·1
    assert ex.answers == {"y": 38, "dw": 19, "dx_1": 10, "dx_2": 2}
    assert grade(ex, {"y": "38", "dw": "19", "dx_1": "10", "dx_2": "2"}).score == 1.0
    assert named(ex, "y", "24") == "conv_filter_flipped"             # [[1,2],[4,5]] · [[4,3],[2,1]] + 1
    assert named(ex, "dw", "2") == "conv_dw_not_summed"              # dout[0,0]·x[0,0] only
    assert named(ex, "dx_1", "15") == "conv_dx_filter_not_flipped"   # 2·1 − 1·2 + 1·3 + 3·4
    assert named(ex, "dx_2", "8") == "conv_dx_filter_not_flipped"    # dout[0,0]·W[1,1]


def test_conv_drawn_answers_are_new_numbers():
    for seed in range(30):
        ex = generate("conv-forward-backward", seed=seed)
        given = {0, 1, ex.params["b"], *np.ravel(ex.params["x"]), *np.ravel(ex.params["W"]), *np.ravel(ex.params["dout"])}
        assert not given & set(ex.answers.values()), (seed, ex.answers)
        assert all(ex.mistakes[pid] for pid in ex.answers), seed  # every part names its mistake


# --------------------------------------------------------------------------- pooling-backward
def test_pooling_numbers_checked_by_hand():
    ex = generate("pooling-backward", params=POOL)
    assert ex.answers["dx_max"].values == ((0, 1, 0, 0), (0, 0, 2, 0), (0, 0, 0, 0), (3, 0, 0, 4))
    assert ex.answers["dx_avg"].values == ((0.25, 0.25, 0.5, 0.5),) * 2 + ((0.75, 0.75, 1, 1),) * 2
    spread = "1, 1, 2, 2; 1, 1, 2, 2; 3, 3, 4, 4; 3, 3, 4, 4"
    quarter = "0.25, 0.25, 0.5, 0.5; 0.25, 0.25, 0.5, 0.5; 0.75, 0.75, 1, 1; 0.75, 0.75, 1, 1"
    assert named(ex, "dx_max", spread) == "maxpool_grad_everywhere"
    assert named(ex, "dx_max", quarter) == "maxpool_grad_averaged"
    assert named(ex, "dx_avg", spread) == "avgpool_not_divided"
    assert grade(ex, {"dx_max": "0, 1, 0, 0; 0, 0, 2, 0; 0, 0, 0, 0; 3, 0, 0, 4", "dx_avg": quarter}).score == 1.0


@pytest.mark.parametrize("slug, params", [
    ("pooling-backward", {**POOL, "x": [[1, 5, 2, 0], [5, 4, 8, 1], [0, 2, 1, 1], [7, 1, 3, 9]]}),  # 5 twice in a window
    ("conv-forward-backward", {**CONV, "dw_at": [2, 0]}),                                           # dW is 2×2
    ("conv-output-size", {**BOOK, "fit_options": [[1, 2], [0, 3], [2, 3], [1, 2]]}),                 # the same twice
    ("conv-output-size", {**BOOK, "N": 100, "C": 64, "H": 253, "W": 253}),                          # too large to verify
])
def test_wrong_params_are_refused(slug, params):
    with pytest.raises(ParamsError):
        generate(slug, params=params)
