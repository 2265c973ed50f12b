"""Write the master workbook (XlsxWriter): tables with filters, Danish formats, charts.

Every value from an institution is written as data — text with ``write_string`` — never
as a formula, so text beginning with = + - @ arrives as text (no formula/DDE injection).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from toolkit.master.extra import extra_cols, flatten
from toolkit.master.model import HEADER_ROW, SETTINGS, SETTINGS_SHEET, TITLE_ROW
from toolkit.master.tables import BY_KEY, TableDef
from toolkit.spec.layout import col_letter
from toolkit.workbook.stamp import (
    Base,
    date_serial,
    deflated_part,
    ooxml_escape,
    write_value,
    write_zip,
)
from toolkit.workbook.stamp import Part as _PartT

Row = dict[str, Any]
#: The input message of a dropdown column in the master.
CHOICE_HELP = {
    "beslutning": "Godkendt, Ændret (skriv ændringen i Ændret kontraktmål/målværdi) eller Afvist.",
    "manuel": "Sæt kun målopfyldelsen manuelt, hvis den beregnede ikke passer. Skriv hvorfor.",
}
OVERBLIK = "Overblik"
MATRIX_SHEET = "Indsatsområder"

#: Chart colours that also read in black and white (light → dark).
GREYSAFE = ("#2E7D32", "#F9A825", "#C62828", "#9E9E9E")


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
        self.bulk: dict[str, tuple[list[Any], list[Row], int]] = {}
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
            ws.write_string(TITLE_ROW + 1, 0, info, self.fmt.info)
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
        # widened to all rows when the rows are written (see _inject_rows).
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
        ws = self.wb.add_worksheet(SETTINGS_SHEET)
        ws.write_string(0, 0, "Indstillinger", self.fmt.title)
        ws.write_string(
            1,
            0,
            "Knapperne i masterarbejdsbogen læser deres indstillinger her. Ret i kolonne B.",
            self.fmt.info,
        )
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 2, 50)
        for i, (key, label, help_) in enumerate(SETTINGS):
            ws.write_string(3 + i, 0, label, self.fmt.label)
            v = self.settings.get(key)
            write_value(
                ws, 3 + i, 1, v, self.fmt.manual_date if isinstance(v, date) else self.fmt.manual
            )
            ws.write_string(3 + i, 2, help_, self.fmt.info)
            self.wb.define_name(f"indstilling_{key}", f"='{SETTINGS_SHEET}'!$B${4 + i}")

    def matrix(self, areas: Sequence[str], rows: Sequence[Row]) -> None:
        from toolkit.master.tables import Col, TableDef

        cols = [
            Col("virksomhed_id", "Id", width=7),
            Col("navn", "Virksomhed", width=28),
            Col("udvalg", "Fagudvalg", width=26),
        ]
        used_headers = {c.header for c in cols}
        for a in areas:
            header = a if a not in used_headers else f"{a} (2)"
            used_headers.add(header)
            cols.append(Col(a, header, "int", 12))
        t = TableDef(
            "matrix",
            MATRIX_SHEET,
            "tblIndsatsomraader",
            "Indsatsområder × virksomheder (antal mål)",
            tuple(cols),
        )
        ws = self.table(
            t, rows, "Tallet er antal kontraktmål, virksomheden har under indsatsområdet.", cols
        )
        first, last = self.extents["matrix"]
        if areas:
            ws.conditional_format(
                first,
                3,
                last,
                2 + len(areas),
                {"type": "cell", "criteria": ">", "value": 0, "format": self.fmt.good},
            )
        ws.set_row(HEADER_ROW, 60)

    def status_colours(self, key: str, col_key: str) -> None:
        t = BY_KEY[key]
        ws = self.wb.get_worksheet_by_name(t.sheet)
        assert ws is not None
        c = t.keys.index(col_key)
        first, last = self.extents[key]
        for value, f in (("Mangler", self.fmt.bad), ("Forsinket", self.fmt.bad), ("Fejl", self.fmt.bad), ("fejl", self.fmt.bad),
                         ("advarsel", self.fmt.warn), ("Modtaget", self.fmt.good), ("Godkendt", self.fmt.good),
                         ("Opfyldt", self.fmt.good), ("Ikke opfyldt", self.fmt.bad), ("Delvist opfyldt", self.fmt.warn)):  # fmt: skip
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
        return _inject_rows(
            self.buf.getvalue(),
            [ws.name for ws in self.wb.worksheets()],
            self.bulk,
            self.table_refs,
        )


_TEMPLATE_CELL = re.compile(rb'<c r="([A-Z]+)[0-9]+"(?: s="([0-9]+)")?')


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _cell_xml(ref: str, s: str, v: Any, keep_blank: bool) -> str:
    """One cell as SpreadsheetML text: data only (text is an inline string, never a formula)."""
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return f'<c r="{ref}"{s}/>' if keep_blank else ""
    if isinstance(v, str):
        v = v[:32767]
        if _NEEDS_ESCAPE.search(v):
            v = ooxml_escape(v)
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}"{s} t="inlineStr"><is><t>{"Ja" if v else "Nej"}</t></is></c>'
    if isinstance(v, int):
        return f'<c r="{ref}"{s}><v>{v}</v></c>'
    if isinstance(v, float):
        return (
            f'<c r="{ref}"{s}><v>{int(v) if v.is_integer() and abs(v) < 1e15 else repr(v)}</v></c>'
        )
    if isinstance(v, date):
        serial = date_serial(v)
        return f'<c r="{ref}"{s}><v>{int(serial) if float(serial).is_integer() else repr(serial)}</v></c>'
    return _cell_xml(ref, s, str(v), keep_blank)


_Job = tuple[str, bytes, list[Any], list[Row], int]
_PENDING: list[_Job] = []  # handed to a forked helper process without pickling


def _render(job: _Job) -> _PartT:
    """One sheet: the template row followed by every data row, deflated."""
    part, xml, cols, rows, first = job
    n = first + 1  # 1-based number of the template row
    m = re.search(rb'<row r="' + str(n).encode() + rb'"[^>]*>(.*?)</row>', xml, re.S)
    if m is None:
        raise RuntimeError(f"template row missing in {part}")
    styles = {
        col.decode(): s.decode() if s else "0" for col, s in _TEMPLATE_CELL.findall(m.group(1))
    }
    letters = [col_letter(c) for c in range(len(cols))]
    keep_blank = [bool(getattr(col, "manual", False)) for col in cols]
    keys = [col.key for col in cols]
    attrs = [f' s="{styles.get(letters[c], "0")}"' for c in range(len(cols))]
    out: list[str] = []
    for i, row in enumerate(rows):
        rn = n + 1 + i
        out.append(f'<row r="{rn}">')
        for c, key in enumerate(keys):
            cell = _cell_xml(f"{letters[c]}{rn}", attrs[c], row.get(key), keep_blank[c])
            if cell:
                out.append(cell)
        out.append("</row>")
    new = xml[: m.end()] + "".join(out).encode("utf-8") + xml[m.end() :]
    return deflated_part(part, new, 1 if len(new) > 1 << 20 else 6)


def _render_pending(_: int) -> list[_PartT]:
    return [_render(j) for j in _PENDING]


def _inject_rows(
    data: bytes,
    sheet_names: list[str],
    bulk: dict[str, tuple[list[Any], list[Row], int]],
    table_refs: dict[str, str] | None = None,
) -> bytes:
    """Write the data rows after each table's template row, in the template's styles.

    A large master (thousands of institutions) is rendered by two processes: the tables are
    split in two halves of about equal size, and a forked helper renders one half while
    this process renders the other (fork shares the rows; nothing is pickled but the result).
    """
    if not bulk and not table_refs:
        return data
    base = Base(
        data, {name: f"xl/worksheets/sheet{i + 1}.xml" for i, name in enumerate(sheet_names)}
    )
    jobs: list[_Job] = []
    for sheet, (cols, rows, first) in bulk.items():
        part = base.sheet_parts[sheet]
        jobs.append((part, base.parts[part].data, cols, rows, first))
    cells = sum(len(j[3]) * len(j[2]) for j in jobs)
    rendered: dict[str, _PartT] = {}
    if cells > 200_000 and _can_fork():
        import multiprocessing as mp

        jobs.sort(key=lambda j: -len(j[3]) * len(j[2]))
        mine: list[_Job] = []
        theirs: list[_Job] = []
        load = [0, 0]
        for j in jobs:  # greedy halves
            k = 0 if load[0] <= load[1] else 1
            (mine if k == 0 else theirs).append(j)
            load[k] += len(j[3]) * len(j[2])
        _PENDING[:] = theirs
        try:
            with mp.get_context("fork").Pool(1) as pool:
                res = pool.map_async(_render_pending, [0])
                for j in mine:
                    p = _render(j)
                    rendered[p.name] = p
                for p in res.get()[0]:
                    rendered[p.name] = p
        finally:
            _PENDING.clear()
    else:
        for j in jobs:
            p = _render(j)
            rendered[p.name] = p
    for nm in base.order:  # widen each table (and its filter) to all of its rows
        if nm.startswith("xl/tables/") and table_refs:
            xml = base.parts[nm].data
            m = re.search(rb' displayName="([^"]+)"', xml)
            ref = table_refs.get(m.group(1).decode()) if m else None
            if ref:
                new = re.sub(
                    rb' ref="[A-Z]+[0-9]+:[A-Z]+[0-9]+"', b' ref="' + ref.encode() + b'"', xml
                )
                rendered[nm] = deflated_part(nm, new)
    parts = [rendered.get(nm, base.parts[nm]) for nm in base.order]
    return write_zip(parts)


def _can_fork() -> bool:
    import multiprocessing as mp
    import os

    return os.name == "posix" and "fork" in mp.get_all_start_methods()


def master_bytes(settings: dict[str, Any], tables: dict[str, list[Row]], matrix: tuple[Sequence[str], Sequence[Row]],
                 stats: dict[str, Any], *, xlsm: bool = False) -> bytes:  # fmt: skip
    """The master workbook; with ``xlsm`` macro-enabled, with the buttons (toolkit.master.xlsm)."""
    from toolkit.master.overblik import committees_in, overblik_charts, write_overblik

    w = MasterWriter(settings)
    ov = write_overblik(w, tables, stats)
    w.settings_sheet()
    w.table(BY_KEY["oversigt"], tables["oversigt"], "Én række pr. virksomhed i registret.")
    w.status_colours("oversigt", "status")
    w.table(BY_KEY["udvalg"], tables["udvalg"], "Optælling pr. fagudvalg.")
    w.table(
        BY_KEY["maal"],
        tables["maal"],
        "Grønne kolonner er Kontraktservices egne og bevares ved ny konsolidering.",
    )
    w.table(
        BY_KEY["resultater"],
        tables["resultater"],
        "Målopfyldelse = manuel, hvis udfyldt, ellers beregnet.",
    )
    w.status_colours("resultater", "maalopfyldelse")
    w.matrix(*matrix)
    w.table(BY_KEY["gruppe"], tables["gruppe"])
    w.table(BY_KEY["dialog"], tables["dialog"])
    w.table(BY_KEY["maalinger"], tables.get("maalinger", []), "Fra kontrakt maaling.")
    w.table(
        BY_KEY["fund"],
        tables["fund"],
        "Fejl skal rettes af virksomheden; advarsler bør ses igennem.",
    )
    w.status_colours("fund", "alvor")
    w.table(
        BY_KEY["foraeldede"],
        tables["foraeldede"],
        "Mål med Kontraktservices data, som ikke længere findes i virksomhedens arbejdsbog "
        "(og værdier i egne kolonner, hvis række er forsvundet).",
    )
    w.table(BY_KEY["koersler"], tables["koersler"], "Hver kørsel af Konsolider.")
    overblik_charts(w, ov, len(committees_in(tables)))
    if xlsm:
        from toolkit.master.xlsm import add_buttons

        add_buttons(w.wb, ov)
    return w.close()
