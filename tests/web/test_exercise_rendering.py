"""The pieces the exercise pages are drawn from: the graph layout and the exercise texts."""
from __future__ import annotations

from exercises import catalog, generate
from quizapp.study.graph_layout import layout, number
from quizapp.study.richtext import rich

SHOP = {"apple": 100, "apple_num": 2, "orange": 150, "orange_num": 3, "tax": 1.1}


def test_shopping_graph_reads_left_to_right_like_the_textbook():
    drawing = layout(generate("shopping-apple-orange", params=SHOP).graph)
    x = {n.spoken: n.x for n in drawing.nodes}
    assert x["apple"] == x["apple_num"] == x["orange"] == x["orange_num"]  # inputs on the left
    assert x["apple"] < x["apple_price"] == x["orange_price"] < x["all_price"] < x["price"]
    assert x["tax"] == x["all_price"]  # an input sits just before its first consumer
    by = {n.spoken: n for n in drawing.nodes}
    assert by["apple"].value == "100" and by["tax"].value == "1.1" and by["all_price"].value == ""
    assert by["price"].is_output and by["price"].symbol == "×" and by["all_price"].symbol == "+"
    assert by["all_price"].inputs == ["apple_price", "orange_price"]
    assert len(drawing.edges) == 8


def test_the_solution_graph_carries_values_and_gradients():
    drawing = layout(generate("shopping-apple-orange", params=SHOP).solution["graph"], solution=True)
    by = {n.spoken: n for n in drawing.nodes}
    assert (by["price"].value, by["price"].grad) == ("715", "1")
    assert (by["apple"].grad, by["tax"].grad, by["all_price"].value) == ("2.2", "650", "650")


def test_layout_is_deterministic_and_nodes_never_overlap_for_every_template():
    for template in catalog():
        ex = generate(template.slug, seed=3)
        if not ex.graph:
            continue
        first, again = layout(ex.graph), layout(generate(template.slug, seed=3).graph)
        assert [(n.x, n.y) for n in first.nodes] == [(n.x, n.y) for n in again.nodes]
        places = [(n.x, n.y) for n in first.nodes]
        assert len(set(places)) == len(places), template.slug
        assert all(0 < n.x < first.width and 0 < n.y < first.height for n in first.nodes)


def test_numbers_are_written_as_a_learner_would():
    assert [number(v) for v in (715.0000000001, 1.1, -0.0, 3.3000000000000003, 0.006959426)] == \
        ["715", "1.1", "0", "3.3", "0.006959"]
    assert number([[1.5, 1.0], [2.0, -0.5]]) == "[[1.5, 1], [2, -0.5]]"


def test_rich_text_escapes_html_and_keeps_math_and_code_literal():
    html = str(rich("**太字** と $a < b$ と `x*y*z` <script>alert(1)</script>"))
    assert "<strong>太字</strong>" in html
    assert '<span class="math" data-tex="a &lt; b">a &lt; b</span>' in html
    assert "<code>x*y*z</code>" in html and "<script>" not in html and "&lt;script&gt;" in html


def test_rich_text_blocks_lists_display_math_and_code_fences():
    html = str(rich("前置き:\n- `a`：一つ目\n- 二つ目\n\n$$L = -\\log y$$\n\n```python\nif a < b:\n    pass\n```"))
    assert "<p>前置き:</p>\n<ul><li><code>a</code>：一つ目</li><li>二つ目</li></ul>" in html
    assert 'class="math math-block" data-tex="L = -\\log y" data-display="block"' in html
    assert '<pre class="code"><code class="language-python">if a &lt; b:\n    pass</code></pre>' in html
