"""Compare two OOXML packages (.xlsx, .xlsm, .docx) part by part, ignoring what is volatile.

In the spirit of XlsxWriter's ``test/comparison`` helpers: a produced file is compared with a
committed reference file, not byte for byte (the zip container differs from run to run) but
part by part:

* the **set of part names** must be the same (the order of the zip members is not compared);
* every **XML part** is parsed with lxml, stripped of volatile content (below), and
  canonicalised (C14N 2.0: attributes sorted, namespace declarations normalised); the
  children of ``[Content_Types].xml`` and of every ``*.rels`` part are sorted, as their
  order means nothing;
* **PNG pictures** (the documents' charts) are compared by their header: width, height,
  bit depth and colour type. The pixels depend on the fonts installed and on the
  freetype/matplotlib versions, so they are not stable across machines; the size is fixed
  by the chart's figure size and is what the document's layout depends on;
* ``vbaProject.bin`` is compared **byte for byte**: it is built from text by our own
  MS-CFB/MS-OVBA writer (:mod:`toolkit.vba`), which writes no timestamps, so the bytes are
  the strongest stable check. When they differ, the diff shows the decompressed module
  source (via oletools, a test dependency), so a reader sees which macro changed;
* any other binary part is compared byte for byte.

What is stripped as volatile (each is wall-clock time, a machine or a random value):

* ``docProps/core.xml``: ``dcterms:created``, ``dcterms:modified``, ``cp:lastPrinted``
  (XlsxWriter and python-docx stamp the time the file was written);
* ``docProps/app.xml``: ``AppVersion`` and ``TotalTime`` (the writing library's version);
* WordprocessingML: every ``w:rsid*`` attribute and the ``w:rsids`` list (Word's editing
  session ids, random), ``w14:paraId``/``w14:textId`` (random per paragraph);
* SpreadsheetML: ``xr:uid``, ``xr:revisionUID`` (random GUIDs Excel adds) and the
  ``calcId`` of ``calcPr`` (the version of the calculation engine that last saved);
* SHA-256 hex digests in any XML text, whole or shortened to 12 characters: the master's
  Oversigt and Kørsler list the SHA-256 of each institution file read; those files have
  references of their own (and carry the add-in's ``main.py``, which changes with the code),
  so the master's reference should not fail for a change that belongs to them;
* the xlwings Lite add-in's ``main.py`` (a ``we:property`` of ``xl/webextensions/``) and the
  add-in id derived from it: the bundle embeds toolkit's own modules as text, so it changes
  with every code change; ``tests/test_lite.py`` checks it against the sources instead;
* ``volatile_columns``: per sheet name, header labels of columns whose values are wall-clock
  measurements (the master's Kørsler → ``Varighed (s)``, the run's duration in seconds).

:func:`compare_packages` returns a list of :class:`PartDiff` (empty when the packages agree);
:func:`format_diffs` makes the readable report: the part name and the first differing lines.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "xr": "http://schemas.microsoft.com/office/spreadsheetml/2014/revision",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "we": "http://schemas.microsoft.com/office/webextensions/webextension/2010/11",
}
W, W14, S, XR, WE = (f"{{{NS[k]}}}" for k in ("w", "w14", "s", "xr", "we"))

#: Attributes dropped wherever they occur (random ids; see the module docstring).
VOLATILE_ATTRS = frozenset(
    {f"{W14}paraId", f"{W14}textId", f"{XR}uid", f"{XR}revisionUID", f"{XR}revisionUid"}
)
#: Elements whose text is dropped: (part name, Clark name).
VOLATILE_TEXT = {
    "docProps/core.xml": (f"{{{NS['dcterms']}}}created", f"{{{NS['dcterms']}}}modified",
                          f"{{{NS['cp']}}}lastPrinted"),
    "docProps/app.xml": (f"{{{NS['ep']}}}AppVersion", f"{{{NS['ep']}}}TotalTime"),
}  # fmt: skip
SHA256 = re.compile(r"\b[0-9a-f]{12}(?:[0-9a-f]{52})?\b")
PLACEHOLDER = "…"
#: Lines of a diff shown per part (the first differing lines).
MAX_LINES = 24
#: Characters shown of one diff line (a long attribute value is cut).
MAX_WIDTH = 300


@dataclass
class PartDiff:
    """One part that differs: ``part`` is its name in the package, ``lines`` a short diff."""

    part: str
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join([f"--- {self.part}", *self.lines])


@dataclass(frozen=True)
class Volatile:
    """What else is volatile in one kind of file: sheet name → header labels of columns
    whose values below the header are ignored."""

    columns: Mapping[str, Sequence[str]] = field(default_factory=dict)


# ----------------------------------------------------------------------------- reading


def read_parts(path: Path | bytes) -> dict[str, bytes]:
    """Every part of the package by name."""
    src = io.BytesIO(path) if isinstance(path, bytes) else path
    with zipfile.ZipFile(src) as z:
        return {name: z.read(name) for name in z.namelist() if not name.endswith("/")}


def _is_xml(name: str, data: bytes) -> bool:
    return name.endswith((".xml", ".rels", ".vml")) or data.lstrip()[:5] == b"<?xml"


def _shared_strings(parts: Mapping[str, bytes]) -> list[str]:
    data = parts.get("xl/sharedStrings.xml")
    if data is None:
        return []
    root = etree.fromstring(data)
    return ["".join(si.itertext()) for si in root.iter(f"{S}si")]


def _sheet_parts(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet name → part name (via xl/workbook.xml and its relationships)."""
    if "xl/workbook.xml" not in parts or "xl/_rels/workbook.xml.rels" not in parts:
        return {}
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{NS['rel']}}}Relationship")}
    out = {}
    for sheet in etree.fromstring(parts["xl/workbook.xml"]).iter(f"{S}sheet"):
        t = target.get(sheet.get(f"{{{NS['r']}}}id"), "")
        out[sheet.get("name", "")] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return out


