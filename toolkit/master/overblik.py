"""The master's Overblik sheet for any contract year.

The master holds several contract years (column År in its tables). Overblik shows the key
figures and the two charts for the year in one cell (:data:`YEAR_CELL`), which the person can
change (unlocked, with a dropdown of the years in the master). Every figure is a live
COUNTIFS over the tables' whole År columns — it survives rows added or sorted — and is
written with its value computed here, so it is right before any recalculation. The charts
read a small per-year table on the same sheet (:data:`BLOCK_COL`), made the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from toolkit.master.layout import ATTAINMENT, GREYSAFE, LAYOUT, OVERBLIK
from toolkit.rules.cycle import LATE, MISSING, NOT_YET
from toolkit.spec.layout import col_letter

if TYPE_CHECKING:  # the writer imports this module; this one only names its type
    from xlsxwriter.worksheet import Worksheet

    from toolkit.master.write import MasterWriter

Row = dict[str, Any]
YEAR_LABEL = "Vis kontraktår:"
#: Where things sit (:class:`toolkit.master.layout.OverblikLayout`), under their old names.
AT = LAYOUT.overblik
YEAR_ROW, YEAR_COL = AT.year_row, AT.year_col  # B3: the year Overblik shows
YEAR_CELL = AT.year_cell
KPI_ROW = AT.kpi_row  # values; their labels on the row below
BLOCK_ROW, BLOCK_COL = (
    AT.block_row,
    AT.block_col,
)  # header of the chart table (M3), committees below
YEARS_COL = AT.years_col  # U: the years in the master (the dropdown's list)
YEARS_MAX = AT.years_max
BLOCK_HEADERS = ("Fagudvalg", "Modtaget", "Mangler", *ATTAINMENT)
KPI_LABELS = ("Virksomheder", "Modtaget", "Mangler", "Heraf forsinket", "Med fejl",
              "Kontraktmål", "Fund", "Ikke omfattet endnu")  # fmt: skip


def _col(table: str, key: str) -> str:
    t = LAYOUT.table(table)
    letter = col_letter(t.keys.index(key))
    return f"'{t.sheet}'!${letter}:${letter}"


def _count(table: str, *criteria: tuple[str, str]) -> str:
    args = ",".join(f"{_col(table, k)},{c}" for k, c in (("aar", YEAR_CELL), *criteria))
    return f"COUNTIFS({args})"


def _status(status: str, committee: str | None = None) -> str:
    crit = [("status", f'"{status}"')]
    if committee:
        crit.append(("udvalg", committee))
    return _count("oversigt", *crit)


def kpi_formulas() -> list[str]:
    """The key figures of :data:`KPI_LABELS` as formulas over the year in :data:`YEAR_CELL`."""
    row = KPI_ROW + 1
    a, c = f"{col_letter(AT.kpi_col)}{row}", f"{col_letter(AT.kpi_col + 2)}{row}"
    return [
        f"={_count('oversigt')}-{_status(NOT_YET)}",
        f"={a}-{c}",
        f"={_status(MISSING)}+{_status(LATE)}",
        f"={_status(LATE)}",
        f"={_status('Fejl')}",
        f"={_count('maal')}",
        f"={_count('fund')}",
        f"={_status(NOT_YET)}",
    ]


def block_formulas(row: int) -> list[str]:
    """One committee's row of the chart table (``row`` zero-based; the name in column M)."""
    name = f'"="&${col_letter(BLOCK_COL)}{row + 1}'
    ov = _count("oversigt", ("udvalg", name))
    missing = f"{_status(MISSING, name)}+{_status(LATE, name)}"
    out = [f"={ov}-{_status(NOT_YET, name)}-({missing})", f"={missing}"]
    for level in ATTAINMENT:
        out.append("=" + _count("resultater", ("udvalg", name), ("maalopfyldelse", f'"{level}"')))
    return out


# --------------------------------------------------------------- the values, in Python


def _of_year(rows: Sequence[Row], year: Any) -> list[Row]:
    return [r for r in rows if r.get("aar") == year]


