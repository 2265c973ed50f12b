"""Comparison for politicians: one indicator across the institutions of one type.

From the master's Målinger table (``kontrakt maaling``): for each indicator and institution
type, every institution's value with last year's, the municipality's average (the mean of
the institutions' values) and last year's average (types with at least two measured
institutions) — as a table and as a bar chart with the
figures in its alternative text. Institutions with too few respondents are listed without
a value (anonymity).
"""

from __future__ import annotations

from typing import Any

from toolkit.documents.charts import Chart
from toolkit.documents.data import Context, as_int, records, sort_name
from toolkit.documents.formatting import tal
from toolkit.master.measurements.compute import round1
from toolkit.master.model import Master

#: A comparison needs at least this many institutions of the type with a value.
MIN_COMPARED = 2


def shown(v: Any, unit: str) -> str:
    if v is None:
        return "–"
    return f"{tal(float(v), 1)} %" if unit == "Procent" else tal(float(v), 1)


def _mean(values: list[float]) -> float | None:
    return round1(sum(values) / len(values)) if values else None


def comparisons(
    master: Master, year: int, udvalg: str | None = None
) -> tuple[list[Context], list[Chart]]:
    """The comparisons (one per indicator and type with a measured value) and their charts."""
    rows = records(master["maalinger"])
    for r in rows:
        r["aar"] = as_int(r.get("aar"))
    now = [r for r in rows if r["aar"] == year and (udvalg is None or r.get("udvalg") == udvalg)]
    before = {(r.get("indikator_id"), r.get("virksomhed_id")): r for r in rows
              if r["aar"] == year - 1}  # fmt: skip
    groups: dict[tuple[str, str], list[Context]] = {}
    for r in now:
        groups.setdefault((str(r.get("indikator")), str(r.get("type") or "")), []).append(r)
    out: list[Context] = []
    charts: list[Chart] = []
    for (indicator, kind), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        group.sort(key=lambda r: sort_name(r.get("virksomhed")))
        unit = str(group[0].get("enhed") or "")
        values = [float(r["vaerdi"]) for r in group if r.get("vaerdi") is not None]
        if len(values) < MIN_COMPARED:
            continue
        prev = [before.get((r.get("indikator_id"), r.get("virksomhed_id"))) for r in group]
        prev_values = [p.get("vaerdi") if p else None for p in prev]
        avg = _mean(values)
        prev_avg = _mean([float(v) for v in prev_values if v is not None])
        raekker = [
            {"virksomhed": str(r.get("virksomhed")), "vaerdi": shown(r.get("vaerdi"), unit),
             "sidste_aar": shown(p, unit), "respondenter": tal(r.get("respondenter") or 0),
             "svarprocent": shown(r.get("svarprocent"), "Procent"),
             "note": "" if r.get("vaerdi") is not None else "For få besvarelser"}
            for r, p in zip(group, prev_values, strict=True)
        ]  # fmt: skip
        n_small = sum(1 for r in group if r.get("vaerdi") is None)
        text = (
            f"Kommunens gennemsnit for {kind.lower() or 'virksomhederne'} er {shown(avg, unit)}"
            + (f" (sidste år {shown(prev_avg, unit)})" if prev_avg is not None else "")
            + f". Spændet går fra {shown(min(values), unit)} til {shown(max(values), unit)}."
            + (f" {tal(n_small)} med for få besvarelser er ikke vist." if n_small else "")
        )
        out.append({"titel": f"{indicator} — {kind}" if kind else indicator, "tekst": text,
                    "gennemsnit": shown(avg, unit), "raekker": raekker})  # fmt: skip
        shown_rows = [(r, p) for r, p in zip(group, prev_values, strict=True)
                      if r.get("vaerdi") is not None]  # fmt: skip
        charts.append(
            Chart(
                "sammenligning",
                tuple(str(r.get("virksomhed")) for r, _ in shown_rows),
                (),
                what=f"{indicator} ({kind})" if kind else indicator,
                values=tuple(float(r["vaerdi"]) for r, _ in shown_rows),
                previous=tuple(None if p is None else float(p) for _, p in shown_rows),
                reference=avg,
                unit=unit,
            )
        )
    return out, charts


def comparison_context(master: Master, year: int, udvalg: str | None = None) -> Context:
    """The template variables: ``sammenligninger`` (title, sentence), their charts and one
    flat table of every institution's figure."""
    items, charts = comparisons(master, year, udvalg)
    flat = [{"indikator": s["titel"], **r} for s in items for r in s["raekker"]]
    return {"sammenligninger": items, "sammenligningsgrafer": charts,
            "sammenligning_raekker": flat}  # fmt: skip


def alt_text(chart: Chart) -> str:
    unit = chart.unit
    items = "; ".join(
        f"{lab}: {shown(v, unit)}" + (f" (sidste år {shown(p, unit)})" if p is not None else "")
        for lab, v, p in zip(chart.labels, chart.values, chart.previous, strict=True)
    )
    return (
        f"Søjlediagram over {chart.what} for {tal(len(chart.labels))} virksomheder. "
        f"Kommunens gennemsnit er {shown(chart.reference, unit)}. {items}."
    )


def draw(chart: Chart) -> Any:
    """Horizontal bars (this year), a diamond for last year, a dashed line for the average."""
    from toolkit.documents.charts import _figure, _margins, _names_margin

    n = max(1, len(chart.labels))
    width_in = chart.width_cm / 2.54
    height_in = 0.9 + 0.24 * n
    fig = _figure(width_in, height_in)
    ax = fig.add_subplot()
    ys = list(range(n))
    values = list(chart.values) or [0.0]
    ax.barh(ys[: len(values)], values, height=0.6, color="#9c9c9c", edgecolor="black",
            linewidth=0.4, label="Værdi")  # fmt: skip
    prev = [(y, p) for y, p in zip(ys, chart.previous, strict=False) if p is not None]
    if prev:
        ax.scatter([p for _, p in prev], [y for y, _ in prev], marker="D", s=14, color="black",
                   zorder=3, label="Sidste år")  # fmt: skip
    if chart.reference is not None:
        ax.axvline(chart.reference, color="black", linestyle="--", linewidth=1,
                   label=f"Gennemsnit {shown(chart.reference, chart.unit)}")  # fmt: skip
    for y, v in zip(ys, values, strict=False):
        ax.text(v, y, " " + shown(v, chart.unit), va="center", fontsize=7)
    top = 100.0 if chart.unit == "Procent" else 5.0 if "1-5" in chart.unit else max(values) * 1.2
    ax.set_xlim(0, top * 1.12)
    ax.set_ylim(n - 0.5, -0.5)  # the first name on top
    ax.set_yticks([])
    ax.tick_params(axis="x", labelsize=7.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    left = _names_margin(fig, ax, list(chart.labels), 7.5, width_in)
    _margins(fig, width_in, height_in, left, 0.45, 0.35)
    return fig
