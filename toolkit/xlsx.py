"""The low layer: reading cells, defined names and tables straight from an .xlsx package.

Knows the file format (SpreadsheetML) and nothing about contracts. It reads only the
parts asked for, parses with lxml, and reports for every cell its kind, value, whether it
holds a formula, and whether its style is a date — what the layer above needs to tell a
typed date from a number and a typed value from a formula.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from pathlib import PurePosixPath
from typing import IO, Any, Literal, Protocol, TypeVar, cast

try:
    from lxml import etree
except ImportError:  # xlwings Lite (Pyodide): the bundled Valider reads via xw.Book, never XML
    etree = None

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PARSER = (
    etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False) if etree else None
)

# What a workbook may hold before it is refused unread (a zip bomb must cost milliseconds):
# a contract workbook is well under 1 MB unpacked; the master of a large municipality a few MB.
MAX_PART_BYTES = 32 * 1024 * 1024  # one part, unpacked
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts together, unpacked (as declared)
MAX_PARTS = 5000
_XML_SUFFIXES = (".xml", ".rels", ".vml")

CellKind = Literal["n", "s", "b", "e", "blank"]
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
BUILTIN_PERCENT_FORMATS = {9, 10}
EPOCH = datetime(1899, 12, 30)
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


class XlsxError(Exception):
    """The package is not a readable SpreadsheetML workbook (message in Danish).

    ``sheet`` and ``cell`` name the place when one cell's content is what is wrong.
    """

    def __init__(self, message: str, *, sheet: str = "", cell: str = "") -> None:
        super().__init__(message)
        self.sheet, self.cell = sheet, cell


class BadCellText(ValueError):
    """A cell's stored content cannot be a value (why, in Danish)."""


def _is_xml_char(cp: int) -> bool:
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
T = TypeVar("T")
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
        from toolkit.layout import cell_ref

        a = cell_ref(*self.first)
        return a if self.first == self.last else f"{a}:{cell_ref(*self.last)}"


@dataclass(frozen=True)
class TableInfo:
    name: str
    sheet: str
    first: tuple[int, int]
    last: tuple[int, int]
    columns: tuple[str, ...]


def _parse_area(text: str) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
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


def _unescape(text: str) -> str:
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


def _text_of(el: etree._Element) -> str:
    """Concatenated text of <t> runs of a string item, leaving out phonetic runs."""
    if (t := el.find(f"{NS}t")) is not None and len(el) == 1:
        return _unescape(t.text or "")
    parts = []
    for r in el.iter(f"{NS}t"):
        if r.getparent() is not None and r.getparent().tag == f"{NS}rPh":
            continue
        parts.append(r.text or "")
    return _unescape("".join(parts))


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


