"""Cells in SpreadsheetML: references, raw values, dates, names and tables, escaped text.

The vocabulary of the low layer (:mod:`toolkit.reading.xlsx`): what a cell holds (:class:`RawCell`),
where it is (:func:`split_ref`, :data:`Area`), what a defined name or table points at, and
how Excel escapes characters in text (``_x000D_``). Standard library only, so the xlwings
Lite bundle can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol

from toolkit.errors import UserError

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

if TYPE_CHECKING:
    from lxml import etree

    from toolkit.reading.xlsx import XlsxPackage

CellKind = Literal["n", "s", "b", "e", "blank"]
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
BUILTIN_PERCENT_FORMATS = {9, 10}
EPOCH = datetime(1899, 12, 30)
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


class XlsxError(UserError):
    """The package is not a readable SpreadsheetML workbook (message in Danish).

    ``sheet`` and ``cell`` name the place when one cell's content is what is wrong.
    """

    def __init__(self, message: str, *, sheet: str = "", cell: str = "") -> None:
        super().__init__(message)
        self.sheet, self.cell = sheet, cell


class BadCellText(ValueError):
    """A cell's stored content cannot be a value (why, in Danish).

    Internal: the reader turns it into an :class:`XlsxError` naming the cell.
    """


def is_xml_char(cp: int) -> bool:
    """XML 1.0's Char production: what a character reference may name."""
    return (
        cp in (0x9, 0xA, 0xD)
        or 0x20 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


@dataclass(frozen=True)
class RawCell:
    kind: CellKind
    value: object  # float for "n", str for "s"/"e", bool for "b", None for blank
    formula: bool = False
    date_style: bool = False
    #: shown as a percentage (what "72%" typed in Excel or LibreOffice gives: 0.72, "0%")
    percent_style: bool = False


BLANK = RawCell("blank", None)
Area = tuple[tuple[int, int], tuple[int, int]]


@lru_cache(maxsize=65536)
def split_ref(ref: str) -> tuple[int, int]:
    """ "B5" / "$B$5" → zero-based (row, col)."""
    m = _REF.match(ref)
    if not m:
        raise ValueError(ref)
    letters, digits = m.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def serial_to_datetime(serial: float) -> datetime:
    """Excel's 1900 date system (ignoring the 1900 leap bug, as for all dates after March 1900)."""
    return EPOCH + timedelta(days=serial)


def serial_to_date(serial: float) -> date:
    return serial_to_datetime(serial).date()


@dataclass(frozen=True)
class DefinedName:
    name: str
    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]

    @property
    def ref(self) -> str:
        from toolkit.spec.layout import cell_ref

        a = cell_ref(*self.first)
        return a if self.first == self.last else f"{a}:{cell_ref(*self.last)}"


@dataclass(frozen=True)
class TableInfo:
    name: str
    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]
    columns: tuple[str, ...]


def parse_area(text: str) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """ "'Kontraktmål'!$A$4:$N$9" → (sheet, (r0, c0), (r1, c1)); None for anything else."""
    text = text.strip()
    if text.startswith("="):
        text = text[1:]
    if "!" not in text or "," in text:
        return None
    sheet, _, rng = text.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    a, _, b = rng.partition(":")
    try:
        first = split_ref(a)
        last = split_ref(b) if b else first
    except ValueError:
        return None
    return sheet, first, last


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


_ESCAPED_PAIR = re.compile(r"_x(D[89AaBb][0-9A-Fa-f]{2})__x(D[C-Fc-f][0-9A-Fa-f]{2})_")


def unescape(text: str) -> str:
    """Decode Excel's _xHHHH_ escapes of characters XML cannot hold.

    A surrogate pair written as two escapes is one character; a lone surrogate is no
    character at all (it cannot be written to a workbook or a document) and is refused.
    """
    if "_x" not in text:
        return text
    text = _ESCAPED_PAIR.sub(
        lambda m: chr(
            0x10000 + ((int(m.group(1), 16) - 0xD800) << 10) + int(m.group(2), 16) - 0xDC00
        ),
        text,
    )
    return _ESCAPED.sub(_escaped_char, text)


def _escaped_char(m: re.Match[str]) -> str:
    cp = int(m.group(1), 16)
    if 0xD800 <= cp <= 0xDFFF:
        raise BadCellText(f"teksten indeholder et ugyldigt tegn ({m.group(0)})")
    return chr(cp)


def text_of(el: etree._Element) -> str:
    """Concatenated text of <t> runs of a string item, leaving out phonetic runs."""
    if (t := el.find(f"{NS}t")) is not None and len(el) == 1:
        return unescape(t.text or "")
    parts = []
    for r in el.iter(f"{NS}t"):
        if r.getparent() is not None and r.getparent().tag == f"{NS}rPh":
            continue
        parts.append(r.text or "")
    return unescape("".join(parts))


class CellSource(Protocol):
    """What the reader needs from a workbook: a real file (XlsxPackage) or values in memory."""

    @property
    def sheets(self) -> dict[str, tuple[str, str]]: ...

    @property
    def defined_names(self) -> dict[str, DefinedName]: ...

    @property
    def tables(self) -> dict[str, TableInfo]: ...

    def table(self, name: str, sheet_hint: str | None = None) -> TableInfo | None: ...

    def cells(self, sheet: str, area: Area | None = None) -> dict[tuple[int, int], RawCell]: ...


class OverlaySource:
    """A base workbook's cells with some cells replaced — what a stamped copy will contain."""

    def __init__(self, base: XlsxPackage, base_cells: dict[str, dict[tuple[int, int], RawCell]],
                 overlay: dict[str, dict[tuple[int, int], RawCell | None]]) -> None:  # fmt: skip
        self.sheets = base.sheets
        self.defined_names = base.defined_names
        self.tables = base.tables
        self._base_cells, self._overlay = base_cells, overlay

    def table(self, name: str, sheet_hint: str | None = None) -> TableInfo | None:
        return self.tables.get(name)

    def cells(self, sheet: str, area: Area | None = None) -> dict[tuple[int, int], RawCell]:
        out = dict(self._base_cells.get(sheet, {}))
        for key, raw in self._overlay.get(sheet, {}).items():
            if raw is None:
                out.pop(key, None)
            else:
                out[key] = raw
        return out
