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
import platform
import subprocess
import sys
import time
import tracemalloc
import weakref

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bench_cases import CASES, C_EVEN, C_ODD, D, _pairwise_sum, case_layer, correctness  # noqa: E402,F401
from bench_report import best, fmt_b, fmt_t, human_n, med, table  # noqa: E402,F401


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


def _timed_run(eng, build, gc_off):
    leaves_fn, forward, check, ops = build
    leaves = leaves_fn()
    gc.collect()
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
    return {"fwd": t1 - t0, "bwd": t2 - t1, "teardown": t3 - t2, "err": err}


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
    ap.add_argument("--repeats-1e6", type=int, default=3, help="repeats of the 1e6 chains (default 3)")
    ap.add_argument("--gc", choices=("on", "off"), default="on", help="cyclic GC in timed regions")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per worker")
    ap.add_argument("--json", default=None, help="also write the raw results to this file")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        _worker_main(json.loads(a.worker))
        return 0

    quick = a.quick
    engines = (a.engines.split(",") if a.engines else
               (["ours"] if quick else ["ours", "dezero", "micrograd", "torch", "ref"]))
    chain_sizes = [10**k for k in (3, 4)] if quick else [10**k for k in (3, 4, 5, 6)]
    chain_sizes = [n for n in chain_sizes if n <= a.max_chain]
    repeats = {10**3: 7, 10**4: 5, 10**5: 3, 10**6: a.repeats_1e6}
    wide_n = 1000 if quick else 10**4
    layer_n = 100 if quick else 1000
    batches = [1, 10] if quick else [1, 1000]
    mem_max = 10**4 if quick else 10**5
    gc_off = a.gc == "off"
    raw = {"argv": sys.argv[1:], "results": []}

    def run(spec):
        spec = dict({"gc_off": gc_off}, **spec)
        r = run_worker(spec, a.timeout)
        raw["results"].append({"spec": spec, "result": r})
        return r

    print("# Autodiff benchmark" + (" (--quick smoke run)" if quick else ""))
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    print(f"python {platform.python_version()} on {platform.machine()} ({cpu}), {os.cpu_count()} cores; "
          "one worker process per measurement, run one at a time; BLAS/torch threads = 1")
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())} (other processes share the machine)")
    print(f"timer time.perf_counter; medians and best-of-repeats as labelled; cyclic GC "
          f"{'OFF in timed regions' if gc_off else 'ON (Python default)'}; gc.collect() before each repeat")
    versions = {}
    for e in engines + (["numpy"] if "numpy" not in engines else []):
        r = run({"engine": e, "mode": "probe"})
        versions[e] = r.get("version") or f"unavailable: {r.get('error')}"
        print(f"  {e:10s} {versions[e]}")
    engines = [e for e in engines if not versions[e].startswith("unavailable")]

    # ---- chains
    chain = {}
    for e in engines:
        failed = None
        for n in chain_sizes:
            if failed:
                chain[(e, n)] = {"error": f"not run ({failed} at a smaller size)"}
                continue
            r = run({"engine": e, "mode": "time", "case": "chain", "n": n, "repeats": repeats[n]})
            if "error" not in r and n <= mem_max and e not in ("torch",):
                m = run({"engine": e, "mode": "mem", "case": "chain", "n": n})
                r["mem"] = m
            chain[(e, n)] = r
            if "error" in r:
                failed = r["error"].split(":")[0]
            print(f"  .. chain {e} {human_n(n)}: {'error ' + r['error'] if 'error' in r else fmt_t(med(r['runs'], 'fwd') + med(r['runs'], 'bwd'))}",
                  file=sys.stderr, flush=True)

    rows = []
    for e in engines:
        for n in chain_sizes:
            r = chain[(e, n)]
            if "error" in r:
                rows.append([e, human_n(n), "-", "-", "-", "-", "-", "-", "-", "-", r["error"]])
                continue
            fwd, bwd, td = med(r["runs"], "fwd"), med(r["runs"], "bwd"), med(r["runs"], "teardown")
            ops = r["ops"]
            mem = r.get("mem", {})
            tm = mem.get("peak") if "error" not in mem else None
            rss = r.get("rss_peak_delta")
            rows.append([e, human_n(n), len(r["runs"]), fmt_t(fwd), fmt_t(bwd), fmt_t(td),
                         f"{(fwd + bwd) / ops * 1e6:.2f}", f"{best(r['runs']) / ops * 1e6:.2f}",
                         f"{tm / ops:.0f}" if tm else ("n/a (C++ heap)" if e == "torch" and n <= mem_max else "-"),
                         f"{rss / ops:.0f}" if rss is not None else "-",
                         f"grad rel err {max(x['err'] for x in r['runs']):.1e}"])
    table("Chain of N scalar ops: y = y*c + d (N/2 muls + N/2 adds, Python float constants), forward+backward",
          ["engine", "N", "reps", "forward", "backward", "teardown (del)", "µs/node median", "µs/node best",
           "B/node tracemalloc peak", "B/node ΔRSS peak", "check"], rows,
          ["forward, backward, teardown: medians. µs/node = (forward + backward) / N, median and best "
           "of the repeats. tracemalloc peak: Python allocations from leaf creation "
           "to the end of backward (separate run; torch's C++ heap is invisible to it).",
           "ΔRSS peak: growth of the process high-water mark (VmHWM) during the timed runs; "
           "noisy for small N (allocator arenas, page granularity)."])

    rows = []
    for e in engines:
        cells = []
        for n in chain_sizes:
            r = chain[(e, n)]
            cells.append("-" if "error" in r else f"{best(r['runs']) / r['ops'] * 1e6:.2f}")
        lo, hi = chain.get((e, 10**3)), chain.get((e, 10**5)) or chain.get((e, chain_sizes[-1]))
        lin = "-"
        if lo and hi and "error" not in lo and "error" not in hi:
            per = lambda r: best(r["runs"]) / r["ops"]  # noqa: E731
            lin = f"{per(hi) / per(lo):.2f}"
        rows.append([e] + cells + [lin])
    table("Side by side: µs per node (forward+backward, best of the repeats) for the chain",
          ["engine"] + [f"N={human_n(n)}" for n in chain_sizes] +
          [f"linearity µs/node {human_n(10**5) if 10**5 in chain_sizes else human_n(chain_sizes[-1])} ÷ 1e3"], rows)

    # ---- wide sum and reuse
    rows = []
    for case, label in (("wide_chain", f"sum of {human_n(wide_n)} products, chain of adds"),
                        ("wide_tree", f"sum of {human_n(wide_n)} products, tree of adds"),
                        ("reuse", f"one variable reused {human_n(wide_n)}x (x*c_i, tree sum)")):
        for e in engines:
            r = run({"engine": e, "mode": "time", "case": case, "n": wide_n, "repeats": 5})
            if "error" in r:
                rows.append([label, e, "-", "-", "-", "-", "-", "-", r["error"]])
                continue
            m = run({"engine": e, "mode": "mem", "case": case, "n": wide_n}) if e != "torch" else {}
            fwd, bwd = med(r["runs"], "fwd"), med(r["runs"], "bwd")
            rows.append([label, e, r["ops"], fmt_t(fwd), fmt_t(bwd), f"{(fwd + bwd) / r['ops'] * 1e6:.2f}",
                         f"{best(r['runs']) / r['ops'] * 1e6:.2f}",
                         f"{m['peak'] / r['ops']:.0f}" if m.get("peak") else "n/a" if e == "torch" else "-",
                         f"grad err {max(x['err'] for x in r['runs']):.1e}"])
    table("Wide graphs (5 repeats; forward, backward: medians)", ["graph", "engine", "nodes", "forward", "backward", "µs/node median", "µs/node best",
                                      "B/node tracemalloc", "check"], rows,
          ["nodes = products/terms + adds; the 2N leaves are created before the clock starts."])

    # ---- layer
    rows = []
    base = {}
    for bsz in batches:
        r = run({"engine": "numpy", "mode": "time", "case": "layer", "n": layer_n, "batch": bsz, "repeats": 7})
        base[bsz] = None if "error" in r else best(r["runs"])
        rows.append([f"{layer_n}x{layer_n}, batch {bsz}", "numpy (by hand)", "-" if "error" in r else fmt_t(med(r["runs"], "fwd")),
                     "-" if "error" in r else fmt_t(med(r["runs"], "bwd")), fmt_t(base[bsz]), "1.00",
                     r.get("error", f"grad err {max(x['err'] for x in r['runs']):.0e}")])
        for e in engines:
            if e in ("micrograd", "ref"):
                continue
            r = run({"engine": e, "mode": "time", "case": "layer", "n": layer_n, "batch": bsz, "repeats": 7})
            if "error" in r:
                rows.append([f"{layer_n}x{layer_n}, batch {bsz}", e, "-", "-", "-", "-", r["error"]])
                continue
            tot = best(r["runs"])
            rows.append([f"{layer_n}x{layer_n}, batch {bsz}", e, fmt_t(med(r["runs"], "fwd")), fmt_t(med(r["runs"], "bwd")),
                         fmt_t(tot), f"{tot / base[bsz]:.2f}" if base[bsz] else "-",
                         f"grad err {max(x['err'] for x in r['runs']):.0e}"])
    table("Layer: loss = sum(tanh(W @ x + b)), float64, forward+backward (7 repeats)",
          ["layer", "engine", "forward (median)", "backward (median)", "fwd+bwd best", "÷ numpy", "check"], rows,
          ["micrograd and the reference engine are scalar-only: not run. numpy row = the same math "
           "written by hand (gh = 1 - y^2; gW = gh x^T; gx = W^T gh; gb = rowsum gh)."])

    # ---- our engine's properties
    rows = []
    if "ours" in engines:
        big = chain.get(("ours", chain_sizes[-1]), {})
        if "error" in big:
            rows.append([f"{human_n(chain_sizes[-1])} chain fwd+bwd+teardown at the default recursion limit", big["error"]])
        elif big:
            rows.append([f"{human_n(chain_sizes[-1])}-node chain: forward+backward+teardown at the default "
                         f"recursion limit ({big['recursionlimit']})",
                         f"ok: {fmt_t(med(big['runs'], 'fwd'))} + {fmt_t(med(big['runs'], 'bwd'))} + "
                         f"{fmt_t(med(big['runs'], 'teardown'))}, grad rel err {big['runs'][0]['err']:.1e}"])
    if "ours" in engines and not gc_off:
        n = chain_sizes[-1]
        r = run({"engine": "ours", "mode": "time", "case": "chain", "n": n, "repeats": repeats[n], "gc_off": True})
        on = chain.get(("ours", n), {})
        if "error" in r or "error" in on:
            rows.append([f"ours: {human_n(n)} chain with the cyclic GC disabled in the timed region", r.get("error", "-")])
        else:
            rows.append([f"ours: {human_n(n)} chain with the cyclic GC disabled in the timed region",
                         f"{best(r['runs']) / r['ops'] * 1e6:.2f} µs/node best (forward {fmt_t(med(r['runs'], 'fwd'))}, "
                         f"backward {fmt_t(med(r['runs'], 'bwd'))}) vs {best(on['runs']) / on['ops'] * 1e6:.2f} with GC on"])
    for e in engines:
        if e == "torch":
            continue
        n = wide_n
        for graph in ("chain", "tree"):
            r = run({"engine": e, "mode": "free", "n": n, "graph": graph})
            what = (f"{e}: {human_n(n)}-node {graph} freed by refcounting alone "
                    f"(gc disabled; build, backward, del; weakrefs to sampled nodes)")
            if "error" in r:
                rows.append([what, r["error"]])
                continue
            verdict = ("yes" if r["alive_no_gc"] == 0 else
                       f"NO: {r['alive_no_gc']}/{r['refs']} alive until gc.collect() ({r['alive_after_gc']} after)")
            if r.get("backward"):
                verdict += f" (backward raised {r['backward']})"
            rows.append([what, verdict + f"; {r['refs']} weakrefs"])
    for e in engines:
        lo, hi = chain.get((e, 10**3)), chain.get((e, 10**5))
        if lo and hi and "error" not in lo and "error" not in hi:
            per = lambda r: best(r["runs"]) / r["ops"] * 1e6  # noqa: E731
            rows.append([f"{e}: linearity, µs/node at 1e5 vs 1e3 (best of repeats)", f"{per(hi):.2f} vs {per(lo):.2f} (x{per(hi) / per(lo):.2f})"])
        m = (chain.get((e, 10**5)) or {}).get("mem") or (chain.get((e, mem_max)) or {}).get("mem")
        if m and "peak" in m:
            rows.append([f"{e}: bytes per scalar node (chain {human_n(m['ops'])}, tracemalloc)",
                         f"{m['held_after_forward'] / m['ops']:.0f} B held after forward, "
                         f"{m['peak'] / m['ops']:.0f} B peak during backward"])
    table("Graph properties", ["property", "result"], rows)

    # ---- correctness vs torch
    if "ours" in engines and not quick:
        r = run({"engine": "ours", "mode": "correct"})
        if "error" in r:
            table("Correctness: our gradients vs PyTorch float64", ["graph", "result"], [["all", r["error"]]])
        else:
            table("Correctness: our gradients vs PyTorch float64",
                  ["graph", "max rel diff of gradients", "rel diff of value"],
                  [[x["graph"], f"{x['max_rel_diff']:.1e}", f"{x['value_rel_diff']:.1e}"] for x in r["results"]],
                  ["elementwise |ours - torch| / max(|ours|, |torch|), worst element over all inputs"])

    print(f"\nload average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(raw, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
