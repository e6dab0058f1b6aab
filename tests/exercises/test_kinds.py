"""Part kinds as a registry, and the array kinds (vector, matrix, shape) through the library."""
from pathlib import Path

import pytest

from exercises import generate, grade
from exercises.grading import reference_answers
from exercises.exercise import Part
from exercises.kinds import KINDS, ArrayKey, OrderedKey
from exercises.kinds.arrays import distinct_mistakes
from exercises.spec.model import Precision
from exercises.spec import TemplateError, load_template
from exercises.template_source import from_yaml
from exercises.spec.vocab import PART_KINDS

SOURCE = (Path(__file__).parent / "kind_templates" / "kinds-affine-shapes.yaml").read_text()


@pytest.fixture(scope="module")
def ex():
    return generate(from_yaml(SOURCE), params={"x1": 2, "x2": -0.5, "w1": 2, "w2": -1, "b": 2,
                                                   "n": 50, "d": 10})


def test_the_registry_names_every_kind_in_order():
    assert PART_KINDS == tuple(KINDS)
    assert PART_KINDS[:6] == ("value", "gradient", "formula", "choice", "update", "guided")
    assert {"vector", "matrix", "shape"} <= set(KINDS)
    assert all(kind.name == name and kind.form == name for name, kind in KINDS.items())


def test_answer_keys_are_flat_with_guided_steps():
    guided = generate("node-add-mul-graph", seed=3)
    keys = guided.answer_keys()
    assert "backprop.w" in keys and "backprop" not in keys
    assert set(keys) == set(reference_answers(guided))


def test_reference_answers_come_from_the_computation(ex):
    assert reference_answers(ex) == {"forward": "4.0, 0.5, 6.5", "dw": "26.0, -6.5",
                                     "jac": "[[26.0, -6.5], [26.0, -13.0]]", "xshape": "(50, 10)"}
    assert grade(ex, reference_answers(ex)).score == 1.0
    assert ex.part("jac").public()["shape"] == [2, 2]
    assert "shape" not in ex.part("xshape").public()


@pytest.mark.parametrize("typed", ["4, 0.5, 6.5", "[4, 1/2, 6.5]", "4，0.5，6.5"])
def test_a_vector_is_read_in_every_usual_form(ex, typed):
    assert grade(ex, {"forward": typed}).parts["forward"].status == "correct"


def test_a_wrong_shape_is_invalid_not_wrong(ex):
    result = grade(ex, {"forward": "4, 0.5", "jac": "[[26, -6.5]]"})
    assert not result.valid and result.score == 0.0
    forward, jac = result.parts["forward"], result.parts["jac"]
    assert forward.status == jac.status == "invalid"
    assert "3" in forward.error["ja"] and "3 elements" in forward.error["en"]
    assert "2x2" in jac.error["en"] and "2 行 2 列" in jac.error["ja"]
    ragged = grade(ex, {"jac": "26, -6.5; 26"}).parts["jac"]
    assert ragged.status == "invalid" and "row 2" in ragged.error["en"]


def test_elements_are_graded_one_by_one_under_the_precision(ex):
    parts = grade(ex, {"forward": "4.001, 0.5, 7", "jac": "26, -6.5; 26, -13.04"}).parts
    assert parts["forward"].status == "incorrect" and parts["forward"].score == pytest.approx(2 / 3, abs=1e-6)
    assert parts["forward"].expected == "[4.00, 0.50, 6.50]"
    assert parts["jac"].status == "correct"  # 3 significant figures: -13.04 reads as -13.0


def test_a_shape_is_a_tuple_of_integers(ex):
    assert grade(ex, {"xshape": "50, 10"}).parts["xshape"].status == "correct"
    assert grade(ex, {"xshape": "(10, 50)"}).parts["xshape"].status == "incorrect"
    assert grade(ex, {"xshape": "(50, 10, 1)"}).parts["xshape"].status == "incorrect"
    bad = grade(ex, {"xshape": "(50.5, 10)"}).parts["xshape"]
    assert bad.status == "invalid" and "(50, 10)" in bad.error["en"]


def _codes(source: str) -> set:
    with pytest.raises(TemplateError) as info:
        load_template(source)
    return {(p.code, p.field) for p in info.value.problems}


def test_spec_fields_of_the_new_kinds_are_validated():
    assert ("bad_entries", "parts[0].entries") in _codes(SOURCE.replace("[s1, s2, y]", "[s1, nope]"))
    assert ("bad_entries", "parts[1].entries") in _codes(SOURCE.replace("entries: [w1, w2]", "entries: [L]"))
    assert ("bad_entries", "parts[2].entries") in _codes(SOURCE.replace("[[w1, w2], [x1, x2]]", "[[w1, w2], [x1]]"))
    assert ("bad_dims", "parts[3].dims") in _codes(SOURCE.replace("dims: [n, d]", "dims: [n, 0]"))
    assert ("unknown_field", "parts[3].node") in _codes(SOURCE.replace("dims: [n, d]", "dims: [n, d]\n    node: y"))
    no_prompt = SOURCE.replace('    prompt: {ja: "入力 X の形状を答えなさい。", en: "Give the shape of the input X."}\n', "")
    assert ("prompt_required", "parts[3].prompt") in _codes(no_prompt)


CODE = (Path(__file__).parent / "kind_templates" / "kinds-mul-layer-code.yaml").read_text()


