"""generate_from(source, seed, params): deterministic, verified exercises from any ``Source``
(see ``exercises.source``), through one draw → build → verify → redraw loop.

``params`` naming only a source's ``preferences`` (a learner's framework, say) is not explicit:
the exercise is drawn from ``seed`` with those values fixed. Each draw is overridden with them
and checked by ``check_params`` as a whole; a value of its own the source refuses is a
``ParamsError``, a draw whose other values do not fit it is redrawn ("preferences"). The
exercise's ``params`` are then complete, so ``generate_from(source, seed, ex.params)`` rebuilds
it, and the same (seed, preferences) draws it again."""
from __future__ import annotations

import secrets
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .errors import ParamsError, Rejected, TemplateBroken, broken
from .exercise import Exercise
from .misconceptions import MISCONCEPTIONS
from .source import Source

MAX_DRAWS = 100  # a template whose draws pass less often than that is broken (draw report)
MAX_SEED = 2**63 - 1


def rng_for(source: Source, seed: int) -> np.random.Generator:
    """The same (slug, version, seed) gives the same stream in every process."""
    return np.random.default_rng([seed, zlib.crc32(source.slug.encode()), source.version])


def checked_seed(seed) -> int:
    if seed is None:
        return secrets.randbelow(2**31)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ParamsError("seed は 0 以上の整数です", "seed must be a non-negative integer")
    return seed


def generate_from(source: Source, seed: int | None = None, params: dict | None = None) -> Exercise:
    """A verified exercise: drawn from ``seed`` (random when None), or built from ``params``;
    drawn with them fixed when ``params`` names only the source's preferences."""
    seed = checked_seed(seed)
    rng = rng_for(source, seed)
    layout = source.layout(rng)
    if params is not None and not preferences_only(source, params):
        checked = source.check_params(params)
        try:
            return _known_mistakes(source.build(seed, checked, layout(), drawn=False))
        except Rejected as rejected:
            raise ParamsError(f"このパラメータでは問題を作れません: {rejected}",
                              f"these parameters do not make a valid exercise: {rejected}",
                              reason=rejected.reason) from None
    return _draw(source, seed, rng, layout, Counter(), {}, fixed=params)


def preferences_only(source: Source, params) -> bool:
    """Whether ``params`` fixes some of the source's preferences and nothing else ({} stays
    explicit: every parameter at its default)."""
    preferences = getattr(source, "preferences", ())
    return isinstance(params, dict) and bool(params) and all(key in preferences for key in params)


def _fixed_draw(source: Source, rng, fixed: dict) -> dict:
    """One draw with the ``fixed`` preferences in place of the drawn values, checked whole."""
    try:
        return source.check_params({**source.draw(rng), **fixed})
    except ParamsError as error:
        if error.details.get("field") in {f"params.{key}" for key in fixed}:
            raise  # the value itself is refused: no other draw can fix it
        raise Rejected("preferences", error.message_en) from None


def _draw(source: Source, seed: int, rng, layout, reasons: Counter, examples: dict,
          fixed: dict | None = None) -> Exercise:
    """Up to MAX_DRAWS draws (with the ``fixed`` preferences, if any); every rejection is
    counted in ``reasons`` (and its first detail kept in ``examples``), even when a later draw
    succeeds."""
    own: Counter = Counter()
    last = None
    for _ in range(MAX_DRAWS):
        try:
            params = _fixed_draw(source, rng, fixed) if fixed else source.draw(rng)
            exercise = source.build(seed, params, layout(), drawn=True)
        except Rejected as rejected:
            own[rejected.reason] += 1
            examples.setdefault(rejected.reason, rejected.detail)
            last = rejected
            if rejected.fatal:
                break
        else:
            reasons.update(own)
            return _known_mistakes(exercise)
    reasons.update(own)
    if fixed and last is not None and own["preferences"] == sum(own.values()):  # the caller's values
        raise ParamsError(f"このパラメータ {fixed} に合う問題を引けません（{last.detail}）",
                          f"no exercise can be drawn with the parameters {fixed} ({last.detail})", field="params")
    raise broken(source.slug, seed, own, last)


def _known_mistakes(exercise: Exercise) -> Exercise:
    """Every mistake an exercise names must be a known misconception (templates are checked
    when loaded; this catches a generator's slip)."""
    unknown = {mid for found in exercise.mistakes.values() for mid in found} - set(MISCONCEPTIONS)
    if unknown:
        raise TemplateBroken(f"{exercise.slug}: 知らない誤解の id {sorted(unknown)}",
                             f"{exercise.slug}: unknown misconception ids {sorted(unknown)}", seed=exercise.seed)
    return exercise


@dataclass
class DrawReport:
    """What ``draw_report`` saw over a range of seeds (for checking a template before use)."""
    seeds: int = 0
    exercises: list = field(default_factory=list)    # the verified instances, in seed order
    rejected: Counter = field(default_factory=Counter)  # reason -> rejected draws
    examples: dict = field(default_factory=dict)       # reason -> the first rejection's detail
    failed: dict = field(default_factory=dict)         # seed -> TemplateBroken (no instance)

    @property
    def draws(self) -> int:
        return len(self.exercises) + sum(self.rejected.values())


def draw_report(source: Source, seeds) -> DrawReport:
    """Generate every seed of ``seeds`` exactly as ``generate_from`` does, counting the
    rejected draws by reason; a seed that makes no instance is kept in ``failed``."""
    report = DrawReport()
    for seed in seeds:
        report.seeds += 1
        rng = rng_for(source, seed)
        try:
            report.exercises.append(_draw(source, seed, rng, source.layout(rng),
                                          report.rejected, report.examples))
        except TemplateBroken as broken_seed:
            report.failed[seed] = broken_seed
    return report
