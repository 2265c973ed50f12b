"""The master workbook open in Excel: read its settings and tables, write new tables into it.

Reading mirrors :func:`toolkit.master.model.read_master_rows` (headers found by their
Danish text, values cleaned the same way), but from the open book's values: what
Kontraktservice typed and has not saved yet counts. Writing puts values — never
formulas — into the cells the tables occupy and resizes the Excel tables, because the
open file cannot be replaced on disk while Excel holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.excel.book import cell_value, sheet_values
from toolkit.master.extra import EXTRA, extra_cols, flatten
from toolkit.master.layout import (
    LAYOUT,
    MATRIX_FIXED,
    MATRIX_SHEET,
    MATRIX_TABLE,
    OVERBLIK,
    SETTINGS,
    SETTINGS_SHEET,
    TABLES,
    Col,
    TableDef,
)
from toolkit.master.model import Master, _clean, empty_frame, find_header
from toolkit.master.overblik import YEAR_LABEL, block_formulas, committees_in, years_in

if TYPE_CHECKING:
    import xlwings as xw

Row = dict[str, Any]
#: The focus-area matrix as a table (its other columns are the focus areas).
MATRIX = TableDef("matrix", MATRIX_SHEET, MATRIX_TABLE, "Indsatsområder", MATRIX_FIXED)
NUMBER_FORMATS = {
    "int": "0",
    "number": "#,##0.##",
    "date": "dd-mm-yyyy",
    "datetime": "dd-mm-yyyy hh:mm",
}
MANUAL_FILL = "#E2EFDA"  # the green of Kontraktservice's own columns (toolkit.master.write)


@dataclass
class TablePlace:
    """Where one table sits in the open book (zero-based rows and columns)."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # header text → column
    first_col: int
    last_col: int
    data_rows: int  # rows below the header that belong to the table now
    excel_table: str | None  # the Excel table's name, if the sheet has it


@dataclass
class MasterBook:
    """What the open master holds, and where."""

    settings: dict[str, Any] = field(default_factory=dict)
    setting_cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    places: dict[str, TablePlace] = field(default_factory=dict)


def _text(v: Any) -> str:
    return str(v).strip() if v is not None else ""


def _settings(book: xw.Book, mb: MasterBook) -> None:
    if SETTINGS_SHEET not in [s.name for s in book.sheets]:
        return
    labels = {label: key for key, label, _ in SETTINGS}
    for r, row in enumerate(sheet_values(book.sheets[SETTINGS_SHEET])):
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in labels:
            key = labels[row[0].strip()]
            v = row[1]
            mb.settings[key] = int(v) if isinstance(v, float) and v.is_integer() else v
            mb.setting_cells[key] = (r, 1)


def _excel_table(sheet: xw.Sheet, name: str) -> tuple[int, int, int, int] | None:
    """(header row, last row, first column, last column) of the sheet's Excel table ``name``."""
    for table in sheet.tables:
        if str(table.name) == name and table.range is not None:
            rng = table.range
            top, left = rng.row - 1, rng.column - 1
            return top, top + rng.shape[0] - 1, left, left + rng.shape[1] - 1
    return None


def _place(sheet: xw.Sheet, values: list[list[Any]], t: TableDef) -> TablePlace | None:
    """Where table ``t`` sits on ``sheet``: its header row found as the file reader finds it
    (the same function, :func:`toolkit.master.model.find_header`: any column, the first 50 rows)."""
    found = find_header(values, t)
    if found is None:
        return None
    header_i, header = found
    filled = [c for c, h in enumerate(header) if h]
    span = _excel_table(sheet, t.table)
    if span is not None and span[0] == header_i:
        data_rows, name = span[1] - header_i, t.table
        first = span[2]
    else:
        bottom = max(
            (i for i, r in enumerate(values) if any(x not in (None, "") for x in r)),
            default=header_i,
        )
        data_rows, name = max(bottom - header_i, 0), None
        first = filled[0]
    last = filled[-1]  # columns added by hand beside the table belong to it
    columns = {h: c for c, h in enumerate(header) if h and first <= c <= last}
    return TablePlace(sheet.name, header_i, columns, first, last, data_rows, name)


