"""Every OOXML file the toolkit writes is schema-valid (openxml-audit's OpenXmlValidator).

One test per file type, so a failure names the type: the institution workbooks (.xlsx and
.xlsm, proposal and results phase, and next year's with last year's goals carried over), the
master (.xlsm fresh, after Konsolider, after a second run with the committee's decisions,
after the results came in; the .xlsx master and ``kontrakt xlsm`` on it), the register and
the focus areas Kontraktservice's inputs are written as, the documents (contract, both
committee memos, the overall report) and the Word templates in ``templates/``.

Not here, as they are not OOXML: the reminders (.eml), the export (CSV, Parquet), the run
log (JSON lines). ``kontrakt demo`` writes its files with the same builders as above.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator
from reference_builds import build_documents, build_institutions, build_master_cycle

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

BUILT = (
    "institution_forslag.xlsx",
    "institution_forslag.xlsm",
    "institution_resultater.xlsx",
    "institution_resultater.xlsm",
    "institution_nytaar.xlsx",
    "master_ny.xlsm",
    "master_konsolideret.xlsm",
    "master_anden_koersel.xlsm",
    "master_resultater.xlsm",
    "master.xlsx",
    "master_fra_xlsx.xlsm",
    "Virksomhedsregister.xlsx",
    "Indsatsområder.xlsx",
    "kontrakt.docx",
    "udvalgsnotat_forslag.docx",
    "udvalgsnotat_maalopfyldelse.docx",
    "samlet_rapport.docx",
)
TEMPLATE_FILES = sorted(p.name for p in TEMPLATES.glob("*.docx"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("schema")
    return {
        **build_institutions(root / "virksomhed"),
        **build_master_cycle(root / "master"),
        **build_documents(root / "dokumenter"),
    }


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    return OpenXmlValidator()


def _assert_valid(validator: OpenXmlValidator, path: Path | str, what: str) -> None:
    result = validator.validate(str(path))
    errors = [str(e) for e in result.errors]
    assert result.is_valid, f"{what}: {len(errors)} schema error(s); the first 10:\n" + "\n".join(
        errors[:10]
    )


def test_every_built_file_type_is_listed(built: dict[str, Path]) -> None:
    assert sorted(built) == sorted(BUILT)


@pytest.mark.parametrize("name", BUILT)
def test_built_file_is_schema_valid(
    built: dict[str, Path], validator: OpenXmlValidator, name: str
) -> None:
    _assert_valid(validator, built[name], name)


def test_the_templates_are_there() -> None:
    assert set(TEMPLATE_FILES) >= {
        "kontrakt.docx",
        "udvalgsnotat_forslag.docx",
        "udvalgsnotat_maalopfyldelse.docx",
        "samlet_rapport.docx",
    }


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_template_is_schema_valid(validator: OpenXmlValidator, name: str) -> None:
    _assert_valid(validator, TEMPLATES / name, f"templates/{name}")


# ------------------------------------------------------------- the check can fail


def _broken(path: Path, part: str, old: bytes, new: bytes, out: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                assert old in data, (part, old)
                data = data.replace(old, new, 1)
            dst.writestr(item, data)
    out.write_bytes(buf.getvalue())
    return out


@pytest.mark.parametrize(
    ("name", "part", "old", "new"),
    [
        # an element Word does not know, inside a paragraph
        ("kontrakt.docx", "word/document.xml", b"<w:r>", b"<w:r><w:ukendt/>"),
        # a cell value type that does not exist
        ("master_konsolideret.xlsm", "xl/worksheets/sheet1.xml", b' t="s"', b' t="q"'),
        ("institution_forslag.xlsx", "xl/workbook.xml", b"<sheets>", b"<sheets><x/>"),
    ],
)
def test_the_validator_sees_a_broken_part(
    built: dict[str, Path], validator: OpenXmlValidator, tmp_path: Path,
    name: str, part: str, old: bytes, new: bytes,
) -> None:  # fmt: skip
    bad = _broken(built[name], part, old, new, tmp_path / f"brudt-{name}")
    assert not validator.validate(str(bad)).is_valid
