"""``code``: the missing line of a listing, picked from ``options`` or typed.

Spec: ``options: [line, ...]`` with ``correct: index`` (answered with the index, like a choice),
or ``answer: line`` (typed; ``accept`` may list other right lines). A typed line is compared
after whitespace normalisation: runs of spaces collapse, and spaces next to an operator or a
bracket do not count (``dx = dout*self.y`` is ``dx = dout * self.y``)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..answers import AnswerFormatError, parse_choice
from .base import Kind, PartResult

WORD = re.compile(r"\w")
MAX_LINE = 300


@dataclass(frozen=True)
class CodeKey:
    correct: int | None   # the right option's index, or None for a typed line
    answer: str           # the right line
    accept: tuple = ()    # typed: every right line, normalised


def normalise(line: str) -> str:
    tokens = line.split()
    out = ""
    for token in tokens:
        if out and WORD.match(out[-1]) and WORD.match(token[0]):
            out += " "
        out += token
    return out


def _line(raw) -> str:
    if not isinstance(raw, str):
        raise AnswerFormatError("回答は文字列で入力してください", "the answer must be text")
    if len(raw) > MAX_LINE or "\n" in raw.strip():
        raise AnswerFormatError(f"1行（{MAX_LINE} 文字まで）で入力してください",
                                f"type one line (up to {MAX_LINE} characters)")
    return raw


class CodeKind(Kind):
    name = "code"
    fields = frozenset({"options", "correct", "answer", "accept"})
    needs_prompt = True
    code_choices = True
    description = {"ja": "コードの1行（選択肢があればその番号）",
                   "en": "one line of code (or the index of the chosen option)"}
    help = {"ja": "空欄に入るコードを1行で入力します。空白の有無は問いません。",
            "en": "Type the missing line of code; spacing does not matter."}

    def read_spec(self, reader, raw, field):
        options, answer = raw.get("options"), raw.get("answer")
        if (options is None) == (answer is None):
            reader.problems.add(field, "code_answer", "options と correct、または answer のどちらか一方を書いてください",
                                "give either options with correct, or answer")
            return None
        lines = options if options is not None else [answer, *(raw.get("accept") or [])]
        if not isinstance(lines, list) or not lines or len(lines) > 8 or \
                not all(isinstance(s, str) and s.strip() and len(s) <= MAX_LINE for s in lines):
            reader.problems.add(f"{field}.{'options' if options is not None else 'accept'}", "bad_code_lines",
                                f"コードの行は空でない1〜8個の文字列（{MAX_LINE} 文字まで）です",
                                f"code lines are 1 to 8 non-empty strings (up to {MAX_LINE} characters)")
            return None
        if options is None:
            return {"answer": answer, "accept": tuple(normalise(s) for s in lines)}
        correct = raw.get("correct")
        if len(options) < 2 or isinstance(correct, bool) or not isinstance(correct, int) \
                or not 0 <= correct < len(options):
            reader.problems.add(f"{field}.correct", "bad_correct",
                                "2つ以上の options と、正解の番号 correct（0から）を書いてください",
                                "give at least 2 options and correct, the index (from 0) of the right one")
            return None
        return {"choices": tuple({"ja": s, "en": s} for s in options), "correct": correct}

    def reference(self, builder, spec) -> tuple:
        if spec.choices:
            return CodeKey(spec.correct, spec.choices[spec.correct]["en"]), {}
        return CodeKey(None, spec.answer, spec.accept), {}

    def reference_answers(self, part, key: CodeKey) -> dict:
        return {part.id: key.answer if key.correct is None else str(key.correct)}

    def expected(self, part, key: CodeKey) -> str:
        return key.answer if key.correct is None else str(key.correct)

    def shown_expected(self, part, key: CodeKey, result):
        return ("text", key.answer) if key.correct is None else ("choice", key.correct)

    def grade(self, part, raw, key: CodeKey, mistakes: dict) -> PartResult:
        if key.correct is not None:
            chosen = parse_choice(raw, len(part.choices))
            ok = chosen == key.correct
            return PartResult(part.id, "correct" if ok else "incorrect", 1.0 if ok else 0.0, chosen,
                              str(key.correct))
        ok = normalise(_line(raw)) in key.accept
        return PartResult(part.id, "correct" if ok else "incorrect", 1.0 if ok else 0.0, raw, key.answer)