def _cell_text(c: etree._Element, strings: Sequence[str]) -> str:
    if c.get("t") == "inlineStr":
        return "".join(c.find(f"{S}is").itertext()) if c.find(f"{S}is") is not None else ""
    v = c.find(f"{S}v")
    if v is None or v.text is None:
        return ""
    if c.get("t") == "s":
        i = int(v.text)
        return strings[i] if 0 <= i < len(strings) else ""
    return v.text


def _column(ref: str) -> str:
    return ref.rstrip("0123456789")


def _blank_columns(root: etree._Element, labels: Sequence[str], strings: Sequence[str]) -> None:
    """Replace the values below each header labelled ``labels`` by a placeholder."""
    header_row: int | None = None
    columns: set[str] = set()
    for row in root.iter(f"{S}row"):
        r = int(row.get("r", "0"))
        if header_row is None:
            for c in row.iter(f"{S}c"):
                if _cell_text(c, strings).strip() in labels:
                    header_row = r
                    columns.add(_column(c.get("r", "")))
            continue
        for c in row.iter(f"{S}c"):
            if _column(c.get("r", "")) in columns:
                for child in list(c):
                    c.remove(child)
                c.attrib.pop("t", None)
                etree.SubElement(c, f"{S}v").text = PLACEHOLDER


# ------------------------------------------------------------------------- normalising


