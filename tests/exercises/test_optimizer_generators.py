"""The optimizers family: optimizer-steps (iterates of SGD, Momentum, Nesterov, AdaGrad,
RMSprop, Adam from given gradients, graded with error carried forward) and optimizer-code (one
line of the book's update blanked, every candidate line run against the engine)."""
import math
import pathlib

import numpy as np
import pytest

from exercises import generate, grade
from exercises.errors import ParamsError, Rejected
from exercises.generators import optimizer_code, optimizer_lines, optimizer_steps
from exercises.grading import reference_answers
from exercises.misconceptions import MISCONCEPTIONS

SLUGS = ("optimizer-steps", "optimizer-code")


def steps(optimizer, w0, grads, lr, **hp):
    return generate("optimizer-steps", seed=0, params={"optimizer": optimizer, "w0": w0, "gradients": grads, "lr": lr, **hp})


def iterates(ex):
    return ex.answers["iterates"].values


def typed(values) -> str:
    return ", ".join(repr(float(v)) for v in values)


# --------------------------------------------------------------------------- hand-checked iterates
def test_sgd_by_hand():
    ex = steps("SGD", 1, [2, -1, 3], 0.1, scale=4)
    # w1 = 1 - 0.1 * 2 = 0.8; w2 = 0.8 + 0.1 = 0.9; w3 = 0.9 - 0.3 = 0.6
    assert iterates(ex) == pytest.approx((0.8, 0.9, 0.6), abs=1e-12)
    assert ex.answers["scaled"] == pytest.approx(1 - 0.1 * 8)    # g1 = 4 * 2 = 8
    m = ex.mistakes["iterates"]
    assert m["update_wrong_sign"] == pytest.approx((1.2, 1.1, 1.4))
    assert m["update_no_lr"] == pytest.approx((-1.0, 0.0, -3.0))
    assert grade(ex, {"iterates": "0.8, 0.9, 0.6", "scaled": "0.2"}).score == 1.0
    assert grade(ex, {"iterates": "1.2, 1.1, 1.4"}).parts["iterates"].misconception["id"] == "update_wrong_sign"


def test_momentum_two_conventions_and_carried_forward_grading():
    ex = steps("Momentum", 1.5, [2, -1, 3], 0.1, momentum=0.9)
    # v1 = -0.2, w1 = 1.3; v2 = 0.9 * -0.2 + 0.1 = -0.08, w2 = 1.22; v3 = -0.072 - 0.3 = -0.372, w3 = 0.848
    assert iterates(ex) == pytest.approx((1.3, 1.22, 0.848), abs=1e-12)
    # v = αv + ηg, then W += v: every step the other way round
    assert ex.mistakes["iterates"] == {"momentum_sign_mixed": pytest.approx((1.7, 1.78, 2.152))}
    named = grade(ex, {"iterates": "1.7, 1.78, 2.152"}).parts["iterates"]
    assert named.score == 0.0 and named.misconception["id"] == "momentum_sign_mixed"
    # a slip in w2 (1.2): w3 = 1.2 - 0.372 = 0.828 computed from it keeps its credit
    slip = grade(ex, {"iterates": "1.3, 1.2, 0.828"}).parts["iterates"]
    assert [s["status"] for s in slip.steps.values()] == ["correct", "incorrect", "correct"]
    assert slip.score == pytest.approx(2 / 3, abs=1e-6) and slip.misconception is None
    # a slip in w1 (1.4): w2 = 1.4 - 0.08 = 1.32 and w3 = 1.32 - 0.372 = 0.948 carried forward
    early = grade(ex, {"iterates": "1.4, 1.32, 0.948"}).parts["iterates"]
    assert [s["status"] for s in early.steps.values()] == ["incorrect", "correct", "correct"]
    assert early.steps["2"]["expected_given_upstream"] == "1.32"
    # not carried: w3 from the wrong w2 with the wrong step
    assert grade(ex, {"iterates": "1.3, 1.2, 0.848"}).parts["iterates"].score == pytest.approx(2 / 3, abs=1e-6)
    assert grade(ex, {"iterates": "1.3, 1.2, 0.9"}).parts["iterates"].score == pytest.approx(1 / 3, abs=1e-6)


def test_nesterov_in_the_books_form_and_as_plain_momentum():
    ex = steps("Nesterov", 1, [1, 1, 1], 0.1, momentum=0.5)
    # v1 = -0.1, w1 = 1 + 0.25 * -0.1 - 1.5 * 0.1 = 0.825; v2 = -0.15, w2 = 0.825 - 0.0375 - 0.15 = 0.6375;
    # v3 = -0.175, w3 = 0.6375 - 0.04375 - 0.15 = 0.44375
    assert iterates(ex) == pytest.approx((0.825, 0.6375, 0.44375), abs=1e-12)
    assert ex.mistakes["iterates"]["nesterov_as_momentum"] == pytest.approx((0.9, 0.75, 0.575))
    r = grade(ex, {"iterates": "0.9, 0.75, 0.575"}).parts["iterates"]
    assert r.misconception["id"] == "nesterov_as_momentum"


