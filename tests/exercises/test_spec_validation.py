"""Loading a template validates it fully and reports every problem with its field and line."""
import pytest

from exercises.spec import TemplateError, load_template
from exercises.spec.syllabus import default_tags
from exercises.template_source import TemplateSource
from tests.exercises.conftest import dump


def problems(data_or_text) -> list:
    text = data_or_text if isinstance(data_or_text, str) else dump(data_or_text)
    with pytest.raises(TemplateError) as info:
        load_template(text)
    return info.value.problems


def codes(data) -> set[str]:
    return {p.code for p in problems(data)}


def test_valid_template_loads(base):
    t = load_template(dump(base))
    assert t.slug == "test-mul" and t.output == "z" and t.param("x").grid()[:3] == (1.0, 2.0, 3.0)


def test_unknown_field_is_named_with_its_line(base):
    base["colour"] = "blue"
    [p] = problems(base)
    assert (p.code, p.field) == ("unknown_field", "colour")
    assert p.line == dump(base).splitlines().index("colour: blue") + 1
    assert "colour" in p.message_ja and "colour" in p.message_en


def test_expression_syntax_error_has_a_caret(base):
    base["nodes"] = {"z": "x * (y + 1"}
    [p] = problems(base)
    assert p.field == "nodes.z" and p.code.startswith("expr_")
    assert "^" in p.caret and "x * (y + 1" in p.caret


def test_unknown_names_and_functions_are_reported(base):
    base["nodes"] = {"a": "x * w", "z": "foo(a)"}
    got = {(p.field, p.code) for p in problems(base)}
    assert ("nodes.a", "expr_unknown_name") in got
    assert ("nodes.z", "expr_unknown_function") in got


def test_every_problem_is_listed_not_just_the_first(base):
    base["family"] = "cooking"
    base["difficulty"] = 9
    base["parts"][1]["wrt"] = "nothing"
    assert {"unknown_family", "bad_difficulty", "unknown_reference"} <= codes(base)


def test_parts_that_reference_nothing(base):
    base["parts"] = [{"id": "a", "kind": "value", "node": "ghost"},
                     {"id": "b", "kind": "gradient", "of": "z", "wrt": "z"},
                     {"id": "c", "kind": "update", "wrt": "x", "lr": "eta"}]
    got = {(p.field, p.code) for p in problems(base)}
    assert ("parts[0].node", "unknown_reference") in got
    assert ("parts[1].wrt", "self_gradient") in got
    assert ("parts[2].lr", "unknown_reference") in got


def test_unsatisfiable_constraints(base):
    base["constraints"] = ["x + y > 100"]
    [p] = problems(base)
    assert (p.code, p.field) == ("unsatisfiable", "constraints[0]")


def test_malformed_constraint(base):
    base["constraints"] = ["x y"]
    assert codes(base) == {"bad_constraint"}


@pytest.mark.parametrize("name,code", [("pi", "reserved_name"), ("sin", "reserved_name"),
                                       ("2x", "bad_name"), ("__import__", "bad_name")])
def test_bad_parameter_names(base, name, code):
    base["params"][name] = {"min": 1, "max": 2}
    assert code in codes(base)


def test_duplicate_node_and_part_ids(base):
    base["nodes"]["x"] = "y + 1"
    base["parts"].append({"id": "z", "kind": "value", "node": "z"})
    assert {"duplicate_name", "duplicate_part"} <= codes(base)


def test_bad_domains_and_precision(base):
    base["params"]["x"] = {"min": 5, "max": 1}
    base["params"]["y"] = {"min": 1, "max": 9, "step": 0}
    base["parts"][0]["precision"] = {"decimals": 99}
    assert codes(base) == {"bad_domain", "bad_precision"}


def test_limits_on_size_and_counts(base):
    base["params"] = {f"p{i}": {"min": 1, "max": 2} for i in range(30)}
    assert "too_many_params" in codes(base)
    assert problems("a: '" + "x" * 70_000 + "'")[0].code == "yaml"


def test_yaml_errors_aliases_and_non_mappings():
    assert problems("slug: [unclosed")[0].code == "yaml"
    assert problems("a: &x [1, 2]\nb: *x\n")[0].code == "yaml"
    assert problems("- just\n- a list\n")[0].code == "not_a_mapping"
    assert problems("!!python/object:os.system {}")[0].code == "yaml"


def test_missing_texts_and_unknown_topics(base):
    base["title"] = {"ja": "題"}
    base["topics"] = ["astrology"]
    got = {(p.field, p.code) for p in problems(base)}
    assert ("title.en", "missing_text") in got and ("topics", "unknown_topic") in got


def test_formula_part_needs_a_parseable_answer(base):
    base["parts"].append({"id": "f", "kind": "formula", "wrt": "x", "answer": "y +"})
    [p] = problems(base)
    assert p.field == "parts[2].answer" and p.caret


def test_unknown_misconception_in_mistakes(base):
    base["parts"][1]["mistakes"] = {"not_a_thing": "z"}
    assert codes(base) == {"unknown_misconception"}


def test_template_error_message_is_japanese_and_names_the_line(base):
    base["colour"] = "blue"
    with pytest.raises(TemplateError, match=r"colour \(line \d+\): 知らない項目です"):
        load_template(dump(base))


def test_syllabus_tags_are_checked_ordered_and_default_to_the_family(base):
    assert load_template(dump(base)).syllabus == ()
    assert TemplateSource(load_template(dump(base))).syllabus == default_tags(base["slug"], base["family"])
    base["syllabus"] = ["3-2-2", "3-1-1", "3-2-2"]
    assert load_template(dump(base)).syllabus == ("3-1-1", "3-2-2")
    base["syllabus"] = ["3-2-2", "9-9"]
    assert codes(base) == {"unknown_syllabus"}
    base["syllabus"] = "3-2-2"
    assert codes(base) == {"unknown_syllabus"}
