"""VBA modules as text: what a module is, how it is read from disk, what its stream holds.

A module's ``source`` is its text the way the VBE exports it: a ``.bas`` file starts
with ``Attribute VB_Name = "..."``; a ``.cls`` file starts with a ``VERSION 1.0 CLASS``
/ ``BEGIN`` ... ``END`` block followed by ``Attribute`` lines.  Plain code without any
header is accepted too.

:func:`stream_text` gives what the VBE stores in the module stream after importing such
a file: the ``VERSION``/``BEGIN`` block is dropped and the module-level ``Attribute``
lines are rewritten into the fixed header the VBE writes for the module's kind (for a
class module: ``VB_Name``, ``VB_Base``, ``VB_GlobalNameSpace``, ``VB_Creatable``,
``VB_PredeclaredId``, ``VB_Exposed``, ``VB_TemplateDerived``, ``VB_Customizable``),
keeping the values given in the file and any further attributes (``VB_Description``)
after them.  Attribute lines inside procedures are code and stay where they are.
Lines end in CRLF.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path

CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*?)\s*", re.IGNORECASE)


class ModuleKind(enum.Enum):
    """The kinds of VBA module a workbook project holds."""

    STANDARD = "standard"
    """A standard module (``.bas``)."""
    CLASS = "class"
    """A class module (``.cls``)."""
    DOCUMENT = "document"
    """The module behind the workbook (``ThisWorkbook``) or a worksheet (``Sheet1``)."""


class ModuleError(ValueError):
    """Raised for a module that cannot be put into a VBA project (internal: a build error)."""


@dataclass(frozen=True)
class Module:
    """A VBA module: its name, kind and source text (line endings are normalised)."""

    name: str
    kind: ModuleKind
    source: str = ""

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ModuleError(
                f"Ugyldigt modulnavn {self.name!r}: brug højst 31 tegn, "
                "bogstaver, cifre og _, og start med et bogstav."
            )
        object.__setattr__(self, "source", _normalise_newlines(self.source))
        header = parse_header(self.source)
        declared = header.attributes.get("VB_NAME")
        if declared is not None and _unquote(declared[1]) != self.name:
            raise ModuleError(
                f"Modulet {self.name!r} har Attribute VB_Name = {declared[1]} i sin kilde."
            )
        if header.has_class_block and self.kind == ModuleKind.STANDARD:
            raise ModuleError(f"Standardmodulet {self.name!r} har en VERSION-blok som en klasse.")

    @property
    def code(self) -> str:
        """The code as the VBE shows it: the source without its header."""
        return parse_header(self.source).code


@dataclass(frozen=True)
class Header:
    """The parsed start of a module's source."""

    has_class_block: bool
    attributes: dict[str, tuple[str, str]]
    """Upper-cased attribute name -> (name as written, value as written), in order."""
    code: str


def parse_header(source: str) -> Header:
    """Split ``source`` into its optional class block, module attributes and code."""
    lines = _normalise_newlines(source).split("\n")
    index = 0
    has_class_block = bool(lines) and lines[0].upper().startswith("VERSION ")
    if has_class_block:
        index = 1
        while index < len(lines) and lines[index].strip().upper() != "END":
            index += 1
        if index == len(lines):
            raise ModuleError("En VERSION-blok i en klassefil mangler sin END-linje.")
        index += 1
    attributes: dict[str, tuple[str, str]] = {}
    while index < len(lines):
        match = _ATTRIBUTE.fullmatch(lines[index])
        if not match:
            break
        attributes[match.group(1).upper()] = (match.group(1), match.group(2))
        index += 1
    return Header(has_class_block, attributes, "\n".join(lines[index:]))


def stream_text(module: Module, *, base: str | None = None) -> str:
    """The text of ``module``'s stream, CRLF line endings, as the VBE stores it.

    ``base`` is the ``VB_Base`` of a document module (:data:`WORKBOOK_BASE` or
    :data:`WORKSHEET_BASE`); class modules default to :data:`CLASS_BASE`.
    """
    header = parse_header(module.source)
    given = dict(header.attributes)
    given.pop("VB_NAME", None)
    lines = [f'Attribute VB_Name = "{module.name}"']
    if module.kind != ModuleKind.STANDARD:
        if module.kind == ModuleKind.CLASS:
            defaults = _CLASS_DEFAULTS | {"VB_Base": f'"{base or CLASS_BASE}"'}
        else:
            if base is None:
                raise ModuleError(f"Dokumentmodulet {module.name!r} mangler sin VB_Base.")
            defaults = _DOCUMENT_DEFAULTS | {"VB_Base": f'"{base}"'}
        for name, default in defaults.items():
            written = given.pop(name.upper(), None)
            lines.append(f"Attribute {name} = {written[1] if written else default}")
    lines += [f"Attribute {name} = {value}" for name, value in given.values()]
    if header.code:
        lines.append(header.code)
    text = "\n".join(lines).replace("\n", "\r\n")
    return text if text.endswith("\r\n") else text + "\r\n"


_CLASS_DEFAULTS = {
    "VB_Base": "",
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "False",
    "VB_Exposed": "False",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "False",
}
_DOCUMENT_DEFAULTS = {
    "VB_Base": "",
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "True",
    "VB_Exposed": "True",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "True",
}

_SUFFIX_KINDS = {".bas": ModuleKind.STANDARD, ".cls": ModuleKind.CLASS}


def load_module(path: str | Path, kind: ModuleKind | None = None) -> Module:
    """Read a module exported by the VBE (``.bas`` or ``.cls``).

    The file may be in the Windows code page (as the VBE writes it) or in UTF-8.  The
    name comes from ``Attribute VB_Name``, else from the file name.  ``kind`` defaults
    to the file type; pass :attr:`ModuleKind.DOCUMENT` for an exported ``ThisWorkbook``.
    """
    path = Path(path)
    if kind is None:
        try:
            kind = _SUFFIX_KINDS[path.suffix.lower()]
        except KeyError:
            raise ModuleError(
                f"{path.name}: kun .bas- og .cls-filer kan indlæses (ikke formularer)."
            ) from None
    source = decode_source(path.read_bytes())
    declared = parse_header(source).attributes.get("VB_NAME")
    name = _unquote(declared[1]) if declared else path.stem
    return Module(name, kind, source)


def decode_source(data: bytes) -> str:
    """Decode module source: UTF-8 (with or without BOM) if valid, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def encode_source(module: Module, text: str, code_page: int = 1252) -> bytes:
    """Encode stream text in the project's code page, naming the module on failure."""
    try:
        return text.encode(f"cp{code_page}")
    except UnicodeEncodeError as error:
        character = text[error.start]
        position = module.source.find(character)  # report the line of the source as given
        line = module.source.count("\n", 0, max(position, 0)) + 1
        raise ModuleError(
            f"Modulet {module.name!r} linje {line}: tegnet {character!r} "
            f"findes ikke i tegnsættet cp{code_page}."
        ) from None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
