"""What the parser builds: precedence, associativity, implicit products, calls, numbers."""
import pytest

from exercises.expr import (
    FUNCTIONS, RESERVED_NAMES, Binary, Call, Const, ExprError, Name, Num, Unary, free_names, parse,
)

x, y, z = Name("x"), Name("y"), Name("z")


def add(a, b): return Binary("+", a, b)
def sub(a, b): return Binary("-", a, b)
def mul(a, b): return Binary("*", a, b)
def div(a, b): return Binary("/", a, b)
def pw(a, b): return Binary("^", a, b)
def neg(a): return Unary("-", a)


@pytest.mark.parametrize("text, tree", [
    ("x + y * z", add(x, mul(y, z))),
    ("x * y + z", add(mul(x, y), z)),
    ("x - y - z", sub(sub(x, y), z)),
    ("x / y / z", div(div(x, y), z)),
    ("x / y * z", mul(div(x, y), z)),
    ("x ^ y ^ z", pw(x, pw(y, z))),
    ("x ** y ** z", pw(x, pw(y, z))),
    ("-x^2", neg(pw(x, Num(2)))),
    ("(-x)^2", pw(neg(x), Num(2))),
    ("2^-1", pw(Num(2), neg(Num(1)))),
    ("2^-x^2", pw(Num(2), neg(pw(x, Num(2))))),
    ("-x*y", mul(neg(x), y)),
    ("-2x", mul(neg(Num(2)), x)),
    ("x*-y", mul(x, neg(y))),
    ("x - -y", sub(x, neg(y))),
    ("+x", Unary("+", x)),
    ("--x", neg(neg(x))),
    ("(x + y) * z", mul(add(x, y), z)),
    ("((x))", x),
])
def test_precedence_and_associativity(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text, tree", [
    ("2x", mul(Num(2), x)),
    ("2(x+1)", mul(Num(2), add(x, Num(1)))),
    ("(x+1)(x-1)", mul(add(x, Num(1)), sub(x, Num(1)))),
    ("2 sin(x)", mul(Num(2), Call("sin", x))),
    ("x y", mul(x, y)),
    ("2x y", mul(mul(Num(2), x), y)),
    ("2x^2", mul(Num(2), pw(x, Num(2)))),
    ("x^2 y", mul(pw(x, Num(2)), y)),
    ("x(y+1)", mul(x, add(y, Num(1)))),
    ("sin(x)cos(x)", mul(Call("sin", x), Call("cos", x))),
    ("2pi", mul(Num(2), Const("pi"))),
    ("2e", mul(Num(2), Const("e"))),
    ("e(x+1)", mul(Const("e"), add(x, Num(1)))),
    ("2x/3", div(mul(Num(2), x), Num(3))),
    ("(1/2)x", mul(div(Num(1), Num(2)), x)),
    ("1/2*x", mul(div(Num(1), Num(2)), x)),
    ("1/(2x)", div(Num(1), mul(Num(2), x))),
    ("1/2 + 3x", add(div(Num(1), Num(2)), mul(Num(3), x))),
])
def test_implicit_multiplication(text, tree):
    assert parse(text) == tree


def test_a_known_name_before_parenthesis_is_a_product_when_names_are_given():
    assert parse("rate(x+1)", names={"rate", "x"}) == mul(Name("rate"), add(x, Num(1)))


@pytest.mark.parametrize("text", ["xy", "x2", "apple_num", "sinx", "E", "e1", "pi2"])
def test_letters_run_together_form_one_name(text):
    assert parse(text) == Name(text)


@pytest.mark.parametrize("text, value", [
    ("3", 3.0), ("1.5", 1.5), ("1e-4", 1e-4), ("1E+3", 1000.0), (".5", 0.5), ("2.", 2.0),
    ("0.1", 0.1), ("1e15", 1e15), ("007", 7.0),
])
def test_number_literals(text, value):
    assert parse(text) == Num(value)


def test_an_e_without_digits_after_a_number_is_the_constant():
    assert parse("2e-x") == sub(mul(Num(2), Const("e")), x)
    assert parse("2e-4") == Num(2e-4)


@pytest.mark.parametrize("func", sorted(FUNCTIONS))
def test_every_function_is_a_call(func):
    assert parse(f"{func}(x)") == Call(func, x)


def test_ln_is_the_natural_log():
    assert parse("ln(x)") == parse("log(x)") == Call("log", x)


def test_constants_are_not_variables():
    tree = parse("pi*x + e")
    assert tree == add(mul(Const("pi"), x), Const("e"))
    assert free_names(tree) == {"x"}


def test_reserved_names_are_the_functions_and_constants():
    assert RESERVED_NAMES == FUNCTIONS | {"ln", "pi", "e"}


def test_names_may_not_include_reserved_names():
    with pytest.raises(ValueError, match="reserved"):
        parse("x", names={"x", "e"})


def test_names_must_be_a_collection_not_a_string():
    with pytest.raises(TypeError):
        parse("x", names="xy")


def test_limits_none_means_the_defaults():
    assert parse("x", limits=None) == x


def test_names_restrict_the_variables():
    assert parse("2x + y", names={"x", "y"}) == add(mul(Num(2), x), y)
    with pytest.raises(ExprError) as info:
        parse("2x + z", names={"x", "y"})
    assert (info.value.code, info.value.position) == ("unknown_name", 5)


def test_free_names_lists_each_variable_once():
    assert free_names(parse("x*y + sin(x)^apple_num - pi")) == {"x", "y", "apple_num"}


def test_trees_are_hashable_and_equal_by_value():
    assert hash(parse("2x(x+1)^2")) == hash(parse("2 * x * (x + 1) ^ 2"))
    assert len({parse("x+1"), parse("x + 1"), parse("1+x")}) == 2


def test_trees_are_immutable():
    tree = parse("x+1")
    with pytest.raises(AttributeError):
        tree.op = "-"


@pytest.mark.parametrize("make", [
    lambda: Num(-1.0), lambda: Num(-0.0), lambda: Num(float("inf")), lambda: Num(float("nan")),
    lambda: Name("1x"), lambda: Name("_x"), lambda: Name("pi"), lambda: Name("sin"),
    lambda: Const("tau"), lambda: Call("ln", Name("x")), lambda: Call("foo", Name("x")),
    lambda: Unary("*", Name("x")), lambda: Binary("%", Name("x"), Name("y")),
])
def test_nodes_refuse_values_the_parser_never_builds(make):
    with pytest.raises(ValueError):
        make()


def test_nodes_refuse_children_that_are_not_nodes():
    with pytest.raises(TypeError):
        Binary("+", Name("x"), 1.0)


def test_height_and_size_describe_the_tree():
    tree = parse("2x(x+1)^2")
    assert (tree.height, tree.size) == (4, 9)
