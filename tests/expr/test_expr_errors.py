"""Errors: stable codes, positions into the typed text, a caret, Japanese first."""
import pickle
import re
from pathlib import Path

import pytest

from exercises.expr import ExprError, parse
from exercises.expr.messages import MESSAGES

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def error_of(text, **kwargs) -> ExprError:
    with pytest.raises(ExprError) as info:
        parse(text, **kwargs)
    return info.value


@pytest.mark.parametrize("text, code, position", [
    ("", "empty", None),
    ("   ", "empty", None),
    ("(x+1", "unbalanced_parenthesis", 0),
    ("x*(y+(z)", "unbalanced_parenthesis", 2),
    ("x+1)", "unbalanced_parenthesis", 3),
    ("x+", "unexpected_end", 2),
    ("*x", "unexpected_token", 0),
    ("x^^2", "unexpected_token", 2),
    ("x***2", "unexpected_token", 3),
    ("()", "unexpected_token", 0),
    ("sin()", "unexpected_token", 3),
    ("2 3", "missing_operator", 2),
    ("(x+1)2", "missing_operator", 5),
    ("x 2", "missing_operator", 2),
    ("1/2x", "ambiguous_division", 3),
    ("x/y z", "ambiguous_division", 4),
    ("1/2 sin(x)", "ambiguous_division", 4),
    ("sin x", "function_needs_parenthesis", 0),
    ("2 + exp", "function_needs_parenthesis", 4),
    ("foo(x)", "unknown_function", 0),
    ("Sin(x)", "unknown_function", 0),
    ("1.2.3", "invalid_number", 0),
    ("x + 1..2", "invalid_number", 4),
    ("1e16", "number_too_large", 0),
    ("1e999", "number_too_large", 0),
    ("x^101", "exponent_too_large", 1),
    ("x^(2^7)", "exponent_too_large", 1),
    ("x^(1/0)", "exponent_too_large", 1),
    ("x^(0/0)", "exponent_too_large", 1),
    ("x & y", "invalid_character", 2),
    ("x\ty", "invalid_character", 1),
    ("_x", "invalid_name", 0),
])
def test_error_codes_and_positions(text, code, position):
    error = error_of(text)
    assert (error.code, error.position) == (code, position)


def test_a_constant_exponent_at_the_limit_is_accepted():
    for text in ["x^100", "x^-100", "x^(50*2)", "x^(10^2)"]:
        assert parse(text).op == "^"


def test_variable_exponents_are_not_limited():
    assert parse("2^(1000x)")


def test_message_names_the_column_in_japanese_and_english():
    error = error_of("(x+1")
    assert str(error) == error.message_ja == "1文字目: この ( に対応する閉じ括弧 ) が足りません"
    assert error.message_en == "column 1: this ( has no matching )"
    assert error.message() == error.message_ja
    assert error.message("en") == error.message_en


def test_caret_points_under_the_position():
    assert error_of("x + 1)").caret() == "x + 1)\n     ^"


def test_caret_after_the_last_character_for_an_unfinished_expression():
    assert error_of("x +").caret() == "x +\n   ^"


def test_caret_counts_full_width_characters_as_two_columns():
    error = error_of("２ｘ＋ｙ", names={"x"})
    assert error.caret() == "２ｘ＋ｙ\n      ^"


def test_caret_shows_invisible_characters_as_question_marks():
    assert error_of("x\u202e+1").caret() == "x?+1\n ^"


def test_caret_of_a_long_input_shows_a_window_around_the_position():
    text = "+".join(["x1"] * 40) + "+*"
    error = error_of(text)
    assert (error.code, error.position) == ("unexpected_token", len(text) - 1)
    lines = error.caret().split("\n")
    assert lines[0].startswith("…") and len(lines[0]) < 70
    assert lines[1].index("^") == lines[0].index("*")


def test_unknown_name_suggests_the_intended_spelling():
    assert "x*y" in error_of("xy", names={"x", "y"}).message_ja
    assert "sin(x)" in error_of("sinx", names={"x"}).message_ja
    assert "apple のことですか" in error_of("Apple", names={"apple"}).message_ja
    assert "使える変数: x, y" in error_of("z", names={"x", "y"}).message_ja


def test_unknown_function_suggests_the_lower_case_function():
    assert error_of("Exp(x)").message_en == (
        "column 1: there is no function called Exp (did you mean exp?)")


@pytest.mark.parametrize("text", [
    "", "(x", "x)", "x+", "2 3", "1/2x", "sin x", "foo(x)", "1.2.3", "1e99", "x^999", "x@",
    "\x00", "_x", "x" * 501, "(" * 60 + "x" + ")" * 60,
])
def test_every_message_is_japanese_by_default(text):
    error = error_of(text)
    assert JAPANESE.search(str(error)), str(error)
    assert not JAPANESE.search(error.message_en.replace(error.source or "", "")), error.message_en


def test_errors_survive_pickling_with_their_details():
    error = pickle.loads(pickle.dumps(error_of("(x+1")))
    assert (error.code, error.position, error.message_en) == (
        "unbalanced_parenthesis", 0, "column 1: this ( has no matching )")


def test_as_dict_is_what_an_api_returns():
    assert error_of("x+").as_dict("en") == {
        "code": "unexpected_end", "position": 2,
        "message": "column 3: the expression ends too early (a term is expected after '+')"}


def test_every_error_code_and_message_is_documented():
    text = (Path(__file__).parents[2] / "docs" / "expr.md").read_text(encoding="utf-8")
    for code, ja, en in MESSAGES.values():
        row = f"| {ja} | {en} |".replace(":g}", "}")
        assert f"| `{code}` |" in text and row in text, row
