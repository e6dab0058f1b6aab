"""What every built-in generator shares: the ``Source`` protocol's defaults (the draw/verify/
redraw loop is ``generation.generate_from``, the same for templates), explicit-parameter
checking with ja/en messages, LaTeX for numbers and matrices, and the filter that keeps only
misconception answers a grader can tell apart.

A generator subclasses ``BuiltinGenerator`` and writes three methods:

``draw(rng) -> dict``
    parameters drawn from ``rng`` in the same form ``check_params`` returns;
``check_params(params) -> dict``
    explicit parameters validated (``ParamsError`` otherwise) and normalised; it must accept
    its own output, so ``generate(slug, seed, params=ex.params)`` rebuilds ``ex`` exactly;
``build(seed, params, layout, drawn) -> Exercise``
    the exercise, verified; ``Rejected`` when this draw is unusable (``drawn`` is False for
    explicit parameters: there a ``Rejected`` becomes a ``ParamsError``). ``layout`` is a fresh
    generator for choices that are not parameters (option order, test inputs of code-fill
    candidates): it starts from the same state in every attempt and in both modes.
"""
from __future__ import annotations

import numpy as np

from .. import numbers
from ..errors import ParamsError, Rejected
from ..misconceptions import MISCONCEPTIONS
from ..numbers import finite
from ..source import GRAD_ATOL, GRAD_RTOL
from ..spec.model import Precision



def t(ja: str, en: str) -> dict:
    return {"ja": ja, "en": en}


class BuiltinGenerator:
    slug: str = ""
    version: int = 1
    family: str = ""
    difficulty: int = 1
    topics: tuple = ()
    syllabus: tuple = ()  # JDLA syllabus item ids (exercises/spec/syllabus.yaml), required
    title: dict = {}
    statement: dict = {}
    source: str = ""
    hints: tuple = ()
    explanation: dict = {"ja": "", "en": ""}
    params_doc: dict = {"ja": "", "en": ""}  # the explicit parameters this generator accepts
    preferences: tuple = ()  # parameters a caller may fix while the rest is drawn (source.py)
    origin = "generator"
    yaml = None  # code, not a template an instructor can copy

    def draw(self, rng) -> dict:
        raise NotImplementedError

    def check_params(self, params) -> dict:
        raise NotImplementedError

    def build(self, seed: int, params: dict, layout: np.random.Generator, drawn: bool):
        raise NotImplementedError

    def layout(self, rng: np.random.Generator):
        key = int(rng.integers(2**63))  # drawn first in both modes: the same layout stream
        return lambda: np.random.default_rng(key)

    def param_domains(self) -> list[dict]:
        return []  # explicit parameters are described by ``params_doc``

    def numerator(self, of: str) -> str:
        return "L"

    def __repr__(self):
        return f"<{type(self).__name__} {self.slug} v{self.version}>"