def test_adagrad_with_a_large_eps_tells_eps_inside_the_root_apart():
    ex = steps("AdaGrad", 1, [2, 2, -1], 0.1, eps=0.01)
    w1 = 1 - 0.1 * 2 / (2 + 0.01)                       # h1 = 4
    w2 = w1 - 0.1 * 2 / (math.sqrt(8) + 0.01)            # h2 = 8
    w3 = w2 + 0.1 * 1 / (3 + 0.01)                       # h3 = 9
    assert iterates(ex) == pytest.approx((w1, w2, w3), abs=1e-12)
    inside = (1 - 0.2 / math.sqrt(4.01), )
    assert ex.mistakes["iterates"]["eps_inside_sqrt"][0] == pytest.approx(inside[0])
    r = grade(ex, {"iterates": typed(ex.mistakes["iterates"]["eps_inside_sqrt"])}).parts["iterates"]
    assert r.misconception["id"] == "eps_inside_sqrt"
    # with the book's 1e-7 the two are the same to 4 decimals: not stored
    small = steps("AdaGrad", 1, [2, 2, -1], 0.1, eps=1e-7)
    assert "eps_inside_sqrt" not in small.mistakes["iterates"] and "update_wrong_sign" in small.mistakes["iterates"]


def test_rmsprop_with_adagrads_sum():
    ex = steps("RMSprop", 2, [1, 1, 1], 0.01, decay_rate=0.9, eps=1e-7)
    # h1 = 0.1, h2 = 0.19, h3 = 0.271; summed instead: 1, 2, 3
    want = np.cumsum([-0.01 / (math.sqrt(h) + 1e-7) for h in (0.1, 0.19, 0.271)]) + 2
    assert iterates(ex) == pytest.approx(tuple(want), abs=1e-12)
    summed = np.cumsum([-0.01 / (math.sqrt(h) + 1e-7) for h in (1, 2, 3)]) + 2
    assert ex.mistakes["iterates"]["adagrad_rmsprop_confused"] == pytest.approx(tuple(summed))
    r = grade(ex, {"iterates": typed(summed)}).parts["iterates"]
    assert r.misconception["id"] == "adagrad_rmsprop_confused"


def test_adams_first_step_is_about_lr_whatever_the_gradient():
    ex = steps("Adam", 1, [2, -1, 3], 0.01, eps=1e-8)
    assert iterates(ex)[0] == pytest.approx(1 - 0.01, abs=1e-6)         # w0 - lr * sign(g1)
    assert ex.answers["scaled"] == pytest.approx(1 - 0.01, abs=1e-6)     # g1 = 20: the same step
    # without the bias correction: lr * 0.1 g / sqrt(0.001 g^2) = lr / sqrt(0.1) = 0.0316228
    assert ex.mistakes["iterates"]["adam_no_bias_correction"][0] == pytest.approx(1 - 0.01 / math.sqrt(0.1))
    assert ex.mistakes["scaled"]["adaptive_step_scaled"] == pytest.approx(1 - 10 * 0.01, abs=1e-6)
    r = grade(ex, {"scaled": "0.9"}).parts["scaled"]
    assert r.status == "incorrect" and r.misconception["id"] == "adaptive_step_scaled"
    r = grade(ex, {"iterates": typed(ex.mistakes["iterates"]["adam_no_bias_correction"])}).parts["iterates"]
    assert r.misconception["id"] == "adam_no_bias_correction"
    negative = steps("Adam", 1, [-0.5, 1, 1], 0.01, eps=1e-8)
    assert iterates(negative)[0] == pytest.approx(1.01, abs=1e-6)


def test_the_hand_formulas_agree_with_the_engine_for_every_optimizer():
    hp = {"lr": 0.1, "momentum": 0.5, "decay_rate": 0.99, "beta1": 0.9, "beta2": 0.999, "eps": 0.1}
    for opt in optimizer_steps.OPTIMIZERS:
        used = {k: hp[k] for k in ("lr", *optimizer_steps.HYPER[opt])}
        engine = optimizer_steps.engine_iterates(opt, used, 0.5, [3, -2, 0.5])
        hand = np.cumsum([s["d"] for s in optimizer_steps.hand_steps(opt, used, [3, -2, 0.5])]) + 0.5
        np.testing.assert_allclose(engine, hand, rtol=1e-12, atol=1e-12, err_msg=opt)


