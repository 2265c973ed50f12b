"""The fast path of the cell reader: cells scanned straight from a worksheet part's bytes.

Every writer we meet (Excel, LibreOffice, XlsxWriter, openpyxl) writes unprefixed elements
with r=: ``<c r=".." s=".." t="..">…</c>``. :func:`scan_cells` reads those with regular
expressions; it returns None for any sheet that does not look like that, or whose XML is not
well-formed, and :class:`toolkit.reading.xlsx.XlsxPackage` then takes the lxml path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.reading.xlsx_cells import (
    BLANK,
    EPOCH,
    Area,
    BadCellText,
    RawCell,
    is_xml_char,
    split_ref,
    unescape,
)

if TYPE_CHECKING:
    from toolkit.reading.xlsx import XlsxPackage


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
    return unescape(text)


_BAD_AMP = re.compile(r"&(?!(?:#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);)")


def _entity(m: re.Match[str]) -> str:
    e = m.group(1)
    if e[0] == "#":
        digits = e[2:] if e[1] in "xX" else e[1:]
        cp = int(digits, 16 if e[1] in "xX" else 10) if len(digits) <= 8 else -1
        if not is_xml_char(cp):
            raise BadCellText(f"teksten har en ugyldig tegnreference (&{e[:12]};)")
        return chr(cp)
    return _ENTS[e]


class CellProblem(Exception):
    """A cell's content is unusable; carries the cell's reference up to :meth:`cells`.

    Internal: caught on the way up and reported as an :class:`~toolkit.reading.xlsx_cells.XlsxError`.
    """

    def __init__(self, message: str, ref: str) -> None:
        super().__init__(message)
        self.ref = ref


def ref_of(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def int_attr(value: str | None) -> int:
    """A style or format index; anything that is not a small number counts as 0."""
    if value is None or not value.isdigit() or len(value) > 9:
        return 0
    return int(value)


def sst_index(text: str | bytes) -> int:
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


def finite(number: float, text: str | bytes) -> float:
    if not math.isfinite(number):
        shown = text.decode("ascii", "replace") if isinstance(text, bytes) else text
        raise BadCellText(f"cellen indeholder tallet {shown[:20]!r}, som ikke er et endeligt tal")
    return number


def string_item(raw: bytes) -> str:
    """The text of a <si> or <is> body: all <t> runs, phonetic runs left out."""
    if b"<rPh" in raw:
        raw = _RPH.sub(b"", raw)
    return "".join(_xml_text(m.group(1) or b"") for m in _T.finditer(raw))


def scan_cells(
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
                raise CellProblem(str(exc), (letters + digits).decode()) from exc
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
            cell = _fast_cell(attrs.get(b"t", b"n"), int_attr(attrs.get(b"s", b"0").decode()),
                              inner, pkg)  # fmt: skip
        except BadCellText as exc:
            raise CellProblem(str(exc), ref.decode()) from exc
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
        return RawCell("s", string_item(inner[i:]) if i >= 0 else "", has_f)
    vm = _VAL.search(inner)
    if vm is None or vm.group(1) is None:
        return RawCell("blank", None, True) if has_f else BLANK
    text = vm.group(1)
    if t == b"s":
        try:
            i = int(text)
        except ValueError:
            i = sst_index(text)  # raises, naming the reference
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
        finite(number, text)  # raises, naming the number
    dates, pct = pkg._date_styles, pkg._percent_styles
    return RawCell("n", number, has_f, s < len(dates) and dates[s], s < len(pct) and pct[s])
