"""Canonical text and LaTeX."""
import math
import re

import pytest
from hypothesis import assume, given, settings

from exercises.expr import Binary, Const, Limits, Name, Num, Unary, free_names, parse, render
from exercises.expr import evaluate, to_latex

from .expr_trees import trees


@pytest.mark.parametrize("text, canonical", [
    ("2x(x+1)^2", "2*x*(x + 1)^2"),
    ("x-(y-z)", "x - (y - z)"),
    ("x-(y+z)", "x - (y + z)"),
    ("(x-y)-z", "x - y - z"),
    ("x/(y*z)", "x/(y*z)"),
    ("x*(y/z)", "x*(y/z)"),
    ("(x^y)^z", "(x^y)^z"),
    ("x^(y^z)", "x^y^z"),
    ("(-x)^2", "(-x)^2"),
    ("-(x^2)", "-x^2"),
    ("-(x*y)", "-(x*y)"),
    ("(-x)*y", "-x*y"),
    ("x - -y", "x - (-y)"),
    ("x*-y", "x*(-y)"),
    ("-(-x)", "-(-x)"),
    ("2^-1", "2^-1"),
    ("x^(-y*z)", "x^(-y*z)"),
    ("ln(x)", "log(x)"),
    ("1e-4 x", "0.0001*x"),
    ("3.0", "3"),
    ("1e15", "1000000000000000"),
    ("1.5e-7", "1.5e-07"),
    ("2 pi e", "2*pi*e"),
])
def test_render_is_canonical_with_minimal_parentheses(text, canonical):
    assert render(parse(text)) == canonical


@pytest.mark.parametrize("tree, text", [
    # 2*e - 4 written as "2e-4" would read back as the literal 0.0002.
    (Binary("-", Binary("*", Num(2.0), Const("e")), Num(4.0)), "2*e - 4"),
    (Unary("-", Num(1e-05)), "-1e-05"),
    (Binary("^", Num(1e-05), Num(2.0)), "1e-05^2"),
    (Binary("*", Num(2.0), Name("e1")), "2*e1"),
])
def test_render_never_glues_tokens_together(tree, text):
    assert render(tree) == text
    assert parse(text) == tree


def _exponents_within_limits(tree) -> bool:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Binary):
            if node.op == "^" and not free_names(node.right):
                value = float(evaluate(node.right, {}))
                if not (math.isfinite(value) and abs(value) <= 100):
                    return False
            stack += [node.left, node.right]
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif hasattr(node, "arg"):
            stack.append(node.arg)
    return True


@settings(max_examples=500)
@given(trees())
def test_parse_of_render_gives_back_the_same_tree(tree):
    assume(tree.height <= 50 and tree.size <= 500 and _exponents_within_limits(tree))
    assert parse(render(tree)) == tree


@settings(max_examples=200)
@given(trees(max_leaves=60))
def test_render_round_trips_at_the_depth_limit_itself(tree):
    assume(_exponents_within_limits(tree))
    limits = Limits(max_depth=max(tree.height, 1), max_nodes=tree.size, max_length=10_000)
    assert parse(render(tree), limits=limits) == tree


@pytest.mark.parametrize("text, latex", [
    ("2x(x+1)^2", r"2 x \left(x + 1\right)^{2}"),
    ("1/(1+exp(-x))", r"\frac{1}{1 + e^{-x}}"),
    ("sigmoid(x)", r"\sigma\left(x\right)"),
    ("relu(x)", r"\mathrm{ReLU}\left(x\right)"),
    ("sqrt(x^2+1)", r"\sqrt{x^{2} + 1}"),
    ("abs(x)", r"\left|x\right|"),
    ("sin(x)cos(x)", r"\sin\left(x\right) \cos\left(x\right)"),
    ("tanh(x)", r"\tanh\left(x\right)"),
    ("ln(x)", r"\log\left(x\right)"),
    ("2pi", r"2 \pi"),
    ("e^x", r"e^{x}"),
    ("exp(x)^2", r"\left(e^{x}\right)^{2}"),
    ("3*4", r"3 \cdot 4"),
    ("x*2", r"x \cdot 2"),
    ("2*(1/2)", r"2 \cdot \frac{1}{2}"),
    ("x^-1", r"x^{-1}"),
    ("-x^2", r"-x^{2}"),
    ("(-x)^2", r"\left(-x\right)^{2}"),
    ("x - (y - z)", r"x - \left(y - z\right)"),
    ("x + (y - z)", r"x + y - z"),
    ("x*(-y)", r"x \left(-y\right)"),
    ("x*(-y*z)", r"x \left(-y z\right)"),
    ("-(-x*y)", r"-\left(-x y\right)"),
    ("(x+y)^2", r"\left(x + y\right)^{2}"),
    ("apple*apple_num*tax", r"\mathrm{apple} \cdot \mathrm{apple\_num} \cdot \mathrm{tax}"),
    ("W1 x_2", r"W_{1} x_{2}"),
    ("alpha*theta1", r"\alpha \theta_{1}"),
    ("1e-5 x", r"1 \times 10^{-5} x"),
    ("(1e-5)^2", r"\left(1 \times 10^{-5}\right)^{2}"),
])
def test_latex_for_display(text, latex):
    assert to_latex(parse(text)) == latex


@given(trees())
def test_latex_braces_are_balanced(tree):
    latex = to_latex(tree)
    assert latex.count("{") == latex.count("}")
    assert latex.count(r"\left") == latex.count(r"\right")


@given(trees())
def test_two_signs_never_meet_in_text_or_latex(tree):
    # "x - -y" or "2 \cdot -3" would be legal but hard to read: a bracket goes between.
    for text in (render(tree), to_latex(tree)):
        assert not re.search(r"[-+]\s*[-+]", text), text
