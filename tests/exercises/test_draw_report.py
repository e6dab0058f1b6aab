"""draw_report(template, seeds): the same instances as generate_from, with every rejected
draw counted by reason (the instructor's test report is built on it)."""
from exercises.generation import MAX_DRAWS, draw_report, generate_from
from exercises.template_source import from_yaml
from tests.exercises.conftest import dump


def template(data):
    return from_yaml(dump(data))


def test_report_gives_the_same_instances_as_generate_from(base):
    base["params"]["y"] = {"min": 11, "max": 19}  # never y == x, where mul_no_swap is right
    t = template(base)
    report = draw_report(t, range(20))
    assert report.seeds == 20 and not report.failed and not report.rejected
    assert [e.params for e in report.exercises] == [generate_from(t, seed=s).params for s in range(20)]
    assert report.draws == 20


def test_rejected_draws_are_counted_even_when_a_redraw_succeeds(base):
    base["params"]["x"] = {"min": -2, "max": 2}
    base["nodes"] = {"z": "log(x) * y"}
    t = template(base)
    report = draw_report(t, range(40))
    assert len(report.exercises) == 40 and not report.failed
    assert set(report.rejected) <= {"domain", "indistinct_misconception"} and report.rejected["domain"] > 10
    assert report.examples["domain"].startswith("z = ")  # the first rejection's detail
    assert report.draws == 40 + sum(report.rejected.values())
    assert [e.answers for e in report.exercises] == [generate_from(t, seed=s).answers for s in range(40)]


def test_seeds_without_an_instance_are_listed_with_their_reasons(base):
    base["params"]["x"] = {"min": -5, "max": -1}
    base["nodes"] = {"z": "log(x) * y"}
    report = draw_report(template(base), [3, 4])
    assert report.exercises == [] and sorted(report.failed) == [3, 4]
    assert report.failed[3].details["reasons"] == {"domain": MAX_DRAWS}
    assert report.rejected == {"domain": 2 * MAX_DRAWS}


def test_a_draw_where_a_misconception_gives_the_right_answer_is_redrawn(base):
    # dz/dx of z = x*y is y; forgetting to swap the mul node's inputs gives x: right when x == y.
    report = draw_report(template(base), range(60))
    assert len(report.exercises) == 60 and report.rejected["indistinct_misconception"] > 0
    assert "mul_no_swap" in report.examples["indistinct_misconception"]
    assert all(e.params["x"] != e.params["y"] for e in report.exercises)
    assert all("mul_no_swap" in e.mistakes["dx"] for e in report.exercises)


def test_constraint_rejections_are_counted(base):
    base["constraints"] = ["x > 7"]
    report = draw_report(template(base), range(10))
    assert report.rejected["constraints"] > 0 and all(e.params["x"] > 7 for e in report.exercises)
