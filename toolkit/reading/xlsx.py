"""The low layer: reading cells, defined names and tables straight from an .xlsx package.

Knows the file format (SpreadsheetML) and nothing about contracts. It reads only the
parts asked for, parses with lxml, and reports for every cell its kind, value, whether it
holds a formula, and whether its style is a date — what the layer above needs to tell a
typed date from a number and a typed value from a formula.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, TypeVar, cast

from toolkit.reading.xlsx_cells import (
    BLANK,
    BUILTIN_DATE_FORMATS,
    BUILTIN_PERCENT_FORMATS,
    EPOCH,
    NS,
    PKG_RELS,
    RNS,
    Area,
    BadCellText,
    CellKind,
    CellSource,
    DefinedName,
    OverlaySource,
    RawCell,
    TableInfo,
    XlsxError,
    parse_area,
    serial_to_date,
    serial_to_datetime,
    split_ref,
    text_of,
)
from toolkit.reading.xlsx_scan import (
    CellProblem,
    finite,
    int_attr,
    ref_of,
    scan_cells,
    sst_index,
    string_item,
)

try:
    from lxml import etree
except ImportError:  # xlwings Lite (Pyodide): the bundled Valider reads via xw.Book, never XML
    etree = None

from toolkit.reading.xlsx_zip import ZipParts

T = TypeVar("T")
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_MODIFIED = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?modified\b[^>]*>([^<]{1,64})</")


class XlsxPackage(ZipParts):
    """An open .xlsx/.xlsm file: sheets, defined names, tables and cells. Use as a context manager.

    The zip underneath — limits, safe XML, relationships — is :class:`~toolkit.reading.xlsx_zip.ZipParts`.
    """

    @cached_property
    def _workbook(self) -> etree._Element:
        return self._xml("xl/workbook.xml")

    @cached_property
    def _structure_key(self) -> bytes:
        rels = "xl/_rels/workbook.xml.rels"
        return (
            self._read("xl/workbook.xml")
            + b"\0"
            + (self._read(rels) if rels in self._names else b"")
        )

    @cached_property
    def sheets(self) -> dict[str, tuple[str, str]]:
        """Sheet name → (part path, state: visible/hidden/veryHidden), in workbook order."""
        return _memo(("sheets", self._structure_key), self._parse_sheets)

    def _parse_sheets(self) -> dict[str, tuple[str, str]]:
        rels = self._rels("xl/workbook.xml")
        out: dict[str, tuple[str, str]] = {}
        for s in self._workbook.iter(f"{NS}sheet"):
            rid = s.get(f"{RNS}id", "")
            if rid in rels:
                out[s.get("name", "")] = (rels[rid], s.get("state", "visible"))
        return out

    @cached_property
    def defined_names(self) -> dict[str, DefinedName]:
        """Workbook-level defined names that refer to a single area (others are skipped)."""
        return _memo(("names", self._structure_key), self._parse_defined_names)

    def _parse_defined_names(self) -> dict[str, DefinedName]:
        out: dict[str, DefinedName] = {}
        sheet_names = list(self.sheets)
        for dn in self._workbook.iter(f"{NS}definedName"):
            name = dn.get("name", "")
            area = parse_area(dn.text or "")
            if area is None or name.startswith("_xlnm."):
                continue
            local = dn.get("localSheetId")
            if local is not None and name in out:
                continue  # a workbook-level name wins over a local one
            sheet, first, last = area
            if local is not None and not sheet:
                sheet = sheet_names[int(local)]
            out[name] = DefinedName(name, sheet, first, last)
        return out

    @cached_property
    def tables(self) -> dict[str, TableInfo]:
        """Excel tables by name (searched through every sheet's relationships)."""
        out: dict[str, TableInfo] = {}
        for sheet in self.sheets:
            out.update(self.sheet_tables(sheet))
        return out

    def table(self, name: str, sheet_hint: str | None = None) -> TableInfo | None:
        """One table, looking on the hinted sheet first (cheap), then everywhere."""
        if sheet_hint and sheet_hint in self.sheets:
            found = self.sheet_tables(sheet_hint).get(name)
            if found is not None:
                return found
        return self.tables.get(name)

    def sheet_tables(self, sheet: str) -> dict[str, TableInfo]:
        """The tables on one sheet."""
        cache = self._tables_by_sheet
        if sheet in cache:
            return cache[sheet]
        out: dict[str, TableInfo] = {}
        part = self.sheets[sheet][0]
        for target in self._rels(part).values():
            if "/tables/" not in target or target not in self._names:
                continue
            t = self._xml(target)
            ref = t.get("ref", "")
            a, _, b = ref.partition(":")
            try:
                first, last = split_ref(a), split_ref(b or a)
            except ValueError:
                continue
            cols = tuple(c.get("name", "") for c in t.iter(f"{NS}tableColumn"))
            name = t.get("displayName") or t.get("name") or ""
            out[name] = TableInfo(name, sheet, first, last, cols)
        cache[sheet] = out
        return out

    @cached_property
    def _tables_by_sheet(self) -> dict[str, dict[str, TableInfo]]:
        return {}

    @cached_property
    def _sst(self) -> tuple[list[bytes], dict[int, str]]:
        """The raw <si> items of the shared strings and their decoded texts (on demand).

        Workbooks made from the same template share these parts byte for byte, so the parse
        is memoised on the bytes: reading 10,000 returned workbooks parses them once.
        """
        part = "xl/sharedStrings.xml"
        if part not in self._names:
            return [], {}
        data = self._read(part)
        return _memo(("sst", data), lambda: (self._parse_sst(part, data), {}))

    def _parse_sst(self, part: str, data: bytes) -> list[bytes]:
        if b"<si>" not in data and b"<si " not in data:  # a namespace prefix: take the slow road
            return [etree.tostring(si) for si in self._xml(part).iterchildren(f"{NS}si")]
        return _SI.findall(data)

    def _shared_string(self, i: int) -> str:
        """Shared strings are decoded on demand: most of them belong to sheets we skip."""
        items, cache = self._sst
        if not 0 <= i < len(items):
            raise BadCellText(
                f"cellen henviser til delt tekst nr. {i}, men der er kun {len(items)}"
            )
        if i not in cache:
            cache[i] = string_item(items[i])
        return cache[i]

    def core_modified(self) -> datetime | None:
        """dcterms:modified of docProps/core.xml (naive UTC), or None."""
        part = "docProps/core.xml"
        if part not in self._names:
            return None
        m = _MODIFIED.search(self._read(part))
        if m is None:
            return None
        try:
            dt = datetime.fromisoformat(m.group(1).decode("ascii").strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if dt.tzinfo is not None:
            dt = (dt - (dt.utcoffset() or timedelta(0))).replace(tzinfo=None)
        return dt

    @cached_property
    def _date_styles(self) -> list[bool]:
        part = "xl/styles.xml"
        if part not in self._names:
            return []
        data = self._read(part)
        return _memo(("styles", data), lambda: self._parse_date_styles(part))

    def _parse_date_styles(self, part: str) -> list[bool]:
        root = self._xml(part)
        custom: dict[int, bool] = {}
        for nf in root.iter(f"{NS}numFmt"):
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", nf.get("formatCode", ""))
            custom[int_attr(nf.get("numFmtId"))] = bool(re.search(r"[dmyDMY]", code))
        xfs = root.find(f"{NS}cellXfs")
        out = []
        for xf in xfs if xfs is not None else []:
            fid = int_attr(xf.get("numFmtId"))
            out.append(fid in BUILTIN_DATE_FORMATS or custom.get(fid, False))
        return out

    @cached_property
    def _percent_styles(self) -> list[bool]:
        part = "xl/styles.xml"
        if part not in self._names:
            return []
        data = self._read(part)
        return _memo(("percent", data), lambda: _percent_styles(self._xml(part)))

    def cells(self, sheet: str, area: Area | None = None) -> dict[tuple[int, int], RawCell]:
        """All non-empty cells of a sheet (optionally only inside an area), by (row, col)."""
        if sheet not in self.sheets:
            raise XlsxError(f"arket {sheet!r} mangler")
        data = self._read(self.sheets[sheet][0])
        try:
            fast = scan_cells(data, area, self)
        except CellProblem as exc:
            raise XlsxError(str(exc), sheet=sheet, cell=exc.ref) from exc
        if fast is not None:
            return fast
        try:
            return self._cells_lxml(data, area)
        except CellProblem as exc:
            raise XlsxError(str(exc), sheet=sheet, cell=exc.ref) from exc
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise XlsxError(f"arket {sheet!r} er ikke gyldig XML", sheet=sheet) from exc

    def _cells_lxml(self, data: bytes, area: Area | None) -> dict[tuple[int, int], RawCell]:
        """The general path (any prefix, cells without r=): a streaming XML parse, one row
        in memory at a time."""
        out: dict[tuple[int, int], RawCell] = {}
        (r0, c0), (r1, c1) = area if area else ((0, 0), (1 << 20, 1 << 14))
        dates = self._date_styles
        row_i = -1
        events = etree.iterparse(
            io.BytesIO(data), events=("end",), tag=f"{NS}row",
            resolve_entities=False, no_network=True, huge_tree=False,
        )  # fmt: skip
        for _, row in events:
            rr = row.get("r")
            row_i = int(rr) - 1 if rr else row_i + 1
            if r0 <= row_i <= r1:
                col_i = -1
                for c in row:
                    ref = c.get("r")
                    if ref:
                        _, col_i = split_ref(ref)
                    else:
                        col_i += 1
                    if not len(c) or col_i < c0 or col_i > c1:
                        continue  # a formatted empty cell, or outside the area
                    try:
                        cell = self._cell(c, dates)
                    except BadCellText as exc:
                        raise CellProblem(str(exc), ref_of(row_i, col_i)) from exc
                    if cell is not BLANK:
                        out[(row_i, col_i)] = cell
            row.clear()
            parent = row.getparent()
            while parent is not None and row.getprevious() is not None:
                del parent[0]
        return out

    def _cell(self, c: etree._Element, dates: list[bool]) -> RawCell:
        t = c.get("t", "n")
        f = c.find(f"{NS}f")
        v = c.find(f"{NS}v")
        has_f = f is not None
        s = int_attr(c.get("s"))
        is_date = s < len(dates) and dates[s]
        if t == "inlineStr":
            is_ = c.find(f"{NS}is")
            return RawCell("s", text_of(is_) if is_ is not None else "", has_f)
        if v is None or v.text is None:
            return RawCell("blank", None, True) if has_f else BLANK
        text = v.text
        if t == "s":
            return RawCell("s", self._shared_string(sst_index(text)), has_f)
        if t in ("str",):
            return RawCell("s", text, has_f)
        if t == "b":
            return RawCell("b", text.strip() in ("1", "true"), has_f)
        if t == "e":
            return RawCell("e", text, has_f)
        if t == "d":  # ISO 8601 date cell (rare; strict writers)
            try:
                dt = datetime.fromisoformat(text)
            except ValueError:
                return RawCell("s", text, has_f)
            return RawCell(
                "n", (dt.replace(tzinfo=None) - EPOCH).total_seconds() / 86400, has_f, True
            )
        try:
            number = float(text)
        except ValueError:
            return RawCell("s", text, has_f)
        pct = self._percent_styles
        return RawCell("n", finite(number, text), has_f, is_date, s < len(pct) and pct[s])


def _percent_styles(root: etree._Element) -> list[bool]:
    """Per cell style (xf index): is its number format a percentage?"""
    custom: dict[int, bool] = {}
    for nf in root.iter(f"{NS}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", nf.get("formatCode", ""))
        custom[int_attr(nf.get("numFmtId"))] = "%" in code
    xfs = root.find(f"{NS}cellXfs")
    out = []
    for xf in xfs if xfs is not None else []:
        fid = int_attr(xf.get("numFmtId"))
        out.append(fid in BUILTIN_PERCENT_FORMATS or custom.get(fid, False))
    return out


_MEMO: OrderedDict[tuple[str, bytes], Any] = OrderedDict()
_MEMO_SIZE = 64
_MEMO_MAX_PART = 2 * 1024 * 1024


def _memo(key: tuple[str, bytes], compute: Callable[[], T]) -> T:
    """Parse results shared between packages whose parts are identical (read-only use)."""
    if len(key[1]) > _MEMO_MAX_PART:  # only template-sized parts: memory stays bounded
        return compute()
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return cast(T, _MEMO[key])
    value = compute()
    _MEMO[key] = value
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return value


__all__ = [  # the low layer's names, importable from here (defined in xlsx_cells and here)
    "BLANK",
    "EPOCH",
    "NS",
    "PKG_RELS",
    "RNS",
    "Area",
    "BadCellText",
    "CellKind",
    "CellSource",
    "DefinedName",
    "OverlaySource",
    "RawCell",
    "TableInfo",
    "XlsxError",
    "XlsxPackage",
    "parse_area",
    "serial_to_date",
    "serial_to_datetime",
    "split_ref",
]
