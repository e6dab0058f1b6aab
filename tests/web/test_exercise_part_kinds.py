"""The kinds of parts on the exercise pages: code fill-in choices, guided backprop steps,
formulas (with the live preview endpoint)."""
from __future__ import annotations

import re

import pytest

from quizapp.models import Attempt
from tests.web.exercise_helpers import answer, count, load_templates, start, text_of


@pytest.fixture
def loaded(db):
    load_templates(db)
    return db


@pytest.fixture
def learner(loaded, make_user, auth):
    """A signed-in learner, with the built-in templates published."""
    user = make_user()
    auth.login()
    return user


def test_code_fill_statement_and_choices_are_shown_as_code(client, learner, db):
    page = text_of(client.get(f"/exercises/{start(db, learner.id, 'layer-backward-code-fill', seed=1)}"))
    assert '<pre class="code"><code class="language-python">class AddLayer:' in page
    assert page.count('type="radio"') == 4
    assert '<span class="choice-label"><code>dout * 1</code></span>' in page


def test_guided_steps_are_labelled_with_the_gradient_they_ask(client, learner, db):
    page = text_of(client.get(f"/exercises/{start(db, learner.id, 'node-add-mul-graph', seed=3)}"))
    for step in ("w", "t", "x", "y"):
        assert f'name="backprop.{step}"' in page
        assert f'<span class="visually-hidden">∂L/∂{step}</span>' in page
    assert 'id="graph-backprop-title"' in page  # the graph again, next to the steps


def test_guided_backprop_steps_are_graded_one_by_one(client, learner, db):
    instance_id = start(db, learner.id, "chain-exp-neg-square", params={"x": 0.5})
    # a lost the sign of Neg; x = a * 2x(=1) is then right given the learner's own a
    steps = {"backprop.b": "0.779", "backprop.a": "0.779", "backprop.x": "0.779"}
    page = text_of(client.get(answer(client, instance_id, steps).headers["Location"]))
    rows = re.findall(r'<tr class="status-(\w+)">', page)
    assert rows == ["correct", "incorrect", "correct"]
    assert "∂y/∂a" in page and "-0.778801" in page
    assert "（あなたの上流の値からは 0.779）" in page  # why x counts as right


def test_a_guided_step_left_empty_is_pointed_out_and_nothing_is_stored(client, learner, db):
    instance_id = start(db, learner.id, "chain-exp-neg-square", params={"x": 0.5})
    response = answer(client, instance_id, {"backprop.b": "0.779", "backprop.a": ""})
    page = text_of(response)
    assert response.status_code == 422
    assert 'id="answer-backprop-a-error"' in page and 'id="answer-backprop-x-error"' in page
    assert 'id="answer-backprop-b-error"' not in page and 'value="0.779"' in page
    assert count(db, Attempt) == 0


def test_formula_and_choice_parts(client, learner, db):
    instance_id = start(db, learner.id, "chain-exp-neg-square", params={"x": 0.5})
    page = text_of(client.get(answer(client, instance_id, {"formula": "-2x exp(-x²)"}).headers["Location"]))
    assert '<section class="result-part status-correct" id="result-formula">' in page
    assert 'data-tex="-2 x e^{-x^{2}}"' in page  # the expected formula, for KaTeX
    instance_id = start(db, learner.id, "layer-backward-code-fill", seed=1)
    page = text_of(client.get(answer(client, instance_id, {"blank": "1"}).headers["Location"]))
    assert "考えられる誤解: 上流の勾配を掛け忘れている" in page
    assert '<dd class="expected"><code>dout * 1</code></dd>' in page
    assert '<pre class="code"><code class="language-python">' in page  # the completed code


def test_formula_preview_returns_canonical_text_and_latex_or_the_error(client, loaded):
    ok = client.post("/exercises/preview", json={"text": "２ｘ（ｘ＋１）", "variables": ["x"]}).get_json()
    assert ok == {"ok": True, "text": "2*x*(x + 1)", "latex": "2 x \\left(x + 1\\right)"}
    bad = client.post("/exercises/preview", json={"text": "x+", "variables": ["x"]}).get_json()
    assert bad["ok"] is False and "式が途中で終わっています" in bad["message"] and bad["caret"] == "x+\n  ^"
    unknown = client.post("/exercises/preview", json={"text": "y", "variables": ["x", "pi", 3]}).get_json()
    assert unknown["ok"] is False and "y という変数はありません" in unknown["message"]
    assert client.post("/exercises/preview", data="x").status_code == 400
    cross_site = client.post("/exercises/preview", json={"text": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
