"""Mistakes of the the graph nodes of ゼロから作るDeep Learning ② (MatMul, Repeat, Sum) exercises."""
from __future__ import annotations

from .model import Misconception, text

MISTAKES: list[Misconception] = [
    Misconception(
        "repeat_backward_not_summed",
        text("Repeat ノードの逆伝播で勾配を合計していない（1 行目だけを使っている）",
             "Repeat node's backward not summed (the first row only)"),
        text("Repeat ノードは 1 つの入力を N 個にコピーする分岐です。コピーのそれぞれから勾配が戻ってくるので、"
             "逆伝播ではそれらを**すべて足し合わせ**ます（dx = np.sum(dy, axis=0)）。1 行目（1 つのコピー）の勾配"
             "だけでは、残りの N − 1 個の経路の寄与が抜けます。",
             "A Repeat node copies one input N times, a fan-out: a gradient comes back from every copy, and the "
             "backward pass **adds them all** (dx = np.sum(dy, axis=0)). The first row alone (one copy) leaves out "
             "the other N − 1 paths.")),
    Misconception(
        "repeat_backward_averaged",
        text("Repeat ノードの逆伝播で勾配を平均している", "Repeat node's backward averaged instead of summed"),
        text("Repeat ノードの出力の N 行は、どれも同じ入力 x をそのまま使っています。連鎖律ではそれぞれの経路の"
             "勾配を**合計**します（dx = np.sum(dy, axis=0)）。N で割る理由はありません。平均を取るのは"
             "順伝播で平均を計算したノード（Mean）の場合です。",
             "Every one of the N rows of a Repeat node's output uses the same input x as it is. The chain rule "
             "**sums** the gradients of the paths (dx = np.sum(dy, axis=0)); nothing divides by N. Only a node that "
             "averaged in the forward pass (Mean) divides by N.")),
    Misconception(
        "sum_backward_not_repeated",
        text("Sum ノードの逆伝播で勾配を全行にコピーしていない（1 行目だけ）",
             "Sum node's backward not repeated (given to the first row only)"),
        text("Sum ノード y = Σₙ xₙ では、どの行 xₙ も y に係数 1 で効いています（∂y/∂xₙ = 1）。"
             "だから上流の勾配 dy は**すべての行に同じ値でコピー**されます（dx = np.repeat(dy, N, axis=0)）。"
             "1 行目にだけ渡して他を 0 にすると、残りの行の勾配が失われます。",
             "In a Sum node y = Σₙ xₙ every row xₙ enters y with coefficient 1 (∂y/∂xₙ = 1), so the upstream "
             "gradient dy is **copied to every row** (dx = np.repeat(dy, N, axis=0)). Giving it to the first row and "
             "0 to the rest loses the other rows' gradients.")),
    Misconception(
        "sum_backward_averaged",
        text("Sum ノードの逆伝播で勾配を N で割っている", "Sum node's backward divided by N"),
        text("Sum ノードは和なので ∂y/∂xₙ = 1 で、dx の各行は dy そのものです（np.repeat(dy, N, axis=0)）。"
             "dy/N になるのは平均（Mean）ノードの場合です。",
             "A Sum node adds, so ∂y/∂xₙ = 1 and every row of dx is dy itself (np.repeat(dy, N, axis=0)). "
             "dy/N belongs to a Mean node.")),
]
