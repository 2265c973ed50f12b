"""Binary records of a VBA project (MS-OVBA 2.3.4): ``dir``, ``_VBA_PROJECT``, ``PROJECTwm``.

Everything here works on plain values; which modules exist and what they contain is
decided one layer up.  ``dir_stream`` returns the *decompressed* ``dir`` stream.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Sequence
from dataclasses import dataclass

# Record ids (MS-OVBA 2.3.4.2).
PROJECTSYSKIND = 0x0001
PROJECTLCID = 0x0002
PROJECTCODEPAGE = 0x0003
PROJECTNAME = 0x0004
PROJECTDOCSTRING = 0x0005
PROJECTHELPFILEPATH = 0x0006
PROJECTHELPCONTEXT = 0x0007
PROJECTLIBFLAGS = 0x0008
PROJECTVERSION = 0x0009
PROJECTCONSTANTS = 0x000C
REFERENCEREGISTERED = 0x000D
PROJECTMODULES = 0x000F
DIR_TERMINATOR = 0x0010
PROJECTCOOKIE = 0x0013
PROJECTLCIDINVOKE = 0x0014
REFERENCENAME = 0x0016
MODULENAME = 0x0019
MODULESTREAMNAME = 0x001A
MODULEDOCSTRING = 0x001C
MODULEHELPCONTEXT = 0x001E
MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_OTHER = 0x0022
MODULEREADONLY = 0x0025
MODULEPRIVATE = 0x0028
MODULE_TERMINATOR = 0x002B
MODULECOOKIE = 0x002C
MODULEOFFSET = 0x0031
MODULESTREAMNAME_UNICODE = 0x0032
PROJECTCONSTANTS_UNICODE = 0x003C
PROJECTHELPFILEPATH_2 = 0x003D
REFERENCENAME_UNICODE = 0x003E
PROJECTDOCSTRING_UNICODE = 0x0040
MODULENAME_UNICODE = 0x0047
MODULEDOCSTRING_UNICODE = 0x0048

_COOKIE = 0xFFFF  # PROJECTCOOKIE / MODULECOOKIE: "MUST be 0xFFFF on write".


class SysKind(enum.IntEnum):
    """PROJECTSYSKIND: the platform the project was last saved on."""

    WIN16 = 0
    WIN32 = 1
    MAC = 2
    WIN64 = 3


@dataclass(frozen=True)
class RegisteredReference:
    """A REFERENCE of kind REFERENCEREGISTERED (a type library known by its Libid)."""

    name: str
    libid: str


def excel_references(syskind: SysKind) -> tuple[RegisteredReference, ...]:
    """The references Excel writes into every new project: stdole and Office.

    The Libid strings are those of Excel 2016 and later (Microsoft 365); the paths are
    only hints, Office resolves the type libraries by GUID and version.
    """
    if syskind == SysKind.WIN32:
        system, common = r"C:\Windows\SysWOW64", r"C:\Program Files (x86)\Common Files"
    else:
        system, common = r"C:\Windows\System32", r"C:\Program Files\Common Files"
    return (
        RegisteredReference(
            "stdole",
            rf"*\G{{00020430-0000-0000-C000-000000000046}}#2.0#0#{system}\stdole2.tlb"
            "#OLE Automation",
        ),
        RegisteredReference(
            "Office",
            rf"*\G{{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}}#2.0#0#{common}"
            r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
        ),
    )


@dataclass(frozen=True)
class ProjectInformation:
    """The PROJECTINFORMATION record group (2.3.4.2.1)."""

    name: str = "VBAProject"
    syskind: SysKind = SysKind.WIN64
    lcid: int = 0x0409
    lcid_invoke: int = 0x0409
    code_page: int = 1252
    docstring: str = ""
    version_major: int = 1
    version_minor: int = 0


@dataclass(frozen=True)
class ModuleRecord:
    """One MODULE record (2.3.4.2.3.2) of a source-only project."""

    name: str
    procedural: bool
    """True for a standard module, False for class and document modules."""
    docstring: str = ""
    text_offset: int = 0
    read_only: bool = False
    private: bool = False


def encoding_for(code_page: int) -> str:
    """Python codec name for a Windows code page."""
    return f"cp{code_page}"


def record(record_id: int, payload: bytes) -> bytes:
    """A record: 2-byte id, 4-byte payload size, payload."""
    return struct.pack("<HI", record_id, len(payload)) + payload


def _u16(value: int) -> bytes:
    return struct.pack("<H", value)


def _u32(value: int) -> bytes:
    return struct.pack("<I", value)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(
    info: ProjectInformation,
    references: Sequence[RegisteredReference],
    modules: Sequence[ModuleRecord],
) -> bytes:
    """The decompressed ``dir`` stream (2.3.4.2)."""
    mbcs = encoding_for(info.code_page)
    out = bytearray()
    out += record(PROJECTSYSKIND, _u32(info.syskind))
    out += record(PROJECTLCID, _u32(info.lcid))
    out += record(PROJECTLCIDINVOKE, _u32(info.lcid_invoke))
    out += record(PROJECTCODEPAGE, _u16(info.code_page))
    out += record(PROJECTNAME, info.name.encode(mbcs))
    out += record(PROJECTDOCSTRING, info.docstring.encode(mbcs))
    out += record(PROJECTDOCSTRING_UNICODE, _utf16(info.docstring))
    out += record(PROJECTHELPFILEPATH, b"")
    out += record(PROJECTHELPFILEPATH_2, b"")
    out += record(PROJECTHELPCONTEXT, _u32(0))
    out += record(PROJECTLIBFLAGS, _u32(0))
    # PROJECTVERSION's size field is 4 although 6 bytes follow (2.3.4.2.1.11).
    out += struct.pack("<HIIH", PROJECTVERSION, 4, info.version_major, info.version_minor)
    out += record(PROJECTCONSTANTS, b"")
    out += record(PROJECTCONSTANTS_UNICODE, b"")
    for reference in references:
        out += record(REFERENCENAME, reference.name.encode(mbcs))
        out += record(REFERENCENAME_UNICODE, _utf16(reference.name))
        libid = reference.libid.encode(mbcs)
        out += record(REFERENCEREGISTERED, _u32(len(libid)) + libid + _u32(0) + _u16(0))
    out += record(PROJECTMODULES, _u16(len(modules)))
    out += record(PROJECTCOOKIE, _u16(_COOKIE))
    for module in modules:
        out += _module_record(module, mbcs)
    out += record(DIR_TERMINATOR, b"")
    return bytes(out)


def _module_record(module: ModuleRecord, mbcs: str) -> bytes:
    out = bytearray()
    out += record(MODULENAME, module.name.encode(mbcs))
    out += record(MODULENAME_UNICODE, _utf16(module.name))
    out += record(MODULESTREAMNAME, module.name.encode(mbcs))
    out += record(MODULESTREAMNAME_UNICODE, _utf16(module.name))
    out += record(MODULEDOCSTRING, module.docstring.encode(mbcs))
    out += record(MODULEDOCSTRING_UNICODE, _utf16(module.docstring))
    out += record(MODULEOFFSET, _u32(module.text_offset))
    out += record(MODULEHELPCONTEXT, _u32(0))
    out += record(MODULECOOKIE, _u16(_COOKIE))
    out += record(MODULETYPE_PROCEDURAL if module.procedural else MODULETYPE_OTHER, b"")
    if module.read_only:
        out += record(MODULEREADONLY, b"")
    if module.private:
        out += record(MODULEPRIVATE, b"")
    out += record(MODULE_TERMINATOR, b"")
    return bytes(out)


def parse_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split a decompressed ``dir`` stream into ``(id, payload)`` pairs.

    Fields that are written like records (the Unicode halves, MODULETYPE, the
    terminators) come out as records of their own; PROJECTVERSION's payload is its
    6 bytes.
    """
    out: list[tuple[int, bytes]] = []
    position = 0
    while position < len(data):
        if position + 6 > len(data):
            raise ValueError(f"Truncated record header at offset {position}.")
        record_id, size = struct.unpack_from("<HI", data, position)
        if record_id == PROJECTVERSION:
            size = 6
        payload = data[position + 6 : position + 6 + size]
        if len(payload) != size:
            raise ValueError(f"Truncated record 0x{record_id:04X} at offset {position}.")
        out.append((record_id, payload))
        position += 6 + size
    return out


def vba_project_stream() -> bytes:
    """``_VBA_PROJECT`` without a performance cache (2.3.4.1).

    Version 0xFFFF tells the host that there is no compiled code to trust, so it
    compiles the project from the module source.
    """
    return struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)


def projectwm_stream(module_names: Sequence[str], code_page: int) -> bytes:
    """``PROJECTwm``: each module name in MBCS and in UTF-16 (2.3.3)."""
    mbcs = encoding_for(code_page)
    out = bytearray()
    for name in module_names:
        out += name.encode(mbcs) + b"\x00" + _utf16(name) + b"\x00\x00"
    out += b"\x00\x00"
    return bytes(out)
