"""Charts for the memos and the report, drawn with matplotlib (Agg) to PNG in memory.

A context holds a :class:`Chart` (plain data); the render layer draws it with
:func:`render_png` and places it with docxtpl's ``InlineImage``. The four attainment
levels differ by grey level *and* hatching, so the charts read on a black-and-white print.
"""

from __future__ import annotations

import functools
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
    xmax: int = 0  # "fordeling": the axis' end (0: the largest total); shared by split charts
    width_cm: float = 16.0


@dataclass(frozen=True)
class Picture:
    """A chart already drawn: PNG bytes and the width it gets in the document."""

    png: bytes
    width_cm: float


def draw(chart: Chart) -> Picture:
    return Picture(render_png(chart), chart.width_cm)


#: At most this many bars in one chart; more are split over several charts.
MAX_BARS = 40


def distribution_charts(labels: list[str], counts: list[tuple[int, int, int, int]]) -> list[Chart]:
    """One "fordeling" chart, or several of at most :data:`MAX_BARS` bars on the same scale."""
    n = len(labels)
    parts = max(1, -(-n // MAX_BARS))
    size = -(-n // parts) if n else 0
    xmax = max((sum(c) for c in counts), default=0)
    return [
        Chart("fordeling", tuple(labels[i : i + size]), tuple(counts[i : i + size]), xmax=xmax)
        for i in range(0, n, size or 1)
    ] or [Chart("fordeling", (), (), xmax=0)]


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


def _legend(fig: Any, fontsize: float) -> None:
    """The four levels in one row at the top of the figure."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=face, hatch=hatch, edgecolor="black", linewidth=0.5)
               for face, hatch, _ink in LEVEL_STYLE]  # fmt: skip
    fig.legend(handles, LEVELS, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False,
               fontsize=fontsize, handlelength=2.2, handleheight=1.2, borderaxespad=0.2,
               columnspacing=1.6)  # fmt: skip


def _label(ax: Any, x: float, y: float, text: str, level: int, fontsize: float) -> None:
    """A number on a bar segment; on hatched segments on a small box of the segment's colour."""
    face, hatch, ink = LEVEL_STYLE[level]
    box = {"boxstyle": "square,pad=0.15", "fc": face, "ec": "none"} if hatch else None
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        color=ink,
        fontsize=fontsize,
        fontweight="bold",
        bbox=box,
    )


def _boxes(ax: Any, rects: list[tuple[float, float, float, float]], level: int) -> None:
    """Draw rectangles (x, y, width, height) of one level as ONE collection (fast)."""
    from matplotlib.collections import PolyCollection

    face, hatch, _ink = LEVEL_STYLE[level]
    verts = [
        [(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in rects if w > 0 and h > 0
    ]
    if verts:
        ax.add_collection(PolyCollection(verts, facecolors=face, edgecolors="black", linewidths=0.5,
                                         hatch=hatch or None))  # fmt: skip


def _margins(
    fig: Any, width_in: float, height_in: float, left_in: float, top_in: float, bottom_in: float
) -> None:
    fig.subplots_adjust(left=left_in / width_in, right=1 - 0.15 / width_in,
                        top=1 - top_in / height_in, bottom=bottom_in / height_in)  # fmt: skip


def _draw_distribution(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    from matplotlib.transforms import blended_transform_factory

    n = max(1, len(chart.labels))
    labels = [_short(s) for s in chart.labels] or [""]
    width_in = chart.width_cm / 2.54
    per_bar = 0.27 if n <= 20 else 0.21
    fontsize = 8.0 if n <= 20 else 7.0
    height_in = 1.05 + per_bar * n
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    total_max = chart.xmax or max((sum(c) for c in chart.counts), default=0) or 1
    left = [0] * n
    for level in range(len(LEVEL_STYLE)):
        values = [c[level] for c in chart.counts] or [0]
        _boxes(
            ax,
            [(x0, y - 0.35, v, 0.7) for y, (x0, v) in enumerate(zip(left, values, strict=True))],
            level,
        )
        for y, (x0, v) in enumerate(zip(left, values, strict=True)):
            if v and v / total_max >= 0.04:
                _label(ax, x0 + v / 2, y, tal(v), level, fontsize - 0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    # The names as plain texts beside the bars: much cheaper than one axis tick per bar.
    ax.set_yticks([])
    names = blended_transform_factory(ax.transAxes, ax.transData)
    for y, name in enumerate(labels):
        ax.text(-0.012, y, name, transform=names, ha="right", va="center", fontsize=fontsize)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, total_max * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: tal(x)))
    ax.tick_params(axis="x", labelsize=fontsize)
    ax.set_xlabel("Antal kontraktmål", fontsize=fontsize + 0.5)
    ax.grid(axis="x", color="#bbbbbb", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(fig, fontsize)
    longest = max(len(s) for s in labels)
    _margins(
        fig,
        width_in,
        height_in,
        min(0.2 + longest * fontsize * 0.5 / 72, width_in * 0.45),
        0.35,
        0.45,
    )
    return fig


def _draw_trend(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter

    n = max(1, len(chart.labels))
    width_in, height_in = chart.width_cm / 2.54, 2.9
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    bottom = [0.0] * n
    totals = [sum(c) or 1 for c in chart.counts] or [1]
    for level in range(len(LEVEL_STYLE)):
        shares = [c[level] / t for c, t in zip(chart.counts, totals, strict=True)] or [0.0]
        _boxes(
            ax,
            [(x - 0.275, b, 0.55, s) for x, (b, s) in enumerate(zip(bottom, shares, strict=True))],
            level,
        )
        for x, (b, s) in enumerate(zip(bottom, shares, strict=True)):
            if s >= 0.06:
                _label(ax, x, b + s / 2, procent(s), level, 7.5)
        bottom = [a + b for a, b in zip(bottom, shares, strict=True)]
    ax.set_xticks(range(n), list(chart.labels) or [""], fontsize=8)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: procent(y)))
    ax.tick_params(axis="y", labelsize=7.5)
    ax.set_ylabel("Andel af kontraktmål", fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(fig, 7.5)
    _margins(fig, width_in, height_in, 0.75, 0.4, 0.35)
    return fig


@functools.cache
def _font() -> str:
    """The first of :data:`FONTS` that is installed (one font: text layout is cheaper)."""
    from matplotlib.font_manager import FontProperties, findfont

    for name in FONTS:
        try:
            findfont(FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            continue
        return name
    return "DejaVu Sans"


def render_png(chart: Chart) -> bytes:
    """Draw ``chart`` and return the PNG bytes."""
    from matplotlib import rc_context

    rc: dict[str, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [_font()],
        "hatch.linewidth": 0.6,
    }
    with rc_context(rc):  # type: ignore[arg-type]  # the stubs list every rc key as a Literal
        fig = _draw_distribution(chart) if chart.kind == "fordeling" else _draw_trend(chart)
        buf = io.BytesIO()
        fig.savefig(
            buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 3}
        )
    return buf.getvalue()


def preload() -> None:
    """Import matplotlib and draw a tiny chart, so fonts and caches are warm (before forking)."""
    render_png(Chart("fordeling", ("–",), ((1, 1, 1, 1),), width_cm=4.0))
