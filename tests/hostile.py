"""Hostile and damaged files, generated from one good workbook (tests only).

Every kind is a function of the good workbook's bytes that returns a file name and the
bytes to write. :data:`KINDS` lists each with the finding it must produce: its rule and a
piece of its (Danish) message. The base workbook is for an institution the test register
does not know, so a hostile file that is (rightly) readable is still turned away with
"findes ikke i virksomhedsregistret" and never competes with a real submission.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

GOALS = "xl/worksheets/sheet5.xml"  # Kontraktmål: B5 holds goal 1's title, N5 its deadline
MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    make: Callable[[bytes], tuple[str, bytes]]
    rule: str  # the rule of the finding that names the file
    says: str  # a regex its message must match


# ------------------------------------------------------------------ package surgery


def rezip(
    base: bytes,
    replace: dict[str, bytes | None] | None = None,
    add: list[tuple[str, bytes]] | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The package with parts replaced (None: removed) and parts added (names may repeat)."""
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(base))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as dst, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": on purpose
        for item in src.infolist():
            data = replace.get(item.filename, src.read(item.filename))
            if data is not None:
                dst.writestr(item.filename, data)
        for name, data in add or []:
            dst.writestr(name, data)
    return buf.getvalue()


def with_big_part(base: bytes, name: str, size: int, fill: bytes = b" ") -> bytes:
    """Replace a part with ``size`` bytes (a valid XML start, then ``fill``), streamed."""
    src = zipfile.ZipFile(io.BytesIO(base))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item.filename, src.read(item.filename))
                continue
            with dst.open(name, "w") as fh:
                fh.write(b'<?xml version="1.0"?><worksheet>')
                chunk = fill * MB
                for _ in range(size // MB):
                    fh.write(chunk)
    return buf.getvalue()


def _central_entries(data: bytes) -> list[tuple[int, str]]:
    out = []
    for m in re.finditer(rb"PK\x01\x02", data):
        i = m.start()
        n = struct.unpack_from("<H", data, i + 28)[0]
        out.append((i, data[i + 46 : i + 46 + n].decode("utf-8", "replace")))
    return out


def patch_headers(data: bytes, name: str, local: dict[int, tuple[str, int]],
                  central: dict[int, tuple[str, int]]) -> bytes:  # fmt: skip
    """Overwrite fields of one member's local header and central-directory entry."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    for off, (fmt, value) in local.items():
        struct.pack_into(fmt, out, info.header_offset + off, value)
    for i, n in _central_entries(data):
        if n == name:
            for off, (fmt, value) in central.items():
                struct.pack_into(fmt, out, i + off, value)
    return bytes(out)


def set_cell(base: bytes, ref: str, inner: str | bytes, t: str | None = None,
             part: str = GOALS) -> bytes:  # fmt: skip
    """Replace one cell of a sheet with raw SpreadsheetML."""
    data = zipfile.ZipFile(io.BytesIO(base)).read(part)
    pat = re.compile(rb'<c r="' + ref.encode() + rb'"((?: [a-z]+="[^"]*")*)(?:/>|>.*?</c>)', re.S)
    m = pat.search(data)
    assert m, ref
    attrs = re.sub(rb' t="[^"]*"', b"", m.group(1))
    tt = f' t="{t}"'.encode() if t else b""
    body = inner.encode() if isinstance(inner, str) else inner
    cell = b'<c r="' + ref.encode() + b'"' + attrs + tt + b">" + body + b"</c>"
    return rezip(base, {part: data[: m.start()] + cell + data[m.end() :]})


def edit_part(base: bytes, part: str, fn: Callable[[bytes], bytes]) -> bytes:
    return rezip(base, {part: fn(zipfile.ZipFile(io.BytesIO(base)).read(part))})


def _inline(text: str) -> str:
    return f"<is><t>{text}</t></is>"


def _after_decl(doc: bytes, insert: bytes) -> bytes:
    """Insert right after the XML declaration (where a DTD goes)."""
    i = doc.index(b"?>") + 2
    return doc[:i] + insert + doc[i:]


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def _rows(n: int, start: int) -> bytes:
    return b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(start, start + n)
    )


def _sheetdata_append(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda d: d.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)  # fmt: skip
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def _many_parts(base: bytes, n: int) -> bytes:
    return rezip(
        base, add=[(f"xl/media/x{i}.bin", b"") for i in range(n)], method=zipfile.ZIP_STORED
    )


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _defined_name(base: bytes, name: str, ref: str) -> bytes:
    return edit_part(
        base,
        "xl/workbook.xml",
        lambda d: re.sub(
            rb'(<definedName name="' + name.encode() + rb'"[^>]*>)[^<]*',
            rb"\g<1>" + ref.encode(),
            d,
        ),
    )


def _rel_target(base: bytes, target: str, mode: str = "") -> bytes:
    def fn(d: bytes) -> bytes:
        return re.sub(rb'Target="worksheets/sheet5.xml"', f'Target="{target}"{mode}'.encode(), d)

    return edit_part(base, "xl/_rels/workbook.xml.rels", fn)


def _deep(n: int) -> bytes:
    return b"<x>" * n + b"</x>" * n


# ------------------------------------------------------------------ the kinds

DAMAGED = r"beskadiget og kan ikke læses"

KINDS: list[Kind] = [
    # the zip container
    Kind("zip_bomb", lambda b: ("bombe.xlsx", with_big_part(b, GOALS, 256 * MB)),
         "fil_laest", r"fylder \d+ MB udpakket"),
    Kind("zip_bomb_lying_header", lambda b: ("bombe-loegn.xlsx", patch_headers(
        with_big_part(b, GOALS, 200 * MB), GOALS, {22: ("<I", 4000)}, {24: ("<I", 4000)})),
         "fil_laest", DAMAGED),
    Kind("zip_bomb_spread", lambda b: ("bombe-spredt.xlsx", rezip(b, add=[
        (f"xl/media/fyld{i}.bin", bytes(30 * MB)) for i in range(5)])),
         "fil_laest", r"pakken fylder \d+ MB udpakket"),
    Kind("truncated_zip", lambda b: ("halv.xlsx", b[: len(b) // 2]), "fil_laest", DAMAGED),
    Kind("only_local_headers", lambda b: ("uden-katalog.xlsx", b[: b.rfind(b"PK\x01\x02")]),
         "fil_laest", DAMAGED),
    Kind("empty_file", lambda b: ("tom.xlsx", b""), "fil_type", r"ikke en Excel-fil"),
    Kind("random_bytes", lambda b: ("stoej.xlsx", bytes(range(256)) * 40), "fil_type",
         r"ikke en Excel-fil"),
    Kind("pdf_named_xlsx", lambda b: ("scannet.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "fil_type",
         r"en PDF"),
    Kind("zip_without_workbook", lambda b: ("arkiv.xlsx", rezip(b, {"xl/workbook.xml": None})),
         "fil_laest", r"ingen xl/workbook\.xml"),
    Kind("no_content_types", lambda b: ("uden-typer.xlsx", rezip(b, {"[Content_Types].xml": None})),
         "fil_laest", r"Content_Types"),
    Kind("ods_named_xlsx", lambda b: ("regneark.xlsx", _ods()), "fil_laest",
         r"ingen xl/workbook\.xml"),
    Kind("duplicate_entries", lambda b: ("dobbelt.xlsx", rezip(b, add=[(GOALS, b"<worksheet/>")])),
         "fil_laest", r"samme navn to gange"),
    Kind("path_traversal_name", lambda b: ("sti.xlsx", rezip(b, add=[("../../evil.xml", b"<x/>")])),
         "fil_laest", r"ugyldigt navn"),
    Kind("absolute_name", lambda b: ("absolut.xlsx", rezip(b, add=[("/etc/evil.xml", b"<x/>")])),
         "fil_laest", r"ugyldigt navn"),
    Kind("encrypted_entry", lambda b: ("krypteret-del.xlsx", patch_headers(
        b, GOALS, {6: ("<H", 1)}, {8: ("<H", 1)})), "fil_laest", r"krypteret"),
    Kind("unknown_compression", lambda b: ("metode.xlsx", patch_headers(
        b, GOALS, {8: ("<H", 99)}, {10: ("<H", 99)})), "fil_laest", r"pakket på en måde"),
    Kind("too_many_parts", lambda b: ("mange-dele.xlsx", _many_parts(b, 6000)), "fil_laest",
         r"dele \(højst"),
    Kind("stored_uncompressed", lambda b: ("ukomprimeret.xlsx", rezip(b, method=zipfile.ZIP_STORED)),
         "fil_fremmed", r"findes ikke i virksomhedsregistret"),
    # other formats in the inbox
    Kind("legacy_xls", lambda b: ("gammel.xls", OLE), "fil_type", r"\.xls"),
    Kind("ods_file", lambda b: ("regneark.ods", _ods()), "fil_type", r"gem den som Excel"),
    Kind("csv_file", lambda b: ("liste.csv", "id;navn\nV042;Mælkebøtten\n".encode()), "fil_type",
         r"CSV.*gem den som Excel"),
    Kind("numbers_file", lambda b: ("tal.numbers", b"PK\x03\x04" + bytes(60)), "fil_type",
         r"Numbers"),
    # XML declarations
    Kind("billion_laughs_sheet", lambda b: ("latter.xlsx", edit_part(
        b, GOALS, lambda d: _after_decl(d, LAUGHS).replace(b"Bedre sprogudvikling", b"&lol9;"))),
         "fil_laest", r"DTD"),
    Kind("xxe_shared_strings", lambda b: ("xxe.xlsx", edit_part(
        b, "xl/sharedStrings.xml",
        lambda d: _after_decl(d, b'<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'))),
         "fil_laest", r"DTD"),
    Kind("dtd_in_workbook", lambda b: ("dtd.xlsx", edit_part(
        b, "xl/workbook.xml", lambda d: _after_decl(d, b"<!DOCTYPE workbook []>"))),
         "fil_laest", r"DTD"),
    Kind("deep_nesting_workbook", lambda b: ("dyb.xlsx", edit_part(
        b, "xl/workbook.xml", lambda d: d.replace(b"<sheets>", _deep(100_000) + b"<sheets>", 1))),
         "fil_laest", r"ikke gyldig XML"),
    Kind("broken_workbook_xml", lambda b: ("brudt.xlsx", edit_part(
        b, "xl/workbook.xml", lambda d: d[: len(d) // 2])), "fil_laest", r"ikke gyldig XML"),
    # cell contents
    Kind("char_ref_too_big", lambda b: ("tegnref.xlsx", set_cell(
        b, "B5", _inline("Mål &#99999999;"), "inlineStr")), "fil_laest", r"tegnreference"),
    Kind("char_ref_nul", lambda b: ("nul.xlsx", set_cell(b, "B5", _inline("&#0;"), "inlineStr")),
         "fil_laest", r"tegnreference"),
    Kind("char_ref_surrogate", lambda b: ("surrogat-ref.xlsx", set_cell(
        b, "B5", _inline("&#xD800;"), "inlineStr")), "fil_laest", r"tegnreference"),
    Kind("char_ref_huge_digits", lambda b: ("cifre.xlsx", set_cell(
        b, "B5", _inline("&#" + "9" * 5000 + ";"), "inlineStr")), "fil_laest", r"tegnreference"),
    Kind("unknown_entity", lambda b: ("entitet.xlsx", set_cell(
        b, "B5", _inline("&lol9;"), "inlineStr")), "fil_laest", r"entitet"),
    Kind("invalid_utf8_cell", lambda b: ("utf8.xlsx", set_cell(
        b, "B5", b"<is><t>M\xe5l</t></is>", "inlineStr")), "fil_laest", r"UTF-8"),
    Kind("invalid_utf8_shared", lambda b: ("utf8-delt.xlsx", edit_part(
        b, "xl/sharedStrings.xml", lambda d: d.replace(b"<t>Beskrivelse</t>", b"<t>Beskriv\xffelse</t>", 1))),
         "fil_laest", r"UTF-8|gyldig"),
    Kind("lone_surrogate_escape", lambda b: ("surrogat.xlsx", set_cell(
        b, "B5", _inline("Mål _xD800_"), "inlineStr")), "fil_laest", r"ugyldigt tegn"),
    Kind("lone_low_surrogate_escape", lambda b: ("surrogat-lav.xlsx", set_cell(
        b, "B5", _inline("_xDFFF_ og _xD83D_"), "inlineStr")), "fil_laest", r"ugyldigt tegn"),
    Kind("shared_string_negative", lambda b: ("sst-minus.xlsx", set_cell(b, "B5", "<v>-1</v>", "s")),
         "fil_laest", r"delt tekst"),
    Kind("shared_string_out_of_range", lambda b: ("sst-stor.xlsx", set_cell(
        b, "B5", "<v>999999999</v>", "s")), "fil_laest", r"delt tekst nr"),
    Kind("shared_string_not_a_number", lambda b: ("sst-tekst.xlsx", set_cell(
        b, "B5", "<v>abc</v>", "s")), "fil_laest", r"delt tekst"),
    Kind("number_inf", lambda b: ("inf.xlsx", set_cell(b, "J5", "<v>inf</v>")), "fil_laest",
         r"endeligt tal"),
    Kind("number_nan", lambda b: ("nan.xlsx", set_cell(b, "J5", "<v>nan</v>")), "fil_laest",
         r"endeligt tal"),
    Kind("number_1e400", lambda b: ("stort-tal.xlsx", set_cell(b, "K5", "<v>1e400</v>")),
         "fil_laest", r"endeligt tal"),
    Kind("number_minus_1e400", lambda b: ("minus-stort.xlsx", set_cell(b, "K5", "<v>-1E400</v>")),
         "fil_laest", r"endeligt tal"),
    Kind("text_number_too_big", lambda b: ("tekst-tal.xlsx", set_cell(
        b, "J5", _inline("9" * 400), "inlineStr")), "fil_fremmed", r"findes ikke"),
    Kind("text_over_excel_limit", lambda b: ("lang.xlsx", set_cell(
        b, "C5", _inline("a" * 40_000), "inlineStr")), "celle_for_lang_excel", r"32767"),
    Kind("emoji_over_excel_limit", lambda b: ("emoji.xlsx", set_cell(
        b, "C5", _inline("😀" * 16_400), "inlineStr")), "celle_for_lang_excel", r"32800 tegn"),
    Kind("timezone_date", lambda b: ("tidszone.xlsx", set_cell(
        b, "N5", "<v>2027-11-30T00:00:00+02:00</v>", "d")), "fil_fremmed", r"findes ikke"),
    # sizes and shapes
    Kind("million_row_sheet", lambda b: ("million.xlsx", edit_part(
        b, GOALS, _sheetdata_append(_rows(1_000_000, 100)))), "fil_laest", r"fylder \d+ MB"),
    Kind("many_rows_below_limit", lambda b: ("mange-raekker.xlsx", edit_part(
        b, GOALS, _sheetdata_append(_rows(400_000, 100)))), "fil_fremmed", r"findes ikke"),
    Kind("huge_dimension", lambda b: ("dimension.xlsx", edit_part(
        b, GOALS, lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d))),
         "fil_fremmed", r"findes ikke"),
    Kind("table_name_whole_sheet", lambda b: ("hele-arket.xlsx", _defined_name(
        b, "omr_maal", "'Kontraktmål'!$A$4:$N$1048576")), "fil_struktur", r"kun de første"),
    Kind("styles_bomb", lambda b: ("typografier.xlsx", rezip(b, {"xl/styles.xml": (
        b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>'
        + b'<xf numFmtId="14"/>' * 1_800_000 + b"</cellXfs></styleSheet>")})),
         "fil_laest", r"fylder mere end|fylder \d+ MB"),
    Kind("styles_garbage_ids", lambda b: ("typografi-id.xlsx", edit_part(
        b, "xl/styles.xml", lambda d: re.sub(rb'numFmtId="\d+"', b'numFmtId="x"', d))),
         "fil_fremmed", r"findes ikke"),
    Kind("shared_strings_flood", lambda b: ("delte-tekster.xlsx", edit_part(
        b, "xl/sharedStrings.xml", lambda d: d.replace(b"</sst>", b"<si><t>x</t></si>" * 1_000_000 + b"</sst>"))),
         "fil_fremmed", r"findes ikke"),
    Kind("sheet_rel_outside_package", lambda b: ("udenfor.xlsx", _rel_target(
        b, "../../../../etc/passwd")), "fil_laest", r"mangler"),
    Kind("sheet_rel_external", lambda b: ("ekstern.xlsx", _rel_target(
        b, "file:///etc/passwd", ' TargetMode="External"')), "fil_struktur", r"mangler"),
    Kind("empty_sheet_part", lambda b: ("tomt-ark.xlsx", rezip(b, {GOALS: b""})), "fil_laest",
         r"ikke gyldig XML"),
]  # fmt: skip

# Names the inbox reader must pass over in silence.
IGNORED = {
    "._Kontrakt 2027 - V042.xlsx": b"\x00\x05\x16\x07" + bytes(100),
    "~$Kontrakt 2027 - V042.xlsx": b"\x0bHanne" + bytes(150),
    ".DS_Store": b"\x00\x00\x00\x01Bud1" + bytes(100),
    "Thumbs.db": OLE,
    "~WRL0004.tmp": b"PK\x03\x04",
}
