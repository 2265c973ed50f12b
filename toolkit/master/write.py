"""Write the master workbook (XlsxWriter): tables with filters, Danish formats, charts.

Every value from an institution is written as data — text with ``write_string`` — never
as a formula, so text beginning with = + - @ arrives as text (no formula/DDE injection).
Where everything goes is :data:`toolkit.master.layout.LAYOUT`; Overblik is written by
:mod:`toolkit.master.overblik`, the buttons of an .xlsm by :mod:`toolkit.master.buttons`,
and the rows after each table's first by :mod:`toolkit.master.inject`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from toolkit.master.buttons import add_buttons
from toolkit.master.extra import extra_cols, flatten
from toolkit.master.inject import Bulk, inject_rows
from toolkit.master.layout import (
    GREYSAFE,
    HEADER_ROW,
    INFO_ROW,
    LAYOUT,
    MATRIX_FIXED,
    MATRIX_SHEET,
    OVERBLIK,
    TITLE_ROW,
    TableDef,
    matrix_table,
)
from toolkit.master.overblik import committees_in, overblik_charts, write_overblik
from toolkit.spec import vocabulary as V
from toolkit.spec.layout import col_letter
from toolkit.workbook.stamp import write_value

Row = dict[str, Any]
#: The input message of a dropdown column in the master.
CHOICE_HELP = {
    "beslutning": "Godkendt, Ændret (skriv ændringen i Ændret kontraktmål/målværdi) eller Afvist.",
    "manuel": "Sæt kun målopfyldelsen manuelt, hvis den beregnede ikke passer. Skriv hvorfor.",
}
#: Also importable from here, as before the layout had its own module.
__all__ = ["CHOICE_HELP", "GREYSAFE", "MATRIX_SHEET", "OVERBLIK", "MasterWriter", "master_bytes"]


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

        def f(**kw: Any) -> Format:
            return wb.add_format({**base, **kw})

        self.title = f(bold=True, font_size=16, font_color="#1F3864")
        self.info = f(italic=True, font_color="#595959")
        self.header = f(bold=True, text_wrap=True, font_color="#FFFFFF", bg_color="#1F3864")
        self.header_manual = f(bold=True, text_wrap=True, font_color="#FFFFFF", bg_color="#548235")
        self.text = f()
        self.longtext = f(text_wrap=True)
        self.int = f(num_format="0")
        self.number = f(num_format="#,##0.##")
        self.date = f(num_format="dd-mm-yyyy")
        self.datetime = f(num_format="dd-mm-yyyy hh:mm")
        self.manual = f(bg_color="#E2EFDA", locked=False)
        self.manual_date = f(bg_color="#E2EFDA", num_format="dd-mm-yyyy", locked=False)
        self.manual_long = f(bg_color="#E2EFDA", text_wrap=True, locked=False)
        self.kpi = f(bold=True, font_size=20, font_color="#1F3864", align="center")
        self.kpi_label = f(font_color="#595959", align="center", text_wrap=True)
        self.label = f(bold=True)
        self.bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.good = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})


def _cell_format(fmt: _Formats, kind: str, manual: bool) -> Format:
    if manual:
        return (
            fmt.manual_date
            if kind == "date"
            else fmt.manual_long
            if kind == "longtext"
            else fmt.manual
        )
    return {"int": fmt.int, "number": fmt.number, "date": fmt.date, "datetime": fmt.datetime,
            "longtext": fmt.longtext, "value": fmt.number}.get(kind, fmt.text)  # fmt: skip


class MasterWriter:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, {
            "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "default_date_format": "dd-mm-yyyy"})  # fmt: skip
        self.fmt = _Formats(self.wb)
        self.settings = settings
        self.extents: dict[str, tuple[int, int]] = {}
        self.bulk: Bulk = {}
        self.table_refs: dict[str, str] = {}

    def _page(self, ws: Worksheet, title: str) -> None:
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(0.4, 0.4, 0.7, 0.7)
        kommune = self.settings.get("kommune", "")
        ws.set_header(f"&L&9{kommune} — Kontraktstyring {self.settings.get('aar', '')}&R&9{title}")
        ws.set_footer("&L&9&D&R&9Side &P af &N")

    def table(
        self, t: TableDef, rows: Sequence[Row], info: str = "", columns: Sequence[Any] | None = None
    ) -> Worksheet:
        cols = list(columns or t.cols)
        if columns is None and (extra := extra_cols(rows)):  # people's own columns, after ours
            cols += extra
            rows = flatten(rows, extra)
        ws = self.wb.add_worksheet(t.sheet)
        self._page(ws, t.title)
        ws.write_string(TITLE_ROW, 0, t.title, self.fmt.title)
        if info:
            ws.write_string(INFO_ROW, 0, info, self.fmt.info)
        first = HEADER_ROW + 1
        last = HEADER_ROW + max(len(rows), 1)
        for c, col in enumerate(cols):
            ws.set_column(c, c, col.width)
            f = _cell_format(self.fmt, col.kind, col.manual)
            # XlsxWriter writes the first data row — the template that fixes each column's
            # style; the other rows are generated straight into the sheet XML in close().
            write_value(ws, first, c, rows[0].get(col.key) if rows else None, f)
            if not isinstance(f, Format):
                raise TypeError(f)
            if col.choices:  # a dropdown on every typed column that has a list
                ws.data_validation(first, c, max(last, first + 500), c, {
                    "validate": "list", "source": list(col.choices), "ignore_blank": True,
                    "input_title": col.header[:32], "input_message": CHOICE_HELP.get(col.key, "Vælg i listen."),
                    "error_type": "warning", "error_title": "Vælg i listen",
                    "error_message": f"Vælg en af: {', '.join(col.choices)}."})  # fmt: skip
        if len(rows) > 1:
            self.bulk[t.sheet] = (cols, list(rows[1:]), first)
        # XlsxWriter checks every cell of a table's range for overlaps (slow for 40,000
        # rows): the table is added over the header and template row, and its range is
        # widened to all rows when the rows are written (see toolkit.master.inject).
        ws.add_table(HEADER_ROW, 0, first, len(cols) - 1, {
            "name": t.table, "style": "Table Style Light 9", "autofilter": True,
            "columns": [{"header": col.header,
                         "header_format": self.fmt.header_manual if col.manual else self.fmt.header} for col in cols],
        })  # fmt: skip
        ws.freeze_panes(first, 2 if len(cols) > 6 else 0)
        ws.repeat_rows(HEADER_ROW)
        ws.set_row(HEADER_ROW, 30)
        self.extents[t.key] = (first, last)
        self.table_refs[t.table] = f"A{HEADER_ROW + 1}:{col_letter(len(cols) - 1)}{last + 1}"
        return ws

    def settings_sheet(self) -> None:
        ws = self.wb.add_worksheet(LAYOUT.settings_sheet)
        ws.write_string(LAYOUT.title_row, 0, LAYOUT.settings_sheet, self.fmt.title)
        ws.write_string(
            LAYOUT.info_row,
            0,
            "Knapperne i masterarbejdsbogen læser deres indstillinger her. Ret i kolonne B.",
            self.fmt.info,
        )
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 2, 50)
        for i, (key, label, help_) in enumerate(LAYOUT.settings):
            row = LAYOUT.settings_row + i
            ws.write_string(row, 0, label, self.fmt.label)
            v = self.settings.get(key)
            write_value(
                ws, row, 1, v, self.fmt.manual_date if isinstance(v, date) else self.fmt.manual
            )
            ws.write_string(row, 2, help_, self.fmt.info)
            self.wb.define_name(
                LAYOUT.setting_name(key), f"='{LAYOUT.settings_sheet}'!$B${row + 1}"
            )

    def matrix(self, areas: Sequence[str], rows: Sequence[Row]) -> None:
        t = matrix_table(areas)
        cols = list(t.cols)
        ws = self.table(
            t, rows, "Tallet er antal kontraktmål, virksomheden har under indsatsområdet.", cols
        )
        first, last = self.extents["matrix"]
        if areas:
            fixed = len(MATRIX_FIXED)  # the focus areas' columns follow the fixed ones
            ws.conditional_format(
                first,
                fixed,
                last,
                fixed - 1 + len(areas),
                {"type": "cell", "criteria": ">", "value": 0, "format": self.fmt.good},
            )
        ws.set_row(HEADER_ROW, 60)

    def status_colours(self, key: str, col_key: str) -> None:
        t = LAYOUT.table(key)
        ws = self.wb.get_worksheet_by_name(t.sheet)
        assert ws is not None
        c = t.keys.index(col_key)
        first, last = self.extents[key]
        bad, warn, good = self.fmt.bad, self.fmt.warn, self.fmt.good
        for value, f in ((V.MANGLER, bad), (V.FORSINKET, bad), (V.FEJL, bad), ("fejl", bad),
                         ("advarsel", warn), (V.MODTAGET, good), (V.GODKENDT, good),
                         (V.OPFYLDT, good), (V.IKKE_OPFYLDT, bad), (V.DELVIST, warn)):  # fmt: skip
            ws.conditional_format(
                first,
                c,
                last,
                c,
                {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": f},
            )

    def close(self) -> bytes:
        self.wb.get_worksheet_by_name(OVERBLIK).activate()
        self.wb.set_properties({"title": f"Masterarbejdsbog {self.settings.get('aar', '')}",
                                "subject": "Dialogbaseret kontraktstyring", "author": "Kontraktservice",
                                "company": str(self.settings.get("kommune", ""))})  # fmt: skip
        self.wb.close()
        return inject_rows(
            self.buf.getvalue(),
            [ws.name for ws in self.wb.worksheets()],
            self.bulk,
            self.table_refs,
        )


def master_bytes(settings: dict[str, Any], tables: dict[str, list[Row]], matrix: tuple[Sequence[str], Sequence[Row]],
                 stats: dict[str, Any], *, xlsm: bool = False) -> bytes:  # fmt: skip
    """The master workbook; with ``xlsm`` macro-enabled, with the buttons (toolkit.master.buttons)."""
    w = MasterWriter(settings)
    ov = write_overblik(w, tables, stats)
    w.settings_sheet()
    w.table(LAYOUT.by_key["oversigt"], tables["oversigt"], "Én række pr. virksomhed i registret.")
    w.status_colours("oversigt", "status")
    w.table(LAYOUT.by_key["udvalg"], tables["udvalg"], "Optælling pr. fagudvalg.")
    w.table(
        LAYOUT.by_key["maal"],
        tables["maal"],
        "Grønne kolonner er Kontraktservices egne og bevares ved ny konsolidering.",
    )
    w.table(
        LAYOUT.by_key["resultater"],
        tables["resultater"],
        "Målopfyldelse = manuel, hvis udfyldt, ellers beregnet.",
    )
    w.status_colours("resultater", "maalopfyldelse")
    w.matrix(*matrix)
    w.table(LAYOUT.by_key["gruppe"], tables["gruppe"])
    w.table(LAYOUT.by_key["dialog"], tables["dialog"])
    w.table(LAYOUT.by_key["maalinger"], tables.get("maalinger", []), "Fra kontrakt maaling.")
    w.table(
        LAYOUT.by_key["fund"],
        tables["fund"],
        "Fejl skal rettes af virksomheden; advarsler bør ses igennem.",
    )
    w.status_colours("fund", "alvor")
    w.table(
        LAYOUT.by_key["foraeldede"],
        tables["foraeldede"],
        "Mål med Kontraktservices data, som ikke længere findes i virksomhedens arbejdsbog "
        "(og værdier i egne kolonner, hvis række er forsvundet).",
    )
    w.table(LAYOUT.by_key["koersler"], tables["koersler"], "Hver kørsel af Konsolider.")
    overblik_charts(w, ov, len(committees_in(tables)))
    if xlsm:
        add_buttons(w.wb, ov)
    return w.close()
