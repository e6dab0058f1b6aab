"""Geometry of the server-drawn SVG chart of daily accuracy (numbers only; the template adds
the words, the <title>/<desc> and the data table for those who cannot see the chart)."""
from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 22, 12, 28
MIN_BAR = 2  # a day of attempts that all scored 0 still shows a sliver


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    mean: float
    attempts: int


def accuracy_chart(days: list[dict]) -> dict:
    """Bars for the days with attempts, y grid lines at 0/50/100 %, and a date label a week."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    bars = []
    for i, d in enumerate(days):
        if not d["attempts"]:
            continue
        height = max(MIN_BAR, d["mean"] * plot_h)
        bars.append(Bar(round(LEFT + i * slot + slot * 0.15, 2), round(TOP + plot_h - height, 2),
                        round(slot * 0.7, 2), round(height, 2), d["date"], d["mean"], d["attempts"]))
    grid = [{"y": round(TOP + plot_h * (1 - f), 2), "percent": int(f * 100)} for f in (0, 0.5, 1)]
    labels = [{"x": round(LEFT + i * slot + slot / 2, 2), "day": d["date"]}
              for i, d in enumerate(days) if (len(days) - 1 - i) % 7 == 0]
    tried = [d for d in days if d["attempts"]]
    total = sum(d["attempts"] for d in tried)
    overall = sum(d["mean"] * d["attempts"] for d in tried) / total if total else None
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "baseline": TOP + plot_h, "label_y": HEIGHT - 8, "bars": bars, "grid": grid,
            "labels": labels, "first": days[0]["date"] if days else None,
            "last": days[-1]["date"] if days else None, "active_days": len(tried),
            "attempts": total, "overall": overall}
