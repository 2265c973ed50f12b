"""Tests for toolkit.vba: MS-OVBA compression, the compound file, the VBA project and macros.

Independent readers check the output: oletools (olevba), olefile, pyOpenVBA (when
installed), ms-ovba-compression (when installed) and LibreOffice, which imports the
project, binds the button and runs the Valider macro against a stub of xlwings.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import olefile
import openpyxl
import pytest
import xlsxwriter
import xlwings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from toolkit.vba import (
    PINNED_XLWINGS_VERSION,
    Module,
    ModuleError,
    ModuleKind,
    XlwingsVersionError,
    add_vba_to_workbook,
    build_vba_project,
    load_module,
    macro_modules,
    stream_text,
    xlwings_modules,
)
from toolkit.vba.format import records
from toolkit.vba.format.cfb import NOSTREAM, build_compound_file, sort_key
from toolkit.vba.format.compression import (
    CHUNK_SIZE,
    CompressionError,
    compress,
    copy_token_help,
    decompress,
)
from toolkit.vba.format.encryption import EncryptionError, decrypt, encrypt, project_key
from toolkit.vba.macros import INSTITUTION_MODULES, MASTER_MODULES

ROOT = Path(__file__).resolve().parent.parent
MACROS = ROOT / "macros"
STUBS = Path(__file__).resolve().parent / "vba_stubs"
LO_SCRIPT = Path(__file__).resolve().parent / "vba_lo_inspect.py"
XLWINGS_DIR = Path(xlwings.__file__).resolve().parent
QUICKSTART = XLWINGS_DIR / "quickstart_standalone.xlsm"
XLWINGS_ADDIN = XLWINGS_DIR / "addin" / "xlwings.xlam"

VALIDER = "import toolkit.excel; toolkit.excel.valider()"
MASTER_MACROS = {
    "Konsolider": "import toolkit.excel; toolkit.excel.konsolider()",
    "LavKontrakter": "import toolkit.excel; toolkit.excel.lav_kontrakter()",
    "LavUdvalgsnotater": "import toolkit.excel; toolkit.excel.lav_udvalgsnotater()",
    "NytKontraktaar": "import toolkit.excel; toolkit.excel.nyt_kontraktaar()",
    "Paamind": "import toolkit.excel; toolkit.excel.paamind()",
}
LO_MACRO = "vnd.sun.star.script:VBAProject.{module}.{macro}?language=Basic&location=document"


# --------------------------------------------------------------------------- helpers


def vba_project_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/vbaProject.bin")


@dataclass
class DirModule:
    name: str
    stream: str
    offset: int
    procedural: bool


def read_dir(ole: olefile.OleFileIO) -> tuple[list[tuple[int, bytes]], list[DirModule]]:
    """Parse VBA/dir with our own decompressor and record splitter."""
    items = records.parse_records(decompress(ole.openstream("VBA/dir").read()))
    modules: list[DirModule] = []
    current: dict[str, Any] = {}
    for record_id, payload in items:
        if record_id == records.MODULENAME:
            current = {"name": payload.decode("cp1252")}
        elif record_id == records.MODULESTREAMNAME:
            current["stream"] = payload.decode("cp1252")
        elif record_id == records.MODULEOFFSET:
            current["offset"] = struct.unpack("<I", payload)[0]
        elif record_id in (records.MODULETYPE_PROCEDURAL, records.MODULETYPE_OTHER):
            current["procedural"] = record_id == records.MODULETYPE_PROCEDURAL
        elif record_id == records.MODULE_TERMINATOR:
            modules.append(DirModule(**current))
    return items, modules


def module_sources(bin_data: bytes) -> dict[str, str]:
    """Module name -> stream source text, read with olefile and our decompressor."""
    ole = olefile.OleFileIO(bin_data)
    _, modules = read_dir(ole)
    return {
        m.name: decompress(ole.openstream(f"VBA/{m.stream}").read()[m.offset :]).decode("cp1252")
        for m in modules
    }


def leading_attributes(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    out = []
    for line in lines:
        if not line.startswith("Attribute "):
            break
        out.append(line)
    return out


def body_after_attributes(text: str) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(lines[len(leading_attributes(text)) :])


def file_text(path: Path) -> str:
    return path.read_bytes().decode("cp1252")


# ------------------------------------------------------------------------ compression

SPEC_EXAMPLES = [
    pytest.param(
        b"abcdefghijklmnopqrstuv.",
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E",
        id="3.2.1-no-compression",
    ),
    pytest.param(
        b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 "
        "30 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C",
        id="3.2.2-normal-compression",
    ),
    pytest.param(b"a" * 73, "01 03 B0 02 61 45 00", id="3.2.3-maximum-compression"),
]


@pytest.mark.parametrize(("plain", "packed"), SPEC_EXAMPLES)
def test_compress_reproduces_ms_ovba_examples(plain: bytes, packed: str) -> None:
    assert compress(plain).hex(" ").upper() == packed


@pytest.mark.parametrize(("plain", "packed"), SPEC_EXAMPLES)
def test_decompress_ms_ovba_examples(plain: bytes, packed: str) -> None:
    assert decompress(bytes.fromhex(packed)) == plain


def test_compress_empty_and_raw_chunk() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""
    noise = bytes((i * 151 + (i >> 3) * 7) & 0xFF for i in range(CHUNK_SIZE))
    packed = compress(noise)
    if len(packed) == 1 + 2 + CHUNK_SIZE:  # stored raw: header 0x3FFF
        assert packed[1:3] == b"\xff\x3f"
    assert decompress(packed) == noise


@pytest.mark.parametrize(
    ("difference", "bit_count", "maximum_length"),
    [(1, 4, 4098), (16, 4, 4098), (17, 5, 2050), (32, 5, 2050), (33, 6, 1026), (4096, 12, 18)],
)
def test_copy_token_help(difference: int, bit_count: int, maximum_length: int) -> None:
    _, _, bits, longest = copy_token_help(difference)
    assert (bits, longest) == (bit_count, maximum_length)


@pytest.mark.parametrize(
    "bad",
    [b"", b"\x02\x19\xb0", b"\x01\x19\xa0\x00abc", b"\x01\x03\xb0\x01\x61\x45"],
    ids=["empty", "signature", "chunk-signature", "copy-before-chunk"],
)
def test_decompress_rejects_malformed(bad: bytes) -> None:
    with pytest.raises(CompressionError):
        decompress(bad)


text_like = st.lists(
    st.sampled_from([b"a", b"b", b" ", b"\r\n", b"    ", b"End Sub", b"Dim ", b"\xe6\xf8\xe5"]),
    max_size=3000,
).map(b"".join)


@settings(max_examples=150, deadline=None)
@given(text_like)
def test_round_trip_text(data: bytes) -> None:
    packed = compress(data)
    assert decompress(packed) == data
    assert bytes(decompress_stream(bytearray(packed))) == data


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=9000))
def test_round_trip_binary(data: bytes) -> None:
    result = decompress(compress(data))
    assert result[: len(data)] == data
    # Only a raw (incompressible) last chunk is padded, and only with zeros.
    assert result[len(data) :] == bytes(len(result) - len(data))
    assert len(result) == len(data) or len(result) % CHUNK_SIZE == 0


@settings(max_examples=50, deadline=None)
@given(text_like)
def test_independent_decompressor_reads_ours(data: bytes) -> None:
    ms_ovba = pytest.importorskip("ms_ovba_compression.ms_ovba", reason="ms-ovba-compression")
    assert ms_ovba.MsOvba().decompress(compress(data)) == data


def excel_module_streams(path: Path) -> dict[str, bytes]:
    """Module name -> compressed source section, as written by Excel."""
    ole = olefile.OleFileIO(vba_project_bin(path))
    _, modules = read_dir(ole)
    return {m.name: ole.openstream(f"VBA/{m.stream}").read()[m.offset :] for m in modules}


def test_compression_matches_excel_for_short_modules() -> None:
    streams = excel_module_streams(QUICKSTART)
    for name in ("ThisWorkbook", "Sheet1", "Sheet2", "Module1"):
        source = decompress(streams[name])
        assert source == bytes(decompress_stream(bytearray(streams[name])))
        assert compress(source) == streams[name], name


def test_decompress_agrees_with_oletools_on_excel_output() -> None:
    for packed in excel_module_streams(XLWINGS_ADDIN).values():
        assert decompress(packed) == bytes(decompress_stream(bytearray(packed)))


# ------------------------------------------------------------------------ compound file


def test_compound_file_read_by_olefile() -> None:
    streams = {
        "PROJECT": b"p" * 10,
        "VBA/dir": bytes(range(256)) * 3,
        "VBA/small": b"",
        "VBA/edge_below": b"x" * 4095,
        "VBA/edge_at": b"y" * 4096,
        "VBA/large": os.urandom(70_000),
        "VBA/Sub/deep": b"deep",
    }
    data = build_compound_file(streams)
    assert len(data) % 512 == 0
    ole = olefile.OleFileIO(data)
    assert (ole.sectorsize, ole.dll_version, ole.mini_sector_size) == (512, 3, 64)
    assert ole.minisectorcutoff == 4096
    found = {"/".join(path) for path in ole.listdir()}
    assert found == set(streams)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content


def test_compound_file_with_difat_sectors() -> None:
    # > 109 FAT sectors (> 109 * 128 * 512 bytes) needs DIFAT sectors.
    big = {f"S{i}": bytes([i]) * 1_000_000 for i in range(8)}
    data = build_compound_file(big)
    ole = olefile.OleFileIO(data)
    assert struct.unpack_from("<I", data, 0x48)[0] >= 1  # number of DIFAT sectors
    for path, content in big.items():
        assert ole.openstream(path).read() == content


def check_red_black(ole: olefile.OleFileIO, sid: int) -> int:
    """Black height of the sibling tree at ``sid``; asserts order and colours."""
    if sid == NOSTREAM:
        return 1
    entry = ole.direntries[sid]
    for child in (entry.sid_left, entry.sid_right):
        if child != NOSTREAM and entry.color == 0:
            assert ole.direntries[child].color == 1, "red node with red child"
    if entry.sid_left != NOSTREAM:
        assert sort_key(ole.direntries[entry.sid_left].name) < sort_key(entry.name)
    if entry.sid_right != NOSTREAM:
        assert sort_key(ole.direntries[entry.sid_right].name) > sort_key(entry.name)
    left = check_red_black(ole, entry.sid_left)
    right = check_red_black(ole, entry.sid_right)
    assert left == right, "black heights differ"
    return left + (1 if entry.color == 1 else 0)


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,30}", fullmatch=True), min_size=1, max_size=40)
)
def test_directory_tree_is_a_red_black_tree(names: set[str]) -> None:
    unique = {name.upper(): name for name in names}.values()
    data = build_compound_file({f"VBA/{name}": name.encode() for name in unique})
    ole = olefile.OleFileIO(data)
    root = ole.direntries[0]
    assert root.sid_left == root.sid_right == NOSTREAM
    storage = ole.direntries[root.sid_child]
    if storage.sid_child != NOSTREAM:
        assert ole.direntries[storage.sid_child].color == 1  # black root
        check_red_black(ole, storage.sid_child)
    assert {"/".join(p) for p in ole.listdir()} == {f"VBA/{name}" for name in unique}


# ------------------------------------------------------------------- PROJECT encryption


@settings(max_examples=100)
@given(st.binary(max_size=40), st.integers(0, 255), st.uuids())
def test_encryption_round_trip(data: bytes, seed: int, value: object) -> None:
    project_id = "{" + str(value).upper() + "}"
    assert decrypt(encrypt(data, project_id, seed), project_id) == data


def test_decrypt_excel_project_stream() -> None:
    ole = olefile.OleFileIO(vba_project_bin(QUICKSTART))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    values = dict(re.findall(r'^(\w+)="([^"]*)"', text, re.MULTILINE))
    assert decrypt(values["CMG"], values["ID"]) == bytes(4)
    assert decrypt(values["DPB"], values["ID"]) == b"\x00"
    assert decrypt(values["GC"], values["ID"]) == b"\xff"
    assert project_key(values["ID"]) == int(values["CMG"][:2], 16) ^ int(values["CMG"][4:6], 16)
    with pytest.raises(EncryptionError):
        decrypt(values["GC"], "{00000000-0000-0000-0000-000000000000}")


# ---------------------------------------------------------------------------- modules


def excel_sources(path: Path) -> dict[str, str]:
    return {
        name: decompress(packed).decode("cp1252")
        for name, packed in excel_module_streams(path).items()
    }


def test_stream_text_of_bas_is_the_file() -> None:
    for path in [*MACROS.glob("*.bas"), XLWINGS_DIR / "xlwings.bas"]:
        module = load_module(path)
        assert stream_text(module) == file_text(path), path.name


def exported_class(path: Path) -> tuple[list[str], str]:
    """Attribute lines and code of a .cls file as the VBE exports it."""
    lines = file_text(path).replace("\r\n", "\n").split("\n")
    assert lines[0] == "VERSION 1.0 CLASS"
    rest = "\n".join(lines[lines.index("END") + 1 :])
    return leading_attributes(rest), body_after_attributes(rest)


def test_class_header_matches_what_excel_stores() -> None:
    path = XLWINGS_DIR / "addin" / "Dictionary.cls"
    ours = stream_text(load_module(path))
    excel = excel_sources(QUICKSTART)["Dictionary"]
    assert leading_attributes(ours) == leading_attributes(excel)
    assert not ours.startswith("VERSION")
    exported_attributes, exported_code = exported_class(path)
    assert set(exported_attributes) <= set(leading_attributes(ours))
    assert body_after_attributes(ours) == exported_code
    # Excel re-cases some identifiers (Err -> err); otherwise the code is the same.
    assert body_after_attributes(ours).lower() == body_after_attributes(excel).lower()


def test_document_modules_match_excel_byte_for_byte() -> None:
    ours = module_sources(build_vba_project([], document_modules=("ThisWorkbook", "Sheet1")))
    excel = excel_sources(QUICKSTART)
    assert ours["ThisWorkbook"] == excel["ThisWorkbook"]
    assert ours["Sheet1"] == excel["Sheet1"]
    excel_packed = excel_module_streams(QUICKSTART)
    ole = olefile.OleFileIO(build_vba_project([], document_modules=("ThisWorkbook", "Sheet1")))
    assert ole.openstream("VBA/ThisWorkbook").read() == excel_packed["ThisWorkbook"]


def test_exported_document_module_keeps_its_code(tmp_path: Path) -> None:
    exported = (
        "VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
        'Attribute VB_Name = "ThisWorkbook"\r\nAttribute VB_GlobalNameSpace = False\r\n'
        "Attribute VB_Creatable = False\r\nAttribute VB_PredeclaredId = True\r\n"
        "Attribute VB_Exposed = True\r\nOption Explicit\r\n\r\n"
        "Private Sub Workbook_Open()\r\n    Sheet1.Activate\r\nEnd Sub\r\n"
    )
    (tmp_path / "ThisWorkbook.cls").write_bytes(exported.encode("cp1252"))
    module = load_module(tmp_path / "ThisWorkbook.cls", ModuleKind.DOCUMENT)
    ours = module_sources(build_vba_project([module]))["ThisWorkbook"]
    excel = excel_sources(QUICKSTART)["ThisWorkbook"]
    assert leading_attributes(ours) == leading_attributes(excel)
    assert body_after_attributes(ours) == (
        "Option Explicit\n\nPrivate Sub Workbook_Open()\n    Sheet1.Activate\nEnd Sub\n"
    )


def test_load_module_reads_cp1252_and_utf8(tmp_path: Path) -> None:
    text = 'Attribute VB_Name = "Hej"\r\nSub A()\r\n    MsgBox "på æøå"\r\nEnd Sub\r\n'
    (tmp_path / "a.bas").write_bytes(text.encode("cp1252"))
    (tmp_path / "b.bas").write_bytes(text.encode("utf-8"))
    first, second = load_module(tmp_path / "a.bas"), load_module(tmp_path / "b.bas")
    assert first == second
    assert first.name == "Hej" and first.kind == ModuleKind.STANDARD
    assert 'MsgBox "på æøå"' in first.code


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Module("1abc", ModuleKind.STANDARD), "Ugyldigt modulnavn"),
        (lambda: Module("a" * 32, ModuleKind.STANDARD), "Ugyldigt modulnavn"),
        (lambda: Module("A", ModuleKind.STANDARD, 'Attribute VB_Name = "B"\n'), "VB_Name"),
        (
            lambda: Module("A", ModuleKind.STANDARD, "VERSION 1.0 CLASS\nBEGIN\nEND\n"),
            "VERSION-blok",
        ),
        (
            lambda: build_vba_project(
                [Module("A", ModuleKind.STANDARD), Module("a", ModuleKind.CLASS)]
            ),
            "mere end én gang",
        ),
        (lambda: build_vba_project([Module("Sheet9", ModuleKind.DOCUMENT)]), "Sheet9"),
        (
            lambda: build_vba_project([Module("A", ModuleKind.STANDARD, 'MsgBox "→"')]),
            "linje 1",
        ),
    ],
    ids=["digit", "too-long", "vb-name", "class-block", "duplicate", "document", "charset"],
)
def test_invalid_modules_are_refused(make: Any, message: str) -> None:
    with pytest.raises(ModuleError, match=message):
        make()


def test_build_is_deterministic() -> None:
    modules = macro_modules(*INSTITUTION_MODULES)
    assert build_vba_project(modules) == build_vba_project(modules)


# ---------------------------------------------------------------------------- xlwings


def test_pinned_xlwings_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [
        requirement
        for group in project["project"]["optional-dependencies"].values()
        for requirement in group
        if requirement.startswith("xlwings")
    ]
    assert pins and all(pin == f"xlwings=={PINNED_XLWINGS_VERSION}" for pin in pins)


def test_xlwings_modules_are_the_standalone_ones() -> None:
    modules = xlwings_modules()
    assert [(m.name, m.kind) for m in modules] == [
        ("xlwings", ModuleKind.STANDARD),
        ("Dictionary", ModuleKind.CLASS),
    ]
    # Same modules as in xlwings' own quickstart --standalone workbook.
    excel = excel_sources(QUICKSTART)
    assert stream_text(modules[0]).replace("\r\n", "\n") == excel["xlwings"].replace("\r\n", "\n")
    assert f'XLWINGS_VERSION As String = "{PINNED_XLWINGS_VERSION}"' in modules[0].source


def test_xlwings_version_mismatch_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlwings, "__version__", "0.0.1")
    with pytest.raises(XlwingsVersionError, match=r"0\.0\.1"):
        xlwings_modules()


# ---------------------------------------------------------------------------- macros


def public_subs(source: str) -> dict[str, str]:
    return dict(re.findall(r"^Public Sub (\w+)\(\)\r?\n(.*?)^End Sub", source, re.M | re.S))


def test_macro_files_are_vbe_exports() -> None:
    for path in MACROS.glob("*.bas"):
        data = path.read_bytes()
        assert data.startswith(f'Attribute VB_Name = "{path.stem}"\r\n'.encode()), path.name
        assert b"\n" not in data.replace(b"\r\n", b""), f"{path.name}: only CRLF line endings"
        data.decode("cp1252")


def test_valider_calls_runpython_with_fallback() -> None:
    source = file_text(MACROS / "Kontraktbog.bas")
    subs = public_subs(source)
    assert set(subs) == {"Valider"}
    body = subs["Valider"]
    assert f'RunPython "{VALIDER}"' in body
    assert "On Error GoTo" in body
    assert re.search(r'If PythonKlar\(UDEN_PYTHON, "Tjek"\) Then RunPython', body)
    assert (
        "Python er ikke installeret på denne computer. "
        "Brug arket Tjek, som viser fejl og mangler uden Python." in source
    )


def test_master_macros_call_runpython_with_fallback() -> None:
    source = file_text(MACROS / "Master.bas")
    subs = public_subs(source)
    assert set(subs) == set(MASTER_MACROS)
    for name, command in MASTER_MACROS.items():
        assert f'If PythonKlar(UDEN_PYTHON) Then RunPython "{command}"' in subs[name], name
        assert "On Error GoTo Fejl" in subs[name]
    assert "Python er ikke installeret på denne computer" in source
    assert "kræver Python" in source


# ------------------------------------------------------------------ the .xlsm workbooks


def make_institution_book(path: Path, modules: list[Module], exit_code: int = 0) -> bytes:
    workbook = xlsxwriter.Workbook(str(path))
    contracts = workbook.add_worksheet("Kontrakter")
    check = workbook.add_worksheet("Tjek")
    contracts.write("A1", "Kontrakter")
    check.write("B1", exit_code)  # read by the FakeShell stub
    contracts.insert_button("C2", {"macro": "Valider", "caption": "Valider", "width": 120})
    data = add_vba_to_workbook(workbook, modules)
    workbook.close()
    return data


def make_master_book(path: Path, modules: list[Module]) -> bytes:
    workbook = xlsxwriter.Workbook(str(path))
    front = workbook.add_worksheet("Oversigt")
    workbook.add_worksheet("Tjek")
    for row, macro in enumerate(MASTER_MACROS):
        front.insert_button(row * 3 + 1, 1, {"macro": macro, "caption": macro, "width": 160})
    data = add_vba_to_workbook(workbook, modules, {"Oversigt": "Oversigt"})
    workbook.close()
    return data


@pytest.fixture(scope="module")
def institution_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("vba") / "kontraktbog.xlsm"
    make_institution_book(path, [*macro_modules(*INSTITUTION_MODULES), *xlwings_modules()])
    return path


@pytest.fixture(scope="module")
def master_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("vba") / "master.xlsm"
    make_master_book(path, [*macro_modules(*MASTER_MODULES), *xlwings_modules()])
    return path


INSTITUTION_EXPECTED = {
    "ThisWorkbook": ModuleKind.DOCUMENT,
    "Sheet1": ModuleKind.DOCUMENT,
    "Sheet2": ModuleKind.DOCUMENT,
    "Kontraktbog": ModuleKind.STANDARD,
    "PythonTjek": ModuleKind.STANDARD,
    "xlwings": ModuleKind.STANDARD,
    "Dictionary": ModuleKind.CLASS,
}


def expected_source(name: str) -> str | None:
    """The text each module of the institution book must hold (None: document module)."""
    for path in (MACROS / f"{name}.bas", XLWINGS_DIR / f"{name}.bas"):
        if path.is_file():
            return file_text(path)
    return None


def test_olevba_reads_every_module(institution_book: Path) -> None:
    parser = VBA_Parser(str(institution_book))
    try:
        assert parser.detect_vba_macros()
        found = {
            Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()
        }
    finally:
        parser.close()
    assert set(found) == set(INSTITUTION_EXPECTED)
    for name, code in found.items():
        code = code.replace("\r\n", "\n")
        expected = expected_source(name)
        if expected is not None:
            assert code == expected.replace("\r\n", "\n"), name
        elif name == "Dictionary":
            attributes, exported_code = exported_class(XLWINGS_DIR / "addin" / "Dictionary.cls")
            assert set(attributes) <= set(leading_attributes(code))
            assert leading_attributes(code)[1].startswith("Attribute VB_Base")
            assert body_after_attributes(code) == exported_code
        else:
            base = "00020819" if name == "ThisWorkbook" else "00020820"
            assert leading_attributes(code)[:2] == [
                f'Attribute VB_Name = "{name}"',
                f'Attribute VB_Base = "0{{{base}-0000-0000-C000-000000000046}}"',
            ]
            assert body_after_attributes(code) == ""
    assert "på denne computer" in found["Kontraktbog"]


def test_own_reader_walks_every_stream(institution_book: Path) -> None:
    data = vba_project_bin(institution_book)
    ole = olefile.OleFileIO(data)
    streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    assert set(streams) == {
        "PROJECT",
        "PROJECTwm",
        "VBA/_VBA_PROJECT",
        "VBA/dir",
        *(f"VBA/{name}" for name in INSTITUTION_EXPECTED),
    }
    assert streams["VBA/_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000000")
    items, modules = read_dir(ole)
    assert {m.name: m.procedural for m in modules} == {
        name: kind == ModuleKind.STANDARD for name, kind in INSTITUTION_EXPECTED.items()
    }
    assert all(m.offset == 0 and m.stream == m.name for m in modules)
    values = dict(items)
    assert struct.unpack("<I", values[records.PROJECTSYSKIND])[0] == 3
    assert struct.unpack("<H", values[records.PROJECTCODEPAGE])[0] == 1252
    assert struct.unpack("<I", values[records.PROJECTLCID])[0] == 0x0409
    sources = module_sources(data)
    for name, expected in ((n, expected_source(n)) for n in INSTITUTION_EXPECTED):
        if expected is not None:
            assert sources[name] == expected
    project = streams["PROJECT"].decode("cp1252")
    assert project.startswith('ID="{')
    for line in (
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Document=Sheet2/&H00000000",
        "Module=Kontraktbog",
        "Module=PythonTjek",
        "Module=xlwings",
        "Class=Dictionary",
        'Name="VBAProject"',
        "[Host Extender Info]",
        "[Workspace]",
    ):
        assert f"{line}\r\n" in project
    ident = re.search(r'^ID="([^"]+)"', project, re.M)
    assert ident is not None
    for key, plain in (("CMG", bytes(4)), ("DPB", b"\x00"), ("GC", b"\xff")):
        value = re.search(rf'^{key}="([0-9A-F]+)"', project, re.M)
        assert value is not None and decrypt(value.group(1), ident.group(1)) == plain
    wm = streams["PROJECTwm"]
    for name in INSTITUTION_EXPECTED:
        assert name.encode() + b"\x00" + name.encode("utf-16-le") + b"\x00\x00" in wm
    assert wm.endswith(b"\x00\x00")


def test_references_are_the_ones_excel_writes(institution_book: Path) -> None:
    ours, _ = read_dir(olefile.OleFileIO(vba_project_bin(institution_book)))
    excel, _ = read_dir(olefile.OleFileIO(vba_project_bin(XLWINGS_ADDIN)))

    def references(items: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
        return [
            item
            for item in items
            if item[0]
            in (records.REFERENCENAME, records.REFERENCENAME_UNICODE, records.REFERENCEREGISTERED)
        ]

    assert references(ours) == references(excel)  # stdole + Office, as Excel 64-bit writes


def test_workbook_parts_bind_codenames_and_button(institution_book: Path) -> None:
    with zipfile.ZipFile(institution_book) as archive:
        names = archive.namelist()
        workbook_xml = archive.read("xl/workbook.xml").decode()
        sheets = [archive.read(f"xl/worksheets/sheet{i}.xml").decode() for i in (1, 2)]
        vml = "".join(archive.read(n).decode() for n in names if n.endswith(".vml"))
        content_types = archive.read("[Content_Types].xml").decode()
    assert 'codeName="ThisWorkbook"' in workbook_xml
    assert 'codeName="Sheet1"' in sheets[0] and 'codeName="Sheet2"' in sheets[1]
    assert "<x:FmlaMacro>[0]!Valider</x:FmlaMacro>" in vml
    assert "macroEnabled" in content_types and "xl/vbaProject.bin" in names


def test_pyopenvba_reads_the_project(institution_book: Path) -> None:
    pyopenvba = pytest.importorskip("pyopenvba", reason="pyOpenVBA is a test-only reader")
    report = pyopenvba.check_file(institution_book)
    assert report.ok, report.issues
    with pyopenvba.ExcelFile(str(institution_book)) as book:
        assert book.module_names() == list(INSTITUTION_EXPECTED)
        for name in INSTITUTION_EXPECTED:
            expected = expected_source(name)
            if expected is not None:
                assert book.get_module(name) == expected
        project = book.vba_project()
        assert project.validate() == []
        assert [r.name for r in book.references()] == ["stdole", "Office"]
        assert not project.protection.has_password


def test_master_book_holds_the_four_macros(master_book: Path) -> None:
    sources = module_sources(vba_project_bin(master_book))
    assert set(sources) == {
        "ThisWorkbook",
        "Oversigt",
        "Sheet2",
        "Master",
        "PythonTjek",
        "xlwings",
        "Dictionary",
    }
    assert set(public_subs(sources["Master"])) == set(MASTER_MACROS)
    with zipfile.ZipFile(master_book) as archive:
        vml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml"))
    for macro in MASTER_MACROS:
        assert f"<x:FmlaMacro>[0]!{macro}</x:FmlaMacro>" in vml


# ---------------------------------------------------------------------- LibreOffice

LO_PYTHON = "/usr/bin/python3"


def libreoffice_missing() -> str | None:
    if shutil.which("soffice") is None:
        return "soffice (LibreOffice) is not installed"
    if not Path(LO_PYTHON).exists():
        return f"{LO_PYTHON} is missing"
    probe = subprocess.run([LO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if probe.returncode != 0:
        return f"{LO_PYTHON} cannot import uno (install python3-uno)"
    return None


@dataclass
class LibreOfficeRun:
    inspect: dict[str, Any]
    inspect_master: dict[str, Any]
    runs: dict[str, dict[str, Any]]
    saved: dict[str, Path]


def stub_modules() -> list[Module]:
    return [load_module(STUBS / "xlwings.bas"), load_module(STUBS / "FakeShell.cls")]


@pytest.fixture(scope="module")
def lo_results(
    institution_book: Path, master_book: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LibreOfficeRun]:
    reason = libreoffice_missing()
    if reason:
        print(f"LibreOffice tests skipped: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("lo")
    books = {
        "python": folder / "stub_python.xlsm",
        "no_python": folder / "stub_no_python.xlsm",
    }
    make_institution_book(
        books["python"], [*macro_modules(*INSTITUTION_MODULES), *stub_modules()], 0
    )
    make_institution_book(
        books["no_python"], [*macro_modules(*INSTITUTION_MODULES), *stub_modules()], 9009
    )
    stub_master = folder / "stub_master.xlsm"
    make_master_book(stub_master, [*macro_modules(*MASTER_MODULES), *stub_modules()])

    jobs: list[dict[str, str]] = [
        {"kind": "inspect", "file": str(institution_book)},
        {"kind": "inspect", "file": str(master_book)},
    ]
    run_keys: list[str] = []
    saved: dict[str, Path] = {}
    for key, book in books.items():
        saved[key] = folder / f"{key}.xlsx"
        macro = LO_MACRO.format(module="Kontraktbog", macro="Valider")
        jobs.append({"kind": "run", "file": str(book), "macro": macro, "save_as": str(saved[key])})
        run_keys.append(key)
    for macro in MASTER_MACROS:
        saved[macro] = folder / f"{macro}.xlsx"
        url = LO_MACRO.format(module="Master", macro=macro)
        jobs.append(
            {"kind": "run", "file": str(stub_master), "macro": url, "save_as": str(saved[macro])}
        )
        run_keys.append(macro)
    job_file = folder / "jobs.json"
    job_file.write_text(json.dumps({"jobs": jobs}), encoding="utf-8")
    completed = subprocess.run(
        [LO_PYTHON, str(LO_SCRIPT), str(job_file)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads(completed.stdout)["results"]
    yield LibreOfficeRun(
        inspect=results[0],
        inspect_master=results[1],
        runs=dict(zip(run_keys, results[2:], strict=True)),
        saved=saved,
    )


LO_TYPES = {
    ModuleKind.DOCUMENT: "document",
    ModuleKind.STANDARD: "normal",
    ModuleKind.CLASS: "class",
}


@pytest.mark.libreoffice
def test_libreoffice_imports_the_modules(lo_results: LibreOfficeRun) -> None:
    inspected = lo_results.inspect
    assert "VBAProject" in inspected["libraries"]
    assert inspected["vba_compatibility_mode"]
    modules = inspected["modules"]
    assert {name: info["type"] for name, info in modules.items()} == {
        name: LO_TYPES[kind] for name, kind in INSTITUTION_EXPECTED.items()
    }
    assert "på denne computer" in modules["Kontraktbog"]["source"]
    assert f'RunPython "{VALIDER}"' in modules["Kontraktbog"]["source"]
    assert "Public Function RunPython" in modules["xlwings"]["source"]


@pytest.mark.libreoffice
def test_libreoffice_binds_the_button(lo_results: LibreOfficeRun) -> None:
    sheets = {sheet["name"]: sheet for sheet in lo_results.inspect["sheets"]}
    assert sheets["Kontrakter"]["codename"] == "Sheet1"
    assert sheets["Tjek"]["codename"] == "Sheet2"
    assert sheets["Tjek"]["controls"] == []
    (button,) = sheets["Kontrakter"]["controls"]
    assert button["label"] == "Valider"
    assert [event["script"] for event in button["events"]] == [
        LO_MACRO.format(module="Kontraktbog", macro="Valider")
    ]
    master = {sheet["name"]: sheet for sheet in lo_results.inspect_master["sheets"]}
    assert master["Oversigt"]["codename"] == "Oversigt"
    bound = {
        event["script"] for control in master["Oversigt"]["controls"] for event in control["events"]
    }
    assert bound == {LO_MACRO.format(module="Master", macro=macro) for macro in MASTER_MACROS}


def saved_cells(path: Path) -> tuple[Any, Any, str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        check = workbook["Tjek"]
        return check["A1"].value, check["A2"].value, workbook.active.title
    finally:
        workbook.close()


@pytest.mark.libreoffice
def test_valider_runs_python_when_it_is_there(lo_results: LibreOfficeRun) -> None:
    run = lo_results.runs["python"]
    assert run["error"] is None
    command, probe, active = saved_cells(lo_results.saved["python"])
    assert command == VALIDER
    assert probe == 'python -B -c "import xlwings"'
    assert active == "Kontrakter"


@pytest.mark.libreoffice
def test_valider_falls_back_to_tjek_without_python(lo_results: LibreOfficeRun) -> None:
    run = lo_results.runs["no_python"]
    assert run["error"] is None  # no VBA error surfaced
    assert run["active"] == "Tjek"
    command, probe, active = saved_cells(lo_results.saved["no_python"])
    assert command is None  # RunPython was not called
    assert probe == 'python -B -c "import xlwings"'
    assert active == "Tjek"


@pytest.mark.libreoffice
@pytest.mark.parametrize("macro", list(MASTER_MACROS))
def test_master_macros_run_python(lo_results: LibreOfficeRun, macro: str) -> None:
    assert lo_results.runs[macro]["error"] is None
    command, _, _ = saved_cells(lo_results.saved[macro])
    assert command == MASTER_MACROS[macro]