# --------------------------------------------------------------------------- every draw
@pytest.mark.parametrize("slug", SLUGS)
def test_thirty_seeds_grade_their_reference_and_name_every_stored_mistake(slug):
    seen = set()
    for seed in range(30):
        ex = generate(slug, seed=seed)
        assert grade(ex, reference_answers(ex)).score == 1.0, seed
        assert all(line.startswith("$") for line in ex.solution["forward"] + ex.solution["backward"])
        assert "$" in ex.statement["ja"] and "$" in ex.statement["en"]
        again = generate(slug, seed=seed, params=ex.params)
        assert again.public() == ex.public() and again.answers == ex.answers and again.mistakes == ex.mistakes
        for pid, found in ex.mistakes.items():
            part = ex.part(pid)
            for mid, wrong in found.items():
                assert mid in MISCONCEPTIONS
                answer = typed(wrong) if part.kind == "ordered" else str(wrong) if part.kind == "choice" else repr(wrong)
                r = grade(ex, {pid: answer}).parts[pid]
                assert r.status == "incorrect" and r.misconception is not None, (seed, pid, mid)
                same = {m for m, w in found.items() if w == wrong or (
                    part.kind == "value" and abs(w - wrong) <= part.precision.tolerance(w))}
                assert r.misconception["id"] in same | {mid}, (seed, pid, mid)
                seen.add(mid)
    assert len(seen) >= 3


def test_drawn_iterates_are_never_a_number_anyone_can_type():
    for seed in range(60):
        ex = generate("optimizer-steps", seed=seed)
        key, tol = ex.answers["iterates"], ex.part("iterates").precision.tolerance
        for v in (*key.values, ex.answers["scaled"]):
            assert all(abs(v - g) > tol(g) for g in (0, 1, -1, *key.givens)), (seed, v)
        assert all(abs(b - a) >= 0.001 for a, b in zip((key.start, *key.values), key.values))


@pytest.mark.parametrize("params", [
    {"optimizer": "SGD", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1, "decay_rate": 0.9},
    {"optimizer": "RMSprop", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1, "decay_rate": 1},
    {"optimizer": "Adam", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1, "eps": 0},
    {"optimizer": "Adam", "w0": 1, "gradients": [1, 2, 3], "lr": 0.1, "scale": 1},
    {"optimizer": "SGD", "w0": 11, "gradients": [1, 2, 3], "lr": 0.1},
    {"optimizer": "SGD", "w0": 1, "gradients": [1, 2, 3, 4], "lr": 0.1},
    {"optimizer": "SGD", "w0": 1, "gradients": [1, "2", 3], "lr": 0.1},
])
def test_wrong_step_params_are_refused(params):
    with pytest.raises(ParamsError) as info:
        generate("optimizer-steps", seed=0, params=params)
    assert info.value.message("ja") and info.value.message("en")


# --------------------------------------------------------------------------- optimizer-code
def test_each_candidate_line_against_the_engine():
    rng = np.random.default_rng(2024)
    for key, variant in optimizer_lines.VARIANTS.items():
        verdicts = optimizer_code.verify(variant, rng)
        assert [verdicts[o.text] for o in variant.options] == ["match"] + ["mismatch"] * (len(variant.options) - 1), key
        assert 4 <= len(variant.options) <= 5 and variant.line in optimizer_lines.CODE[variant.optimizer]


def test_the_shown_code_is_the_engines_optimizer():
    rng = np.random.default_rng(5)
    for opt, program in optimizer_lines.PROGRAMS.items():
        inputs = optimizer_code.random_inputs(rng)
        np.testing.assert_allclose(optimizer_code.run_book(program, *inputs), optimizer_code.run_engine(opt, *inputs),
                                   rtol=1e-12, atol=1e-12, err_msg=opt)


def test_eps_inside_the_root_shows_only_where_h_is_small():
    v = optimizer_lines.VARIANTS[("AdaGrad", "update")]
    inside = v.options[1].text
    assert v.options[1].misconception == "eps_inside_sqrt"
    params = {"W": np.ones(3)}
    big = (0.1, params, [{"W": np.full(3, 2.0)}] * 3)
    tiny = (0.1, params, [{"W": np.full(3, 1e-4)}] * 3)
    for inputs, want in ((big, "match"), (tiny, "mismatch")):  # at |g| = 2, 1e-7 is lost in the rounding
        assert optimizer_code.verdict(v, inside, inputs, optimizer_code.run_engine("AdaGrad", *inputs)) == want