def kpi_values(tables: Mapping[str, Sequence[Row]], year: Any) -> list[int]:
    """What :func:`kpi_formulas` compute, for ``year``."""
    statuses = [str(r.get("status") or "").casefold() for r in _of_year(tables["oversigt"], year)]

    def n(s: str) -> int:
        return statuses.count(s.casefold())

    covered = len(statuses) - n(NOT_YET)
    missing = n(MISSING) + n(LATE)
    return [covered, covered - missing, missing, n(LATE), n("Fejl"),
            len(_of_year(tables["maal"], year)), len(_of_year(tables.get("fund", []), year)),
            n(NOT_YET)]  # fmt: skip


def block_values(tables: Mapping[str, Sequence[Row]], year: Any, committee: str) -> list[int]:
    """What :func:`block_formulas` compute, for ``year`` and ``committee``."""
    c = committee.casefold()
    ov = [str(r.get("status") or "").casefold() for r in _of_year(tables["oversigt"], year)
          if str(r.get("udvalg") or "").casefold() == c]  # fmt: skip
    missing = ov.count(MISSING.casefold()) + ov.count(LATE.casefold())
    res = [str(r.get("maalopfyldelse") or "").casefold()
           for r in _of_year(tables["resultater"], year)
           if str(r.get("udvalg") or "").casefold() == c]  # fmt: skip
    return [len(ov) - ov.count(NOT_YET.casefold()) - missing, missing,
            *(res.count(level.casefold()) for level in ATTAINMENT)]  # fmt: skip


def years_in(tables: Mapping[str, Sequence[Row]]) -> list[int]:
    """The contract years the master holds, oldest first."""
    years = {r.get("aar") for key in ("oversigt", "maal", "resultater", "gruppe", "dialog", "fund")
             for r in tables.get(key, [])}  # fmt: skip
    return sorted(y for y in years if isinstance(y, int))[-YEARS_MAX:]


def committees_in(tables: Mapping[str, Sequence[Row]]) -> list[str]:
    names = {str(r.get("udvalg")) for r in tables.get("oversigt", []) if r.get("udvalg")}
    return sorted(names)


# --------------------------------------------------------------------- the sheet


def write_overblik(w: MasterWriter, tables: Mapping[str, Sequence[Row]],
                   stats: Mapping[str, Any]) -> Worksheet:  # fmt: skip
    wb, fmt = w.wb, w.fmt
    ws = wb.add_worksheet(OVERBLIK)
    w._page(ws, OVERBLIK)
    ws.hide_gridlines(2)
    year = w.settings.get("aar")
    kommune = str(w.settings.get("kommune", "") or "")
    title = f"Kontraktstyring {year if year is not None else ''} — {kommune}"
    quoted = kommune.replace('"', '""')
    ws.write_formula(
        AT.title_row, 0, f'="Kontraktstyring "&{YEAR_CELL}&" — {quoted}"', fmt.title, title
    )
    ws.write_string(AT.info_row, 0, stats.get("info", ""), fmt.info)
    ws.set_column(AT.kpi_col, AT.kpi_col + len(KPI_LABELS) - 1, 16)
    ws.write_string(YEAR_ROW, 0, YEAR_LABEL, fmt.label)
    year_fmt = wb.add_format({"bold": True, "font_size": 12, "num_format": "0", "locked": False,
                              "bg_color": "#E2EFDA", "border": 1, "align": "center"})  # fmt: skip
    ws.write(YEAR_ROW, YEAR_COL, year, year_fmt)
    years = years_in(tables) or ([year] if isinstance(year, int) else [])
    ycol = col_letter(YEARS_COL)
    ws.write_string(BLOCK_ROW, YEARS_COL, "År i masteren", fmt.label)
    for i, y in enumerate(years):
        ws.write_number(BLOCK_ROW + 1 + i, YEARS_COL, y, fmt.int)
    first, last = BLOCK_ROW + 2, BLOCK_ROW + 1 + YEARS_MAX
    ws.data_validation(YEAR_ROW, YEAR_COL, YEAR_ROW, YEAR_COL, {
        "validate": "list", "source": f"=OFFSET(${ycol}${first},0,0,MAX(1,COUNT(${ycol}${first}:${ycol}${last})),1)",
        "input_title": "Kontraktår", "input_message": "Vælg det år, Overblik skal vise.",
        "error_type": "warning", "error_title": "Ukendt år",
        "error_message": "Året findes ikke i masterarbejdsbogen."})  # fmt: skip
    w.wb.define_name(AT.year_name, f"='{OVERBLIK}'!{YEAR_CELL}")
    for i, (label, formula, value) in enumerate(
        zip(KPI_LABELS, kpi_formulas(), kpi_values(tables, year), strict=True)
    ):
        ws.write_formula(KPI_ROW, AT.kpi_col + i, formula, fmt.kpi, value)
        ws.write_string(AT.kpi_label_row, AT.kpi_col + i, label, fmt.kpi_label)
    ws.set_row(KPI_ROW, 30)
    ws.set_row(AT.kpi_label_row, 30)
    ws.write_string(BLOCK_ROW - 1, BLOCK_COL, f"Tallene bag diagrammerne (året i {YEAR_CELL.replace('$', '')})", fmt.info)  # fmt: skip
    for j, h in enumerate(BLOCK_HEADERS):
        ws.write_string(BLOCK_ROW, BLOCK_COL + j, h, fmt.label)
    ws.set_column(BLOCK_COL, BLOCK_COL, 30)
    for i, name in enumerate(committees_in(tables)):
        r = BLOCK_ROW + 1 + i
        ws.write_string(r, BLOCK_COL, name)
        for j, (f, v) in enumerate(
            zip(block_formulas(r), block_values(tables, year, name), strict=True)
        ):
            ws.write_formula(r, BLOCK_COL + 1 + j, f, fmt.int, v)
    return ws


