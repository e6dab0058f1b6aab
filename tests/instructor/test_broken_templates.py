"""A corpus of broken templates: each is refused with the right code and message, the source
stays in the form, and NOTHING is stored (rows counted before and after)."""
from __future__ import annotations

import pytest
from markupsafe import escape

from quizapp.services import authoring
from quizapp.services import ownership
from tests.instructor.conftest import SOURCE, save, stored_counts

MANY_PARAMS = "params:\n" + "".join(f"  p{i}: {{min: 1, max: 9}}\n" for i in range(21))
LAUGHS = 'a: &a ["lol", "lol"]\nb: &b [*a, *a]\nc: [*b, *b]\n'

CORPUS = [
    # (id, source, code, a piece of the Japanese message, field)
    ("yaml-syntax", SOURCE.replace("  z: x * y", "  z: [x * y"), "yaml", "YAML として読めません", ""),
    ("unknown-function", SOURCE.replace("x * y", "foo(x) * y"), "expr_unknown_function", "foo という関数はありません", "nodes.z"),
    ("unknown-parameter", SOURCE.replace("x * y", "x * w"), "expr_unknown_name", "w という変数はありません", "nodes.z"),
    ("unsatisfiable", SOURCE + "constraints:\n  - x > 100\n", "unsatisfiable", "", "constraints[0]"),
    ("overflow", SOURCE.replace("x: {min: 1, max: 9}", "x: {min: 800, max: 900}").replace("x * y", "exp(x) * y"),
     "template_broken", "domain ×100", ""),
    ("leaves-domain", SOURCE.replace("x: {min: 1, max: 9}", "x: {min: -5, max: -1}").replace("x * y", "log(x) * y"),
     "template_broken", "domain ×100", ""),
    ("part-references-nothing", SOURCE.replace("wrt: x", "wrt: w"), "unknown_reference", "w", "parts[1].wrt"),
    ("value-of-nothing", SOURCE.replace("node: z", "node: nowhere"), "unknown_reference", "nowhere", "parts[0].node"),
    ("wrong-formula", SOURCE + "  - {id: f, kind: formula, wrt: x, answer: 2*y}\n", "template_broken", "formula_mismatch", ""),
    ("too-many-params", SOURCE.replace("params:\n  x: {min: 1, max: 9}\n  y: {min: 2, max: 9}\n", MANY_PARAMS),
     "too_many_params", "パラメータが多すぎます（上限 20）", "params"),
    ("unknown-family", SOURCE.replace("family: node-backprop", "family: calculus"), "unknown_family", "calculus", "family"),
    ("aliases", LAUGHS, "yaml", "別名", ""),
    ("python-object", "slug: !!python/object/apply:os.system ['true']\n", "yaml", "使えない YAML タグ", ""),
    ("not-a-mapping", "- just\n- a list\n", "not_a_mapping", "", ""),
    ("empty", "   \n", "empty", "テンプレートのソース（YAML）を入力してください", ""),
    ("too-large", SOURCE + "#" + "x" * 70_000 + "\n", "yaml", "大きすぎます（上限 64 KB）", ""),
]


@pytest.mark.parametrize(("name", "source", "code", "message", "field"), CORPUS, ids=[c[0] for c in CORPUS])
def test_service_refuses_and_stores_nothing(db, loaded, users, name, source, code, message, field):
    before = stored_counts(db)
    with pytest.raises(ownership.InvalidTemplate) as info:
        save(db, source, users["instructor"])
    found = [p for p in info.value.problems if p["code"] == code]
    assert found, info.value.problems
    assert message in found[0]["message_ja"] and found[0]["message_en"]
    assert found[0]["field"] == field
    assert stored_counts(db) == before
    assert authoring.validate_source(source) == info.value.problems


@pytest.mark.parametrize(("name", "source", "code", "message", "field"), CORPUS, ids=[c[0] for c in CORPUS])
def test_editor_lists_the_problem_keeps_the_source_and_stores_nothing(client, db, loaded, login, name, source,
                                                                     code, message, field):
    login("instructor")
    before = stored_counts(db)
    page = client.post("/instructor/new", data={"source": source})
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert f'data-code="{code}"' in text and escape(message) in text
    assert escape(source.strip()[:200]) in text  # the typed source is still in the textarea
    assert stored_counts(db) == before


def test_expression_errors_show_the_line_and_a_caret(client, loaded, login):
    login("instructor")
    text = client.post("/instructor/new", data={"source": SOURCE.replace("x * y", "x * w")}).get_data(as_text=True)
    assert "nodes.z" in text and "16 行目" in text
    assert '<pre class="caret">x * w\n    ^</pre>' in text


