"""Render the base workbook from the spec with XlsxWriter: every sheet, then the VBA project.

Everything here is derived from :mod:`toolkit.spec.workbook` (what) and :mod:`toolkit.spec.layout` (where).
The base is the same for every institution of a year, phase and municipality (:class:`BaseKey`);
what differs per institution is stamped into it by :mod:`toolkit.workbook.build`. Formats, page setup and
validation are in :mod:`toolkit.workbook.render_core`, the Tjek sheet in :mod:`toolkit.workbook.render_tjek`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from toolkit.rules import checks
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule
from toolkit.spec import vocabulary as V
from toolkit.spec.layout import (
    FIRST_FIELD_ROW,
    HEADER_ROW,
    INTRO_ROW,
    META_FIRST_ROW,
    TJEK_STATUS_ROW,
    Layout,
    TablePos,
    cell_ref,
    col_letter,
    defined_name,
    list_name,
    quote_sheet,
    range_name,
)
from toolkit.spec.workbook import Field, Sheet
from toolkit.workbook.render_core import BaseKey, Formats, fmt_text
from toolkit.workbook.render_tjek import TjekSheet
from toolkit.workbook.stamp import write_value
from toolkit.workbook.tjek_text import (
    FROZEN_INTRO,
    VEJLEDNING_CHARS_PER_LINE,
    VEJLEDNING_WIDTH,
    status_formula,
)


class BaseBuilder(TjekSheet):
    """Builds the base workbook of a :class:`BaseKey`: every cell formatted, no institution."""

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
            return "=" + _attainment_formula(self.lay, i, self.inp.rule)
        raise ValueError(f"unknown formula {f.formula!r}")

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


def _attainment_formula(lay: Layout, i: int, rule: AttainmentRule = DEFAULT_RULE) -> str:
    """Live goal attainment in the Resultater sheet, by ``rule`` (the thresholds of
    :class:`toolkit.rules.attainment.AttainmentRule`; the default rule gives 1 and 0.5)."""
    g, t = lay.table("maal"), lay.table("resultater")
    ret, b, v = g.qcell(i, "retning"), g.qcell(i, "baseline"), g.qcell(i, "maalvaerdi")
    r = t.qcell(i, "resultat")
    used = checks.any_filled(g.input_row_range(i))
    n = checks.num
    share = f"({n(r)}-{n(b)})/({n(v)}-{n(b)})"
    full, partial = rule.full, rule.partial
    numeric = (
        f"IF(AND({checks.is_num(r)},{checks.is_num(b)},{checks.is_num(v)}),"
        f'IF({n(v)}={n(b)},"",IF({share}>={full:g},"{V.OPFYLDT}",IF({share}>={partial:g},"{V.DELVIST}","{V.IKKE_OPFYLDT}"))),"")'
    )
    yes_no = f'IF(TRIM({r})=TRIM({v}),"{V.OPFYLDT}","{V.IKKE_OPFYLDT}")'
    return (
        f'IF(NOT({used}),"",IF({checks.blank(r)},"{V.IKKE_MAALT}",'
        f'IFERROR(IF({checks.eq(ret, checks.YES_NO)},{yes_no},{numeric}),"")))'
    )


__all__ = ["BaseBuilder", "BaseKey", "Formats", "fmt_text"]
