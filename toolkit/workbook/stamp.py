"""Put values into cells of an existing .xlsx package without re-writing anything else.

The builder makes one base workbook per (year, phase, municipality, focus areas) with
XlsxWriter — every input cell already exists there as a formatted empty cell — and this
module stamps each institution's values into copies of it: a string becomes an inline
string, a number or date a value, and a formula cell gets a new cached result. It is a
mail merge for workbooks: what differs between 120 institutions costs milliseconds.

Only our own base files are stamped; institution files are never re-saved.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from toolkit.reading.xlsx import EPOCH

_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"((?: [a-z]+="[^"]*")*)(?:/>|>(.*?)</c>)', re.S)
_ATTR_T = re.compile(rb' t="[^"]*"')
_V = re.compile(rb"<v>.*?</v>|<v/>", re.S)
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")

CellValue = str | int | float | date | datetime | bool | None


def write_value(ws: Any, r: int, c: int, v: Any, f: Any) -> None:
    """Write a value with XlsxWriter as data only: numbers as numbers, dates as dates,
    everything else as text (never a formula, whatever it starts with)."""
    if v is None or (isinstance(v, float) and v != v) or v == "":
        ws.write_blank(r, c, None, f)
    elif isinstance(v, bool):
        ws.write_string(r, c, "Ja" if v else "Nej", f)
    elif isinstance(v, int | float):
        ws.write_number(r, c, v, f)
    elif isinstance(v, datetime):
        ws.write_datetime(r, c, v, f)
    elif isinstance(v, date):
        ws.write_datetime(r, c, datetime(v.year, v.month, v.day), f)
    else:
        ws.write_string(r, c, str(v)[:32767], f)


def escape(text: str) -> str:
    """XML-escape text (&, <, >) — what xml.sax.saxutils does, without importing urllib."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ooxml_escape(text: str) -> str:
    """Escape text for a <t> element, encoding control characters as _xHHHH_ like Excel."""

    def enc(m: re.Match[str]) -> str:
        s = m.group(0)
        if s.startswith("_x"):
            return "_x005F_" + s[1:]  # a literal "_x0041_" must not be decoded
        return f"_x{ord(s):04X}_"

    return escape(_BAD_XML.sub(enc, text))


def date_serial(d: date | datetime) -> float:
    if not isinstance(d, datetime):
        d = datetime(d.year, d.month, d.day)
    return (d - EPOCH).total_seconds() / 86400


def _number(x: float | int) -> bytes:
    if isinstance(x, bool):
        x = int(x)
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x)).encode()
    return repr(x).encode()


def _value_xml(attrs: bytes, value: CellValue) -> bytes:
    """A whole <c ...> element body for a plain value (attrs keep r= and s=)."""
    attrs = _ATTR_T.sub(b"", attrs)
    if value is None or value == "":
        return b"<c" + attrs + b"/>"
    if isinstance(value, bool):
        return b"<c" + attrs + b' t="b"><v>' + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, int | float):
        return b"<c" + attrs + b"><v>" + _number(value) + b"</v></c>"
    if isinstance(value, date):
        return b"<c" + attrs + b"><v>" + _number(date_serial(value)) + b"</v></c>"
    text = ooxml_escape(str(value)).encode("utf-8")
    return b"<c" + attrs + b' t="inlineStr"><is><t xml:space="preserve">' + text + b"</t></is></c>"


def _cached_xml(attrs: bytes, inner: bytes, value: CellValue) -> bytes:
    """A formula cell with a new cached result."""
    attrs = _ATTR_T.sub(b"", attrs)
    f = _V.sub(b"", inner)
    if isinstance(value, bool):
        return b"<c" + attrs + b' t="b">' + f + b"<v>" + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, int | float):
        return b"<c" + attrs + b">" + f + b"<v>" + _number(value) + b"</v></c>"
    text = escape(str(value if value is not None else "")).encode("utf-8")
    return b"<c" + attrs + b' t="str">' + f + b"<v>" + text + b"</v></c>"


def _strip_r(attrs: bytes) -> bytes:
    return re.sub(rb' r="[^"]*"', b"", attrs)


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes
    crc: int
    deflated: bytes


