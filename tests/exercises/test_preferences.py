"""Preferences (exercises/generation.py): params naming only a source's ``preferences`` fix
those values while the rest is drawn from the seed; any other params stay explicit."""
from __future__ import annotations

import pytest

from exercises import generate
from exercises.errors import ParamsError
from exercises.generation import generate_from, preferences_only
from exercises.generators.framework_code import FrameworkAutogradCode
from exercises.registry import get_template

SLUG = "framework-autograd-code"
TF = {"framework": "tensorflow"}


def test_the_framework_generator_declares_the_framework_and_templates_nothing():
    assert get_template(SLUG).preferences == ("framework",)
    assert get_template("shopping-apple-orange").preferences == ()


def test_a_preference_is_drawn_around_deterministic_and_rebuilt_from_its_params():
    cases = set()
    for seed in range(40):
        ex = generate(SLUG, seed=seed, params=TF)
        assert ex.params["framework"] == "tensorflow" and set(ex.params) == {"framework", "case", "x", "k"}
        assert "import tensorflow as tf" in ex.statement["en"] and "torch" not in ex.statement["en"]
        assert generate(SLUG, seed=seed, params=dict(TF)) == ex       # the same seed, the same draw
        assert generate(SLUG, seed=seed, params=ex.params) == ex      # its full params rebuild it
        cases.add(ex.params["case"])
    assert "zero_grad" not in cases and {"trainable", "accumulate", "double"} <= cases
    assert any("tf.GradientTape" in generate(SLUG, seed=s, params=TF).statement["en"] for s in range(10))


def test_pytorch_fixed_is_pytorch_and_the_seed_still_varies_the_rest():
    drawn = [generate(SLUG, seed=seed, params={"framework": "pytorch"}) for seed in range(20)]
    assert all(ex.params["framework"] == "pytorch" and "import torch" in ex.statement["en"] for ex in drawn)
    assert len({(ex.params["case"], ex.params["x"], ex.params["k"]) for ex in drawn}) > 5


@pytest.mark.parametrize("bad", ["jax", "", "TensorFlow", 3, ["tensorflow"]])
def test_a_bad_preference_is_a_params_error_in_both_languages(bad):
    with pytest.raises(ParamsError) as caught:
        generate(SLUG, seed=0, params={"framework": bad})
    assert caught.value.details["field"] == "params.framework"
    assert "framework" in caught.value.message_ja and "must be one of" in caught.value.message_en


def test_more_than_preferences_and_no_params_at_all_stay_explicit():
    explicit = generate(SLUG, seed=0, params={"framework": "tensorflow", "case": "trainable"})
    assert explicit.params == {"framework": "tensorflow", "case": "trainable", "x": 3, "k": 2}
    assert generate(SLUG, seed=0, params={}).params == {"framework": "pytorch", "case": "accumulate", "x": 3, "k": 2}
    with pytest.raises(ParamsError):  # a pytorch-only case named with tensorflow: explicit, refused
        generate(SLUG, seed=0, params={"framework": "tensorflow", "case": "zero_grad"})


class NoPreferences(FrameworkAutogradCode):
    preferences = ()


def test_a_source_without_preferences_reads_them_as_explicit_params():
    source = NoPreferences()
    assert not preferences_only(source, TF) and preferences_only(FrameworkAutogradCode(), TF)
    for seed in (0, 7):
        ex = generate_from(source, seed=seed, params=TF)
        assert ex.params == {"framework": "tensorflow", "case": "accumulate", "x": 3, "k": 2}  # the defaults
    with pytest.raises(ParamsError):
        generate_from(source, seed=0, params={"framework": "jax"})


class NothingFits(FrameworkAutogradCode):
    """Every draw's case is refused once the framework is fixed (a source whose preference
    leaves nothing to draw)."""

    def check_params(self, params):
        checked = super().check_params({**params, "framework": "pytorch"})
        if params.get("framework") == "tensorflow":
            raise ParamsError("params.case: 合いません", "params.case: does not fit", field="params.case")
        return checked


def test_when_no_draw_fits_the_preference_it_is_a_params_error_not_a_broken_template():
    with pytest.raises(ParamsError) as caught:
        generate_from(NothingFits(), seed=0, params=TF)
    assert caught.value.details["field"] == "params" and "no exercise can be drawn" in caught.value.message_en
