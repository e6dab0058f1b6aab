"""generate(template, seed, params): deterministic, verified exercises."""
from __future__ import annotations

import secrets
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .build import build_exercise
from .errors import ParamsError, Rejected, TemplateBroken, broken
from .exercise import Exercise
from .numbers import finite
from .spec.model import Template
from .spec.satisfy import holds

MAX_DRAWS = 30
MAX_SEED = 2**63 - 1


def rng_for(template: Template, seed: int) -> np.random.Generator:
    """The same (slug, version, seed) gives the same stream in every process."""
    return np.random.default_rng([seed, zlib.crc32(template.slug.encode()), template.version])


def generate_from(template, seed: int | None = None, params: dict | None = None) -> Exercise:
    """``template`` is a ``Template`` (data) or a built-in generator (see generators/)."""
    if seed is None:
        seed = secrets.randbelow(2**31)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ParamsError("seed は 0 以上の整数です", "seed must be a non-negative integer")
    rng = rng_for(template, seed)
    if not isinstance(template, Template):
        return _checked_generator_output(template, template.generate(seed, params, rng))
    if params is not None:
        return _with_params(template, seed, _checked_params(template, params), rng)
    return _draw(template, seed, rng, Counter(), {})


def _draw(template: Template, seed: int, rng, reasons: Counter, examples: dict) -> Exercise:
    """Up to MAX_DRAWS draws; every rejection is counted in ``reasons`` (and its first
    detail kept in ``examples``), even when a later draw succeeds."""
    own: Counter = Counter()
    last = None
    for _ in range(MAX_DRAWS):
        drawn = {p.name: p.draw(rng) for p in template.params}
        if not all(bool(holds(c, drawn)) for c in template.constraints):
            own["constraints"] += 1
            examples.setdefault("constraints", "")
            continue
        try:
            exercise = build_exercise(template, drawn, seed, rng)
        except Rejected as rejected:
            own[rejected.reason] += 1
            examples.setdefault(rejected.reason, rejected.detail)
            last = rejected
            if rejected.fatal:
                break
        else:
            reasons.update(own)
            return exercise
    reasons.update(own)
    raise broken(("テンプレート", "template"), template.slug, seed, own, last)


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


def draw_report(template: Template, seeds) -> DrawReport:
    """Generate every seed of ``seeds`` exactly as ``generate_from`` does, counting the
    rejected draws by reason; a seed that makes no instance is kept in ``failed``."""
    report = DrawReport()
    for seed in seeds:
        report.seeds += 1
        try:
            report.exercises.append(_draw(template, seed, rng_for(template, seed),
                                          report.rejected, report.examples))
        except TemplateBroken as broken:
            report.failed[seed] = broken
    return report


def _checked_generator_output(generator, exercise: Exercise) -> Exercise:
    """A Python generator is our code, but its mistakes must still name known misconceptions."""
    from .grading.misconceptions import MISCONCEPTIONS
    unknown = {mid for found in exercise.mistakes.values() for mid in found} - set(MISCONCEPTIONS)
    if unknown:
        raise TemplateBroken(f"{generator.slug}: 知らない誤解の id {sorted(unknown)}",
                             f"{generator.slug}: unknown misconception ids {sorted(unknown)}", seed=exercise.seed)
    return exercise


def _with_params(template: Template, seed: int, params: dict, rng) -> Exercise:
    try:
        return build_exercise(template, params, seed, rng)
    except Rejected as rejected:
        raise ParamsError(f"このパラメータでは問題を作れません: {rejected}",
                          f"these parameters do not make a valid exercise: {rejected}",
                          reason=rejected.reason) from None


def _domain(spec) -> str:
    if spec.choices:
        return " | ".join(spec.format(c) for c in spec.choices)
    return f"{spec.format(spec.low)}..{spec.format(spec.high)} step {spec.format(spec.step)}"


def _checked_params(template: Template, params: dict) -> dict:
    if not isinstance(params, dict):
        raise ParamsError("params はパラメータ名と数値の対応です", "params must map parameter names to numbers")
    names = set(template.param_names)
    missing, unknown = names - set(params), set(params) - names
    if missing or unknown:
        raise ParamsError(f"パラメータが足りないか余分です（不足: {sorted(missing)}, 不明: {sorted(unknown)}）",
                          f"missing or unknown parameters (missing: {sorted(missing)}, unknown: {sorted(unknown)})",
                          field="params")
    out = {}
    for spec in template.params:
        value = params[spec.name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not finite(value) \
                or not spec.contains(float(value)):
            raise ParamsError(f"{spec.name} = {value!r} は範囲外か、刻みに合っていません（{_domain(spec)}）",
                              f"{spec.name} = {value!r} is outside its domain or off its grid ({_domain(spec)})",
                              field=f"params.{spec.name}")
        out[spec.name] = round(float(value), spec.decimals)
    for c in template.constraints:
        if not bool(holds(c, out)):
            raise ParamsError(f"条件 {c.text} を満たしていません", f"the constraint {c.text} does not hold",
                              field="params")
    return out