@pytest.mark.parametrize("typed, status", [
    ("dx = dout * self.y", "correct"), ("dx=dout*self.y", "correct"), ("  dx =  self.y*dout ", "correct"),
    ("dx = dout * self.x", "incorrect"), ("dx = dout * self . y", "correct"), ("d x = dout * self.y", "incorrect"),
])
def test_a_typed_code_line_is_compared_after_whitespace_normalisation(typed, status):
    ex = generate(from_yaml(CODE), seed=1)
    assert grade(ex, {"dx_line": typed}).parts["dx_line"].status == status


def test_a_code_line_chosen_from_options():
    ex = generate(from_yaml(CODE), seed=1)
    assert reference_answers(ex) == {"dx_line": "dx = dout * self.y", "dy_line": "1"}
    assert grade(ex, reference_answers(ex)).score == 1.0
    assert grade(ex, {"dy_line": "0"}).parts["dy_line"].status == "incorrect"
    assert grade(ex, {"dy_line": "7"}).parts["dy_line"].status == "invalid"
    assert "accept" not in str(ex.public()) and "self.y * dout" not in str(ex.public())


def test_code_spec_is_validated():
    both = CODE.replace('    answer: "dx = dout * self.y"\n', '    answer: "dx = dout * self.y"\n    options: [a, b]\n')
    assert ("code_answer", "parts[0]") in _codes(both)
    assert ("bad_correct", "parts[1].correct") in _codes(CODE.replace("correct: 1", "correct: 3"))
    assert ("bad_code_lines", "parts[0].accept") in _codes(CODE.replace('["dx = self.y * dout"]', '[""]'))


GD = (Path(__file__).parent / "kind_templates" / "kinds-gd-iterates.yaml").read_text()


def test_ordered_iterates_are_graded_with_error_carried_forward():
    ex = generate(from_yaml(GD), params={"w": 0, "x": 2, "t": 2, "lr": 0.1})
    # dL/dw = 2 (w x - t) x = 8w - 8: w1 = 0.8, w2 = 0.96, w3 = 0.992
    assert grade(ex, reference_answers(ex)).score == 1.0
    assert grade(ex, {"iterates": "0.8, 0.96, 0.992"}).parts["iterates"].status == "correct"
    # w2 wrong (0.9); w3 = 0.9 - 0.1 * (8 * 0.9 - 8) = 0.98 is right from the learner's own w2
    slip = grade(ex, {"iterates": "0.8, 0.9, 0.98"}).parts["iterates"]
    assert slip.score == pytest.approx(2 / 3, abs=1e-6)
    assert [s["status"] for s in slip.steps.values()] == ["correct", "incorrect", "correct"]
    assert slip.steps["3"]["expected"] == "0.992" and slip.steps["3"]["expected_given_upstream"] == "0.98"
    # Jumping to w = 1 and staying there is consistent (the gradient is 0 at 1) but carries a
    # value anyone can type: no credit beyond w1.
    assert grade(ex, {"iterates": "0.8, 1, 1"}).parts["iterates"].score == pytest.approx(1 / 3, abs=1e-6)
    short = grade(ex, {"iterates": "0.8, 0.96"}).parts["iterates"]
    assert short.status == "invalid" and "3" in short.error["en"]
    assert ex.part("iterates").public()["shape"] == [3]


def test_ordered_spec_is_validated():
    assert ("bad_iterations", "parts[0].iterations") in _codes(GD.replace("iterations: 3", "iterations: 9"))
    assert ("unknown_reference", "parts[0].lr") in _codes(GD.replace("lr: lr\n", "lr: eta\n"))


# --- keys that generators build directly ----------------------------------------------------

def _part(kind: str, n: int):
    return Part("p", kind, {"ja": "", "en": ""}, Precision("decimals", 2), shape=(n,))


def test_an_ordered_key_steps_with_the_generators_rule_and_names_a_whole_wrong_sequence():
    deltas = (-0.5, -0.25, -0.125)   # e.g. an optimizer's steps, fixed by the gradient sequence
    key = OrderedKey((0.5, 0.25, 0.125), 1.0, lambda k, w: w + deltas[k], givens=(1.0,))
    wrong = {"update_wrong_sign": (1.5, 1.75, 1.875)}
    kind = KINDS["ordered"]
    right = kind.grade(_part("ordered", 3), "0.5, 0.25, 0.125", key, wrong)
    assert right.status == "correct" and right.misconception is None
    slipped = kind.grade(_part("ordered", 3), "0.4, 0.15, 0.025", key, wrong)  # one slip, then carried
    assert slipped.score == pytest.approx(2 / 3) and slipped.steps["3"]["status"] == "correct"
    named = kind.grade(_part("ordered", 3), "1.5, 1.75, 1.875", key, wrong)
    assert named.score == 0.0 and named.misconception == "update_wrong_sign"
    half = kind.grade(_part("ordered", 3), "1.5, 1.75, 0.125", key, wrong)
    assert half.misconception is None  # the whole sequence must match the mistake's


def test_a_vector_answer_names_the_misconception_whose_every_element_it_matches():
    key = ArrayKey((1.0, -2.0), (2,))
    found = {"db_averaged": [0.5, -1.0], "db_wrong_axis": (1.0, -2.004)}
    mistakes = distinct_mistakes(key.values, found, Precision("decimals", 2).tolerance)
    assert mistakes == {"db_averaged": (0.5, -1.0)}  # the other is within the precision of the answer
    result = KINDS["vector"].grade(_part("vector", 2), "0.5, -1", key, mistakes)
    assert result.status == "incorrect" and result.misconception == "db_averaged"
    assert KINDS["vector"].grade(_part("vector", 2), "0.5, -2", key, mistakes).misconception is None
