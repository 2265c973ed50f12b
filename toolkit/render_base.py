"""Render the base workbook from the spec with XlsxWriter: sheets, formats, validation, formulas.

Everything here is derived from :mod:`toolkit.spec` (what) and :mod:`toolkit.layout` (where).
The base is the same for every institution of a year, phase and municipality (:class:`BaseKey`);
what differs per institution is stamped into it by :mod:`toolkit.build`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from toolkit import checks
from toolkit.attainment import DEFAULT_RULE
from toolkit.catalog import RULES
from toolkit.layout import (
    FIRST_FIELD_ROW,
    HEADER_ROW,
    INTRO_ROW,
    META_FIRST_ROW,
    TITLE_ROW,
    TJEK_PY_COL,
    TJEK_PY_COLUMNS,
    TJEK_PY_NAME,
    TJEK_STATUS_ROW,
    Layout,
    TablePos,
    cell_ref,
    col_letter,
    defined_name,
    layout,
    list_name,
    quote_sheet,
    range_name,
)
from toolkit.measurements.library import default_library
from toolkit.periods import period
from toolkit.spec import Field, Sheet, Spec
from toolkit.stamp import write_value
from toolkit.tjek_text import (
    FROZEN_INTRO,
    NOTHING_TO_FIX,
    PASSED,
    TJEK_COLUMNS,
    TJEK_HEADER_ROW,
    TJEK_PY_WIDTHS,
    TJEK_RANK_COL,
    TJEK_TOP_HEADER_ROW,
    TJEK_TOP_ROWS,
    TJEK_WIDTHS,
    VEJLEDNING_CHARS_PER_LINE,
    VEJLEDNING_WIDTH,
    more_formula,
    status_formula,
)


@dataclass(frozen=True)
class BaseKey:
    """What a base workbook depends on; everything else is stamped per institution."""

    year: int
    phase: str
    kommune: str
    focus_areas: tuple[str, ...]
    xlsm: bool = False


def fmt_text(text: str, ctx: Mapping[str, Any]) -> str:
    return text.format(**ctx) if text else ""


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}

        def add(**kw: Any) -> Format:
            return wb.add_format({**base, **kw})

        inp = {"bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF", "locked": False}
        self.title = add(bold=True, font_size=16, font_color="#1F3864")
        self.intro = add(italic=True, text_wrap=True, font_color="#404040")
        self.intro_line = add(italic=True, font_color="#404040")
        self.label = add(bold=True, text_wrap=True)
        self.help = add(italic=True, text_wrap=True, font_color="#7F7F7F", font_size=9)
        self.header = add(
            bold=True, text_wrap=True, font_color="#FFFFFF", bg_color="#1F3864", border=1
        )
        self.locked = add(bg_color="#EDEDED", border=1, border_color="#BFBFBF", text_wrap=True)
        self.locked_date = add(
            bg_color="#EDEDED", border=1, border_color="#BFBFBF", num_format="dd-mm-yyyy"
        )
        self.input = add(**inp, text_wrap=True)
        self.input_date = add(**inp, num_format="dd-mm-yyyy")
        self.input_int = add(**inp, num_format="0")
        self.input_num = add(**inp, num_format="General")
        self.text = add(text_wrap=True)
        self.para = add(text_wrap=True, valign="top")
        self.para_bold = add(bold=True, font_size=12, font_color="#1F3864")
        self.status = add(bold=True, font_size=14)
        self.missing = wb.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006"})
        self.passed = wb.add_format({"font_color": "#A6A6A6"})
        self.ok = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.err = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True})

    def for_field(self, f: Field, *, locked: bool = False) -> Format:
        if locked or not f.is_input:
            return self.locked_date if f.type == "dato" else self.locked
        if f.type == "dato":
            return self.input_date
        if f.type == "heltal":
            return self.input_int
        if f.type in ("tal", "vaerdi"):
            return self.input_num
        return self.input


class BaseBuilder:
    """Builds the base workbook of a :class:`BaseKey`: every cell formatted, no institution."""

    def __init__(self, spec: Spec, inp: BaseKey, target: Any) -> None:
        self.spec, self.inp = spec, inp
        self.lay: Layout = layout(spec)
        self.wb = xlsxwriter.Workbook(
            target,
            {
                "in_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.fmt = _Formats(self.wb)
        self.ctx = {
            "aar": inp.year,
            "forberedelsesaar": inp.year - 1,
            "naeste_aar": inp.year + 1,
            "kommune": inp.kommune,
        }
        self.lists = dict(spec.lists)
        self.lists["indsatsomraader"] = (*inp.focus_areas, checks.OWN_PROPOSAL)
        self.lists.update(default_library().workbook_lists())

    # ----------------------------------------------------------------- helpers
    def _sheet_common(self, ws: Worksheet, sheet: Sheet, *, landscape: bool) -> None:
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.8)
        ws.set_header(f"&L&9{self.inp.kommune} — Kontraktstyring {self.inp.year}&R&9&A")
        ws.set_footer("&L&9&F&R&9Side &P af &N")
        if sheet.kind in ("vejledning", "felter"):
            ws.hide_gridlines(2)
        if sheet.title:
            title = fmt_text(sheet.title, self.ctx)
            if sheet.kind == "vejledning":  # the institution's name is stamped later
                name = self.lay.field("virksomhed", "navn").abs_ref()
                ws.write_formula(
                    TITLE_ROW, 0, f"={checks.q(title + ' — ')}&{name}", self.fmt.title, title
                )
            else:
                ws.write_string(TITLE_ROW, 0, title, self.fmt.title)
            ws.set_row(TITLE_ROW, 24)
        if sheet.intro and sheet.kind not in ("felter", "tabel"):
            ws.write_string(INTRO_ROW, 0, fmt_text(sheet.intro, self.ctx), self.fmt.intro_line)

    def _protect(self, ws: Worksheet, *, autofilter: bool = False) -> None:
        ws.protect(
            self.spec.password,
            {
                "select_locked_cells": True,
                "select_unlocked_cells": True,
                "format_columns": True,
                "format_rows": True,
                "autofilter": autofilter,
                # Valider (the xlsm's button, the xlwings Lite add-in) colours the cells
                # it finds fault with.
                "format_cells": True,
            },
        )

    def _validation(self, ws: Worksheet, rng: tuple[int, int, int, int], f: Field) -> None:
        r0, c0, r1, c1 = rng
        opts: dict[str, Any] = {"input_title": f.label[:32], "ignore_blank": True}
        if f.help:
            opts["input_message"] = fmt_text(f.help, self.ctx)[:255]
        top_left = cell_ref(r0, c0)
        if f.type == "valg":
            assert f.list is not None
            opts.update(validate="list", source=f"={list_name(f.list)}")
            if f.open_list:
                opts.update(error_type="information", error_title="Egen værdi",
                            error_message="Værdien findes ikke i listen. Klik OK for at bruge den alligevel.")  # fmt: skip
            else:
                opts.update(error_title="Vælg i listen",
                            error_message="Vælg en værdi i listen (klik på pilen i cellen).")  # fmt: skip
        elif f.type == "dato":
            assert f.period is not None
            start, end = period(f.period, self.inp.year)
            opts.update(
                validate="date", criteria="between",
                minimum=datetime(start.year, start.month, start.day),
                maximum=datetime(end.year, end.month, end.day),
                error_title="Ugyldig dato",
                error_message=f"Skriv en dato mellem {start:%d-%m-%Y} og {end:%d-%m-%Y}, fx {start:%d-%m-%Y}.",
            )  # fmt: skip
        elif f.type == "heltal":
            opts.update(validate="integer", criteria="between", minimum=0, maximum=10**9,
                        error_title="Skriv et helt tal", error_message="Skriv et helt tal (0 eller derover).")  # fmt: skip
        elif f.type == "tal":
            opts.update(validate="decimal", criteria="between", minimum=-(10**12), maximum=10**12,
                        error_title="Skriv et tal", error_message="Skriv et tal.")  # fmt: skip
        elif f.type == "vaerdi":
            opts.update(
                validate="custom",
                value=f'=OR(ISNUMBER({top_left}),TRIM({top_left})="Ja",TRIM({top_left})="Nej")',
                error_title="Skriv et tal eller Ja/Nej",
                error_message="Skriv et tal — eller Ja eller Nej, hvis målets retning er Ja/Nej.",
            )  # fmt: skip
        elif f.type in ("tekst", "langtekst", "email"):
            max_len = self.spec.max_length(f) or 255
            opts.update(validate="length", criteria="<=", value=max_len, error_title="For lang tekst",
                        error_message=f"Teksten må højst være {max_len} tegn.")  # fmt: skip
        ws.data_validation(r0, c0, r1, c1, opts)

    # ----------------------------------------------------------------- sheets
    def vejledning(self, sheet: Sheet) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        self._sheet_common(ws, sheet, landscape=False)
        ws.set_column(0, 0, VEJLEDNING_WIDTH)
        row = 2
        tjek = self.spec.sheet("tjek")
        ws.write_string(row, 0, "Status lige nu:", self.fmt.para_bold)
        counts = [f"{quote_sheet(tjek.name)}!{cell_ref(TJEK_STATUS_ROW + k, 1, absolute=True)}"
                  for k in (1, 2)]  # fmt: skip
        ws.write_formula(row + 1, 0, "=" + status_formula(counts[0], counts[1], f"på arket {tjek.name}"),
                         self.fmt.status, "")  # fmt: skip
        ws.conditional_format(row + 1, 0, row + 1, 0, {"type": "text", "criteria": "begins with",
                                                       "value": "IKKE", "format": self.fmt.err})  # fmt: skip
        ws.conditional_format(row + 1, 0, row + 1, 0, {"type": "text", "criteria": "begins with",
                                                       "value": "KLAR", "format": self.fmt.ok})  # fmt: skip
        row += 3
        for i, para in enumerate(fmt_text(sheet.text, self.ctx).splitlines()):
            ws.write_string(row, 0, para, self.fmt.para_bold if i == 0 else self.fmt.para)
            # Explicit heights: LibreOffice does not grow rows for wrapped text in .xlsx, so
            # without them the lines overlap the next paragraph.
            lines = -(-len(para) // VEJLEDNING_CHARS_PER_LINE) if para else 1
            ws.set_row(row, 18 if i == 0 else max(1, lines) * 15 + 3)
            row += 1
        self._protect(ws)

    def felter(self, sheet: Sheet) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        self._sheet_common(ws, sheet, landscape=False)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 60)
        ws.set_column(2, 2, 60)
        values = self._record_values(sheet)
        for f in sheet.fields:
            pos = self.lay.field(sheet.key, f.key)
            ws.write_string(pos.row, 0, f.label, self.fmt.label)
            fmt = self.fmt.for_field(f)
            write_value(ws, pos.row, pos.col, values.get(f.key), fmt)
            if f.type == "langtekst":
                ws.set_row(pos.row, 60)
            if f.help:
                ws.write_string(pos.row, 2, fmt_text(f.help, self.ctx), self.fmt.help)
            self.wb.define_name(defined_name(sheet, f), f"={pos.abs_ref()}")
            if f.is_input:
                self._validation(ws, (pos.row, pos.col, pos.row, pos.col), f)
                if f.required == "altid":
                    ws.conditional_format(pos.row, pos.col, pos.row, pos.col, {
                        "type": "formula", "criteria": "=" + checks.blank(pos.ref),
                        "format": self.fmt.missing})  # fmt: skip
        ws.freeze_panes(FIRST_FIELD_ROW, 0)
        ws.set_row(INTRO_ROW, 30)
        ws.merge_range(INTRO_ROW, 0, INTRO_ROW, 2, fmt_text(sheet.intro, self.ctx), self.fmt.intro)
        self._protect(ws)

    def _record_values(self, sheet: Sheet) -> dict[str, Any]:
        if sheet.key == "virksomhed":
            return {"kontraktaar": self.inp.year, "fase": self.inp.phase.capitalize()}
        return {}

    def tabel(self, sheet: Sheet) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        self._sheet_common(ws, sheet, landscape=True)
        t = self.lay.table(sheet.key)
        frozen = self._frozen(sheet)
        for c, f in enumerate(sheet.fields):
            ws.set_column(c, c, f.width, None, {"hidden": True} if f.hidden else {})
        ws.set_row(INTRO_ROW, 30)
        last_col = t.n_cols - 1
        ws.merge_range(
            INTRO_ROW,
            0,
            INTRO_ROW,
            min(last_col, 8),
            FROZEN_INTRO[sheet.key] if frozen else fmt_text(sheet.intro, self.ctx),
            self.fmt.intro,
        )
        assert sheet.table is not None
        ws.add_table(
            t.header_row, 0, t.last_row, last_col,
            {
                "name": sheet.table,
                "style": "Table Style Light 1",
                "autofilter": False,
                "columns": [{"header": f.label, "header_format": self.fmt.header} for f in sheet.fields],
            },
        )  # fmt: skip
        long_text = sum(1 for f in sheet.fields if f.type == "langtekst")
        for i in range(t.n_rows):
            if long_text:  # room for a few lines; Excel/LibreOffice do not grow rows on load
                ws.set_row(t.first_row + i, 75 if long_text >= 2 and sheet.numbered else 45)
            for c, f in enumerate(sheet.fields):
                r = t.first_row + i
                fmt = self.fmt.for_field(f, locked=frozen)
                if f.source == "formel":
                    ws.write_formula(r, c, self._table_formula(t, i, f), fmt, "")
                elif f.key == "nr" and sheet.numbered:
                    ws.write_number(r, c, i + 1, fmt)
                else:
                    ws.write_blank(r, c, None, fmt)
        for c, f in enumerate(sheet.fields):
            if f.is_input and not frozen:
                self._validation(ws, (t.first_row, c, t.last_row, c), f)
                if f.required:
                    crit = checks.missing_format(t, 0, f.key)
                    if f.required == "resultater":
                        crit = f'AND(TRIM(virksomhed_fase)="Resultater",{crit})'
                    ws.conditional_format(t.first_row, c, t.last_row, c, {
                        "type": "formula", "criteria": "=" + crit, "format": self.fmt.missing})  # fmt: skip
        self.wb.define_name(range_name(sheet), f"={t.full_range}")
        ws.freeze_panes(t.first_row, 2 if sheet.numbered else 0)
        ws.repeat_rows(HEADER_ROW)
        ws.set_row(HEADER_ROW, 32)
        self._protect(ws)

    def _frozen(self, sheet: Sheet) -> bool:
        """In the results phase the contract's goals, the contract group and the dialogue
        are written in from the master and locked: the institution enters results only."""
        return self.inp.phase == "resultater" and sheet.key in FROZEN_INTRO

    def _table_formula(self, t: TablePos, i: int, f: Field) -> str:
        assert f.formula is not None
        if f.formula.startswith("maal."):
            g = self.lay.table("maal")
            src = g.qcell(i, f.formula.split(".", 1)[1])
            return f'=IF(LEN({src}&"")=0,"",{src})'
        if f.formula == "maalopfyldelse":
            return "=" + _attainment_formula(self.lay, i)
        raise ValueError(f"unknown formula {f.formula!r}")

    def tjek(self, sheet: Sheet) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        self._sheet_common(ws, sheet, landscape=True)
        rows = checks.sheet_checks(self.spec, self.lay, self.inp.year)
        first = TJEK_HEADER_ROW + 1
        last = first + len(rows) - 1
        status_rng = f"{cell_ref(first, 0, absolute=True)}:{cell_ref(last, 0, absolute=True)}"
        for c, w in enumerate(TJEK_WIDTHS):
            ws.set_column(c, c, w)
        r = TJEK_STATUS_ROW
        for k in range(3):
            ws.set_row(r + k, 30 if k == 0 else 21)  # "Samlet status" takes two lines
        ws.write_string(r, 0, "Samlet status", self.fmt.label)
        ws.write_string(r + 1, 0, "Fejl", self.fmt.label)
        ws.write_string(r + 2, 0, "Advarsler", self.fmt.label)
        ws.write_formula(r + 1, 1, f'=COUNTIF({status_rng},"Fejl")', self.fmt.status, 0)
        ws.write_formula(r + 2, 1, f'=COUNTIF({status_rng},"Advarsel")', self.fmt.status, 0)
        ws.write_formula(
            r, 1, "=" + status_formula(cell_ref(r + 1, 1), cell_ref(r + 2, 1), "i listen nedenfor"),
            self.fmt.status, "",
        )  # fmt: skip
        ws.conditional_format(r, 1, r, 1, {"type": "text", "criteria": "begins with", "value": "IKKE",
                                           "format": self.fmt.err})  # fmt: skip
        ws.conditional_format(r, 1, r, 1, {"type": "text", "criteria": "begins with", "value": "KLAR",
                                           "format": self.fmt.ok})  # fmt: skip
        self.wb.define_name(
            "tjek_status", f"={quote_sheet(sheet.name)}!{cell_ref(r, 1, absolute=True)}"
        )
        self.wb.define_name(
            "tjek_fejl", f"={quote_sheet(sheet.name)}!{cell_ref(r + 1, 1, absolute=True)}"
        )
        self.wb.define_name(
            "tjek_advarsler", f"={quote_sheet(sheet.name)}!{cell_ref(r + 2, 1, absolute=True)}"
        )
        self._failing_first(ws, first, last)
        for c, h in enumerate(TJEK_COLUMNS):
            ws.write_string(TJEK_HEADER_ROW, c, h, self.fmt.header)
        for k, chk in enumerate(rows):
            row = first + k
            word = "Fejl" if chk.severity == "fejl" else "Advarsel"
            ws.write_formula(
                row, 0, f'=IFERROR(IF({chk.formula},"{word}","OK"),"{word}")', None, "OK"
            )
            ws.write_string(row, 1, chk.sheet)
            ws.write_url(row, 2, f"internal:{quote_sheet(chk.sheet)}!{chk.cell}", string=chk.cell)
            # A passed check reads neutrally ("I orden"), a failing one says what is wrong.
            ws.write_formula(row, 3, f'=IF({cell_ref(row, 0)}="OK",{checks.q(PASSED)},'
                                     f"{checks.q(chk.message)})", self.fmt.text, PASSED)  # fmt: skip
            ws.write_string(row, 4, RULES[chk.rule].title)
            ws.write_string(row, 5, chk.rule)  # for Kontraktservice; the column is hidden
            ws.write_formula(row, TJEK_RANK_COL, f'=IF({cell_ref(row, 0)}="OK","",'
                             f'COUNTIF({cell_ref(first, 0, absolute=True)}:{cell_ref(row, 0)},"<>OK"))',
                             None, "")  # fmt: skip
        # A row whose check passes is greyed out, a failing one stands out.
        status = cell_ref(first, 0, absolute=False).replace(col_letter(0), "$" + col_letter(0))
        ws.conditional_format(first, 1, last, 5, {"type": "formula", "criteria": f'={status}="OK"',
                                                  "format": self.fmt.passed})  # fmt: skip
        ws.set_column(5, 5, TJEK_WIDTHS[5], None, {"hidden": True})  # internal rule ids
        self._mark_cells(rows)
        rng = (first, 0, last, 0)
        ws.conditional_format(
            *rng, {"type": "cell", "criteria": "==", "value": '"Fejl"', "format": self.fmt.err}
        )
        ws.conditional_format(
            *rng, {"type": "cell", "criteria": "==", "value": '"Advarsel"', "format": self.fmt.warn}
        )
        ws.conditional_format(
            *rng, {"type": "cell", "criteria": "==", "value": '"OK"', "format": self.fmt.ok}
        )
        self.wb.define_name(
            "omr_tjek",
            f"={quote_sheet(sheet.name)}!{cell_ref(TJEK_HEADER_ROW, 0, absolute=True)}:"
            f"{cell_ref(last, len(TJEK_COLUMNS) - 1, absolute=True)}",
        )
        ws.autofilter(TJEK_HEADER_ROW, 0, last, len(TJEK_COLUMNS) - 1)
        self._python_area(ws, sheet)
        ws.freeze_panes(TJEK_STATUS_ROW + 3, 0)  # the status stays in view
        ws.repeat_rows(TJEK_HEADER_ROW)
        self._protect(ws, autofilter=True)

    def _mark_cells(self, rows: list[checks.Check]) -> None:
        """A wrong cell is marked where it is: each check's own formula (the one its Tjek row
        uses) as a conditional format on the checked cell, red for Fejl, yellow for Advarsel."""
        for chk in rows:
            target = self.wb.get_worksheet_by_name(chk.sheet)
            if target is None:
                continue
            fmt = self.fmt.err if chk.severity == "fejl" else self.fmt.warn
            target.conditional_format(chk.cell, {"type": "formula", "format": fmt,
                                                 "criteria": f"=IFERROR({chk.formula},1)"})  # fmt: skip

    def _failing_first(self, ws: Worksheet, first: int, last: int) -> None:
        """ "Det skal rettes": the first failing checks above the full list, by formulas
        (INDEX/MATCH over the hidden running number), so they come first in Excel and
        LibreOffice alike while the full list keeps its order."""
        ws.set_column(TJEK_RANK_COL, TJEK_RANK_COL, 6, None, {"hidden": True})
        top = TJEK_TOP_HEADER_ROW
        ws.write_string(top - 1, 0, "Det skal rettes", self.fmt.para_bold)
        for c, h in enumerate(TJEK_COLUMNS[:5]):
            ws.write_string(top, c, h, self.fmt.header)
        col = lambda c: f"{cell_ref(first, c, absolute=True)}:{cell_ref(last, c, absolute=True)}"  # noqa: E731
        rank = col(TJEK_RANK_COL)
        for k in range(1, TJEK_TOP_ROWS + 1):
            for c in range(5):
                ws.write_formula(top + k, c, f'=IFERROR(INDEX({col(c)},MATCH({k},{rank},0)),"")',
                                 self.fmt.text if c == 3 else None, "")  # fmt: skip
        rng = (top + 1, 0, top + TJEK_TOP_ROWS, 0)
        ws.conditional_format(*rng, {"type": "cell", "criteria": "==", "value": '"Fejl"',
                                     "format": self.fmt.err})  # fmt: skip
        ws.conditional_format(*rng, {"type": "cell", "criteria": "==", "value": '"Advarsel"',
                                     "format": self.fmt.warn})  # fmt: skip
        n = f'COUNTIF({col(0)},"<>OK")'
        ws.write_formula(top + TJEK_TOP_ROWS + 1, 0, "=" + more_formula(n), None, NOTHING_TO_FIX)
        ws.write_string(TJEK_HEADER_ROW - 1, 0, "Alle kontroller", self.fmt.para_bold)

    def _python_area(self, ws: Worksheet, sheet: Sheet) -> None:
        """Unlocked columns H:L where Valider writes its findings (and the .xlsm's button)."""
        free = self.wb.add_format({"locked": False, "text_wrap": True, "valign": "top"})
        note = self.wb.add_format({"locked": False, "italic": True, "font_color": "#404040"})
        for k, w in enumerate(TJEK_PY_WIDTHS):
            ws.set_column(TJEK_PY_COL + k, TJEK_PY_COL + k, w, free)
        ws.write_string(TJEK_STATUS_ROW, TJEK_PY_COL, "Tjek med Python", self.fmt.label)
        how = ("Klik på Valider: Python tjekker arbejdsbogen og markerer cellerne." if self.inp.xlsm
               else "Klik på Valider i xlwings Lite-ruden: Python tjekker arbejdsbogen og markerer cellerne.")  # fmt: skip
        ws.write_string(TJEK_STATUS_ROW + 1, TJEK_PY_COL, how, note)
        for k, h in enumerate(TJEK_PY_COLUMNS):
            ws.write_string(TJEK_HEADER_ROW, TJEK_PY_COL + k, h, self.fmt.header)
        first = cell_ref(TJEK_HEADER_ROW, TJEK_PY_COL, absolute=True)
        last = cell_ref(TJEK_HEADER_ROW, TJEK_PY_COL + len(TJEK_PY_COLUMNS) - 1, absolute=True)
        self.wb.define_name(TJEK_PY_NAME, f"={quote_sheet(sheet.name)}!{first}:{last}")
        if not self.inp.xlsm:  # the add-in's task pane has the button
            return
        ws.insert_button(TJEK_STATUS_ROW, TJEK_PY_COL + 3, {
            "macro": "Valider", "caption": "Valider", "width": 150, "height": 40,
            "description": "Tjek arbejdsbogen med Python"})  # fmt: skip

    def lister(self, sheet: Sheet) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        for c, (key, values) in enumerate(self.lists.items()):
            ws.write_string(0, c, key, self.fmt.label)
            for r, v in enumerate(values, start=1):
                ws.write_string(r, c, v)
            letter = col_letter(c)
            self.wb.define_name(
                list_name(key),
                f"={quote_sheet(sheet.name)}!${letter}$2:${letter}${len(values) + 1}",
            )
            ws.set_column(c, c, 28)
        ws.hide()
        self._protect(ws)

    def meta(self, sheet: Sheet) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        values = {
            "skabelon": self.spec.name,
            "version": self.spec.version,
            "kommune": self.inp.kommune,
            "kontraktaar": self.inp.year,
            "fase": self.inp.phase.capitalize(),
        }
        ws.set_column(0, 1, 24)
        for i, f in enumerate(sheet.fields):
            row = META_FIRST_ROW + i
            ws.write_string(row, 0, f.key)
            write_value(ws, row, 1, values.get(f.key), self.fmt.locked)
            pos = self.lay.field(sheet.key, f.key)
            assert pos.row == row
            self.wb.define_name(defined_name(sheet, f), f"={pos.abs_ref()}")
        ws.very_hidden()
        self._protect(ws)

    def build(self) -> None:
        self.wb.set_properties(
            {
                "title": f"Kontraktarbejdsbog {self.inp.year}",
                "subject": "Dialogbaseret kontraktstyring",
                "author": "Kontraktservice",
                "company": self.inp.kommune,
                "created": datetime(self.inp.year - 1, 1, 1),
                "comments": f"{self.spec.name} version {self.spec.version}",
            }
        )
        for sheet in self.spec.sheets:
            getattr(self, sheet.kind)(sheet)
        self.wb.worksheets()[0].activate()
        if self.inp.xlsm:
            from toolkit.vba import add_vba_to_workbook, macro_modules, xlwings_modules
            from toolkit.vba.macros import INSTITUTION_MODULES

            modules = [*macro_modules(*INSTITUTION_MODULES), *xlwings_modules()]
            add_vba_to_workbook(self.wb, modules)
        self.wb.close()


def _attainment_formula(lay: Layout, i: int) -> str:
    """Live goal attainment in the Resultater sheet (the default rule, see toolkit.attainment)."""
    g, t = lay.table("maal"), lay.table("resultater")
    ret, b, v = g.qcell(i, "retning"), g.qcell(i, "baseline"), g.qcell(i, "maalvaerdi")
    r = t.qcell(i, "resultat")
    used = checks.any_filled(g.input_row_range(i))
    n = checks.num
    share = f"({n(r)}-{n(b)})/({n(v)}-{n(b)})"
    full, partial = DEFAULT_RULE.full, DEFAULT_RULE.partial  # the one rule (toolkit.attainment)
    numeric = (
        f"IF(AND({checks.is_num(r)},{checks.is_num(b)},{checks.is_num(v)}),"
        f'IF({n(v)}={n(b)},"",IF({share}>={full:g},"Opfyldt",IF({share}>={partial:g},"Delvist opfyldt","Ikke opfyldt"))),"")'
    )
    yes_no = f'IF(TRIM({r})=TRIM({v}),"Opfyldt","Ikke opfyldt")'
    return (
        f'IF(NOT({used}),"",IF({checks.blank(r)},"Ikke målt",'
        f'IFERROR(IF({checks.eq(ret, checks.YES_NO)},{yes_no},{numeric}),"")))'
    )
