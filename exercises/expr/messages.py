"""Error messages: one entry per situation, each with its stable code and ja/en text.

Several situations share a code (the code is what a program branches on; the message is
what a learner reads).
"""
from __future__ import annotations

# key: (code, Japanese, English). Texts are str.format templates.
MESSAGES: dict[str, tuple[str, str, str]] = {
    "empty": (
        "empty", "式が入力されていません", "the expression is empty"),
    "too_long": (
        "too_long", "式が長すぎます（{length} 文字。{limit} 文字まで）",
        "the expression is too long ({length} characters; at most {limit})"),
    "control_character": (
        "invalid_character", "制御文字 {codepoint} は使えません",
        "the control character {codepoint} is not allowed"),
    "invalid_character": (
        "invalid_character", "使えない文字「{char}」({codepoint}) があります",
        "the character {char} ({codepoint}) is not allowed"),
    "invalid_name": (
        "invalid_name", "名前「{name}」は使えません。名前は英字で始めてください",
        "the name '{name}' is not allowed: a name starts with a letter"),
    "invalid_number": (
        "invalid_number", "数「{text}」の書き方が正しくありません",
        "the number '{text}' is malformed"),
    "number_too_large": (
        "number_too_large", "数 {text} が大きすぎます（絶対値 {limit:g} まで）",
        "the number {text} is too large (at most {limit:g})"),
    "exponent_too_large": (
        "exponent_too_large",
        "指数が大きすぎます（変数を含まない指数は絶対値 {limit:g} までの有限の値）",
        "the exponent is too large (an exponent without variables must be finite and "
        "at most {limit:g} in magnitude)"),
    "missing_close": (
        "unbalanced_parenthesis", "この ( に対応する閉じ括弧 ) が足りません",
        "this ( has no matching )"),
    "extra_close": (
        "unbalanced_parenthesis", "対応する開き括弧 ( のない ) があります",
        "this ) has no matching ("),
    "unexpected_token": (
        "unexpected_token", "ここに「{found}」は置けません", "unexpected '{found}'"),
    "empty_parentheses": (
        "unexpected_token", "括弧の中が空です", "the parentheses are empty"),
    "unexpected_end": (
        "unexpected_end", "式が途中で終わっています（「{after}」の後に項が必要です）",
        "the expression ends too early (a term is expected after '{after}')"),
    "missing_operator": (
        "missing_operator", "数 {text} の前に演算子（* など）が必要です",
        "an operator such as * is needed before the number {text}"),
    "ambiguous_division": (
        "ambiguous_division",
        "/ の後の掛け算はあいまいです。1/(2x) や (1/2)x のように括弧を付けてください",
        "a product right after / is ambiguous: write 1/(2x) or (1/2)x"),
    "function_needs_parenthesis": (
        "function_needs_parenthesis", "関数 {name} の後には ( が必要です（例: {name}(x)）",
        "the function {name} needs parentheses, e.g. {name}(x)"),
    "unknown_function": (
        "unknown_function", "{name} という関数はありません",
        "there is no function called {name}"),
    "function_not_allowed": (
        "function_not_allowed",
        "ここでは関数 {name} は使えません。値を計算して、数と四則演算（+ − × ÷ ^、分数、π、e）で答えなさい",
        "functions such as {name} cannot be used here: work the value out and answer with "
        "numbers and arithmetic (+ - * / ^, fractions, pi, e)"),
    "unknown_name": (
        "unknown_name", "{name} という変数はありません", "there is no variable called {name}"),
    "missing_value": (
        "unknown_name", "変数 {name} の値が与えられていません",
        "no value was given for the variable {name}"),
    "too_deep": (
        "too_deep", "式の入れ子が深すぎます（括弧の入れ子と演算の段数は {limit} 段まで）",
        "the expression is nested too deeply (at most {limit} levels of parentheses "
        "or of operations)"),
    "too_many_nodes": (
        "too_many_nodes", "式が大きすぎます（数・変数・演算は合わせて {limit} 個まで）",
        "the expression is too large (at most {limit} numbers, names and operations)"),
}

# Messages that already say where the problem is, or concern the whole input.
WITHOUT_COLUMN = frozenset({"empty", "too_long"})

# Characters learners often type by mistake, with what to write instead.
CHARACTER_HINTS: dict[str, tuple[str, str]] = {
    "ー": ("長音記号 ー はマイナスではありません。- を使ってください",
          "the long vowel mark ー is not a minus; use -"),
    "―": ("マイナスには - を使ってください", "use - for minus"),
    "√": ("平方根は sqrt(x) と書いてください", "write a square root as sqrt(x)"),
    "[": ("括弧は ( ) を使ってください", "use ( ) for brackets"),
    "]": ("括弧は ( ) を使ってください", "use ( ) for brackets"),
    "{": ("括弧は ( ) を使ってください", "use ( ) for brackets"),
    "}": ("括弧は ( ) を使ってください", "use ( ) for brackets"),
    ",": ("小数点は . で、桁区切りは付けずに書いてください",
          "write the decimal point as . and no thousands separators"),
    ".": ("小数点の前後には数字が必要です", "a decimal point needs a digit next to it"),
    "=": ("= は不要です。式だけを入力してください", "enter the expression only, without ="),
    "'": ("文字列は使えません", "strings are not allowed"),
    '"': ("文字列は使えません", "strings are not allowed"),
}


def format_message(key: str, lang: str, params: dict) -> str:
    _, ja, en = MESSAGES[key]
    return (ja if lang == "ja" else en).format(**params)


def code_of(key: str) -> str:
    return MESSAGES[key][0]