def test_candidate_functions_compute_what_the_lines_say():
    s = type("S", (), {})()
    s.lr, s.momentum, s.v = 0.1, 0.9, {"w": np.array(2.0)}
    p, g = {"w": np.array(1.0)}, {"w": np.array(3.0)}
    optimizer_lines.CANDIDATES["self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]"](s, p, g, "w")
    assert float(s.v["w"]) == pytest.approx(0.9 * 2 - 0.3)
    optimizer_lines.CANDIDATES["params[key] -= self.v[key]"](s, p, g, "w")
    assert float(p["w"]) == pytest.approx(1 - 1.5)
    s.beta1, s.beta2, s.iter = 0.9, 0.999, 0
    optimizer_lines.CANDIDATES["self.iter += 1"](s, p, g, None)
    optimizer_lines.CANDIDATES[optimizer_lines.ADAM_LR](s, p, g, None)
    assert s.iter == 1 and s.lr_t == pytest.approx(0.1 * math.sqrt(0.001) / 0.1)


@pytest.mark.parametrize("optimizer,blank", sorted(optimizer_lines.VARIANTS))
def test_code_exercise_for_every_variant(optimizer, blank):
    ex = generate("optimizer-code", seed=3, params={"optimizer": optimizer, "blank": blank})
    variant = optimizer_lines.VARIANTS[(optimizer, blank)]
    ja = ex.statement["ja"]
    assert "```python\n" in ja and ja.rstrip().endswith("```") and "____" in ja and variant.line not in ja
    options = [c["ja"].strip("`") for c in ex.part("blank").choices]
    assert sorted(options) == sorted(o.text for o in variant.options)
    assert options[ex.answers["blank"]] == variant.line
    for o in variant.options[1:]:
        if o.misconception:
            index = ex.mistakes["blank"][o.misconception]
            assert options[index] == o.text
            assert grade(ex, {"blank": str(index)}).parts["blank"].misconception["id"] == o.misconception
    assert [c["verdict"] for c in ex.solution["checks"]].count("match") == 1
    assert variant.line in ex.explanation["ja"]


def test_code_named_distractors():
    ex = generate("optimizer-code", seed=0, params={"optimizer": "Adam", "blank": "update"})
    options = [c["en"].strip("`") for c in ex.part("blank").choices]
    m = ex.mistakes["blank"]
    assert options[m["eps_inside_sqrt"]] == "params[key] -= lr_t * self.m[key] / np.sqrt(self.v[key] + 1e-7)"
    assert options[m["adam_no_bias_correction"]].startswith("params[key] -= self.lr * self.m[key]")
    assert options[m["update_wrong_sign"]].startswith("params[key] += lr_t")
    ex = generate("optimizer-code", seed=0, params={"optimizer": "Momentum"})
    options = [c["en"].strip("`") for c in ex.part("blank").choices]
    assert options[ex.mistakes["blank"]["momentum_sign_mixed"]] == \
        "self.v[key] = self.momentum*self.v[key] + self.lr*grads[key]"


def test_a_variant_whose_designated_answer_is_wrong_is_rejected():
    v = optimizer_lines.VARIANTS[("AdaGrad", "update")]
    swapped = optimizer_lines.Variant(v.optimizer, v.blank, v.line, (v.options[1], v.options[0], *v.options[2:]), v.formula)
    with pytest.raises(Rejected, match="candidate_check"):
        optimizer_code.verify(swapped, np.random.default_rng(0))
    twin = optimizer_lines.Option("params[key] -= self.lr * grads[key]", None, v.options[0].why)
    sgd = optimizer_lines.VARIANTS[("SGD", "update")]
    unknown = optimizer_lines.Variant(sgd.optimizer, sgd.blank, sgd.line, (*sgd.options, optimizer_lines.Option(
        "params[key] -= 0.01 * grads[key]", None, twin.why)), sgd.formula)
    repeated = optimizer_lines.Variant(sgd.optimizer, sgd.blank, sgd.line, (*sgd.options, twin), sgd.formula)
    for bad in (unknown, repeated):
        with pytest.raises(Rejected, match="bad_variant"):
            optimizer_code.verify(bad, np.random.default_rng(0))


def test_candidates_are_never_evaluated_as_code():
    for module in (optimizer_code, optimizer_lines, optimizer_steps):
        source = pathlib.Path(module.__file__).read_text(encoding="utf-8")
        assert "eval(" not in source and "exec(" not in source and "compile(" not in source


def test_wrong_code_params_are_refused():
    for params in ({"optimizer": "Adam", "blank": "h"}, {"optimizer": "sgd"}, {"optimizer": "SGD", "blank": 1}):
        with pytest.raises(ParamsError):
            generate("optimizer-code", seed=0, params=params)
    assert generate("optimizer-code", seed=0, params={"optimizer": "Nesterov"}).params == \
        {"optimizer": "Nesterov", "blank": "v"}