class XlsxPackage:
    """An open .xlsx/.xlsm file. Use as a context manager."""

    def __init__(self, file: str | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise XlsxError("filen er ikke en hel zip-pakke") from exc
        try:
            self._check_members()
        except XlsxError:
            self.zip.close()
            raise

    def _check_members(self) -> None:
        """Refuse, before anything is unpacked, what no spreadsheet program writes."""
        self._inflated = 0
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS:
            raise XlsxError(f"pakken har {len(infos)} dele (højst {MAX_PARTS})")
        names = [i.filename for i in infos]
        self._names = set(names)
        if len(self._names) != len(names):
            twice = sorted(n for n, k in Counter(names).items() if k > 1)[:3]
            raise XlsxError(f"pakken har dele med samme navn to gange ({', '.join(twice)})")
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/"):
                raise XlsxError(f"pakken har en del med et ugyldigt navn ({name[:80]!r})")
            if info.flag_bits & 0x1:
                raise XlsxError(f"delen {name} er krypteret")
            if info.file_size > MAX_PART_BYTES:
                raise XlsxError(
                    f"delen {name} fylder {info.file_size / 2**20:.0f} MB udpakket "
                    f"(højst {MAX_PART_BYTES // 2**20} MB)"
                )
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise XlsxError(
                f"pakken fylder {total / 2**20:.0f} MB udpakket (højst {MAX_TOTAL_BYTES // 2**20} MB)"
            )
        if "xl/workbook.xml" not in self._names:
            raise XlsxError("pakken har ingen xl/workbook.xml (det er ikke en Excel-projektmappe)")
        if "[Content_Types].xml" not in self._names:
            raise XlsxError("pakken har ingen [Content_Types].xml")

    def __enter__(self) -> XlsxPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()

    def _read(self, part: str) -> bytes:
        """One part's bytes, unpacked no further than the size limit (whatever the zip
        header claims), and with no DTD (entity declarations are how XML bombs work)."""
        try:
            with self.zip.open(part) as fh:
                data = fh.read(MAX_PART_BYTES + 1)
        except KeyError as exc:
            raise XlsxError(f"delen {part} mangler") from exc
        except (
            zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error, RuntimeError,
            ValueError,
        ) as exc:  # fmt: skip
            what = (
                "krypteret eller pakket på en måde, Excel ikke bruger"
                if isinstance(exc, (RuntimeError, NotImplementedError))
                else "beskadiget"
            )
            raise XlsxError(f"delen {part} er {what}") from exc
        if len(data) > MAX_PART_BYTES:
            raise XlsxError(f"delen {part} fylder mere end {MAX_PART_BYTES // 2**20} MB udpakket")
        self._inflated += len(data)  # what was really unpacked, whatever the headers said
        if self._inflated > MAX_TOTAL_BYTES:
            raise XlsxError(f"pakken fylder mere end {MAX_TOTAL_BYTES // 2**20} MB udpakket")
        if part.endswith(_XML_SUFFIXES) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
            raise XlsxError(f"delen {part} har en DTD eller entitetserklæringer")
        return data

    def _xml(self, part: str) -> etree._Element:
        data = self._read(part)
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise XlsxError(f"delen {part} er ikke gyldig XML (linje {exc.lineno})") from exc

    def _rels(self, part: str) -> dict[str, str]:
        p = PurePosixPath(part)
        rels_part = str(p.parent / "_rels" / (p.name + ".rels"))
        if rels_part not in self._names:
            return {}
        out = {}
        for rel in self._xml(rels_part).iter(f"{PKG_RELS}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = str(PurePosixPath(*_normalise((p.parent / target).parts)))
            out[rel.get("Id", "")] = resolved
        return out

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
            area = _parse_area(dn.text or "")
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
            cache[i] = _string_item(items[i])
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
            custom[_int_attr(nf.get("numFmtId"))] = bool(re.search(r"[dmyDMY]", code))
        xfs = root.find(f"{NS}cellXfs")
        out = []
        for xf in xfs if xfs is not None else []:
            fid = _int_attr(xf.get("numFmtId"))
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
            fast = _scan_cells(data, area, self)
        except _CellProblem as exc:
            raise XlsxError(str(exc), sheet=sheet, cell=exc.ref) from exc
        if fast is not None:
            return fast
        try:
            return self._cells_lxml(data, area)
        except _CellProblem as exc:
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
                        raise _CellProblem(str(exc), _ref(row_i, col_i)) from exc
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
        s = _int_attr(c.get("s"))
        is_date = s < len(dates) and dates[s]
        if t == "inlineStr":
            is_ = c.find(f"{NS}is")
            return RawCell("s", _text_of(is_) if is_ is not None else "", has_f)
        if v is None or v.text is None:
            return RawCell("blank", None, True) if has_f else BLANK
        text = v.text
        if t == "s":
            return RawCell("s", self._shared_string(_sst_index(text)), has_f)
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
        return RawCell("n", _finite(number, text), has_f, is_date, s < len(pct) and pct[s])


# ---------------------------------------------------------------- the fast path
# Cells are scanned straight from the bytes: <c r=".." s=".." t="..">…</c>. Every writer we
# meet (Excel, LibreOffice, XlsxWriter, openpyxl) writes unprefixed elements with r=; any
# sheet that does not look like that, or whose XML is not well-formed, takes the lxml path.

_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_SIMPLE_IS = re.compile(rb'<is><t(?: xml:space="preserve")?>([^<]*)</t></is>')
_C_COMMON = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?(?:/>|>(.*?)</c>)', re.S
)


class _ColumnNumbers(dict[bytes, int]):
    """b"A" → 0, b"AB" → 27, computed once per column name."""

    def __missing__(self, letters: bytes) -> int:
        col = 0
        for ch in letters:
            col = col * 26 + ch - 64
        self[letters] = col - 1
        return col - 1


_COL = _ColumnNumbers()
_FINDALL_BYTES = 4 * 1024 * 1024  # below this, one findall is faster than iterating
_C = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b([rst])="([^"]*)"')
_VAL = re.compile(rb"<v>([^<]*)</v>|<v/>")
_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>|<t\s*/>")
_RPH = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_ENT = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_ENTS = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _xml_text(b: bytes) -> str:
    try:
        text = b.decode("utf-8")
    except UnicodeDecodeError:
        raise BadCellText("teksten er ikke gyldig UTF-8") from None
    if "&" in text:
        if _BAD_AMP.search(text):
            raise BadCellText("teksten har en ukendt eller ufuldstændig entitet (&…;)")
        text = _ENT.sub(_entity, text)
    return _unescape(text)