def overblik_charts(w: MasterWriter, ws: Worksheet, n: int) -> None:
    """The two charts, over the per-year table of :func:`write_overblik`."""
    if n == 0:
        return
    sheet = f"'{OVERBLIK}'"
    first, last = BLOCK_ROW + 1, BLOCK_ROW + n
    cats = [sheet, first, BLOCK_COL, last, BLOCK_COL]

    def values(j: int) -> list[Any]:
        return [sheet, first, BLOCK_COL + j, last, BLOCK_COL + j]

    height = 60 + 48 * n + 80
    status = w.wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j, color in ((1, GREYSAFE[0]), (2, GREYSAFE[3])):
        status.add_series({"name": [sheet, BLOCK_ROW, BLOCK_COL + j], "categories": cats,
                           "values": values(j), "fill": {"color": color},
                           "border": {"color": "#000000"}})  # fmt: skip
    status.set_title({"name": "Indsendte arbejdsbøger pr. fagudvalg"})
    status.set_legend({"position": "bottom"})
    status.set_x_axis({"name": "Antal virksomheder", "major_gridlines": {"visible": True}})
    status.set_size({"width": 720, "height": height})
    ws.insert_chart(AT.chart_row, 0, status)

    att = w.wb.add_chart({"type": "bar", "subtype": "stacked"})
    patterns = ("solid", "light_upward_diagonal", "dark_horizontal", "light_vertical")
    for k, (color, pattern) in enumerate(zip(GREYSAFE, patterns, strict=True)):
        j = 3 + k
        series: dict[str, Any] = {"name": [sheet, BLOCK_ROW, BLOCK_COL + j], "categories": cats,
                                  "values": values(j), "border": {"color": "#000000"}}  # fmt: skip
        if pattern == "solid":
            series["fill"] = {"color": color}
        else:
            series["pattern"] = {"pattern": pattern, "fg_color": color, "bg_color": "#FFFFFF"}
        att.add_series(series)
    att.set_title({"name": "Målopfyldelse pr. fagudvalg"})
    att.set_legend({"position": "bottom"})
    att.set_x_axis({"name": "Antal kontraktmål", "major_gridlines": {"visible": True}})
    att.set_size({"width": 720, "height": height})
    ws.insert_chart(AT.chart_row + 2 + height // 20, 0, att)
