"""Autodiff benchmark: our engine side by side with DeZero, micrograd, PyTorch and a 40-line
pure-Python reference engine, in one run.

    bash scripts/bench               # full run in .bench-venv/ (several minutes)
    bash scripts/bench --quick       # small sizes, our engine only: a smoke run
    python bench/autodiff_bench.py --help

Every measurement runs in a fresh worker process (this file with --worker): one engine is
imported per process, memory figures are not polluted by the other engines, and a crash or a
RecursionError in one engine is reported instead of ending the run. Workers run one at a
time with BLAS/OpenMP/torch limited to one thread. Times are time.perf_counter; tables show
the median and the best of the repeats (the count is printed; the best is the figure least
disturbed by other processes on a shared machine); the cyclic GC is left enabled (Python's
default) unless --gc off, and gc.collect() runs before every repeat.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc
import weakref

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_cases import CASES, C_EVEN, C_ODD, D, _pairwise_sum, case_layer, correctness  # noqa: E402,F401
from bench_report import best, fmt_b, fmt_t, human_n, med, table  # noqa: E402,F401
import bench_sections as sections  # noqa: E402


# --------------------------------------------------------------------------- worker side
def _rss_kb(field):
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss():
    """Reset VmHWM (Linux >= 4.0) so that the peak is measured from here."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class _FullGcClock:
    """Seconds spent in CPython's full (generation-2) collections, through gc.callbacks."""

    def __init__(self):
        self.total, self._t0 = 0.0, None
        gc.callbacks.append(self._tick)

    def _tick(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self._t0 = time.perf_counter()
        elif self._t0 is not None:
            self.total += time.perf_counter() - self._t0
            self._t0 = None


_full_gc = _FullGcClock()


def _timed_run(eng, build, gc_off):
    leaves_fn, forward, check, ops = build
    leaves = leaves_fn()
    gc.collect()
    full_gc_before = _full_gc.total
    if gc_off:
        gc.disable()
    phase = "forward"
    try:
        t0 = time.perf_counter()
        y = forward(*leaves)
        t1 = time.perf_counter()
        phase = "backward"
        eng.backward(y)
        t2 = time.perf_counter()
        full_gc = _full_gc.total - full_gc_before
        phase = "teardown"
        del y
        t3 = time.perf_counter()
    except RecursionError as exc:
        raise RecursionError(f"in {phase}") from exc
    finally:
        if gc_off:
            gc.enable()
    err = check(*leaves)
    del leaves
    return {"fwd": t1 - t0, "bwd": t2 - t1, "teardown": t3 - t2, "full_gc": full_gc, "err": err}


def worker(spec):
    from bench_engines import ENGINES

    eng = ENGINES[spec["engine"]]()
    out = {"engine": spec["engine"], "version": eng.load()}
    mode, case, n = spec["mode"], spec.get("case"), spec.get("n")
    out["recursionlimit"] = sys.getrecursionlimit()

    def make(size):
        if case == "layer":
            return case_layer(eng, size, spec["batch"])
        return CASES[case](eng, size)

    if mode == "time":
        # warm-up on a small graph (imports, caches), then measure the peak RSS of the runs
        _timed_run(eng, make(min(n, 100) if case != "layer" else min(n, 50)), False)
        gc.collect()
        rss0 = _rss_kb("VmRSS")
        hwm_reset = _reset_peak_rss()
        base = rss0 if hwm_reset else _rss_kb("VmHWM")
        build = make(n)
        runs = []
        for _ in range(spec["repeats"]):
            runs.append(_timed_run(eng, build, spec.get("gc_off", False)))
        hwm = _rss_kb("VmHWM")
        out.update(ops=build[3], runs=runs,
                   rss_peak_delta=(hwm - base) * 1024 if hwm and base else None)
    elif mode == "pair":
        # Linearity: small and large graphs interleaved in one process, so that both sizes
        # meet the same moments of a shared machine (separate processes minutes apart can
        # put one size in a slow spell and the other in a quiet one).
        small, large = make(spec["small"]), make(spec["large"])
        _timed_run(eng, make(min(spec["small"], 100)), False)
        runs = {"small": [], "large": []}
        for _ in range(spec["rounds"]):
            for _ in range(spec["per_round"]):
                runs["small"].append(_timed_run(eng, small, spec.get("gc_off", False)))
            runs["large"].append(_timed_run(eng, large, spec.get("gc_off", False)))
        out.update(ops={"small": small[3], "large": large[3]}, runs=runs)
    elif mode == "mem":
        leaves_fn, forward, check, ops = make(n)
        gc.collect()
        tracemalloc.start()
        leaves = leaves_fn()
        y = forward(*leaves)
        held = tracemalloc.get_traced_memory()[0]
        eng.backward(y)
        peak = tracemalloc.get_traced_memory()[1]
        del y, leaves
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        out.update(ops=ops, held_after_forward=held, peak=peak, left_after_del=after)
    elif mode == "free":
        # build + backward + del with the cyclic GC off: do weakrefs die by refcounting alone?
        gc.collect()
        gc.disable()
        try:
            refs = []

            def keep(v):
                refs.append(weakref.ref(v))
                try:  # the Function node too, where the engine has one (ours, DeZero)
                    refs.append(weakref.ref(v.creator))
                except (AttributeError, TypeError):
                    pass
                return v

            x = eng.leaf(0.5)
            if spec["graph"] == "chain":
                y = x
                for i in range(n // 2):
                    y = y * (C_ODD if i & 1 == 0 else C_EVEN) + D
                    if i % 50 == 0:
                        keep(y)
            else:  # tree: sum_i x * c_i, depth ~log2 n
                terms = [x * ((i % 10 + 1) / 10) for i in range(n)]
                for t in terms[::100]:
                    keep(t)
                y = _pairwise_sum(terms)
                del terms, t
            try:
                eng.backward(y)
            except RecursionError:
                out["backward"] = "RecursionError"
            del y
            alive_no_gc = sum(r() is not None for r in refs)
            gc.collect()
            alive_after_gc = sum(r() is not None for r in refs)
        finally:
            gc.enable()
        out.update(refs=len(refs), alive_no_gc=alive_no_gc, alive_after_gc=alive_after_gc)
    elif mode == "correct":
        out.update(results=correctness(eng))
    return out


# --------------------------------------------------------------------------- orchestration
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}


def run_worker(spec, timeout):
    env = dict(os.environ, **THREAD_ENV)
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", json.dumps(spec)]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("RESULT "):
            r = json.loads(line[7:])
            r["wall"] = wall
            return r
    if p.returncode < 0:
        return {"error": f"crashed (signal {-p.returncode})"}
    err = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
    last = err[-1] if err else f"exit {p.returncode}"
    if "RecursionError" in p.stderr:
        last = "RecursionError"
    return {"error": last[:120]}


def _worker_main(spec):
    try:
        r = worker(spec)
    except RecursionError as exc:
        r = {"error": f"RecursionError {exc}" if str(exc).startswith("in ") else "RecursionError"}
    except MemoryError:
        r = {"error": "MemoryError"}
    except Exception as exc:  # report, not crash
        r = {"error": f"{type(exc).__name__}: {exc}"[:160]}
    print("RESULT " + json.dumps(r), flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="autodiff benchmark (see docs/benchmarks.md)")
    ap.add_argument("--quick", action="store_true", help="small sizes, our engine only (smoke run)")
    ap.add_argument("--engines", default=None,
                    help="comma list of ours,dezero,micrograd,torch,ref (default: all)")
    ap.add_argument("--max-chain", type=float, default=1e6, help="largest chain length (default 1e6)")
    ap.add_argument("--repeats-1e6", type=int, default=1, help="repeats of the 1e6 chains per pass (default 1)")
    ap.add_argument("--rounds", type=int, default=None, help="passes over the chain sizes (default 3; 1 with --quick)")
    ap.add_argument("--gc", choices=("on", "off"), default="on", help="cyclic GC in timed regions")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per worker")
    ap.add_argument("--sections", default=None,
                    help="comma list of chain,wide,linearity,layer,properties,correctness (default: all)")
    ap.add_argument("--json", default=None, help="also write the raw results to this file")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        _worker_main(json.loads(a.worker))
        return 0
    plan = make_plan(a)
    wanted = lambda name: a.sections is None or name in a.sections.split(",")  # noqa: E731
    raw = {"argv": sys.argv[1:], "results": []}

    def run(spec):
        spec = dict({"gc_off": plan.gc_off}, **spec)
        r = run_worker(spec, a.timeout)
        raw["results"].append({"spec": spec, "result": r})
        return r

    plan.run = run
    sections.header(plan)
    chain = sections.chains(plan) if wanted("chain") or wanted("properties") else {}
    if wanted("wide"):
        sections.wide_graphs(plan)
    if wanted("linearity"):
        sections.linearity(plan)
    if wanted("layer"):
        sections.layer(plan)
    if wanted("properties"):
        sections.properties(plan, chain)
    if wanted("correctness"):
        sections.correctness(plan)
    print(f"\nload average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(raw, fh, indent=1)
    return 0


def make_plan(a) -> sections.Plan:
    quick = a.quick
    engines = (a.engines.split(",") if a.engines else
               (["ours"] if quick else ["ours", "dezero", "micrograd", "torch", "ref"]))
    chain_sizes = [10**k for k in ((3, 4) if quick else (3, 4, 5, 6))]
    return sections.Plan(
        engines=engines, chain_sizes=[n for n in chain_sizes if n <= a.max_chain],
        repeats={10**3: 7, 10**4: 5, 10**5: 3, 10**6: a.repeats_1e6},
        wide_n=1000 if quick else 10**4, layer_n=100 if quick else 1000,
        batches=[1, 10] if quick else [1, 1000], mem_max=10**4 if quick else 10**5,
        pair_rounds=2 if quick else 7, rounds=a.rounds or (1 if quick else 3),
        gc_off=a.gc == "off", quick=quick)


if __name__ == "__main__":
    sys.exit(main())
