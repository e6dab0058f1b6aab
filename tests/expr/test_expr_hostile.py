"""Hostile input: every one ends in an ExprError with a stable code, quickly, never a crash."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.expr import ExprError, Limits, parse, render
from exercises.expr.limits import MAX_DEPTH_CAP

NESTED = "(" * 10000 + "x" + ")" * 10000


@pytest.mark.parametrize("text, code", [
    ("9^9^9^9", "exponent_too_large"),
    ("9**9**9**9", "exponent_too_large"),
    ("2^2^2^2^2", "exponent_too_large"),   # 2^65536
    ("(1e15)^(1e15)", "exponent_too_large"),
    (NESTED, "too_long"),
    ("x" * 1_000_000, "too_long"),
    ("1" * 400, "number_too_large"),
    ("\x00", "invalid_character"),
    ("x\u202e", "invalid_character"),
    ("x\u200b+1", "invalid_character"),
    ("x\ny", "invalid_character"),
    ("foo(x)", "unknown_function"),
    ("eval(x)", "unknown_function"),
    ("__import__('os')", "invalid_name"),
    ("x.__class__", "invalid_character"),
    ("'a'", "invalid_character"),
    ('"a"', "invalid_character"),
    ("x; import os", "invalid_character"),
    ("lambda: 1", "invalid_character"),
    ("[x]", "invalid_character"),
    ("x @ y", "invalid_character"),
    ("", "empty"),
    ("   ", "empty"),
    ("\u3000", "empty"),
])
def test_hostile_input_is_rejected_with_a_code(text, code):
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.code == code


def test_ten_thousand_nested_parentheses_are_too_deep_not_a_recursion_error():
    with pytest.raises(ExprError) as info:
        parse(NESTED, limits=Limits(max_length=100_000))
    assert (info.value.code, info.value.position) == ("too_deep", 50)


@pytest.mark.parametrize("text", [
    "-" * 10000 + "x", "x^" * 5000 + "x", "sin(" * 5000 + "x" + ")" * 5000,
    "+".join(["x"] * 5000), "x" + "*(x" * 5000 + ")" * 5000,
])
def test_long_chains_are_too_deep_not_a_recursion_error(text):
    with pytest.raises(ExprError) as info:
        parse(text, limits=Limits(max_length=100_000, max_nodes=100_000))
    assert info.value.code == "too_deep"


def test_many_nodes_are_rejected_before_the_depth_limit():
    with pytest.raises(ExprError) as info:
        parse("+".join(["(x*y)"] * 40), limits=Limits(max_nodes=100))
    assert info.value.code == "too_many_nodes"


def test_the_deepest_allowed_expression_parses_inside_a_deep_call_stack():
    # Callers (Flask, pytest) already use part of the stack; the cap leaves room for them.
    limits = Limits(max_depth=MAX_DEPTH_CAP, max_length=10_000)
    depth = MAX_DEPTH_CAP - 1
    text = "sin(-" * (depth // 2) + "x" + ")" * (depth // 2)

    def nested_call(n):
        return nested_call(n - 1) if n else parse(render(parse(text, limits=limits)), limits=limits)

    assert nested_call(300) == parse(text, limits=limits)


def test_limits_refuse_a_depth_that_could_exhaust_the_stack():
    with pytest.raises(ValueError):
        Limits(max_depth=MAX_DEPTH_CAP + 1)
    with pytest.raises(ValueError):
        Limits(max_length=0)


def test_parse_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        parse(b"x+1")


ALPHABET = st.sampled_from(list("0123456789.eExyz_+-*/^() ") + [
    "sin", "ln", "pi", "**", "\u2212", "×", "（", "）", "²", "π", "ー", "\x00", "é", "1e-4"])


@settings(max_examples=400)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_any_text_parses_or_raises_expr_error(text):
    try:
        tree = parse(text)
    except ExprError as error:
        assert error.code and error.message_ja and error.message_en
        assert error.position is None or 0 <= error.position <= len(text)
    else:
        assert parse(render(tree)) == tree


@given(st.text(max_size=60))
def test_any_unicode_parses_or_raises_expr_error(text):
    try:
        parse(text)
    except ExprError as error:
        assert error.position is None or 0 <= error.position <= len(text)
        error.caret()