_BAD_AMP = re.compile(r"&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);)")


def _entity(m: re.Match[str]) -> str:
    e = m.group(1)
    if e[0] == "#":
        digits = e[2:] if e[1] in "xX" else e[1:]
        cp = int(digits, 16 if e[1] in "xX" else 10) if len(digits) <= 8 else -1
        if not _is_xml_char(cp):
            raise BadCellText(f"teksten har en ugyldig tegnreference (&{e[:12]};)")
        return chr(cp)
    return _ENTS[e]


class _CellProblem(Exception):
    """A cell's content is unusable; carries the cell's reference up to :meth:`cells`."""

    def __init__(self, message: str, ref: str) -> None:
        super().__init__(message)
        self.ref = ref


def _ref(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _int_attr(value: str | None) -> int:
    """A style or format index; anything that is not a small number counts as 0."""
    if value is None or not value.isdigit() or len(value) > 9:
        return 0
    return int(value)


def _sst_index(text: str | bytes) -> int:
    """A shared-string index; a negative one is refused by :meth:`_shared_string` (-1 must
    not mean "the last string")."""
    try:
        return int(text)
    except ValueError:
        shown = text[:12].decode("ascii", "replace") if isinstance(text, bytes) else text[:12]
        raise BadCellText(
            f"cellen henviser til en delt tekst, der ikke findes ({shown!r})"
        ) from None


_isfinite = math.isfinite
_MODIFIED = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?modified\b[^>]*>([^<]{1,64})</")


def _finite(number: float, text: str | bytes) -> float:
    if not math.isfinite(number):
        shown = text.decode("ascii", "replace") if isinstance(text, bytes) else text
        raise BadCellText(f"cellen indeholder tallet {shown[:20]!r}, som ikke er et endeligt tal")
    return number


def _string_item(raw: bytes) -> str:
    """The text of a <si> or <is> body: all <t> runs, phonetic runs left out."""
    if b"<rPh" in raw:
        raw = _RPH.sub(b"", raw)
    return "".join(_xml_text(m.group(1) or b"") for m in _T.finditer(raw))


def _scan_cells(
    data: bytes, area: Area | None, pkg: XlsxPackage
) -> dict[tuple[int, int], RawCell] | None:
    if not data.rstrip().endswith(b"</worksheet>"):
        return None  # truncated or prefixed: let the XML parser judge it
    start = data.find(b"<sheetData")
    if start < 0:
        return None if b":sheetData" in data else {}
    end = data.find(b"</sheetData>", start)
    if end < 0:
        return (
            {}
            if data.find(b"/>", start) >= 0 and data[start:].startswith(b"<sheetData/>")
            else None
        )
    body = data[start:end]
    (r0, c0), (r1, c1) = area if area else ((0, 0), (1 << 20, 1 << 14))
    if b"<c>" not in body:
        # The common shape — r, then s, then t — in one regex; if any cell has another
        # shape the counts differ and the general scan below takes over. A large sheet's
        # matches are taken one at a time: memory stays that of the cells inside the area.
        out: dict[tuple[int, int], RawCell] = {}
        n = 0
        matches: Iterable[tuple[bytes, ...]] = (
            _C_COMMON.findall(body)
            if len(body) < _FINDALL_BYTES
            else (m.groups() for m in _C_COMMON.finditer(body))
        )
        for letters, digits, style, typ, inner in matches:
            n += 1
            if not inner:
                continue
            row = int(digits) - 1
            if row < r0 or row > r1:
                continue
            col = _COL[letters]
            if col < c0 or col > c1:
                continue
            try:
                cell = _fast_cell(
                    typ or b"n", int(style) if style and len(style) < 10 else 0, inner, pkg
                )
            except BadCellText as exc:
                raise _CellProblem(str(exc), (letters + digits).decode()) from exc
            if cell is not BLANK:
                out[(row, col)] = cell
        if n == body.count(b"<c "):
            return out
    out = {}
    for m in _C.finditer(body):
        inner = m.group(2)
        if not inner:
            continue  # a formatted empty cell
        attrs = dict(_ATTR.findall(m.group(1)))
        ref = attrs.get(b"r")
        if ref is None:
            return None
        try:
            row, col = split_ref(ref.decode("ascii"))
        except ValueError:
            return None
        if row < r0 or row > r1 or col < c0 or col > c1:
            continue
        try:
            cell = _fast_cell(attrs.get(b"t", b"n"), _int_attr(attrs.get(b"s", b"0").decode()),
                              inner, pkg)  # fmt: skip
        except BadCellText as exc:
            raise _CellProblem(str(exc), ref.decode()) from exc
        if cell is not BLANK:
            out[(row, col)] = cell
    return out


def _fast_cell(t: bytes, s: int, inner: bytes, pkg: XlsxPackage) -> RawCell:
    has_f = b"<f" in inner
    if t == b"inlineStr":
        m = _SIMPLE_IS.fullmatch(inner)
        if m is not None:  # one plain run: the usual case
            return RawCell("s", _xml_text(m.group(1)), has_f)
        i = inner.find(b"<is>")
        return RawCell("s", _string_item(inner[i:]) if i >= 0 else "", has_f)
    vm = _VAL.search(inner)
    if vm is None or vm.group(1) is None:
        return RawCell("blank", None, True) if has_f else BLANK
    text = vm.group(1)
    if t == b"s":
        try:
            i = int(text)
        except ValueError:
            i = _sst_index(text)  # raises, naming the reference
        return RawCell("s", pkg._shared_string(i), has_f)
    if t == b"str":
        return RawCell("s", _xml_text(text), has_f)
    if t == b"b":
        return RawCell("b", text.strip() in (b"1", b"true"), has_f)
    if t == b"e":
        return RawCell("e", _xml_text(text), has_f)
    if t == b"d":
        try:
            dt = datetime.fromisoformat(text.decode())
        except ValueError:
            return RawCell("s", _xml_text(text), has_f)
        return RawCell("n", (dt.replace(tzinfo=None) - EPOCH).total_seconds() / 86400, has_f, True)
    try:
        number = float(text)
    except ValueError:
        return RawCell("s", _xml_text(text), has_f)
    if not _isfinite(number):
        _finite(number, text)  # raises, naming the number
    dates, pct = pkg._date_styles, pkg._percent_styles
    return RawCell("n", number, has_f, s < len(dates) and dates[s], s < len(pct) and pct[s])


def _percent_styles(root: etree._Element) -> list[bool]:
    """Per cell style (xf index): is its number format a percentage?"""
    custom: dict[int, bool] = {}
    for nf in root.iter(f"{NS}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", nf.get("formatCode", ""))
        custom[_int_attr(nf.get("numFmtId"))] = "%" in code
    xfs = root.find(f"{NS}cellXfs")
    out = []
    for xf in xfs if xfs is not None else []:
        fid = _int_attr(xf.get("numFmtId"))
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


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if p == "..":
            if out:
                out.pop()
        elif p not in (".", ""):
            out.append(p)
    return out
