"""Charts for the memos and the report, drawn with matplotlib (Agg) to PNG in memory.

A context holds a :class:`Chart` (plain data); the render layer draws it with
:func:`render_png` and places it with docxtpl's ``InlineImage``, with :attr:`Chart.alt` as
its alternative text (the key figures in words, for screen readers). The attainment
categories differ by grey level *and* hatching, so the charts read on a black-and-white
print. Names are never clipped: the left margin is measured from the drawn names.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.documents.formatting import antal, procent, tal
from toolkit.rules.attainment import LEVELS

#: The attainment levels and "Ikke vurderet" (a result without a level): every goal is in
#: exactly one of these, so the parts always add up to the total.
CATEGORIES: tuple[str, ...] = (*LEVELS, "Ikke vurderet")
Counts = tuple[int, ...]

#: (face colour, hatch, colour of the number written on the bar) per level, in LEVELS order.
LEVEL_STYLE: tuple[tuple[str, str, str], ...] = (
    ("#333333", "", "white"),  # Opfyldt
    ("#9c9c9c", "////", "black"),  # Delvist opfyldt
    ("#dedede", "xxx", "black"),  # Ikke opfyldt
    ("#ffffff", "...", "black"),  # Ikke målt
    ("#ffffff", "", "black"),  # Ikke vurderet
)
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
MAX_LABEL = 40


@dataclass(frozen=True)
class Chart:
    """What to draw. ``counts[i]`` = the goals of ``labels[i]`` per :data:`CATEGORIES`.

    ``kind="fordeling"``: one horizontal bar per label with the counts stacked (with
    ``andele=True`` as shares of 100 %, to compare committees of different size);
    ``kind="udvikling"``: one column per year (label) with the shares stacked to 100 %;
    ``kind="antal"``: one horizontal bar per label, ``counts[i] = (n,)`` (``what`` names it).
    """

    kind: Literal["fordeling", "udvikling", "antal", "sammenligning"]
    labels: tuple[str, ...]
    counts: tuple[Counts, ...]
    xmax: int = 0  # "fordeling": the axis' end (0: the largest total); shared by split charts
    width_cm: float = 16.0
    andele: bool = False
    what: str = "kontraktmål"
    #: "sammenligning" (toolkit.documents.comparison): a value per label, last year's value,
    #: the municipality's average and the unit
    values: tuple[float, ...] = ()
    previous: tuple[float | None, ...] = ()
    reference: float | None = None
    unit: str = ""

    @property
    def alt(self) -> str:
        """The chart in words: what it shows and its figures (alternative text)."""
        return alt_text(self)


@dataclass(frozen=True)
class Picture:
    """A chart already drawn: PNG bytes and the width it gets in the document."""

    png: bytes
    width_cm: float
    alt: str = ""


def draw(chart: Chart) -> Picture:
    return Picture(render_png(chart), chart.width_cm, chart.alt)


#: At most this many bars in one chart; more are split over several charts.
MAX_BARS = 40


def distribution_charts(labels: list[str], counts: list[Counts]) -> list[Chart]:
    """One "fordeling" chart, or several of at most :data:`MAX_BARS` bars on the same scale."""
    n = len(labels)
    parts = max(1, -(-n // MAX_BARS))
    size = -(-n // parts) if n else 0
    xmax = max((sum(c) for c in counts), default=0)
    return [
        Chart("fordeling", tuple(labels[i : i + size]), tuple(counts[i : i + size]), xmax=xmax)
        for i in range(0, n, size or 1)
    ] or [Chart("fordeling", (), (), xmax=0)]


def _levels_text(c: Counts) -> str:
    parts = [f"{tal(n)} {name.lower()}" for n, name in zip(c, CATEGORIES, strict=False) if n]
    return ", ".join(parts) if parts else "ingen mål"


def alt_text(chart: Chart) -> str:
    """The alternative text of ``chart``: its kind, the totals and each label's figures."""
    if chart.kind == "sammenligning":
        from toolkit.documents import comparison

        return comparison.alt_text(chart)
    if chart.kind == "antal":
        total = sum(c[0] for c in chart.counts)
        items = "; ".join(
            f"{lab}: {tal(c[0])}" for lab, c in zip(chart.labels, chart.counts, strict=True)
        )
        return f"Søjlediagram over {chart.what}, i alt {tal(total)}. {items}."
    totals = [sum(c) for c in chart.counts]
    whole = tuple(sum(c[i] for c in chart.counts) for i in range(len(CATEGORIES)))
    met = whole[0]
    head = {
        "fordeling": "Søjlediagram over målopfyldelse" + (" i procent" if chart.andele else ""),
        "udvikling": "Søjlediagram over målopfyldelsen i procent år for år",
    }[chart.kind]
    lines = []
    for lab, c, t in zip(chart.labels, chart.counts, totals, strict=True):
        share = (
            f" ({procent(c[0] / t)} opfyldt)"
            if t and (chart.andele or chart.kind == "udvikling")
            else ""
        )
        lines.append(f"{lab}: {antal(t, 'mål', 'mål')}, {_levels_text(c)}{share}")
    overall = (
        f"I alt {antal(sum(totals), 'kontraktmål', 'kontraktmål')}, heraf {tal(met)} opfyldt"
        f" ({procent(met / sum(totals)) if sum(totals) else '–'})."
    )
    return f"{head}. {overall} " + "; ".join(lines) + "."


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


