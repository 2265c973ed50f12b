"""Charts for the memos and the report, drawn with matplotlib (Agg) to PNG in memory.

A context holds a :class:`Chart` (plain data); the render layer draws it with
:func:`render_png` and places it with docxtpl's ``InlineImage``. The four attainment
levels differ by grey level *and* hatching, so the charts read on a black-and-white print.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.attainment import LEVELS
from toolkit.documents.formatting import procent, tal

#: (face colour, hatch, colour of the number written on the bar) per level, in LEVELS order.
LEVEL_STYLE: tuple[tuple[str, str, str], ...] = (
    ("#333333", "", "white"),  # Opfyldt
    ("#9c9c9c", "////", "black"),  # Delvist opfyldt
    ("#dedede", "xxx", "black"),  # Ikke opfyldt
    ("#ffffff", "...", "black"),  # Ikke målt
)
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
MAX_LABEL = 40


@dataclass(frozen=True)
class Chart:
    """What to draw. ``counts[i]`` = (opfyldt, delvist, ikke opfyldt, ikke målt) of ``labels[i]``.

    ``kind="fordeling"``: one horizontal bar per label with the counts stacked;
    ``kind="udvikling"``: one column per year (label) with the shares stacked to 100 %.
    """

    kind: Literal["fordeling", "udvikling"]
    labels: tuple[str, ...]
    counts: tuple[tuple[int, int, int, int], ...]
    title: str = ""
    width_cm: float = 16.0


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _figure(width_in: float, height_in: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _legend(fig: Any, ax: Any, bars: list[Any], fontsize: float) -> None:
    ax.legend(
        bars,
        LEVELS,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=4,
        frameon=False,
        fontsize=fontsize,
        handlelength=2.2,
        handleheight=1.3,
    )


def _draw_distribution(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    n = max(1, len(chart.labels))
    width_in = chart.width_cm / 2.54
    per_bar = 0.26 if n <= 25 else (0.2 if n <= 45 else 0.14)
    height_in = min(0.9 + per_bar * n, 9.0)
    fontsize = 8.0 if n <= 25 else (7.0 if n <= 45 else 5.5)
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    ys = list(range(n))
    left = [0] * n
    bars = []
    total_max = max((sum(c) for c in chart.counts), default=0) or 1
    for level, (face, hatch, ink) in enumerate(LEVEL_STYLE):
        values = [c[level] for c in chart.counts] or [0]
        bar = ax.barh(ys, values, left=left, height=0.7, color=face, hatch=hatch,
                      edgecolor="black", linewidth=0.5)  # fmt: skip
        bars.append(bar)
        for y, v, x0 in zip(ys, values, left, strict=True):
            if v and v / total_max >= 0.05:
                ax.text(x0 + v / 2, y, tal(v), ha="center", va="center", color=ink,
                        fontsize=fontsize, fontweight="bold",
                        bbox={"boxstyle": "square,pad=0.1", "fc": face, "ec": "none"}
                        if hatch else None)  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(ys, [_short(s) for s in chart.labels] or [""], fontsize=fontsize)
    ax.invert_yaxis()
    ax.set_xlim(0, total_max * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: tal(x)))
    ax.tick_params(axis="x", labelsize=fontsize)
    ax.set_xlabel("Antal kontraktmål", fontsize=fontsize + 0.5)
    ax.grid(axis="x", color="#bbbbbb", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(fig, ax, bars, fontsize)
    fig.tight_layout(pad=0.4)
    return fig


def _draw_trend(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter

    n = max(1, len(chart.labels))
    width_in = chart.width_cm / 2.54
    fig = _figure(width_in, 2.9)
    ax = fig.add_subplot()
    xs = list(range(n))
    bottom = [0.0] * n
    totals = [sum(c) or 1 for c in chart.counts] or [1]
    bars = []
    for level, (face, hatch, ink) in enumerate(LEVEL_STYLE):
        shares = [c[level] / t for c, t in zip(chart.counts, totals, strict=True)] or [0.0]
        bar = ax.bar(xs, shares, bottom=bottom, width=0.55, color=face, hatch=hatch,
                     edgecolor="black", linewidth=0.5)  # fmt: skip
        bars.append(bar)
        for x, s, b in zip(xs, shares, bottom, strict=True):
            if s >= 0.06:
                ax.text(x, b + s / 2, procent(s), ha="center", va="center", color=ink,
                        fontsize=7.5, fontweight="bold",
                        bbox={"boxstyle": "square,pad=0.1", "fc": face, "ec": "none"}
                        if hatch else None)  # fmt: skip
        bottom = [a + b for a, b in zip(bottom, shares, strict=True)]
    ax.set_xticks(xs, list(chart.labels) or [""], fontsize=8)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: procent(y)))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.set_ylabel("Andel af kontraktmål", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(fig, ax, bars, 7.5)
    fig.tight_layout(pad=0.4)
    return fig


def render_png(chart: Chart) -> bytes:
    """Draw ``chart`` and return the PNG bytes."""
    from matplotlib import rc_context

    with rc_context({"font.family": "sans-serif", "font.sans-serif": FONTS, "hatch.linewidth": 0.6}):
        fig = _draw_distribution(chart) if chart.kind == "fordeling" else _draw_trend(chart)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