def _deflate(data: bytes, level: int = 6) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflated_part(name: str, data: bytes, level: int = 6) -> Part:
    return Part(name, data, zlib.crc32(data), _deflate(data, level))


def write_zip(parts: list[Part]) -> bytes:
    """A zip package from already deflated parts (what zipfile would write, minus the work)."""
    out = io.BytesIO()
    central = []
    dos_time, dos_date = 0, (1980 - 1980) << 9 | 1 << 5 | 1
    for p in parts:
        name = p.name.encode("utf-8")
        offset = out.tell()
        head = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x0800, 8, dos_time, dos_date,
                           p.crc, len(p.deflated), len(p.data), len(name), 0)  # fmt: skip
        out.write(head + name + p.deflated)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0x0800,
                8,
                dos_time,
                dos_date,
                p.crc,
                len(p.deflated),
                len(p.data),
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    cd_start = out.tell()
    cd = b"".join(central)
    out.write(cd)
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(cd), cd_start, 0)
    )
    return out.getvalue()


class Base:
    """A base package held in memory, ready to be stamped many times.

    Unchanged parts are deflated once; for the sheets, the position of every cell is
    indexed once, so a stamp costs what it changes, not the size of the sheet.
    """

    def __init__(self, data: bytes, sheet_parts: dict[str, str]) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = [i.filename for i in z.infolist()]
            self.parts = {n: deflated_part(n, z.read(n)) for n in names}
        self.order = names
        self.sheet_parts = sheet_parts
        self._index: dict[str, dict[str, tuple[int, int, bytes, bytes]]] = {}

    @classmethod
    def from_bytes(cls, data: bytes, sheet_parts: dict[str, str]) -> Base:
        return cls(data, sheet_parts)

    def _cells(self, part: str) -> dict[str, tuple[int, int, bytes, bytes]]:
        if part not in self._index:
            self._index[part] = {
                m.group(1).decode(): (m.start(), m.end(), _strip_r(m.group(2)), m.group(3) or b"")
                for m in _CELL.finditer(self.parts[part].data)
            }
        return self._index[part]

    def _stamp_part(
        self, part: str, values: Mapping[str, CellValue], cached: Mapping[str, CellValue]
    ) -> bytes:
        index = self._cells(part)
        edits: list[tuple[int, int, bytes]] = []
        for ref, value in values.items():
            if ref not in index:
                raise ValueError(f"cell {ref} is not in the base sheet {part}")
            start, end, attrs, _inner = index[ref]
            edits.append((start, end, _value_xml(b' r="' + ref.encode() + b'"' + attrs, value)))
        for ref, value in cached.items():
            if ref in values:
                continue
            if ref not in index or b"<f" not in index[ref][3]:
                raise ValueError(f"cell {ref} in {part} has no formula to cache a value for")
            start, end, attrs, inner = index[ref]
            edits.append(
                (start, end, _cached_xml(b' r="' + ref.encode() + b'"' + attrs, inner, value))
            )
        edits.sort()
        data = self.parts[part].data
        pieces, pos = [], 0
        for start, end, new in edits:
            pieces.append(data[pos:start])
            pieces.append(new)
            pos = end
        pieces.append(data[pos:])
        return b"".join(pieces)

    def stamp(
        self,
        values: Mapping[str, Mapping[str, CellValue]],
        cached: Mapping[str, Mapping[str, CellValue]],
        replace_text: Mapping[str, Mapping[bytes, bytes]] | None = None,
        level: int = 6,
    ) -> bytes:
        """New package bytes: ``values``/``cached`` are sheet name → {cell: value}."""
        changed: dict[str, bytes] = {}
        for sheet in set(values) | set(cached):
            part = self.sheet_parts[sheet]
            changed[part] = self._stamp_part(part, values.get(sheet, {}), cached.get(sheet, {}))
        for part, reps in (replace_text or {}).items():
            data = changed.get(part, self.parts[part].data)
            for old, new in reps.items():
                data = data.replace(old, new)
            changed[part] = data
        parts = [
            (deflated_part(n, changed[n], level) if n in changed else self.parts[n])
            for n in self.order
        ]
        return write_zip(parts)
