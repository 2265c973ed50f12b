"""Valider's output in the open workbook: the findings list on Tjek and the coloured cells.

Every institution workbook (:mod:`toolkit.workbook.build`) has unlocked columns H:L on the Tjek
sheet beside the formula rows, found through the defined name
:data:`~toolkit.spec.layout.TJEK_PY_NAME`, and its sheets allow cell formatting. Each run
replaces the previous list, gives the cells the previous run coloured their own colour
back, and colours the cells of the new findings. Used by the VBA/xlwings Server button
(:func:`toolkit.excel.valider`) and by the xlwings Lite add-in (:mod:`toolkit.excel.lite`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.excel.book import BookSource, cell_value, sheet_values
from toolkit.reading.xlsx import split_ref
from toolkit.spec.layout import TJEK_PY_COLUMNS, TJEK_PY_NAME, TJEK_STATUS_ROW, quote_sheet
from toolkit.spec.model import Finding, Kontraktbog
from toolkit.spec.workbook import Spec

if TYPE_CHECKING:
    import xlwings as xw

ERROR_FILL = "#FFC7CE"  # red: a finding of severity fejl
WARNING_FILL = "#F4B183"  # orange: advarsel
INPUT_FILL = "#FFF2CC"  # the builder's colours (toolkit.workbook.render_core.Formats), given back
LOCKED_FILL = "#EDEDED"
WORDS = {"fejl": "Fejl", "advarsel": "Advarsel"}


@dataclass(frozen=True)
class Area:
    """The findings list: its sheet and header row/first column (zero-based)."""

    sheet: str
    header_row: int
    col: int

    @property
    def first_row(self) -> int:
        return self.header_row + 1


def findings_area(source: BookSource) -> Area | None:
    dn = source.defined_names.get(TJEK_PY_NAME)
    if dn is None or dn.sheet not in source.sheets:
        return None
    return Area(dn.sheet, dn.first[0], dn.first[1])


def previous_rows(values: list[list[Any]], area: Area) -> list[list[Any]]:
    """The rows the previous run wrote (up to the first empty severity cell)."""
    width = len(TJEK_PY_COLUMNS)
    out = []
    for row in values[area.first_row :]:
        cells = (row[area.col : area.col + width] + [None] * width)[:width]
        if cells[0] in (None, ""):
            break
        out.append(cells)
    return out


def sort_key(spec: Spec, f: Finding) -> tuple[Any, ...]:
    order = {s.name: i for i, s in enumerate(spec.sheets)}
    try:
        row, col = split_ref(f.cell) if f.cell else (-1, -1)
    except ValueError:
        row, col = (-1, -1)
    return (f.severity != "fejl", order.get(f.sheet, -1), row, col, f.rule, f.message)


def hyperlink(sheet: str, cell: str) -> str:
    target = f"#{quote_sheet(sheet)}!{cell}".replace('"', '""')
    return f'=HYPERLINK("{target}","{cell}")'


def base_fills(book_model: Kontraktbog, spec: Spec) -> dict[tuple[str, str], str]:
    """(sheet, cell) of every field cell the reader found → the colour the builder gave it."""
    out: dict[tuple[str, str], str] = {}
    for (sheet_key, field_key, _row), (sheet_name, ref) in book_model.cells.items():
        f = spec.sheet(sheet_key).field(field_key)
        out[(sheet_name, ref)] = INPUT_FILL if f.is_input else LOCKED_FILL
    return out


def status_text(findings: Sequence[Finding], when: datetime) -> str:
    errors = sum(1 for f in findings if f.severity == "fejl")
    warnings = len(findings) - errors
    stamp = f"Tjekket {when:%d-%m-%Y} kl. {when:%H.%M}"
    if not findings:
        return f"{stamp}: ingen fejl eller advarsler — KLAR til indsendelse."
    return f"{stamp}: {counted(errors, warnings)}."


def counted(errors: int, warnings: int) -> str:
    return f"{errors} fejl og {warnings} {'advarsel' if warnings == 1 else 'advarsler'}"


def verdict(errors: int, warnings: int) -> str:
    """The short Danish answer Valider gives after writing the list."""
    if errors:
        return (f"IKKE KLAR: {counted(errors, warnings)}.\n"
                "Listen står på arket Tjek (kolonne H–L) med et link til hver celle. "
                "Cellerne er farvet røde (fejl) og orange (advarsler).")  # fmt: skip
    if warnings:
        return (f"KLAR — men se {'advarslen' if warnings == 1 else f'de {warnings} advarsler'} "
                "på arket Tjek (kolonne H–L).")  # fmt: skip
    return "KLAR til indsendelse: Python fandt ingen fejl eller advarsler."


def write_findings(book: xw.Book, area: Area, findings: Sequence[Finding], model: Kontraktbog,
                   spec: Spec, when: datetime) -> None:  # fmt: skip
    """Replace the findings list, and the colours of the cells it points at."""
    ws = book.sheets[area.sheet]
    old = previous_rows(sheet_values(ws), area)
    width = len(TJEK_PY_COLUMNS)
    ordered = sorted(dict.fromkeys(findings), key=lambda f: sort_key(spec, f))
    top, col = area.first_row + 1, area.col + 1  # one-based
    if ordered:
        ws.range((top, col)).value = [
            [cell_value(WORDS.get(f.severity, f.severity)), cell_value(f.sheet),
             cell_value(f.cell), cell_value(f.message), cell_value(f.rule)]
            for f in ordered
        ]  # fmt: skip
        ws.range((top, col + 2)).formula = [
            [hyperlink(f.sheet, f.cell) if f.sheet and f.cell else cell_value(f.cell)]
            for f in ordered
        ]
    if len(old) > len(ordered):
        ws.range((top + len(ordered), col), (top + len(old) - 1, col + width - 1)).clear_contents()
    ws.range((TJEK_STATUS_ROW + 2, col)).value = cell_value(status_text(ordered, when))

    fills = base_fills(model, spec)
    marks: dict[tuple[str, str], str] = {}
    for f in ordered:
        key = (f.sheet, f.cell)
        if key in fills and marks.get(key) != ERROR_FILL:
            marks[key] = ERROR_FILL if f.severity == "fejl" else WARNING_FILL
    for row in old:
        key = (str(row[1] or ""), str(row[2] or ""))
        if key in fills and key not in marks:
            marks[key] = fills[key]  # fixed since the last run: its own colour back
    for (sheet, cell), colour in marks.items():
        book.sheets[sheet].range(cell).color = colour