def _sheets_by_table(book: xw.Book) -> dict[str, xw.Sheet]:
    """The sheet of each Excel table (a table's name survives a renamed sheet)."""
    return {str(tb.name): ws for ws in book.sheets for tb in ws.tables}


def _sheet_of(book: xw.Book, t: TableDef, by_table: dict[str, xw.Sheet]) -> xw.Sheet | None:
    """The sheet holding a table, found as the file reader finds it: by the Excel table's
    name first, else by the sheet's name."""
    if t.table in by_table:
        return by_table[t.table]
    return book.sheets[t.sheet] if t.sheet in {s.name for s in book.sheets} else None


def _records(values: list[list[Any]], place: TablePlace, cols: Sequence[Col]) -> list[Row]:
    own = {h for c in cols for h in c.headers}
    extra = [(i, h) for h, i in place.columns.items() if h not in own]
    out = []
    for r in values[place.header_row + 1 : place.header_row + 1 + place.data_rows]:
        if not any(x not in (None, "") for x in r):
            continue
        rec = {}
        for c in cols:
            i = next((place.columns[h] for h in c.headers if h in place.columns), None)
            rec[c.key] = _clean(r[i], c.kind) if i is not None and i < len(r) else None
        if extra:  # a person's own columns (toolkit.master.extra)
            rec[EXTRA] = {h: _clean(r[i], "value") if i < len(r) else None for i, h in extra}
        out.append(rec)
    return out


def read_master_book(book: xw.Book) -> MasterBook:
    """The open master's settings, table rows and their places."""
    mb = MasterBook()
    _settings(book, mb)
    by_table = _sheets_by_table(book)
    for t in (*TABLES, MATRIX):
        ws = _sheet_of(book, t, by_table)
        if ws is None:
            continue
        values = sheet_values(ws)
        place = _place(ws, values, t)
        if place is None:
            continue
        mb.places[t.key] = place
        if t is not MATRIX:
            mb.rows[t.key] = _records(values, place, t.cols)
    return mb


def master_from_book(book: xw.Book) -> Master:
    """The open master as a :class:`Master` (what the document functions take)."""
    import pandas as pd

    from toolkit.excel.book import saved_file

    mb = read_master_book(book)
    tables = {
        t.key: (
            pd.DataFrame.from_records(mb.rows[t.key], columns=t.keys)
            if mb.rows.get(t.key)
            else empty_frame(t)
        )
        for t in TABLES
    }
    return Master(mb.settings, tables, saved_file(book))


# --------------------------------------------------------------------------- writing


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    """Sorted column indexes → (start, end) of each run of neighbours."""
    runs: list[tuple[int, int]] = []
    for c in sorted(cols):
        if runs and c == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def write_table(book: xw.Book, place: TablePlace, cols: Sequence[Col], rows: Sequence[Row],
                *, header: bool = False) -> None:  # fmt: skip
    """Put ``rows`` into the table at ``place``: known columns only, then resize it.

    Columns of the sheet the table definition does not know (added by hand) get the
    rows' values of those columns (:mod:`toolkit.master.extra`), so they stay on their rows. With ``header`` the header row is written too and the table may change width
    (the focus-area matrix, whose columns are the focus areas).
    """
    ws = book.sheets[place.sheet]
    top = place.header_row + 1  # first data row, zero-based
    n = max(len(rows), 1)  # an Excel table keeps at least one data row
    if header:
        positions = {c.key: place.first_col + i for i, c in enumerate(cols)}
        first_col, last_col = place.first_col, place.first_col + len(cols) - 1
    else:  # the table's own columns, and people's own columns where they put them
        rows = flatten(rows, extra := extra_cols(rows))
        cols = [*cols, *(c for c in extra if c.header in place.columns)]
        positions = {  # a column of an older master is found by its old header (alias)
            c.key: place.columns[h]
            for c in cols
            if (h := next((h for h in c.headers if h in place.columns), None)) is not None
        }
        first_col, last_col = place.first_col, place.last_col
    by_pos = {p: c for c in cols if (p := positions.get(c.key)) is not None}
    for start, end in _runs(list(by_pos)):
        block_cols = [by_pos[p] for p in range(start, end + 1)]
        block = [[cell_value(r.get(c.key)) for c in block_cols] for r in rows]
        if not block:
            block = [[None] * len(block_cols)]
        if header:
            block.insert(0, [cell_value(c.header) for c in block_cols])
        ws.range((top + 1 - int(header), start + 1)).value = block
    old_last_col = max(place.last_col, last_col)
    if place.data_rows > n:  # rows left over from a longer table
        ws.range(
            (top + n + 1, first_col + 1), (top + place.data_rows, old_last_col + 1)
        ).clear_contents()
    if header and place.last_col > last_col:  # columns left over from a wider matrix
        ws.range(
            (top, last_col + 2), (top + max(n, place.data_rows), place.last_col + 1)
        ).clear_contents()
    for p, c in by_pos.items():
        if c.key.startswith(EXTRA):
            continue  # a person's own column keeps the person's formats
        body = ws.range((top + 1, p + 1), (top + n, p + 1))
        if c.kind in NUMBER_FORMATS:
            body.number_format = NUMBER_FORMATS[c.kind]
        if c.manual:
            body.color = MANUAL_FILL
    if place.excel_table is not None:
        table = ws.tables[place.excel_table]
        table.resize(ws.range((top, first_col + 1), (top + n, last_col + 1)))


