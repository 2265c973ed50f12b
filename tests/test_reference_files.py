"""Reference-file tests: the main file types the toolkit writes, compared part by part with a
committed reference in ``tests/reference/`` (in the style of XlsxWriter's ``test/comparison``).

The files are built deterministically by :mod:`reference_builds` (fixed inputs, frozen
clock, relative paths) and compared by :func:`reference_parts.compare_packages`, which
ignores only what is volatile (dates in docProps, random ids, the run's duration …; see
:mod:`reference_parts`). A failure names the file type and the parts that differ, with
their first differing lines.

When a change to the output is intended, regenerate the references and review the diff::

    KONTRAKT_REGENERATE_REFERENCES=1 .venv/bin/pytest tests/test_reference_files.py

(see ``tests/reference/README.md``). Regenerating with no change to the output gives the
same files (byte-identical with the same zlib; on any machine the same zip members), so
``git status`` shows only real changes. "Every file type" here means the main ones; the
schema check (``tests/test_schema_valid.py``) covers all of them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from reference_builds import build_documents, build_institutions, build_master_cycle
from reference_parts import Volatile, compare_packages, format_diffs, store_reference

REFERENCE = Path(__file__).resolve().parent / "reference"
REGENERATE = os.environ.get("KONTRAKT_REGENERATE_REFERENCES") == "1"
#: The master's Kørsler: the duration of each run is wall-clock time.
MASTER = Volatile(columns={"Kørsler": ("Varighed (s)",)})

#: reference file → what it is (the test id names the file type).
REFERENCES = {
    "institution_forslag.xlsx": "an institution's workbook, proposal phase (conftest's filling)",
    "institution_forslag.xlsm": "the same, macro-enabled (VBA, the Valider button)",
    "institution_resultater.xlsx": "a results-phase workbook from the decided master, filled in",
    "master_konsolideret.xlsm": "the master after Konsolider of two institutions",
    "kontrakt.docx": "a contract (first institution of tests/sample_master.py, 3 institutions)",
    "udvalgsnotat_forslag.docx": "the committee memo on the proposals",
    "udvalgsnotat_maalopfyldelse.docx": "the committee memo on goal attainment",
    "samlet_rapport.docx": "the overall attainment report",
}


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reference")
    return {
        **build_institutions(root / "virksomhed"),
        **build_master_cycle(root / "master"),
        **build_documents(root / "dokumenter"),
    }


def _compare(path: Path | bytes, name: str) -> list:
    volatile = MASTER if name.startswith("master") else None
    return compare_packages(path, REFERENCE / name, volatile)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_file_matches_its_reference(produced: dict[str, Path], name: str) -> None:
    path = produced[name]
    reference = REFERENCE / name
    if REGENERATE:
        store_reference(path, reference)
    assert reference.exists(), (
        f"No reference {reference.name} ({REFERENCES[name]}). Make it with "
        "KONTRAKT_REGENERATE_REFERENCES=1 pytest tests/test_reference_files.py"
    )
    diffs = _compare(path, name)
    assert not diffs, format_diffs(diffs, f"{name} ({REFERENCES[name]})") + (
        "\n\nIf the change is intended: KONTRAKT_REGENERATE_REFERENCES=1 "
        "pytest tests/test_reference_files.py, and review the diff."
    )


def _members(path: Path) -> list[tuple[str, tuple[int, ...], bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, i.date_time, z.read(i)) for i in z.infolist()]


def test_references_are_stored_byte_stable(produced: dict[str, Path], tmp_path: Path) -> None:
    """Storing a reference is deterministic: the same output stored twice gives the same
    bytes, so a regeneration with no change to the output leaves the committed files alone."""
    for name in ("kontrakt.docx", "master_konsolideret.xlsm"):
        a, b = tmp_path / f"a-{name}", tmp_path / f"b-{name}"
        store_reference(produced[name], a)
        store_reference(produced[name], b)
        assert a.read_bytes() == b.read_bytes()
        assert not compare_packages(a, produced[name], MASTER), name


def test_a_second_build_matches_the_first(produced: dict[str, Path], tmp_path: Path) -> None:
    """The master and the documents are built again (new folder, new clock reading): only
    volatile content may differ. (The institution workbooks' base is cached per process;
    their determinism across processes is what the committed references check.)"""
    again = {**build_master_cycle(tmp_path / "m"), **build_documents(tmp_path / "d")}
    for name in (n for n in REFERENCES if n in again):
        diffs = compare_packages(again[name], produced[name], MASTER)
        assert not diffs, format_diffs(diffs, name)


# ------------------------------------------------------------------ the comparison can fail


def _patched(path: Path, part: str, fn: Callable[[bytes], bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, fn(data) if item.filename == part else data)
    return buf.getvalue()


def _sheet_part(path: Path, sheet: str) -> str:
    from reference_parts import _sheet_parts, read_parts

    return _sheet_parts(read_parts(path))[sheet]


def test_a_changed_cell_is_reported_in_exactly_its_part(produced: dict[str, Path]) -> None:
    name = "institution_forslag.xlsx"
    part = _sheet_part(produced[name], "Kontraktmål")

    def change(data: bytes) -> bytes:  # the first numeric cell value: 72 → 73 etc.
        m = re.search(rb"(<c r=\"[A-Z]+[0-9]+\"[^>]*>)<v>([0-9]+)</v>", data)
        assert m, "no numeric cell"
        new = str(int(m.group(2)) + 1).encode()
        return data[: m.start(2)] + new + data[m.end(2) :]

    diffs = _compare(_patched(produced[name], part, change), name)
    assert [d.part for d in diffs] == [part], format_diffs(diffs)
    assert any(line.startswith("+") and "<v>" in line for line in diffs[0].lines), diffs[0]


def test_a_changed_paragraph_is_reported_in_exactly_its_part(produced: dict[str, Path]) -> None:
    name = "kontrakt.docx"

    def change(data: bytes) -> bytes:
        return re.sub(rb"(<w:t(?: [^>]*)?>)([^<]+)", rb"\1\2 (rettet)", data, count=1)

    diffs = _compare(_patched(produced[name], "word/document.xml", change), name)
    assert [d.part for d in diffs] == ["word/document.xml"], format_diffs(diffs)
    assert any("(rettet)" in line for line in diffs[0].lines), diffs[0]


def test_a_changed_macro_and_a_changed_chart_size_are_reported(
    produced: dict[str, Path],
) -> None:
    name = "institution_forslag.xlsm"

    def flip(data: bytes) -> bytes:  # one byte of the VBA project's compressed source
        i = len(data) - 100
        return data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :]

    diffs = _compare(_patched(produced[name], "xl/vbaProject.bin", flip), name)
    assert [d.part for d in diffs] == ["xl/vbaProject.bin"], format_diffs(diffs)

    name = "samlet_rapport.docx"

    def wider(data: bytes) -> bytes:  # the PNG header's width
        return data[:16] + (int.from_bytes(data[16:20], "big") + 1).to_bytes(4, "big") + data[20:]

    diffs = _compare(_patched(produced[name], "word/media/image1.png", wider), name)
    assert [d.part for d in diffs] == ["word/media/image1.png"], format_diffs(diffs)


def test_volatile_content_is_ignored(produced: dict[str, Path]) -> None:
    """Dates in docProps, Word's rsids and the run's duration do not count as changes."""
    name = "kontrakt.docx"

    def redate(data: bytes) -> bytes:
        return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2031-12-24T23:59:59Z", data)

    def rsid(data: bytes) -> bytes:
        assert b"<w:p>" in data
        return data.replace(b"<w:p>", b'<w:p w:rsidR="00ABCDEF" w:rsidRDefault="00123456">', 1)

    tmp = Path(produced[name]).with_name("volatile.docx")
    tmp.write_bytes(_patched(produced[name], "docProps/core.xml", redate))
    assert not _compare(_patched(tmp, "word/document.xml", rsid), name)

    name = "master_konsolideret.xlsm"
    part = _sheet_part(produced[name], "Kørsler")

    def slower(data: bytes) -> bytes:
        new, n = re.subn(rb'(<c r="G4"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>12.34</v>", data)
        assert n == 1, "no duration in G4 of Kørsler"
        return new

    assert not _compare(_patched(produced[name], part, slower), name)