def normalise_xml(name: str, data: bytes, *, strings: Sequence[str] = (),
                  labels: Sequence[str] = ()) -> str:  # fmt: skip
    """The canonical text of one XML part with its volatile content stripped."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False)
    root = etree.fromstring(data, parser)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for a in list(el.attrib):
            local = etree.QName(a).localname
            if a in VOLATILE_ATTRS or (a.startswith(W) and local.startswith("rsid")):
                del el.attrib[a]
        if el.tag == f"{S}calcPr":
            el.attrib.pop("calcId", None)
    for tag in VOLATILE_TEXT.get(name, ()):
        for el in root.iter(tag):
            el.text = PLACEHOLDER
    if name.startswith("xl/webextensions/webextension"):
        if root.get("id"):
            root.set("id", PLACEHOLDER)
        for prop in root.iter(f"{WE}property"):
            if prop.get("name") == "main.py":
                prop.set("value", PLACEHOLDER)
    for rsids in root.iter(f"{W}rsids"):  # word/settings.xml: the list of editing sessions
        rsids.getparent().remove(rsids)
    if labels:
        _blank_columns(root, labels, strings)
    if name == "[Content_Types].xml" or name.endswith(".rels"):
        # The order of the entries means nothing.
        children = sorted(
            root, key=lambda e: etree.tostring(e, method="c14n")
        )  # (c14n2 refuses a subtree)
        for c in children:
            root.remove(c)
        root.extend(children)
    text = etree.tostring(root, method="c14n2", strip_text=False).decode("utf-8")
    return SHA256.sub("<sha256>", text)


def _lines(canonical: str) -> list[str]:
    """One tag per line, for a readable diff (as XlsxWriter's helpers split at '><')."""
    return re.sub(r">\s*<", ">\n<", canonical).splitlines()


def png_header(data: bytes) -> str:
    """Width, height, bit depth and colour type of a PNG (see the module docstring)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return f"not a PNG ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return f"PNG {width}x{height}, bit depth {depth}, colour type {colour}"


def vba_source(data: bytes) -> list[str]:
    """The decompressed VBA modules as 'module: line' lines (none without oletools)."""
    try:
        from oletools.olevba import VBA_Parser
    except ImportError:  # pragma: no cover - oletools is a test dependency
        return []
    try:
        parser = VBA_Parser("vbaProject.bin", data=data)
        out: list[str] = []
        for _f, _stream, module, code in parser.extract_macros():
            text = code.decode("latin-1") if isinstance(code, bytes) else code
            out += [f"{module}: {line}" for line in text.splitlines()]
        parser.close()
        return out
    except Exception as exc:  # a broken project: the byte comparison has already failed
        return [f"(oletools could not read the project: {exc})"]


# -------------------------------------------------------------------------- comparing


def _diff(a: list[str], b: list[str]) -> list[str]:
    lines = list(difflib.unified_diff(b, a, "reference", "produced", n=1, lineterm=""))
    lines = [line if len(line) <= MAX_WIDTH else line[:MAX_WIDTH] + " …" for line in lines]
    return lines[:MAX_LINES] + (["…"] if len(lines) > MAX_LINES else [])


def compare_packages(
    produced: Path | bytes, reference: Path | bytes, volatile: Volatile | None = None
) -> list[PartDiff]:
    """The parts in which ``produced`` differs from ``reference`` (empty: they agree)."""
    got, want = read_parts(produced), read_parts(reference)
    volatile = volatile or Volatile()
    diffs: list[PartDiff] = []
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    for name in missing:
        diffs.append(PartDiff(name, ["part missing from the produced file"]))
    for name in extra:
        diffs.append(PartDiff(name, ["part not in the reference"]))
    labels_of = {part: volatile.columns[sheet]
                 for sheet, part in _sheet_parts(got).items() if sheet in volatile.columns}  # fmt: skip
    strings_got, strings_want = _shared_strings(got), _shared_strings(want)
    for name in sorted(set(got) & set(want)):
        a, b = got[name], want[name]
        if a == b and name not in labels_of:
            continue
        if _is_xml(name, a) and _is_xml(name, b):
            labels = labels_of.get(name, ())
            try:
                ca = normalise_xml(name, a, strings=strings_got, labels=labels)
                cb = normalise_xml(name, b, strings=strings_want, labels=labels)
            except etree.XMLSyntaxError as exc:
                diffs.append(PartDiff(name, [f"not well-formed XML: {exc}"]))
                continue
            if ca != cb:
                diffs.append(PartDiff(name, _diff(_lines(ca), _lines(cb))))
        elif name.lower().endswith(".png"):
            if png_header(a) != png_header(b):
                diffs.append(PartDiff(name, [f"reference: {png_header(b)}",
                                             f"produced:  {png_header(a)}"]))  # fmt: skip
        elif a != b:
            lines = [f"binary part differs: {len(b)} bytes in the reference, {len(a)} produced"]
            if name.endswith("vbaProject.bin"):
                lines += _diff(vba_source(a), vba_source(b))
            diffs.append(PartDiff(name, lines))
    return diffs


def format_diffs(diffs: Sequence[PartDiff], label: str = "") -> str:
    head = f"{label}: " if label else ""
    names = ", ".join(d.part for d in diffs)
    return f"{head}{len(diffs)} part(s) differ from the reference: {names}\n\n" + "\n\n".join(
        str(d) for d in diffs
    )


# ------------------------------------------------------------------- storing a reference


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_W3CDTF = b"2000-01-01T00:00:00Z"
_DCTERMS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def store_reference(produced: Path, reference: Path) -> None:
    """Write ``produced`` as the reference, byte-stable across regenerations.

    Only what the comparison ignores anyway is pinned: the zip members' timestamps and
    docProps/core.xml's created/modified dates. Every part's content is kept as produced,
    in the produced order and with the produced compression.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(produced) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _DCTERMS.sub(lambda m: m.group(1) + FIXED_W3CDTF + m.group(2), data)
            out = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            out.compress_type = info.compress_type
            out.external_attr = info.external_attr
            out.create_system = 0
            dst.writestr(out, data)
    reference.parent.mkdir(parents=True, exist_ok=True)
    reference.write_bytes(buf.getvalue())