def test_every_problem_is_listed_not_just_the_first(client, loaded, login):
    login("instructor")
    source = SOURCE.replace("x * y", "x * w").replace("wrt: x", "wrt: q").replace("difficulty: 1", "difficulty: 9")
    text = client.post("/instructor/new", data={"source": source}).get_data(as_text=True)
    for code in ("expr_unknown_name", "unknown_reference", "bad_difficulty"):
        assert f'data-code="{code}"' in text
    assert "保存できませんでした（3 件の問題）" in text


def test_problems_are_in_english_on_the_english_page(client, loaded, login):
    login("instructor")
    client.post("/lang/en", data={"next": "/"})
    text = client.post("/instructor/new", data={"source": SOURCE.replace("x * y", "x * w")}).get_data(as_text=True)
    assert "there is no variable called w" in text and "line 16" in text


def test_a_request_over_one_megabyte_is_refused_before_reading(client, db, loaded, login):
    login("instructor")
    before = stored_counts(db)
    response = client.post("/instructor/new", data={"source": SOURCE + "#" * (1024 * 1024)})
    assert response.status_code == 413
    assert stored_counts(db) == before


PARTLY_BROKEN = (SOURCE.replace("x: {min: 1, max: 9}", "x: {min: -40, max: 2}")
                 .replace("x * y", "log(x) * y"))  # 2 of 43 values work: seeds 8 and 23 find none in 100 draws


def test_template_that_sometimes_leaves_its_domain_is_saved_but_not_published(client, db, loaded, login):
    login("instructor")
    assert client.post("/instructor/new", data={"source": PARTLY_BROKEN}).status_code == 302
    report = client.get("/instructor/t/my-mul/v/1/test?n=50").get_data(as_text=True)
    assert "48 / 50 個の seed" in report and "2 個の seed で問題を作れませんでした" in report
    assert "seed 8" in report and "<code>domain</code>" in report
    page = client.post("/instructor/t/my-mul/v/1/publish")
    text = page.get_data(as_text=True)
    assert page.status_code == 409 and "公開できませんでした" in text and 'data-code="template_broken"' in text
    assert "seed 8" in text
    assert "公開中" not in text.split("<h2>")[2]  # the versions table: still a draft


def test_failing_pinned_case_blocks_publishing(client, db, loaded, login):
    login("instructor")
    client.post("/instructor/new", data={"source": SOURCE})
    response = client.post("/instructor/t/my-mul/cases", data={
        "name": "canonical", "params": '{"x": 3, "y": 4}', "answers": '{"z": "12", "dx": "4"}',
        "expected_score": "0.5"})
    assert response.status_code == 302
    page = client.get("/instructor/t/my-mul").get_data(as_text=True)
    assert "失敗" in page and "得点 1.000（期待 0.500）" in page
    refused = client.post("/instructor/t/my-mul/v/1/publish")
    assert refused.status_code == 409 and "固定テスト「canonical」が失敗しました" in refused.get_data(as_text=True)
    assert "published" not in [r for r in _statuses(db)]


def _statuses(db):
    from sqlalchemy import select

    from quizapp.models import TemplateVersion
    with db.sessions() as session:
        return session.scalars(select(TemplateVersion.status).where(TemplateVersion.slug == "my-mul")).all()


def test_a_one_megabyte_source_is_refused_by_the_service_without_parsing(db, loaded, users):
    huge = SOURCE + "# " + "あ" * (1024 * 1024 // 3) + "\n"
    before = stored_counts(db)
    problems = authoring.validate_source(huge)
    assert [p["code"] for p in problems] == ["yaml"] and "64 KB" in problems[0]["message_en"]
    with pytest.raises(ownership.InvalidTemplate):
        save(db, huge, users["instructor"])
    assert stored_counts(db) == before


def test_the_report_runs_the_integrity_probes_and_flags_indistinct_draws(client, db, loaded, login):
    login("instructor")
    # dz/dx = y, and forgetting to swap the mul node's inputs gives x: right whenever x == y,
    # which is half the draws with x, y in {1, 2}.
    narrow = SOURCE.replace("x: {min: 1, max: 9}", "x: {min: 1, max: 2}").replace("y: {min: 2, max: 9}",
                                                                                  "y: {min: 1, max: 2}")
    assert client.post("/instructor/new", data={"source": narrow}).status_code == 302
    report = client.get("/instructor/t/my-mul/v/1/test?n=40").get_data(as_text=True)
    assert "採点の信頼性チェック" in report and 'class="problem"' not in report
    assert report.count('<tr class="ok">') == 3
    assert 'id="indistinct" role="alert"' in report and "<code>indistinct_misconception</code>" in report
    assert "mul_no_swap" in report
    assert "40 / 40 個の seed" in report