# --------------------------------------------------------------------------- parameters
class Params:
    """Reads one explicit ``params`` dict; every complaint is a ``ParamsError`` in ja/en."""

    def __init__(self, params, required: tuple, optional: tuple = ()):
        if not isinstance(params, dict):
            raise ParamsError("params はパラメータ名と値の対応です", "params must map parameter names to values",
                              field="params")
        missing = [k for k in required if k not in params]
        unknown = sorted(str(k) for k in params if k not in required and k not in optional)
        if missing or unknown:
            raise ParamsError(f"パラメータが足りないか余分です（不足: {missing}, 不明: {unknown}）",
                              f"missing or unknown parameters (missing: {missing}, unknown: {unknown})",
                              field="params")
        self.raw = params

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None

    @staticmethod
    def _fail(key: str, ja: str, en: str):
        raise ParamsError(f"params.{key}: {ja}", f"params.{key}: {en}", field=f"params.{key}")

    def number(self, key: str, low: float, high: float, value=None, integer: bool = False):
        v = self.raw[key] if value is None else value
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not finite(v):
            shown = repr(v) if len(repr(v)) <= 40 else repr(v)[:37] + "..."
            self._fail(key, f"数値ではありません: {shown}", f"not a number: {shown}")
        if not low <= v <= high:
            self._fail(key, f"{v!r} は {low:g} 以上 {high:g} 以下にしてください",
                       f"{v!r} must be between {low:g} and {high:g}")
        if integer and float(v) != int(v):
            self._fail(key, f"{v!r} は整数にしてください", f"{v!r} must be an integer")
        return clean(v)

    def vector(self, key: str, low: float, high: float, sizes=range(1, 5), integer: bool = False) -> list:
        v = self.raw[key]
        if not isinstance(v, (list, tuple)) or len(v) not in sizes:
            self._fail(key, f"長さ {min(sizes)}〜{max(sizes)} の数のリストにしてください",
                       f"must be a list of {min(sizes)} to {max(sizes)} numbers")
        return [self.number(key, low, high, value=x, integer=integer) for x in v]

    def matrix(self, key: str, low: float, high: float, rows=range(1, 5), cols=range(1, 5),
               integer: bool = False) -> list:
        m = self.raw[key]
        ok = isinstance(m, (list, tuple)) and len(m) in rows and all(isinstance(r, (list, tuple)) for r in m)
        if ok:
            widths = {len(r) for r in m}
            ok = len(widths) == 1 and widths.pop() in cols
        if not ok:
            self._fail(key, f"{min(rows)}〜{max(rows)} 行 {min(cols)}〜{max(cols)} 列の数の表"
                            "（リストのリスト、各行の長さは同じ）にしてください",
                       f"must be a {min(rows)}-{max(rows)} by {min(cols)}-{max(cols)} table of numbers "
                       "(a list of equally long lists)")
        return [[self.number(key, low, high, value=x, integer=integer) for x in r] for r in m]

    def index(self, key: str, bounds: tuple) -> list:
        """A position like ``[0, 1]`` inside an array of shape ``bounds``."""
        v = self.raw[key]
        if isinstance(v, int) and not isinstance(v, bool):
            v = [v]
        if not isinstance(v, (list, tuple)) or len(v) != len(bounds) or \
                any(isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n for i, n in zip(v, bounds)):
            self._fail(key, f"形 {tuple(bounds)} の中の添字（0 始まり）にしてください",
                       f"must be an index (from 0) inside shape {tuple(bounds)}")
        return list(v)

    def indices(self, key: str, bounds: tuple, counts=(1, 2)) -> list:
        """One or more different positions inside shape ``bounds``: ``[[0, 1], [1, 0]]``, or
        ``[0, 2]`` for a vector."""
        v = self.raw[key]
        if not isinstance(v, (list, tuple)) or len(v) not in counts:
            self._fail(key, f"添字を {' か '.join(map(str, counts))} 個並べてください",
                       f"give {' or '.join(map(str, counts))} indices")
        out = [Params({key: i}, (key,)).index(key, bounds) for i in v]
        if len({tuple(i) for i in out}) != len(out):
            self._fail(key, "同じ添字が2回あります", "the same index appears twice")
        return out

    def one_of(self, key: str, allowed) -> object:
        v = self.raw[key]
        if v not in allowed:
            self._fail(key, f"{v!r} は {', '.join(map(str, allowed))} のどれかにしてください",
                       f"{v!r} must be one of {', '.join(map(str, allowed))}")
        return v


def clean(v):
    """A JSON-friendly number: 3 for 3.0, 0.5 for 0.5 (so params survive a round trip)."""
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def cleaned(a):
    a = np.asarray(a, dtype=float)
    return [clean(x) for x in a] if a.ndim == 1 else [cleaned(r) for r in a]


# --------------------------------------------------------------------------- answers
def differing(precision: Precision, correct: float, found: dict, drawn: bool = True) -> dict:
    """Known misconceptions whose answer a grader can tell apart from the right one."""
    known = {k: v for k, v in found.items() if k in MISCONCEPTIONS}
    return numbers.differing(precision.tolerance(correct), correct, known, drawn)


def bears(right_generic, wrong_generic) -> np.ndarray:
    """Per element, whether a misconception changes the answer at a generic point (see
    ``off_grid``); one that never does is no misconception of that part."""
    a, b = np.asarray(right_generic, dtype=float), np.asarray(wrong_generic, dtype=float)
    return ~np.isclose(a, b, rtol=1e-9, atol=0.0)


def close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=GRAD_RTOL, atol=GRAD_ATOL))


def require_close(what: str, engine, other) -> None:
    """Engine gradients against another computation (numerical, the book's layer)."""
    if not close(engine, other):
        raise Rejected("gradient_check", f"{what}: engine {np.asarray(engine).tolist()!r} "
                                         f"vs {np.asarray(other).tolist()!r}")


# --------------------------------------------------------------------------- LaTeX
def num(v, digits: int = 6) -> str:
    """3, -0.5, 0.119203: integers without a decimal point, others to ``digits`` figures."""
    f = float(v)
    if f == 0:
        return "0"
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    text = f"{f:.{digits}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exp)}}}"
    return text


def pnum(v, digits: int = 6) -> str:
    """A number to be multiplied: negative ones in parentheses."""
    s = num(v, digits)
    return f"({s})" if float(v) < 0 else s


def pmatrix(a, digits: int = 6) -> str:
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    rows = [" & ".join(num(x, digits) for x in row) for row in a]
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


def shape_text(shape) -> str:
    shape = tuple(int(n) for n in shape)
    return f"({shape[0]},)" if len(shape) == 1 else "(" + ", ".join(map(str, shape)) + ")"


HEADINGS = {
    "forward": t("順伝播", "Forward pass"),
    "backward": t("逆伝播（連鎖律）", "Backward pass (chain rule)"),
}


def solution(forward: list, backward: list, graph: dict | None = None, **extra) -> dict:
    """The worked solution in the shape of ``exercises.solution.worked_solution``."""
    return {"forward": forward, "backward": backward, "headings": HEADINGS, "graph": graph, **extra}
