"""Measure the error of numerical differentiation, to choose gradient_check's defaults.

    python bench/numdiff_tolerance.py [--samples N] [--seed S] [--no-engine]

Prints tables (no timing): for each elementary function of the engine, at random points over
several magnitudes, the error of the central difference against the exact derivative; the
error-vs-eps curve (truncation ~ eps^2 |f'''|/6 against rounding ~ u|f|/eps); float32; the
false-alarm rate of candidate (rtol, atol) pairs; and, when the engine is importable, the
same through gradient_check on engine graphs plus the smallest wrong-backward error that the
defaults detect. The figures and the decision are written up in docs/numdiff.md.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from exercises.numdiff import default_tolerances, numerical_diff  # noqa: E402

U64 = np.finfo(np.float64).eps
U32 = np.finfo(np.float32).eps


def _sig(x):
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


# name -> (f, f', f''', sampler(rng, n, magnitude), magnitude bands)
def _sym(rng, n, m):
    return rng.uniform(-m, m, n)


def _pos(rng, n, m):
    """Positive points away from the pole/branch point at 0: [0.1, m]; m=0.1 is the
    near-pole band [0.01, 0.1] (only 100..1000 eps away from the singularity)."""
    lo = 0.01 if m <= 0.1 else 0.1
    return rng.uniform(lo, m, n)


FUNCS = {
    "square": (lambda x: x**2, lambda x: 2 * x, lambda x: 0 * x, _sym, (1e-3, 1, 10, 1e3)),
    "cube (pow 3)": (lambda x: x**3, lambda x: 3 * x**2, lambda x: 6 + 0 * x, _sym, (1e-3, 1, 10, 1e3)),
    "mul by const 3.7": (lambda x: 3.7 * x, lambda x: 3.7 + 0 * x, lambda x: 0 * x, _sym, (1e-3, 1, 10, 1e3, 1e5)),
    "exp": (np.exp, np.exp, np.exp, _sym, (1e-3, 1, 5, 20)),
    "log": (np.log, lambda x: 1 / x, lambda x: 2 / x**3, _pos, (0.1, 1, 10, 1e3)),
    "sin": (np.sin, np.cos, lambda x: -np.cos(x), _sym, (1e-3, 1, 10, 1e3)),
    "cos": (np.cos, lambda x: -np.sin(x), np.sin, _sym, (1e-3, 1, 10, 1e3)),
    "tan": (np.tan, lambda x: 1 / np.cos(x) ** 2,
            lambda x: (2 + 4 * np.sin(x) ** 2) / np.cos(x) ** 4, _sym, (1e-3, 1, 1.4)),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2,
             lambda x: -2 * (1 - np.tanh(x) ** 2) * (1 - 3 * np.tanh(x) ** 2), _sym, (1e-3, 1, 5, 20)),
    "sigmoid": (_sig, lambda x: _sig(x) * (1 - _sig(x)),
                lambda x: _sig(x) * (1 - _sig(x)) * (1 - 6 * _sig(x) * (1 - _sig(x))), _sym, (1e-3, 1, 10, 40)),
    "sqrt": (np.sqrt, lambda x: 0.5 / np.sqrt(x), lambda x: 0.375 * x**-2.5, _pos, (0.1, 1, 10, 1e3)),
    "reciprocal (div)": (lambda x: 1 / x, lambda x: -1 / x**2, lambda x: -6 / x**4, _pos, (0.1, 1, 10, 1e3)),
    "seed exp(x^2)^2": (lambda x: np.exp(x**2) ** 2, lambda x: 4 * x * np.exp(2 * x**2),
                        lambda x: (48 * x + 64 * x**3) * np.exp(2 * x**2), _sym, (1e-3, 0.5, 1, 2)),
}


def _pct(a, q):
    return float(np.percentile(a, q)) if len(a) else float("nan")


def central_errors(f, df, x, eps, dtype=np.float64):
    """Absolute and relative error of numerical_diff against the exact derivative."""
    xd = x.astype(dtype)
    num = numerical_diff(f, xd, eps=dtype(eps)).astype(np.float64)
    exact = df(xd.astype(np.float64))
    err = np.abs(num - exact)
    rel = err / np.maximum(np.abs(exact), 1e-300)
    return err, rel, num, exact


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()


def fmt(x):
    return f"{x:.1e}"


def section_functions(rng, n, eps, dtype=np.float64):
    print(f"## central difference, eps={eps:g}, {np.dtype(dtype).name}: error vs exact derivative "
          f"({n} random points per magnitude band)")
    rows, all_abs, all_rel, all_pairs = [], [], [], []
    for name, (f, df, d3, sampler, mags) in FUNCS.items():
        for m in mags:
            x = sampler(rng, n, m)
            if name == "sigmoid" and dtype == np.float32:
                pass
            err, rel, num, exact = central_errors(f, df, x, eps, dtype)
            fx = np.abs(f(x))
            # model: truncation eps^2|f'''|/6 + rounding u*|f|/eps  (u = unit roundoff * a few)
            u = U64 if dtype == np.float64 else U32
            model = eps**2 * np.abs(d3(x)) / 6 + u * fx / eps + u * np.abs(x * df(x)) / eps
            ok = np.isfinite(err)
            rows.append([name, f"|x|<={m:g}", fmt(_pct(err[ok], 50)), fmt(_pct(err[ok], 99)),
                         fmt(err[ok].max()), fmt(_pct(rel[ok], 50)), fmt(_pct(rel[ok], 99)),
                         fmt(rel[ok].max()), fmt(float(np.max(err[ok] / np.maximum(model[ok], 1e-300))))])
            all_abs.append(err[ok])
            all_rel.append(rel[ok])
            all_pairs.append((num[ok], exact[ok], fx[ok], name, m, band_class(sampler, m)))
    table(rows, ["function", "points", "abs p50", "abs p99", "abs max", "rel p50", "rel p99",
                 "rel max", "max err/model"])
    return all_pairs


def section_eps_curve():
    print("## error vs eps (float64): the V shape, minimum near cbrt(u) = "
          f"{np.cbrt(U64):.1e}; forward difference minimum near sqrt(u) = {np.sqrt(U64):.1e}")
    cases = [("sin at 1", np.sin, np.cos, 1.0), ("exp at 1", np.exp, np.exp, 1.0),
             ("square at 2 (seed)", lambda x: x**2, lambda x: 2 * x, 2.0),
             ("exp(x^2)^2 at 0.5 (seed)", lambda x: np.exp(x**2) ** 2, lambda x: 4 * x * np.exp(2 * x**2), 0.5),
             ("x^2 at 1e4", lambda x: x**2, lambda x: 2 * x, 1e4)]
    epss = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 6e-6, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]
    rows = []
    for name, f, df, x in cases:
        x = np.float64(x)
        c = [abs(float((f(x + e) - f(x - e)) / (2 * e)) - float(df(x))) / abs(float(df(x))) for e in epss]
        fw = [abs(float((f(x + e) - f(x)) / e) - float(df(x))) / abs(float(df(x))) for e in epss]
        rows.append([name + " central"] + [fmt(v) for v in c])
        rows.append([name + " forward"] + [fmt(v) for v in fw])
    table(rows, ["relative error"] + [f"{e:g}" for e in epss])


def band_class(sampler, m):
    if sampler is _pos and m <= 0.1:
        return "near-pole"
    return "large |x|" if m > 10 else "typical"


CLASSES = ("typical", "near-pole", "large |x|")


def section_criteria(pairs, candidates, label):
    print(f"## |a-n| <= atol + rtol*|n| with a = exact derivative, n = numerical ({label}):")
    print("## false alarms / points and max violation (error / tolerance; <= 1 passes) per class of band")
    rows = []
    for rtol, atol in candidates:
        row = [f"{rtol:g}", f"{atol:g}"]
        for cls in CLASSES:
            fails = total = 0
            worst = 0.0
            for num, exact, fx, name, m, c in pairs:
                if c != cls:
                    continue
                viol = np.abs(num - exact) / (atol + rtol * np.abs(num))
                viol = np.where(np.isnan(viol), np.inf, viol)
                fails += int((viol > 1).sum())
                total += len(num)
                worst = max(worst, float(viol.max()) if len(viol) else 0.0)
            row += [f"{fails}/{total}", f"{worst:.2g}"]
        rows.append(row)
    hdr = ["rtol", "atol"]
    for cls in CLASSES:
        hdr += [f"{cls}: alarms", "max viol"]
    table(rows, hdr)


def section_required_rtol(rng, n, epss):
    """For each eps: the smallest rtol (with atol = rtol/100) that passes every sampled point."""
    print("## smallest rtol (atol = rtol/100) with zero false alarms, per eps and class of band (float64)")
    rows = []
    for eps in epss:
        need = {c: 0.0 for c in CLASSES}
        for name, (f, df, d3, sampler, mags) in FUNCS.items():
            for m in mags:
                x = sampler(rng, n, m)
                err, rel, num, exact = central_errors(f, df, x, eps)
                # err <= rtol/100 + rtol*|n|  <=>  rtol >= err / (0.01 + |n|)
                r = err / (0.01 + np.abs(num))
                r = r[np.isfinite(r)]
                c = band_class(sampler, m)
                need[c] = max(need[c], float(r.max()))
        rows.append([f"{eps:.2g}"] + [fmt(need[c]) for c in CLASSES] + [fmt(max(need.values()))])
    table(rows, ["eps"] + list(CLASSES) + ["all"])


def section_float32_upcast(rng, n, candidates):
    """What gradient_check does for float32 inputs: analytic (backward) in float32, the
    numerical side in float64 from the same float32 points."""
    print("## float32 analytic derivative vs float64 central difference (eps=1e-5) at the same points")
    pairs = []
    for name, (f, df, d3, sampler, mags) in FUNCS.items():
        for m in mags:
            x32 = sampler(rng, n, m).astype(np.float32)
            with np.errstate(all="ignore"):
                a32 = np.asarray(df(x32)).astype(np.float32)
                num = numerical_diff(f, x32.astype(np.float64), eps=1e-5)
            ok = np.isfinite(a32) & np.isfinite(num)
            pairs.append((num[ok], a32[ok].astype(np.float64), None, name, m, band_class(sampler, m)))
    section_criteria(pairs, candidates, "a = float32 analytic")


def section_engine(rng, n):
    try:
        from exercises.autodiff import Function, Variable  # noqa: F401
        from exercises.autodiff import functions as F
        from exercises.numdiff import gradient_check
    except ImportError as exc:
        print(f"## engine not importable ({exc}); skipping the engine sections\n")
        return
    eps, rtol, atol = default_tolerances(np.float64)
    print(f"## gradient_check with the defaults (eps={eps:g}, rtol={rtol:g}, atol={atol:g}) on engine graphs")
    graphs = {
        "F.square": (lambda x: F.square(x), lambda: rng.uniform(-10, 10, 5)),
        "F.exp": (lambda x: F.exp(x), lambda: rng.uniform(-5, 5, 5)),
        "F.log": (lambda x: F.log(x), lambda: rng.uniform(0.1, 100, 5)),
        "F.sin": (lambda x: F.sin(x), lambda: rng.uniform(-10, 10, 5)),
        "F.cos": (lambda x: F.cos(x), lambda: rng.uniform(-10, 10, 5)),
        "F.tan": (lambda x: F.tan(x), lambda: rng.uniform(-1.3, 1.3, 5)),
        "F.tanh": (lambda x: F.tanh(x), lambda: rng.uniform(-5, 5, 5)),
        "F.sigmoid": (lambda x: F.sigmoid(x), lambda: rng.uniform(-10, 10, 5)),
        "F.sqrt": (lambda x: F.sqrt(x), lambda: rng.uniform(0.1, 100, 5)),
        "x**3 / (1+x*x)": (lambda x: x**3 / (1 + x * x), lambda: rng.uniform(-10, 10, 5)),
        "seed exp(x^2)^2": (lambda x: F.square(F.exp(F.square(x))), lambda: rng.uniform(-1.5, 1.5, 5)),
        "shopping (100*n*1.1)": (lambda a, n: a * n * 1.1, lambda: (rng.integers(50, 500, 3).astype(float),
                                                                    rng.integers(1, 10, 3).astype(float))),
        "tanh(W@x+b) 5x4": (lambda W, x, b: F.tanh(F.matmul(W, x) + b),
                            lambda: (rng.normal(size=(5, 4)), rng.normal(size=(4, 3)), rng.normal(size=(5, 1)))),
        "softmax_cross_entropy": (lambda x: F.softmax_cross_entropy(x, np.array([0, 2, 1])),
                                  lambda: rng.normal(scale=3, size=(3, 4))),
        "mean_squared_error": (lambda a, b: F.mean_squared_error(a, b),
                               lambda: (rng.normal(size=(4, 3)), rng.normal(size=(4, 3)))),
        "sum(sigmoid(x)*x**2)": (lambda x: F.sum(F.sigmoid(x) * x**2), lambda: rng.normal(scale=4, size=(6,))),
    }
    rows = []
    for name, (fn, gen) in graphs.items():
        fails, worst_rel, worst_viol = 0, 0.0, 0.0
        for _ in range(n):
            args = gen()
            args = args if isinstance(args, tuple) else (args,)
            try:
                res = gradient_check(fn, *args)
            except Exception as exc:  # an engine function missing or failing: report it
                rows.append([name, "error", f"{type(exc).__name__}: {exc}"[:60], "", ""])
                break
            fails += not res.ok
            for r in res.inputs:
                worst_rel = max(worst_rel, r.max_rel_error)
                diff = np.abs(r.analytic_grad - r.numeric_grad)
                worst_viol = max(worst_viol, float(np.max(diff / (res.atol + res.rtol * np.abs(r.numeric_grad)))))
        else:
            rows.append([name, f"{fails}/{n}", fmt(worst_rel), f"{worst_viol:.2g}", ""])
    table(rows, ["graph", "false alarms", "max rel err", "max violation (<=1 passes)", ""])

    print("## detection: the smallest relative error in a backward rule that the defaults catch")

    class ScaledSin(Function):
        delta = 0.0

        def forward(self, x):
            return np.sin(x)

        def backward(self, gy):
            (x,) = self.input_values(gy)
            return gy * np.cos(x) * (1 + ScaledSin.delta)

    rows = []
    xs = rng.uniform(-3, 3, 200)
    for delta in (1e-2, 1e-3, 1e-4, 3e-5, 2e-5, 1e-5, 1e-6):
        ScaledSin.delta = delta
        caught = sum(not gradient_check(lambda v: ScaledSin()(v), np.array(x)).ok for x in xs)
        rows.append([f"{delta:g}", f"{caught}/{len(xs)}"])
    table(rows, ["backward off by (relative)", "caught at x~U(-3,3)"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-engine", action="store_true")
    a = ap.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    np.seterr(all="ignore")
    print(f"unit roundoff u (float64) = {U64:.3g}, cbrt(u) = {np.cbrt(U64):.3g}; "
          f"float32 u = {U32:.3g}, cbrt(u) = {np.cbrt(U32):.3g}\n")
    section_eps_curve()
    section_required_rtol(rng, a.samples, [1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 6e-6, 3e-6, 1e-6])
    pairs64 = section_functions(rng, a.samples, 1e-4)
    cands = [(1e-3, 1e-5), (1e-4, 1e-6), (1e-5, 1e-7), (1e-6, 1e-8), (1e-7, 1e-9)]
    section_criteria(pairs64, cands, "float64, eps=1e-4")
    pairs64b = section_functions(rng, a.samples, 1e-5)
    section_criteria(pairs64b, cands, "float64, eps=1e-5")
    pairs32 = section_functions(rng, a.samples, 1e-2, np.float32)
    section_criteria(pairs32, [(1e-1, 1e-2), (5e-2, 1e-3), (1e-2, 1e-3)], "float32 end to end, eps=1e-2")
    section_float32_upcast(rng, a.samples, [(1e-2, 1e-4), (1e-3, 1e-5), (1e-4, 1e-6)])
    if not a.no_engine:
        section_engine(rng, max(10, a.samples // 100))


if __name__ == "__main__":
    main()
