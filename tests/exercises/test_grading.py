"""Grading: numbers as learners type them, formulas by value, guided steps with error
carried forward, and misconceptions named."""
import pytest

from exercises import generate, grade
from exercises.generation import generate_from
from exercises.grading.answers import AnswerFormatError, parse_number
from exercises.template_source import from_yaml
from tests.exercises.conftest import dump

CANONICAL = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}
RIGHT = {"price": "715", "d_apple": "2.2", "d_apple_num": "110", "d_orange": "3.3",
         "d_orange_num": "165", "d_tax": "650"}


@pytest.fixture(scope="module")
def shopping():
    return generate("shopping-apple-orange", params=CANONICAL)


@pytest.mark.parametrize("text,value", [
    ("715", 715), ("７１５", 715), ("11/5", 2.2), ("１１／５", 2.2), ("2*1.1", 2.2), ("2×1.1", 2.2),
    ("−0.5", -0.5), ("-.5", -0.5), ("1e-3", 0.001), ("1,000", 1000), (" 3.3 ", 3.3), ("(1+1)^3", 8),
])
def test_numbers_as_learners_type_them(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("text", ["abc", "1/0", "2..5", "x+1", "1" * 300, "__import__('os')", "9^9^9^9", "1,2,3,,"])
def test_unreadable_numbers_are_format_errors(text):
    with pytest.raises(AnswerFormatError) as info:
        parse_number(text)
    assert info.value.message_ja and info.value.message_en


def test_all_right_scores_one(shopping):
    result = grade(shopping, RIGHT)
    assert result.valid and result.score == 1.0
    assert all(p.status == "correct" for p in result.parts.values())


def test_partial_credit_and_unanswered_parts(shopping):
    result = grade(shopping, {"price": "715", "d_apple": "2.2"})
    assert result.valid and result.score == pytest.approx(2 / 6)
    assert result.parts["d_tax"].status == "unanswered" and result.parts["d_tax"].expected == "650"


def test_a_format_error_is_reported_and_the_submission_is_not_valid(shopping):
    result = grade(shopping, {**RIGHT, "d_apple": "2.2円"})
    assert not result.valid and result.score == 0.0
    part = result.parts["d_apple"]
    assert part.status == "invalid" and part.error["ja"] and "^" in part.error["caret"]


@pytest.mark.parametrize("answers", [None, [], "715", {"price": ["715"]}, {"price": {"a": 1}}, {"price": 715}])
def test_wrong_payload_shapes_never_crash(shopping, answers):
    result = grade(shopping, answers)
    assert 0.0 <= result.score <= 1.0


def test_tolerance_follows_the_stated_precision(shopping):
    assert grade(shopping, {"d_apple": "2.204"}).parts["d_apple"].status == "correct"
    assert grade(shopping, {"d_apple": "2.21"}).parts["d_apple"].status == "incorrect"


def test_forgotten_tax_is_named(shopping):
    part = grade(shopping, {"d_apple": "2"}).parts["d_apple"]
    assert part.status == "incorrect"
    assert part.misconception["id"] == "tax_forgotten"
    assert "税" in part.misconception["name"]["ja"] and part.misconception["explanation"]["en"]


def test_mul_node_without_swap_is_named(shopping):
    # d price / d apple_num with the inputs not swapped: 1.1 * apple_num... computed by the engine
    wrong = shopping.mistakes["d_apple_num"]["mul_no_swap"]
    part = grade(shopping, {"d_apple_num": repr(wrong)}).parts["d_apple_num"]
    assert part.misconception["id"] == "mul_no_swap"


def test_a_wrong_answer_that_is_no_known_mistake_names_nothing(shopping):
    assert grade(shopping, {"d_apple": "7.7"}).parts["d_apple"].misconception is None


FORMULA = {
    "slug": "test-formula", "family": "chain-rule", "difficulty": 1, "topics": ["chain-rule"],
    "title": {"ja": "t", "en": "t"}, "statement": {"ja": "s", "en": "s"},
    "params": {"x": {"min": 0.1, "max": 2, "step": 0.1}},
    "nodes": {"a": "x^2", "b": "exp(a)", "y": "b^2"},
    "parts": [{"id": "f", "kind": "formula", "wrt": "x", "answer": "4x exp(2x^2)"},
              {"id": "g", "kind": "guided", "precision": {"sig": 4}}],
}


@pytest.fixture(scope="module")
def composite():
    return generate_from(from_yaml(dump(FORMULA)), params={"x": 0.5})


@pytest.mark.parametrize("answer", ["4x exp(2x^2)", "4*x*e^(2*x^2)", "2x exp(x^2)*2exp(x^2)", "4x(exp(x^2))^2",
                                    "４ｘ・ｅｘｐ（２ｘ＾２）"])
def test_equivalent_forms_of_a_formula_are_accepted(composite, answer):
    assert grade(composite, {"f": answer}).parts["f"].status == "correct"


@pytest.mark.parametrize("answer", ["2x exp(2x^2)", "4x exp(x^2)", "exp(2x^2)"])
def test_wrong_formulas_are_rejected(composite, answer):
    assert grade(composite, {"f": answer}).parts["f"].status == "incorrect"


def test_formula_with_an_unknown_name_is_a_format_error(composite):
    part = grade(composite, {"f": "4y exp(2y^2)"}).parts["f"]
    assert part.status == "invalid" and "y" in part.error["ja"]


def test_formula_undefined_at_most_points_is_wrong_not_a_crash(composite):
    assert grade(composite, {"f": "log(x - 100)"}).parts["f"].status == "incorrect"


def guided_answers(ex, overrides=None):
    key = ex.answers["g"]
    answers = {f"g.{s}": repr(v) for s, v in key.grads.items()}
    answers.update(overrides or {})
    return answers


def test_guided_steps_from_output_back(composite):
    key = composite.answers["g"]
    assert key.steps == ("b", "a", "x")
    result = grade(composite, guided_answers(composite))
    assert result.parts["g"].score == 1.0


def test_guided_error_is_carried_forward(composite):
    key = composite.answers["g"]
    wrong_b = key.grads["b"] * 2  # the learner doubles dy/db...
    answers = guided_answers(composite, {"g.b": repr(wrong_b),
                                         "g.a": repr(wrong_b * key.consumers["a"][0][1])})
    steps = grade(composite, answers).parts["g"].steps
    assert steps["b"]["status"] == "incorrect"
    assert steps["a"]["status"] == "correct"  # right given the learner's own dy/db
    assert steps["x"]["status"] == "correct"  # the true dy/dx is right, whatever came before


def test_guided_step_neither_true_nor_carried_is_wrong(composite):
    key = composite.answers["g"]
    wrong_b = key.grads["b"] * 2
    answers = guided_answers(composite, {"g.b": repr(wrong_b), "g.a": repr(wrong_b * key.consumers["a"][0][1]),
                                         "g.x": repr(key.grads["x"] * 3)})
    assert grade(composite, answers).parts["g"].steps["x"]["status"] == "incorrect"


def test_zeros_carried_down_earn_nothing(composite):
    result = grade(composite, {k: "0" for k in guided_answers(composite)})
    assert result.parts["g"].score == 0.0


def test_guided_with_a_missing_step_is_a_format_error(composite):
    answers = guided_answers(composite)
    del answers["g.a"]
    assert grade(composite, answers).parts["g"].status == "invalid"


def test_a_choice_built_from_a_declared_mistake_names_it():
    from exercises.generation import generate_from
    data = {**FORMULA, "parts": [{"id": "c", "kind": "choice", "correct": 0,
                                  "choices": [{"ja": "y(1-y)", "en": "y(1-y)"}, {"ja": "x(1-x)", "en": "x(1-x)"}],
                                  "mistakes": {"sigmoid_from_x": 1}}]}
    ex = generate_from(from_yaml(dump(data)), params={"x": 0.5})
    part = grade(ex, {"c": "1"}).parts["c"]
    assert part.status == "incorrect" and part.misconception["id"] == "sigmoid_from_x"
    assert grade(ex, {"c": "0"}).parts["c"].status == "correct"


@pytest.mark.parametrize("text", ["715", "-2.2", ".5", "2.", "+3", "1e-3", "6.02E+2", "0", "999999999999999"])
def test_plain_numbers_read_the_same_as_through_the_expression_parser(text):
    from exercises.expr import evaluate, parse
    assert parse_number(text) == float(evaluate(parse(text), {}))


@pytest.mark.parametrize("text", ["²", "٣", "1.0", "-1", "99999"])
def test_choice_answers_other_than_ascii_option_numbers_are_format_errors(text):
    from exercises.grading.answers import parse_choice
    with pytest.raises(AnswerFormatError):
        parse_choice(text, 4)


def test_a_superscript_choice_answer_is_reported_not_a_crash():
    ex = generate("act-relu-mask-backward", seed=5)
    part = grade(ex, {"mask": "²"}).parts["mask"]
    assert part.status == "invalid" and part.error["en"]
