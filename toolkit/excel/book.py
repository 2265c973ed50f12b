"""An open workbook, seen through xlwings' ``xw.Book`` API, as the reader's cell source.

The same code runs under desktop Excel (``xw.Book.caller()`` from VBA's RunPython) and
under xlwings' remote engine (``xw.Book(json=...)`` from the Office.js add-in): only the
Book API is used — sheets, ``used_range``, range values, tables and names. The values
are the ones in Excel right now, saved or not.

What the Book API cannot tell is turned into the reader's :class:`~toolkit.reading.xlsx.RawCell`
as well as it can: a ``datetime`` is a date-formatted number, error values come as their
text (``#N/A``). Formulas are only known under desktop Excel (the remote engine does not
send them), so the rule "a formula in an input cell" fires there only.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.reading.workbook import read_source
from toolkit.reading.xlsx import Area, DefinedName, RawCell, TableInfo, parse_area, split_ref
from toolkit.spec.model import Kontraktbog
from toolkit.spec.workbook import Spec, default_spec
from toolkit.workbook.stamp import date_serial

if TYPE_CHECKING:
    import xlwings as xw

#: Error values as xlwings reports them with ``err_to_str=True``.
ERROR_TEXTS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip


_ISO_Z = re.compile(r"^-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def book_path(book: xw.Book) -> Path:
    """The workbook's file (desktop Excel) or just its name (the remote engine)."""
    return Path(str(book.fullname))


def saved_file(book: xw.Book) -> Path | None:
    """The workbook's file on this computer, if it has one.

    On the server (a root is set, :mod:`toolkit.excel.confine`) the name comes from the request:
    a plain file name has no file; a path must lie inside the root, or it is refused.
    """
    from urllib.parse import unquote

    from toolkit.excel.confine import confine, current_root, has_parent_part

    path = book_path(book)
    if current_root() is not None:
        name = str(book.fullname)
        if not any(sep in unquote(name) for sep in "/\\") and not has_parent_part(unquote(name)):
            return None  # Office.js sends only the file name
        path = confine(name, "Arbejdsbogens navn")
    return path if path.is_absolute() and path.is_file() else None


def _grid(value: Any) -> list[list[Any]]:
    if isinstance(value, list | tuple):
        return [list(r) if isinstance(r, list | tuple) else [r] for r in value]
    return [[value]]


def _iso_z(value: Any) -> Any:
    """The remote engine's raw value: a date comes as ISO text ending in Z."""
    if isinstance(value, str) and value.endswith("Z") and _ISO_Z.match(value):
        return datetime.fromisoformat(value[:-1])
    return None if value == "" else value


def sheet_values(sheet: xw.Sheet) -> list[list[Any]]:
    """Every value from A1 to the used range's last cell (rows of equal length)."""
    last = sheet.used_range.last_cell
    rng = sheet.range((1, 1), (last.row, last.column))
    try:
        return _grid(rng.options(ndim=2, err_to_str=True).value)
    except ValueError:
        # xlwings' remote engine takes any ISO-looking text for a date and fails on text
        # like "2026-03-15T09:00:00" (no Z): read the raw values, where only a real
        # date cell is ISO text ending in Z (what Office.js sends for a date).
        return [[_iso_z(v) for v in row] for row in _grid(rng.raw_value)]


def sheet_formulas(sheet: xw.Sheet, rows: int, cols: int) -> list[list[Any]] | None:
    """The formulas of the same area, where the engine can read them synchronously."""
    if rows == 0 or cols == 0:
        return None
    try:
        formulas = sheet.range((1, 1), (rows, cols)).formula
    except NotImplementedError:  # the remote engine: formulas are not in the payload
        return None
    return _grid(formulas)


def cell_value(v: Any) -> Any:
    """A value as it must be written through the Book API: data, never a formula.

    Text gets Excel's text prefix (an apostrophe), so text that begins with = + - @ or
    looks like a number or a date stays the text it is.
    """
    if v is None or (isinstance(v, float) and v != v) or v == "":
        return None
    if isinstance(v, bool):
        return "Ja" if v else "Nej"
    if isinstance(v, int | float | datetime):
        return v
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day)
    return "'" + str(v)[:32767]


def raw_cell(value: Any, formula: bool = False) -> RawCell | None:
    """One value from the Book API as the reader's raw cell (None: empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return RawCell("b", value, formula)
    if isinstance(value, int | float):
        return RawCell("n", float(value), formula)
    if isinstance(value, datetime | date):
        return RawCell("n", date_serial(value), formula, True)
    text = str(value)
    if text in ERROR_TEXTS:
        return RawCell("e", text, formula)
    return RawCell("s", text, formula)


def _area(address: str) -> tuple[tuple[int, int], tuple[int, int]]:
    a, _, b = address.replace("$", "").partition(":")
    return split_ref(a), split_ref(b or a)


class BookSource:
    """The :class:`toolkit.reading.xlsx.CellSource` of an open ``xw.Book``."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book
        self._cells: dict[str, dict[tuple[int, int], RawCell]] = {}

    @cached_property
    def sheets(self) -> dict[str, tuple[str, str]]:
        return {s.name: ("", "visible" if s.visible else "hidden") for s in self.book.sheets}

    @cached_property
    def defined_names(self) -> dict[str, DefinedName]:
        out: dict[str, DefinedName] = {}
        for name in self.book.names:
            key = str(name.name)
            if "!" in key or key.startswith("_xlnm."):
                continue  # sheet-local and built-in names: the reader uses neither
            try:
                refers_to = name.refers_to
            except Exception:  # a name the engine cannot resolve
                continue
            area = parse_area(str(refers_to)) if refers_to else None
            if area is None:
                continue
            sheet, first, last = area
            out[key] = DefinedName(key, sheet, first, last)
        return out

    @cached_property
    def tables(self) -> dict[str, TableInfo]:
        out: dict[str, TableInfo] = {}
        for sheet in self.book.sheets:
            for table in sheet.tables:
                rng = table.range
                if rng is None:
                    continue
                first, last = _area(str(rng.address))
                out[str(table.name)] = TableInfo(str(table.name), sheet.name, first, last, ())
        return out

    def table(self, name: str, sheet_hint: str | None = None) -> TableInfo | None:
        return self.tables.get(name)

    def cells(self, sheet: str, area: Area | None = None) -> dict[tuple[int, int], RawCell]:
        """The sheet's non-empty cells (read once), optionally only those inside ``area``."""
        if sheet not in self._cells:
            ws = self.book.sheets[sheet]
            values = sheet_values(ws)
            width = max((len(r) for r in values), default=0)
            formulas = sheet_formulas(ws, len(values), width)
            out: dict[tuple[int, int], RawCell] = {}
            for r, row in enumerate(values):
                for c, value in enumerate(row):
                    f = (
                        formulas[r][c]
                        if formulas and r < len(formulas) and c < len(formulas[r])
                        else ""
                    )
                    raw = raw_cell(value, isinstance(f, str) and f.startswith("="))
                    if raw is not None:
                        out[(r, c)] = raw
            self._cells[sheet] = out
        if area is None:
            return self._cells[sheet]
        (r0, c0), (r1, c1) = area
        return {
            k: v for k, v in self._cells[sheet].items() if r0 <= k[0] <= r1 and c0 <= k[1] <= c1
        }


def read_book(book: xw.Book, spec: Spec | None = None) -> Kontraktbog:
    """The institution workbook open in Excel, read with the reader's own code path."""
    return read_source(BookSource(book), book_path(book), spec or default_spec())
