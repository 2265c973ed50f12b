"""Render the base's Tjek sheet: the status, the first failing checks and every check as formulas.

The texts and row positions are in :mod:`toolkit.workbook.tjek_text`; the formulas come from
:mod:`toolkit.rules.checks`.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from toolkit.rules import checks
from toolkit.spec.catalog import RULES
from toolkit.spec.layout import (
    TJEK_PY_COL,
    TJEK_PY_COLUMNS,
    TJEK_PY_NAME,
    TJEK_STATUS_ROW,
    cell_ref,
    col_letter,
    quote_sheet,
)
from toolkit.spec.workbook import Sheet
from toolkit.workbook.render_core import BuilderCore
from toolkit.workbook.tjek_text import (
    NOTHING_TO_FIX,
    PASSED,
    TJEK_COLUMNS,
    TJEK_HEADER_ROW,
    TJEK_PY_WIDTHS,
    TJEK_RANK_COL,
    TJEK_TOP_HEADER_ROW,
    TJEK_TOP_ROWS,
    TJEK_WIDTHS,
    more_formula,
    status_formula,
)


class TjekSheet(BuilderCore):
    """The Tjek sheet of the base workbook."""

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

        def col(c: int) -> str:
            return f"{cell_ref(first, c, absolute=True)}:{cell_ref(last, c, absolute=True)}"

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