def _legend(fig: Any, fontsize: float, extra: frozenset[int] = frozenset()) -> None:
    """The four levels (and ``extra`` categories, by index) in one row at the top."""
    from matplotlib.patches import Patch

    shown = [i for i in range(len(CATEGORIES)) if i < len(LEVELS) or i in extra]
    handles = [Patch(facecolor=LEVEL_STYLE[i][0], hatch=LEVEL_STYLE[i][1], edgecolor="black",
                     linewidth=0.5) for i in shown]  # fmt: skip
    fig.legend(handles, [CATEGORIES[i] for i in shown], loc="upper center",
               bbox_to_anchor=(0.5, 1.0), ncol=len(shown), frameon=False,
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


def _present(chart: Chart) -> frozenset[int]:
    """The categories beyond the four levels that occur in ``chart`` (for the legend)."""
    return frozenset(
        i
        for i in range(len(LEVELS), len(CATEGORIES))
        if any(len(c) > i and c[i] for c in chart.counts)
    )


def _names_margin(fig: Any, ax: Any, labels: list[str], fontsize: float, width_in: float) -> float:
    """Draw the names left of the bars and return the margin (inches) they need, measured."""
    from matplotlib.transforms import blended_transform_factory

    names = blended_transform_factory(ax.transAxes, ax.transData)
    texts = [
        ax.text(-0.012, y, name, transform=names, ha="right", va="center", fontsize=fontsize)
        for y, name in enumerate(labels)
    ]
    renderer = fig.canvas.get_renderer()
    widest = max((t.get_window_extent(renderer).width for t in texts), default=0.0) / fig.dpi
    return min(float(widest) + 0.25, width_in * 0.5)


def _draw_distribution(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    n = max(1, len(chart.labels))
    labels = [_short(s) for s in chart.labels] or [""]
    width_in = chart.width_cm / 2.54
    per_bar = 0.27 if n <= 20 else 0.21
    fontsize = 8.0 if n <= 20 else 7.0
    height_in = 1.05 + per_bar * n
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    if chart.andele:
        rows = [tuple(v / (sum(c) or 1) for v in c) for c in chart.counts]
        total_max: float = 1.0
    else:
        rows = [tuple(float(v) for v in c) for c in chart.counts]
        total_max = chart.xmax or max((sum(c) for c in chart.counts), default=0) or 1
    left = [0.0] * n
    for level in range(len(CATEGORIES)):
        values = [c[level] if len(c) > level else 0.0 for c in rows] or [0.0]
        raw = [c[level] if len(c) > level else 0 for c in chart.counts] or [0]
        _boxes(
            ax,
            [(x0, y - 0.35, v, 0.7) for y, (x0, v) in enumerate(zip(left, values, strict=True))],
            level,
        )
        for y, (x0, v, r) in enumerate(zip(left, values, raw, strict=True)):
            if v and v / total_max >= (0.06 if chart.andele else 0.04):
                text = procent(v) if chart.andele else tal(r)
                _label(ax, x0 + v / 2, y, text, level, fontsize - 0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks([])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, total_max * 1.02)
    if chart.andele:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: procent(x)))
        ax.set_xlabel("Andel af kontraktmål", fontsize=fontsize + 0.5)
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: tal(x)))
        ax.set_xlabel("Antal kontraktmål", fontsize=fontsize + 0.5)
    ax.tick_params(axis="x", labelsize=fontsize)
    ax.grid(axis="x", color="#bbbbbb", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _legend(fig, fontsize, _present(chart))
    left_in = _names_margin(fig, ax, labels, fontsize, width_in)
    _margins(fig, width_in, height_in, left_in, 0.35, 0.45)
    return fig


def _draw_count(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    n = max(1, len(chart.labels))
    labels = [_short(s) for s in chart.labels] or [""]
    values = [c[0] for c in chart.counts] or [0]
    width_in = chart.width_cm / 2.54
    fontsize = 8.0
    height_in = 0.75 + 0.3 * n
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    _boxes(ax, [(0, y - 0.35, v, 0.7) for y, v in enumerate(values)], 0)
    top = max(values) or 1
    for y, v in enumerate(values):
        if v:
            ax.text(v + top * 0.01, y, tal(v), ha="left", va="center", fontsize=fontsize)
    ax.set_yticks([])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, top * 1.1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: tal(x)))
    ax.tick_params(axis="x", labelsize=fontsize)
    ax.set_xlabel(f"Antal {chart.what}", fontsize=fontsize + 0.5)
    ax.grid(axis="x", color="#bbbbbb", linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    left_in = _names_margin(fig, ax, labels, fontsize, width_in)
    _margins(fig, width_in, height_in, left_in, 0.1, 0.45)
    return fig


def _draw_trend(chart: Chart) -> Any:
    from matplotlib.ticker import FuncFormatter

    n = max(1, len(chart.labels))
    width_in, height_in = chart.width_cm / 2.54, 2.9
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    bottom = [0.0] * n
    totals = [sum(c) or 1 for c in chart.counts] or [1]
    for level in range(len(CATEGORIES)):
        shares = [
            (c[level] if len(c) > level else 0) / t
            for c, t in zip(chart.counts, totals, strict=True)
        ] or [0.0]
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
    _legend(fig, 7.5, _present(chart))
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
        from toolkit.documents.comparison import draw as _draw_comparison

        draw_ = {"fordeling": _draw_distribution, "udvikling": _draw_trend, "antal": _draw_count,
                 "sammenligning": _draw_comparison}  # fmt: skip
        fig = draw_[chart.kind](chart)
        buf = io.BytesIO()
        fig.savefig(
            buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 3}
        )
    return buf.getvalue()


def preload() -> None:
    """Import matplotlib and draw a tiny chart, so fonts and caches are warm (before forking)."""
    render_png(Chart("fordeling", ("–",), ((1, 1, 1, 1, 0),), width_cm=4.0))
