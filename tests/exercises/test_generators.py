"""Built-in generators (exercises/generators): every generator over 30 seeds, grading of the
reference and misconception answers, determinism, and the refused explicit parameters of
generator_bad_params.py. Numbers checked by hand are in each family's own test file."""
import math

import pytest

from exercises import generate, grade
from exercises import catalog
from exercises.errors import ParamsError
from exercises.grading import reference_answers
from tests.exercises.answer_text import ARRAYS, differs, flat, typed
from exercises.generators import GENERATORS
from exercises.misconceptions import MISCONCEPTIONS
from exercises.spec.syllabus import SYLLABUS, ordered
from exercises.spec.vocab import FAMILIES, LIMITS, TOPICS
from tests.exercises.generator_bad_params import BAD_PARAMS

SEEDS = range(30)
SLUGS = [g.slug for g in GENERATORS]
NUMERIC = {"value", "gradient"}


def by_slug(slug):
    return next(g for g in GENERATORS if g.slug == slug)


def is_text(x) -> bool:
    return isinstance(x, dict) and set(x) == {"ja", "en"} and all(isinstance(v, str) and v.strip() for v in x.values())


# --------------------------------------------------------------------------- registry
def test_registry_metadata_follows_the_template_vocabulary():
    assert len(SLUGS) == len(set(SLUGS)) and set(BAD_PARAMS) == set(SLUGS)
    listed = {t.slug for t in catalog()}
    for g in GENERATORS:
        assert g.slug in listed
        assert g.family in FAMILIES and set(g.topics) <= set(TOPICS) and g.topics
        assert g.syllabus and list(g.syllabus) == ordered(g.syllabus) and set(g.syllabus) <= set(SYLLABUS)
        assert g.difficulty in (1, 2, 3, 4, 5) and isinstance(g.version, int) and g.version >= 1
        assert is_text(g.title) and is_text(g.statement) and is_text(g.params_doc)
        assert isinstance(g.source, str) and g.source
        assert all(is_text(h) for h in g.hints) and len(g.hints) <= LIMITS["hints"]

# --------------------------------------------------------------------------- every generator
@pytest.mark.parametrize("slug", SLUGS)
def test_thirty_seeds_generate_well_formed_exercises(slug):
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        assert (ex.slug, ex.seed, ex.family) == (slug, seed, by_slug(slug).family)
        assert is_text(ex.statement) and "$" in ex.statement["ja"] + ex.statement["en"] or ex.family == "code-fill"
        assert ex.parts and set(ex.answers) == {p.id for p in ex.parts} and set(ex.mistakes) <= set(ex.answers)
        for part in ex.parts:
            assert is_text(part.prompt)
            if part.kind in NUMERIC:
                assert part.precision is not None and math.isfinite(ex.answers[part.id])
                assert not (ex.answers[part.id] == 0 and math.copysign(1, ex.answers[part.id]) < 0)  # no -0.0
            elif part.kind in ARRAYS:
                values = flat(ex.answers[part.id].values)
                assert part.precision is not None and len(values) == math.prod(part.shape)
                assert all(math.isfinite(v) for v in values)
            else:
                assert part.kind == "choice" and 2 <= len(part.choices) <= LIMITS["choices"]
                assert all(is_text(c) for c in part.choices)
                assert len({c["ja"] for c in part.choices}) == len(part.choices)
                assert 0 <= ex.answers[part.id] < len(part.choices)
        sol = ex.solution
        assert isinstance(sol["forward"], list) and isinstance(sol["backward"], list) and sol["backward"]
        assert all(isinstance(s, str) and s.startswith("$") for s in sol["forward"] + sol["backward"])
        assert set(sol["headings"]) == {"forward", "backward"} and all(is_text(h) for h in sol["headings"].values())
        assert all(is_text(h) for h in ex.hints) and is_text(ex.explanation)
        public = ex.public()
        assert "answers" not in public and "mistakes" not in public and "solution" not in public
        if ex.graph is not None:
            assert all("grad" not in n for n in ex.graph["nodes"])


@pytest.mark.parametrize("slug", SLUGS)
def test_reference_answers_score_one_and_misconceptions_are_incorrect_and_named(slug):
    named = set()
    for seed in SEEDS:
        ex = generate(slug, seed=seed)
        result = grade(ex, reference_answers(ex))
        assert result.valid and result.score == 1.0, (seed, result.to_dict())
        for pid, found in ex.mistakes.items():
            part = ex.part(pid)
            for mid, wrong in found.items():
                assert mid in MISCONCEPTIONS
                right = ex.answers[pid].values if part.kind in ARRAYS else ex.answers[pid]
                if part.kind == "choice":
                    assert wrong != ex.answers[pid]
                else:
                    assert differs(part, wrong, right)
                r = grade(ex, {pid: typed(part, wrong)}).parts[pid]
                assert r.status == "incorrect" and r.misconception is not None, (seed, pid, mid)
                if part.kind == "choice":
                    assert r.misconception["id"] == mid
                else:  # two mistakes may give the same number: the grader names one of them
                    same = {m for m, v in found.items() if not differs(part, wrong, v)}
                    assert r.misconception["id"] in same
                named.add(mid)
    assert named, "no generator exercise named any misconception"


@pytest.mark.parametrize("slug", SLUGS)
def test_same_seed_gives_the_same_exercise_and_params_rebuild_it(slug):
    statements = set()
    for seed in range(6):
        a, b = generate(slug, seed=seed), generate(slug, seed=seed)
        assert a.public() == b.public() and reference_answers(a) == reference_answers(b)
        assert a.mistakes == b.mistakes and a.solution == b.solution
        c = generate(slug, seed=seed, params=a.params)  # the exercise's own params rebuild it
        assert c.public() == a.public() and reference_answers(c) == reference_answers(a) and c.mistakes == a.mistakes
        statements.add(a.statement["ja"] + repr(a.parts))
    assert len(statements) > 1




@pytest.mark.parametrize("slug", SLUGS)
def test_bad_explicit_params_are_refused_with_a_message_in_both_languages(slug):
    for params in BAD_PARAMS[slug]:
        with pytest.raises(ParamsError) as info:
            generate(slug, seed=1, params=params)
        assert info.value.message("ja") and info.value.message("en") and info.value.code == "invalid_params"
