"""Input as learners type it: full-width (IME) characters, ×, ÷, dashes, superscripts."""
import pytest

from exercises.expr import Binary, Const, ExprError, Name, Num, Unary, parse, render
from exercises.expr.normalize import normalize


@pytest.mark.parametrize("typed, canonical", [
    ("２ｘ＋１", "2*x + 1"),
    ("３×４", "3*4"),
    ("（ｘ−１）", "x - 1"),
    ("６÷２", "6/2"),
    ("ｓｉｎ（ｘ）", "sin(x)"),
    ("ｘ＾２", "x^2"),
    ("2・x", "2*x"),
    ("2·x", "2*x"),
    ("2⋅x", "2*x"),
    ("x\u2010y", "x - y"),
    ("x\u2011y", "x - y"),
    ("x\u2012y", "x - y"),
    ("x\u2013y", "x - y"),
    ("x\u2014y", "x - y"),
    ("x\u2212y", "x - y"),
    ("x\uff0dy", "x - y"),
    ("x\u3000+\u3000y", "x + y"),
    ("x²", "x^2"),
    ("x⁻¹", "x^-1"),
    ("2x²y", "2*x^2*y"),
    ("2πx", "2*pi*x"),
    ("sin(π)", "sin(pi)"),
    ("½", "1/2"),
    ("ｘ₁", "x1"),
])
def test_ime_and_typographic_input_reads_as_ascii(typed, canonical):
    assert render(parse(typed)) == canonical


def test_full_width_expression_parses_to_the_same_tree_as_ascii():
    assert parse("２ｘ（ｘ＋１）＾２") == parse("2x(x+1)^2")


def test_superscript_power_binds_to_the_factor_before_it():
    assert parse("-x²") == Unary("-", Binary("^", Name("x"), Num(2)))


def test_pi_sign_is_the_constant():
    assert parse("π") == Const("pi")


def test_katakana_long_vowel_mark_is_not_a_minus():
    with pytest.raises(ExprError) as info:
        parse("x ー 1")
    assert info.value.code == "invalid_character"
    assert info.value.position == 2
    assert "長音記号" in info.value.message_ja


def test_positions_map_back_to_the_typed_text():
    norm = normalize("２π（ｘ²")
    assert norm.text == "2 pi (x^(2)"
    assert norm.origin == (0, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 5)


def test_error_position_counts_characters_as_typed():
    with pytest.raises(ExprError) as info:
        parse("２π＋ｙ", names={"x"})
    assert (info.value.code, info.value.position) == ("unknown_name", 3)


def test_combining_marks_compose_before_they_are_checked():
    # e + COMBINING ACUTE becomes é under NFKC: one invalid character at the e.
    with pytest.raises(ExprError) as info:
        parse("x+e\u0301")
    assert (info.value.code, info.value.position, info.value.params["char"]) == (
        "invalid_character", 2, "é")


def test_when_nfkc_composes_across_characters_positions_refer_to_the_normalised_text():
    # Hangul jamo compose (ᄀ + ᅡ -> 가), which a per-character pass cannot reproduce.
    with pytest.raises(ExprError) as info:
        parse("x+\u1100\u1161")
    error = info.value
    assert (error.code, error.position, error.source) == ("invalid_character", 2, "x+가")
    assert error.caret() == "x+가\n  ^"
