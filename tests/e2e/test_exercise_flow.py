"""End to end in a real Chromium: a new visitor signs up, solves an exercise wrong and right,
sees the misconception and the graph, and finds the attempt on the study record; the page on
a 375 px phone; the formula preview; the form without JavaScript."""
from __future__ import annotations

import re

import pytest

from exercises import generate

pytestmark = pytest.mark.e2e

SHOP, SEED = "shopping-apple-orange", 7
PHONE = {"width": 375, "height": 667}


def typed_answers(ex) -> dict:
    """The reference answers as a learner would type them."""
    return {p.id: f"{ex.answers[p.id]:.10g}" for p in ex.parts if p.kind in ("value", "gradient")}


def sign_up(page, live_url):
    page.goto(live_url + "/signup")
    page.get_by_label("メールアドレス").fill("new@example.com")
    page.get_by_label("表示名").fill("はじめて")
    page.get_by_label("パスワード", exact=True).fill("learning backprop daily")
    page.get_by_label("パスワード（確認）").fill("learning backprop daily")
    page.get_by_role("button", name="登録する").click()
    page.wait_for_url(live_url + "/")


def fill_and_grade(page, answers: dict):
    for part, value in answers.items():
        page.locator(f'input[name="{part}"]').fill(value)
    page.get_by_role("button", name="採点する").click()
    page.wait_for_url(re.compile(r"/exercises/\w+/attempts/\d+$"))


def test_a_new_learner_solves_wrong_then_right_and_finds_it_in_the_record(live_url, page_factory, problems):
    page = page_factory()
    sign_up(page, live_url)
    page.goto(f"{live_url}/exercises/{SHOP}/new?seed={SEED}")
    page.wait_for_url(re.compile(r"/exercises/[0-9a-f]{32}$"))
    exercise_url = page.url
    assert page.locator("#graph-title").text_content() == "計算グラフ"
    assert page.get_by_role("img", name="計算グラフ").is_visible()
    page.wait_for_selector(".statement .math-rendered .katex")

    ex = generate(SHOP, seed=SEED)
    right = typed_answers(ex)
    forgot_tax = f"{ex.params['apple_num']:g}"  # the apple count, not count × tax
    fill_and_grade(page, {**right, "d_apple": forgot_tax})
    assert page.locator(".score strong").inner_text() == "83%"
    misconception = page.locator("#result-d_apple .misconception")
    assert "消費税（税率）を掛け忘れている" in misconception.inner_text()
    assert page.locator("#result-d_apple .expected").inner_text() == f"{ex.answers['d_apple']:.2f}"
    solution_graph = page.locator("svg[aria-labelledby^=solution-graph]")
    assert solution_graph.locator("text.graph-grad").count() == 9  # a gradient on every node
    d_tax = ex.answers["d_tax"]  # ∂price/∂tax: the total before tax
    assert solution_graph.locator("text", has_text=f"勾配 {d_tax:g}").count() == 1
    assert page.locator(".worked-solution .katex").count() >= 10

    page.get_by_role("link", name="もう一度（同じ問題）").first.click()
    page.wait_for_url(exercise_url)
    fill_and_grade(page, right)
    assert page.locator(".score strong").inner_text() == "100%"
    assert page.locator(".result-part.status-correct").count() == 6

    page.goto(live_url + "/progress")
    record = page.locator("main").inner_text()
    assert "まだ記録がありません" not in record
    assert "買い物の計算グラフ" in record or "shopping" in record
    assert problems == []


def test_the_exercise_page_on_a_375px_phone(live_url, page_factory, problems, screenshots):
    page = page_factory(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    for slug in (SHOP, "sigmoid-net-bias-weight-grads", "node-add-mul-graph", "layer-backward-code-fill"):
        page.goto(f"{live_url}/try/{slug}?seed=1")
        page.wait_for_selector(".statement .math-rendered, .statement pre", state="attached")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], (slug, widths)
        for field in page.locator("form.exercise-form input:not([type=hidden])").all():
            box = field.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], slug
        graph = page.locator("figure.graph svg").first
        if graph.count():
            assert graph.bounding_box()["width"] > 200
        page.screenshot(path=str(screenshots / f"phone-{slug}.png"), full_page=True)
    assert problems == []


def test_the_result_page_on_a_375px_phone(live_url, page_factory, problems, screenshots):
    page = page_factory(viewport=PHONE)
    page.goto(f"{live_url}/try/{SHOP}?seed={SEED}")
    ex = generate(SHOP, seed=SEED)
    page.locator('input[name="price"]').fill(f"{ex.answers['price']:.0f}")
    page.locator('input[name="d_apple"]').fill(f"{ex.params['apple_num']:g}")  # the tax forgotten
    page.get_by_role("button", name="採点する").click()
    page.wait_for_selector(".misconception")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    assert page.get_by_role("link", name="新規登録して記録を残す").is_visible()
    page.screenshot(path=str(screenshots / "phone-result.png"), full_page=True)
    assert problems == []


def test_formula_preview_shows_how_the_answer_was_read(live_url, page_factory, problems):
    page = page_factory()
    page.goto(f"{live_url}/try/chain-exp-neg-square?seed={SEED}")
    field = page.locator('input[name="formula"]')
    field.press_sequentially("-2x exp(-x²)")
    preview = page.locator("#answer-formula-preview")
    preview.locator(".katex").wait_for()
    assert preview.locator("code").inner_text() == "-2*x*exp(-x^2)"
    field.fill("")
    field.press_sequentially("2(x+1")
    preview.locator("pre.caret").wait_for()
    assert "閉じ括弧" in preview.inner_text()
    assert problems == []


def test_the_form_works_without_javascript(live_url, page_factory):
    page = page_factory(java_script_enabled=False)
    page.goto(f"{live_url}/try/{SHOP}?seed={SEED}")
    assert page.locator(".katex").count() == 0  # no KaTeX: the TeX source is shown instead
    for part, value in typed_answers(generate(SHOP, seed=SEED)).items():
        page.locator(f'input[name="{part}"]').fill(value)
    page.get_by_role("button", name="採点する").click()
    page.wait_for_selector(".score")
    assert page.locator(".score strong").inner_text() == "100%"
    page.get_by_text("ヒント 1").first.click()  # <details>: hints open without JavaScript
    assert page.locator(".hint-item[open]").count() == 1
