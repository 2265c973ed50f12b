"""The XlsxWriter base builder's core: its key, formats, page setup, protection and validation.

The sheets are rendered by :mod:`toolkit.workbook.render_tjek` (the Tjek sheet) and
:mod:`toolkit.workbook.render_base` (everything else) on top of :class:`BuilderCore`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from toolkit.rules import checks
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule
from toolkit.rules.indicators import default_library
from toolkit.spec.layout import (
    INTRO_ROW,
    TITLE_ROW,
    Layout,
    cell_ref,
    layout,
    list_name,
)
from toolkit.spec.periods import period
from toolkit.spec.workbook import OWN_PROPOSAL, Field, Sheet, Spec


@dataclass(frozen=True)
class BaseKey:
    """What a base workbook depends on; everything else is stamped per institution."""

    year: int
    phase: str
    kommune: str
    focus_areas: tuple[str, ...]
    xlsm: bool = False
    #: the thresholds of the live attainment formula in the Resultater sheet
    rule: AttainmentRule = DEFAULT_RULE


def fmt_text(text: str, ctx: Mapping[str, Any]) -> str:
    return text.format(**ctx) if text else ""


class Formats:
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


class BuilderCore:
    """The workbook being built and what every sheet needs: formats, lists, page setup."""

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
        self.fmt = Formats(self.wb)
        self.ctx = {
            "aar": inp.year,
            "forberedelsesaar": inp.year - 1,
            "naeste_aar": inp.year + 1,
            "kommune": inp.kommune,
        }
        self.lists = dict(spec.lists)
        self.lists["indsatsomraader"] = (*inp.focus_areas, OWN_PROPOSAL)
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
