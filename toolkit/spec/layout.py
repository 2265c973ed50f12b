"""Where everything sits in the institution workbook — computed, never typed by hand.

The builder writes cells at these positions and gives them defined names; the in-sheet
check formulas refer to these positions. The reader does *not* use this module: it finds
cells by the defined names and table names in the file it reads, so it keeps working on
files whose cells moved (e.g. re-saved by another program).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from toolkit.spec.workbook import Field, Sheet, Spec

TITLE_ROW = 0  # zero-based rows/cols throughout, like XlsxWriter
INTRO_ROW = 1
FIRST_FIELD_ROW = 3  # "felter" sheets: label in A, value in B, help in C
HEADER_ROW = 3  # "tabel" sheets: header row, data below
META_FIRST_ROW = 0
# The check sheet (Tjek): its status rows, and the Python findings area beside the formula
# rows where Valider (VBA/RunPython, xlwings Server, xlwings Lite) writes its findings.
TJEK_STATUS_ROW = 3
TJEK_PY_COL = 7  # column H
TJEK_PY_COLUMNS = ("Alvor", "Ark", "Celle", "Besked", "Regel")
TJEK_PY_NAME = "tjek_python"  # defined name of the area's header row


@cache
def col_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_ref(row: int, col: int, *, absolute: bool = False) -> str:
    """Zero-based (row, col) → "B5" (or "$B$5")."""
    d = "$" if absolute else ""
    return f"{d}{col_letter(col)}{d}{row + 1}"


def quote_sheet(name: str) -> str:
    """Sheet name as it must appear in a formula reference."""
    if name.replace("_", "").isalnum() and name.isascii() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


def defined_name(sheet: Sheet, f: Field) -> str:
    """Defined name of a single-cell field, e.g. ``virksomhed_udfyldt_af``."""
    return f"{sheet.key}_{f.key}"


def range_name(sheet: Sheet) -> str:
    """Defined name covering a table's header and data rows (a fallback to the table)."""
    return f"omr_{sheet.key}"


def list_name(key: str) -> str:
    return f"lst_{key}"


@dataclass(frozen=True)
class FieldPos:
    sheet: Sheet
    field: Field
    row: int
    col: int

    @property
    def ref(self) -> str:
        return cell_ref(self.row, self.col)

    def abs_ref(self, *, qualified: bool = True) -> str:
        r = cell_ref(self.row, self.col, absolute=True)
        return f"{quote_sheet(self.sheet.name)}!{r}" if qualified else r


@dataclass(frozen=True)
class TablePos:
    sheet: Sheet
    header_row: int
    first_row: int
    n_rows: int

    @property
    def last_row(self) -> int:
        return self.first_row + self.n_rows - 1

    @property
    def n_cols(self) -> int:
        return len(self.sheet.fields)

    def col(self, key: str) -> int:
        for i, f in enumerate(self.sheet.fields):
            if f.key == key:
                return i
        raise KeyError(f"{self.sheet.key}.{key}")

    def cell(self, i: int, key: str) -> str:
        """Address of data row ``i`` (0-based) in column ``key``, e.g. "D7"."""
        return cell_ref(self.first_row + i, self.col(key))

    def qcell(self, i: int, key: str) -> str:
        return f"{quote_sheet(self.sheet.name)}!{self.cell(i, key)}"

    def column_range(self, key: str, *, qualified: bool = True) -> str:
        """Absolute range of one column's data cells, e.g. 'Kontraktmål'!$B$5:$B$9."""
        c = self.col(key)
        rng = f"{cell_ref(self.first_row, c, absolute=True)}:{cell_ref(self.last_row, c, absolute=True)}"
        return f"{quote_sheet(self.sheet.name)}!{rng}" if qualified else rng

    def row_range(self, i: int, *, qualified: bool = True) -> str:
        """Relative range of all cells in data row ``i``."""
        r = self.first_row + i
        rng = f"{cell_ref(r, 0)}:{cell_ref(r, self.n_cols - 1)}"
        return f"{quote_sheet(self.sheet.name)}!{rng}" if qualified else rng

    def input_row_range(self, i: int, *, qualified: bool = True) -> list[str]:
        """Addresses of the input cells in data row ``i``."""
        return [
            (self.qcell(i, f.key) if qualified else self.cell(i, f.key))
            for f in self.sheet.fields
            if f.is_input
        ]

    @property
    def full_range(self) -> str:
        """Header + data, absolute, qualified: the table's ``ref`` and ``omr_`` name."""
        a = cell_ref(self.header_row, 0, absolute=True)
        b = cell_ref(self.last_row, self.n_cols - 1, absolute=True)
        return f"{quote_sheet(self.sheet.name)}!{a}:{b}"

    @property
    def ref(self) -> str:
        return f"{cell_ref(self.header_row, 0)}:{cell_ref(self.last_row, self.n_cols - 1)}"


@dataclass(frozen=True)
class Layout:
    spec: Spec

    def field(self, sheet_key: str, field_key: str) -> FieldPos:
        return _field_pos(self.spec, sheet_key, field_key)

    def table(self, sheet_key: str) -> TablePos:
        return _table_pos(self.spec, sheet_key)


@cache
def _field_pos(spec: Spec, sheet_key: str, field_key: str) -> FieldPos:
    sheet = spec.sheet(sheet_key)
    if sheet.kind == "meta":
        first, col = META_FIRST_ROW, 1
    elif sheet.kind == "felter":
        first, col = FIRST_FIELD_ROW, 1
    else:
        raise KeyError(f"{sheet_key} has no single-cell fields")
    for i, f in enumerate(sheet.fields):
        if f.key == field_key:
            return FieldPos(sheet, f, first + i, col)
    raise KeyError(f"{sheet_key}.{field_key}")


@cache
def _table_pos(spec: Spec, sheet_key: str) -> TablePos:
    sheet = spec.sheet(sheet_key)
    if sheet.kind != "tabel":
        raise KeyError(f"{sheet_key} is not a table sheet")
    return TablePos(sheet, HEADER_ROW, HEADER_ROW + 1, sheet.rows)


def layout(spec: Spec) -> Layout:
    return Layout(spec)
