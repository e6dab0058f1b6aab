"""Default wording of each part and the statement's {{param}} placeholders."""
from __future__ import annotations

import re

from .expr import parse, to_latex
from .spec.model import PartSpec, Template

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")


def tex_name(name: str) -> str:
    return to_latex(parse(name))


def fill(text: str, template: Template, params: dict) -> str:
    """Replace ``{{name}}`` by the parameter's value as shown (no format strings: safe)."""
    def value(match):
        name = match.group(1)
        if name not in params:
            return match.group(0)
        return template.param(name).format(params[name])
    return PLACEHOLDER.sub(value, text)


def numerator(template: Template, of: str) -> str:
    """With an upstream gradient the output feeds a loss L further on: ask for dL/dx."""
    return "L" if template.upstream and of == template.output else tex_name(of)


def default_prompt(part: PartSpec, params: dict, template: Template) -> dict:
    k = part.kind
    if k == "value":
        n = tex_name(part.node)
        return {"ja": f"${n}$ の値を求めなさい。", "en": f"Find the value of ${n}$."}
    if k == "gradient":
        d = rf"\frac{{\partial {numerator(template, part.of)}}}{{\partial {tex_name(part.wrt)}}}"
        return {"ja": f"${d}$ を求めなさい。", "en": f"Find ${d}$."}
    if k == "formula":
        d = rf"\frac{{d {tex_name(part.of)}}}{{d {tex_name(part.wrt)}}}"
        names = ", ".join(f"${tex_name(v)}$" for v in part.variables)
        return {"ja": f"${d}$ を {names} の式で答えなさい。", "en": f"Give ${d}$ as a formula in {names}."}
    if k == "update":
        w, lr = tex_name(part.wrt), template.param(part.lr).format(params[part.lr])
        return {"ja": f"学習率 $\\eta = {lr}$ の勾配降下法で1回更新した後の ${w}$ の値を求めなさい。",
                "en": f"Find ${w}$ after one gradient-descent step with learning rate $\\eta = {lr}$."}
    if k == "guided":
        top = numerator(template, part.of)
        return {"ja": f"出力 ${tex_name(part.of)}$ から入力に向かって、各ノードの勾配 "
                      f"$\\partial {top} / \\partial (\\cdot)$ を順に求めなさい。",
                "en": f"Going from the output ${tex_name(part.of)}$ back to the inputs, give the gradient "
                      f"$\\partial {top} / \\partial (\\cdot)$ at every node."}
    return {"ja": "正しいものを選びなさい。", "en": "Choose the correct one."}
