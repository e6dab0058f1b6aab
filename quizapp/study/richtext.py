"""Exercise texts to safe HTML: paragraphs, ``- `` lists, fenced code, `code`, **bold**,
*emphasis* and $…$ / $$…$$ math (a span with data-tex for js/math.js; the TeX source stays
as the no-JavaScript fallback). Everything else is escaped: template texts come from
instructors, and nothing they write may become markup."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

FENCE = re.compile(r"^```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
# Display math, inline math and code are cut out first, so that * or $ inside them stay literal.
TOKEN = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|`([^`\n]+)`", re.DOTALL)
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
LIST_ITEM = re.compile(r"^[-*・] ")


def math(tex: str, block: bool = False) -> Markup:
    """A formula for KaTeX; its source is the fallback text without JavaScript."""
    tex = tex.strip()
    if block:
        return Markup('<span class="math math-block" data-tex="{0}" data-display="block">{0}</span>').format(tex)
    return Markup('<span class="math" data-tex="{0}">{0}</span>').format(tex)


def code_block(code: str, language: str = "") -> Markup:
    lang = f' class="language-{language}"' if language else ""
    return Markup('<pre class="code"><code{}>{}</code></pre>').format(Markup(lang), code.rstrip("\n"))


def _plain(text: str) -> Markup:
    html = str(escape(text))
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = EMPHASIS.sub(r"<em>\1</em>", html)
    return Markup(html.replace("\n", "<br>\n"))


def inline(text: str) -> Markup:
    """One paragraph's worth of text: math, code, bold and emphasis; newlines become <br>."""
    out, last = [], 0
    for match in TOKEN.finditer(text):
        out.append(_plain(text[last:match.start()]))
        display, tex, code = match.groups()
        if display is not None:
            out.append(math(display, block=True))
        elif tex is not None:
            out.append(math(tex))
        else:
            out.append(Markup("<code>{}</code>").format(code))
        last = match.end()
    out.append(_plain(text[last:]))
    return Markup("").join(out)


def _block(text: str) -> Markup:
    """A paragraph, or a list where every line starts with "- " (text around it stays)."""
    out, run, in_list = [], [], False
    for line in text.strip("\n").split("\n") + [None]:
        is_item = line is not None and bool(LIST_ITEM.match(line))
        if run and (line is None or is_item != in_list):
            out.append(_list(run) if in_list else Markup("<p>{}</p>").format(inline("\n".join(run))))
            run = []
        if line is not None:
            run.append(line[2:] if is_item else line)
            in_list = is_item
    return Markup("\n").join(out)


def _list(items: list[str]) -> Markup:
    return Markup("<ul>{}</ul>").format(Markup("").join(Markup("<li>{}</li>").format(inline(i)) for i in items))


def rich(text: str | None) -> Markup:
    """A whole text: blocks separated by blank lines, fenced code blocks kept verbatim."""
    if not text:
        return Markup("")
    out, last = [], 0
    for match in FENCE.finditer(text):
        out.extend(_paragraphs(text[last:match.start()]))
        out.append(code_block(match.group(2), match.group(1)))
        last = match.end()
    out.extend(_paragraphs(text[last:]))
    return Markup("\n").join(out)


def _paragraphs(text: str) -> list[Markup]:
    return [_block(chunk) for chunk in re.split(r"\n[ \t]*\n", text) if chunk.strip()]
