"""A sceptical learner's probes of the grader, over every built-in template and many seeds
(hypothesis picks the template and the seed): a grade must mean what it says.

- numeric answers are numbers and arithmetic: a function call makes the grader do the work;
- a constant answer (0, 1 or a value the statement gives) everywhere scores no more than the
  share of answers whose right value it is: error carried forward gives no free credit;
- every recorded wrong method lies outside the part's tolerance of the right answer: a draw
  where it would not is redrawn (the misconception is never silently dropped);
- precision means what the prompt says: within half a unit of the last digit asked for is
  right (the correctly rounded answer too), 0.6 of a unit off is wrong;
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises import catalog, generate, grade
from exercises.answers import AnswerFormatError, parse_number
from exercises.grading import reference_answers
from exercises.grading.probes import (ARRAY_KINDS, constants, elements, filled, last_digit_unit, number_fields,
                                     share, step_status, typed_elements)
from exercises.spec import TemplateError, load_template
from exercises.template_source import from_yaml
from tests.exercises.answer_text import differs, typed
from tests.exercises.conftest import dump

SLUGS = [t.slug for t in catalog()]
PROBE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Every built-in template, any seed: hypothesis shrinks a failure to its template and seed.
drawn = given(ex=st.builds(lambda slug, seed: generate(slug, seed=seed), st.sampled_from(SLUGS),
                           st.integers(0, 2**32 - 1)))


@PROBE
@drawn
def test_a_constant_answer_earns_only_the_parts_it_is_right_for(ex):
    slug, seed = ex.slug, ex.seed
    right = reference_answers(ex)
    parts = {p.id: p for p in ex.parts}
    for constant in constants(ex):
        answers = {k: filled(parts[k.split(".")[0]], constant) for k in right}  # "0, 0, 0" in an array
        result = grade(ex, answers)
        unread = [p.id for p in ex.parts if p.kind in ARRAY_KINDS and result.parts[p.id].status == "invalid"]
        assert not unread, (slug, seed, constant, unread)  # an array read as one number would prove nothing
        assert result.score <= share(ex, right, constant) + 1e-6, (slug, seed, constant, result.score)


@PROBE
@drawn
def test_every_recorded_wrong_method_is_graded_wrong_and_named(ex):
    slug, seed = ex.slug, ex.seed
    right = reference_answers(ex)
    for part in ex.parts:
        if part.kind not in ("value", "gradient", "update", *ARRAY_KINDS):
            continue
        reference = ex.answers[part.id].values if part.kind in ARRAY_KINDS else float(ex.answers[part.id])
        for mid, wrong in ex.mistakes.get(part.id, {}).items():
            assert differs(part, wrong, reference), (slug, seed, part.id, mid)
            verdict = grade(ex, {**right, part.id: typed(part, wrong)}).parts[part.id]
            assert verdict.status == "incorrect" and verdict.misconception is not None, (slug, seed, part.id, mid)


@PROBE
@drawn
def test_precision_is_half_a_unit_of_the_last_digit_asked_for(ex):
    slug, seed = ex.slug, ex.seed
    right = reference_answers(ex)
    for field in number_fields(ex):
        part = ex.part(field.split(".")[0])
        reference = float(right[field])
        unit = last_digit_unit(part.precision, reference)
        if unit is None:
            continue
        for offset, ok in ((0.4, True), (-0.4, True), (0.6, False), (-0.6, False)):
            status = step_status(grade(ex, {**right, field: repr(reference + offset * unit)}), field)
            assert (status == "correct") == ok, (slug, seed, field, reference, offset)
        rounded = f"{reference:.{int(part.precision.value)}{'f' if part.precision.kind == 'decimals' else 'g'}}"
        status = step_status(grade(ex, {**right, field: rounded}), field)
        assert status == "correct", (slug, seed, field, reference, rounded)


@PROBE
@drawn
def test_every_element_of_an_array_answer_is_held_to_the_precision(ex):
    right = reference_answers(ex)
    for part in (p for p in ex.parts if p.kind in ARRAY_KINDS):
        values = elements(ex, part)
        for i, reference in enumerate(values):
            unit = last_digit_unit(part.precision, reference)
            if unit is None:  # significant figures of 0: no last digit to move
                continue
            for offset, ok in ((0.4, True), (-0.4, True), (0.6, False), (-0.6, False)):
                moved = [repr(v + offset * unit) if j == i else repr(v) for j, v in enumerate(values)]
                status = grade(ex, {**right, part.id: typed_elements(part, moved)}).parts[part.id].status
                assert (status == "correct") == ok, (ex.slug, ex.seed, part.id, i, offset)


@PROBE
@drawn
def test_a_function_call_is_an_invalid_answer_not_a_right_one(ex):
    slug, seed = ex.slug, ex.seed
    right = reference_answers(ex)
    for field in number_fields(ex):
        # abs() of the right value is the right value: only the function call is wrong.
        answers = {**right, field: f"abs({right[field]})"}
        result = grade(ex, answers)
        part = result.parts[field.split(".")[0]]
        assert not result.valid and part.status == "invalid", (slug, seed, field)
        assert "abs" in part.error["ja"] and "abs" in part.error["en"]


def test_numbers_and_arithmetic_are_still_read():
    for text, value in [("715", 715), ("１１／５", 2.2), ("2*1.1", 2.2), ("−0.5", -0.5), ("1,000", 1000),
                        ("e^2", 7.38905609893065), ("pi/4", 0.7853981633974483), ("(1-0.5)^2", 0.25)]:
        assert abs(parse_number(text) - value) < 1e-12, text


def test_function_calls_are_refused_with_a_clear_message_unless_allowed():
    for text in ("tanh(0.5)", "sigmoid(1)", "2*(1-tanh(0.5)^2)", "exp(1)", "ｓｉｎ（１）", "foo(2)"):
        try:
            parse_number(text)
        except AnswerFormatError as err:
            assert "使えません" in err.message_ja and "cannot be used" in err.message_en, text
            assert err.caret, text
        else:
            raise AssertionError(f"{text} was read as a number")
    assert abs(parse_number("tanh(0.5)", functions=True) - 0.46211715726000974) < 1e-12


def test_a_template_may_allow_functions_for_one_part(base):
    base["parts"][1]["functions"] = True
    ex = generate(from_yaml(dump(base)), params={"x": 3, "y": 4})
    assert ex.part("dx").public()["functions"] is True and "functions" not in ex.part("z").public()
    result = grade(ex, {"z": "abs(12)", "dx": "abs(4)"})
    assert result.parts["dx"].status == "correct" and result.parts["z"].status == "invalid"


def test_functions_is_a_yes_or_no_on_number_parts_only(base):
    base["parts"][0]["functions"] = "yes"
    base["parts"].append({"id": "c", "kind": "choice", "correct": 0, "prompt": {"ja": "?", "en": "?"}, "functions": True,
                          "choices": [{"ja": "a", "en": "a"}, {"ja": "b", "en": "b"}]})
    with pytest.raises(TemplateError) as info:
        load_template(dump(base))
    assert {(p.code, p.field) for p in info.value.problems} == {
        ("bad_functions", "parts[0].functions"), ("unknown_field", "parts[2].functions")}


# --- misconceptions that were missing --------------------------------------------------------

def test_a_branch_overwritten_in_x_plus_x_is_named_at_integer_precision(base):
    base["nodes"] = {"z": "x + x"}
    base["parts"] = [{"id": "dx", "kind": "gradient", "wrt": "x", "precision": {"decimals": 0}}]
    ex = generate(from_yaml(dump(base)), params={"x": 3, "y": 4})
    assert ex.mistakes["dx"]["fanout_overwritten"] == 1.0  # one branch of dz/dx = 2
    result = grade(ex, {"dx": "1"})
    assert result.parts["dx"].misconception["id"] == "fanout_overwritten"


@pytest.mark.parametrize("slug, params, answers, named", [
    ("numdiff-square-central-forward", {"x": 3, "h": 0.1}, {"central": "12"}, "central_over_h"),
    ("numdiff-cube-error-order", {"x": 2, "h": 0.1}, {"central": "24.02"}, "central_over_h"),
    ("shopping-apples-tax", {"apple": 100, "apple_num": 2, "tax": 1.1}, {"price": "200"}, "tax_forgotten"),
    ("shopping-apples-tax", {"apple": 100, "apple_num": 2, "tax": 1.1}, {"d_tax": "220"}, "dtax_total_price"),
    ("chain-sin-square", {"x": 0.7}, {"dy_dx": "0.882"}, "chain_inner_forgotten"),
    ("graph-paths-sum-over-paths", {"a": 3, "b": 2}, {"d_b": "3"}, "path_missed"),
    ("act-sigmoid-cross-entropy", {"u": 0, "t": 1}, {"du": "-0.125"}, "extra_sigmoid_derivative"),
    ("act-sigmoid-cross-entropy", {"u": 0, "t": 1}, {"du": "0.5"}, "residual_reversed"),
    ("act-sigmoid-cross-entropy", {"u": 0, "t": 1}, {"simple_form": "0"}, "extra_sigmoid_derivative"),
    ("graph-paths-sum-over-paths", {"a": 3, "b": 2}, {"d_b": "5"}, "fanout_overwritten"),
    ("sigmoid-relu-backward", {"x": [1.5, -1.0], "dout": [-0.5, 2.0], "y_at": 0, "sig_at": [0, 1], "relu_at": 0},
     {"drelu": "0"}, "relu_blocks_negative_dout"),
    ("softmax-cross-entropy-grad", {"x": [[0.0, 0.0, 0.6931471805599453], [1.0986122886681098, 0.0, 0.0]], "t": [2, 0],
                                    "y_at": [1, 0], "dx_at": [[1, 0], [1, 2]]}, {"dx_1": "0.2"}, "residual_reversed"),
    ("softmax-cross-entropy-grad", {"x": [[0.0, 0.0, 0.6931471805599453], [1.0986122886681098, 0.0, 0.0]], "t": [2, 0],
                                    "y_at": [1, 0], "dx_at": [[1, 0], [1, 2]]}, {"dx_1": "-0.1"}, "softmax_n_twice"),
])
def test_declared_wrong_methods_are_named_with_both_languages(slug, params, answers, named):
    ex = generate(slug, params=params)
    [(pid, _)] = answers.items()
    part = grade(ex, answers).parts[pid]
    assert part.status == "incorrect" and part.misconception["id"] == named
    assert part.misconception["name"]["ja"] and part.misconception["explanation"]["en"]


@pytest.mark.parametrize("slug, part, mistake", [
    ("act-sigmoid-node-backward", "dx", "dropped_upstream"),   # dout = 1 draws are redrawn
    ("act-tanh-node-backward", "dx", "dropped_upstream"),
    ("chain-sin-square", "dy_dx", "chain_inner_forgotten"),  # x = 0.5 draws are redrawn
])
def test_a_wrong_method_is_never_dropped_from_a_drawn_instance(slug, part, mistake):
    for seed in range(150):
        ex = generate(slug, seed=seed)
        assert mistake in ex.mistakes[part], (slug, seed, ex.params)


def test_affine_dw_with_w_or_the_column_vector_formula_is_named():
    ex = generate("affine-gradient-numbers", seed=0)
    X, W, dout = (np.asarray(ex.params[k], dtype=float) for k in ("X", "W", "dout"))
    (i, j) = ex.params["dw_at"][0]
    wrong = {"dw_uses_w": W @ dout if W.shape[1] == dout.shape[0] else None,
             "dw_dout_xt": dout @ X.T if dout.shape[1] == X.shape[1] else None}
    named = 0
    for mid, matrix in wrong.items():
        if matrix is None or mid not in ex.mistakes["dw_1"]:
            continue
        part = grade(ex, {"dw_1": repr(float(matrix[i, j]))}).parts["dw_1"]
        assert part.status == "incorrect" and part.misconception["id"] == mid
        named += 1
    assert named >= 1


def test_a_wrong_method_expression_is_validated_like_any_expression(base):
    base["parts"][1]["mistakes"] = {"mul_no_swap": "x * (y + "}
    base["parts"].append({"id": "dy", "kind": "gradient", "wrt": "y", "precision": {"decimals": 0},
                          "mistakes": {"mul_no_swap": "x * w", "sign_error": "nosuchnode"}})
    with pytest.raises(TemplateError) as info:
        load_template(dump(base))
    found = {(p.field, p.code) for p in info.value.problems}
    assert found == {("parts[1].mistakes.mul_no_swap", "expr_unexpected_end"),
                     ("parts[2].mistakes.mul_no_swap", "expr_unknown_name"),
                     ("parts[2].mistakes.sign_error", "unknown_reference")}
    caret = next(p.caret for p in info.value.problems if p.field == "parts[1].mistakes.mul_no_swap")
    assert caret and "^" in caret


def test_a_huge_wrong_method_expression_is_refused_by_the_template_limits(base):
    base["parts"][1]["mistakes"] = {"mul_no_swap": "+".join(["x"] * 5000)}
    with pytest.raises(TemplateError) as info:
        load_template(dump(base))
    assert any(p.field == "parts[1].mistakes.mul_no_swap" and p.code.startswith("expr_too")
               for p in info.value.problems)