def write_setting(book: xw.Book, mb: MasterBook, key: str, value: Any) -> None:
    if key in mb.setting_cells:
        r, c = mb.setting_cells[key]
        book.sheets[SETTINGS_SHEET].range((r + 1, c + 1)).value = cell_value(value)


def write_overview(
    book: xw.Book,
    settings: dict[str, Any],
    stats: dict[str, Any],
    tables: dict[str, list[Row]] | None = None,
) -> None:
    """The title, the info line and the key figures of Overblik (as MasterWriter lays them out)."""
    if OVERBLIK not in [s.name for s in book.sheets]:
        return
    ws, at = book.sheets[OVERBLIK], LAYOUT.overblik
    if _text(ws.range((at.year_row + 1, 1)).value) == YEAR_LABEL:  # Overblik for any year
        write_overblik_year(book, settings, stats, tables or {})
        return
    title = f"Kontraktstyring {settings.get('aar', '')} — {settings.get('kommune', '')}"
    ws.range((at.title_row + 1, 1)).value = cell_value(title)
    ws.range((at.info_row + 1, 1)).value = cell_value(stats.get("info", ""))
    kpis = stats.get("kpis", [])
    if kpis:
        ws.range((at.kpi_row + 1, at.kpi_col + 1)).value = [
            [cell_value(v) for _, v in kpis],
            [cell_value(k) for k, _ in kpis],
        ]


def write_overblik_year(
    book: xw.Book, settings: dict[str, Any], stats: dict[str, Any], tables: dict[str, list[Row]]
) -> None:
    """Overblik made for any year (:mod:`toolkit.master.overblik`): its key figures and the
    charts' table are live formulas, left as they are; the info line, the year shown (the
    year just consolidated) and the list of years are values. Committees the chart table
    does not list yet get their row (their name and its formulas)."""
    ws, at = book.sheets[OVERBLIK], LAYOUT.overblik
    ws.range((at.info_row + 1, 1)).value = cell_value(stats.get("info", ""))
    ws.range((at.year_row + 1, at.year_col + 1)).value = cell_value(settings.get("aar"))
    years: list[Any] = list(years_in(tables))
    ws.range((at.block_row + 2, at.years_col + 1)).value = [
        [y] for y in [*years, *[None] * (at.years_max - len(years))]
    ]
    names = committees_in(tables)
    top = at.block_row + 2  # one-based first row of the committees
    have = ws.range((top, at.block_col + 1), (top + max(len(names), 1) - 1, at.block_col + 1)).value
    have = have if isinstance(have, list) else [have]
    if [_text(v) for v in have] != names and names:
        for i, name in enumerate(names):
            r = at.block_row + 1 + i
            ws.range((r + 1, at.block_col + 1)).value = cell_value(name)
            ws.range((r + 1, at.block_col + 2)).formula = [block_formulas(r)]


BY_TABLE: dict[str, TableDef] = {t.key: t for t in TABLES}
