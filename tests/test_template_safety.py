"""Templates edited in Word cannot silently lose text (issue 9).

Each edit a user can make by mistake gives a Danish message that names the template and
quotes the paragraph, and no document is made. The backspace merge is also sent through
LibreOffice Writer (opened and saved as .docx), as a user editing the template would.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import patch_part
from docx import Document
from sample_master import sample_master

from toolkit.documents import SkabelonFejl, make_contracts
from toolkit.documents.render import TEMPLATES, template_path
from toolkit.master.model import Master
from toolkit.office import libreoffice

TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def master() -> Master:
    return sample_master(4, seed=11)


def copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "skabeloner"
    folder.mkdir()
    for f in TEMPLATES.values():
        shutil.copy(template_path("kontrakt").parent / f, folder / f)
    return folder


def edit_xml(folder: Path, old: str, new: str) -> None:
    def fn(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert old in text
        return text.replace(old, new, 1).encode("utf-8")

    patch_part(folder / "kontrakt.docx", "word/document.xml", fn)


def refused(master: Master, folder: Path, tmp_path: Path) -> str:
    out = tmp_path / "ud"
    with pytest.raises(SkabelonFejl) as exc:
        make_contracts(master, out, templates=folder, workers=1, today=TODAY)
    assert not out.exists() or not list(out.iterdir()), "no document from a broken template"
    msg = str(exc.value)
    assert "kontrakt.docx" in msg
    assert not any(w in msg for w in ("Unexpected", "unexpected", "expected token", "undefined"))
    return msg


def backspace_merge(path: Path) -> None:
    """Backspace at the start of the '{%p endif %}' after the 'Forslag.' banner: the tag
    joins the banner's paragraph (python-docx: the runs move up, the paragraph goes)."""
    doc = Document(str(path))
    ps = doc.paragraphs
    i = next(i for i, p in enumerate(ps) if p.text.startswith("Forslag. "))
    assert ps[i + 1].text == "{%p endif %}"
    for run in list(ps[i + 1].runs):
        ps[i]._p.append(run._r)
    ps[i + 1]._p.getparent().remove(ps[i + 1]._p)
    doc.save(str(path))


def test_backspace_merge_of_endif_into_the_banner_is_refused(
    master: Master, tmp_path: Path
) -> None:
    folder = copy_templates(tmp_path)
    backspace_merge(folder / "kontrakt.docx")
    msg = refused(master, folder, tmp_path)
    assert "{%p endif %} står i samme afsnit som anden tekst" in msg
    assert "»Forslag. " in msg and "Tryk Enter".lower() in msg.lower()


@pytest.mark.libreoffice
def test_backspace_merge_saved_by_libreoffice_writer_is_refused(
    master: Master, tmp_path: Path
) -> None:
    if libreoffice.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    folder = copy_templates(tmp_path)
    backspace_merge(folder / "kontrakt.docx")
    saved = libreoffice.convert(
        [folder / "kontrakt.docx"], "docx:MS Word 2007 XML", tmp_path / "writer"
    )
    shutil.copy(saved[0], folder / "kontrakt.docx")
    msg = refused(master, folder, tmp_path)
    assert "står i samme afsnit som anden tekst" in msg and "»Forslag. " in msg


def test_misspelled_field_names_the_field_and_its_paragraph(master: Master, tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit_xml(
        folder, "{{ virksomhed.udvalg }} har endnu ikke", "{{ virksomhed.udvlag }} har endnu ikke"
    )
    msg = refused(master, folder, tmp_path)
    assert "feltet 'udvlag', som ikke findes" in msg
    assert "i afsnittet »Forslag. {{ virksomhed.udvlag }} har endnu ikke" in msg


def test_missing_brace_quotes_the_paragraph(master: Master, tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit_xml(
        folder, "{{ virksomhed.udvalg }} har endnu ikke", "{{ virksomhed.udvalg } har endnu ikke"
    )
    msg = refused(master, folder, tmp_path)
    assert "ikke lukket rigtigt" in msg and "»Forslag. {{ virksomhed.udvalg } har" in msg


def test_deleted_endif_names_the_if_that_is_never_closed(master: Master, tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    path = folder / "kontrakt.docx"
    doc = Document(str(path))
    ps = doc.paragraphs
    i = next(i for i, p in enumerate(ps) if p.text.startswith("Forslag. "))
    assert ps[i - 1].text == "{%p if er_forslag %}" and ps[i + 1].text == "{%p endif %}"
    ps[i + 1]._p.getparent().remove(ps[i + 1]._p)
    doc.save(str(path))
    msg = refused(master, folder, tmp_path)
    assert "{%p if er_forslag %}" in msg and "lukkes aldrig" in msg and "{%p endif %}" in msg


def test_other_syntax_errors_are_danish_with_the_text_around(
    master: Master, tmp_path: Path
) -> None:
    folder = copy_templates(tmp_path)
    edit_xml(
        folder, "{{ virksomhed.udvalg }} har endnu ikke", "{{ virksomhed.udvalg | }} har endnu ikke"
    )
    msg = refused(master, folder, tmp_path)
    assert "har en fejl i et felt: ventede et navn, men fandt slutningen af feltet" in msg
    assert "Feltet {{ virksomhed.udvalg | }} står i afsnittet »Forslag. " in msg


# --------------------------------------------------------------------------- make_templates.py


def _maker() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "templates" / "make_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_templates"] = module
    spec.loader.exec_module(module)
    return module


def test_make_templates_refuses_to_overwrite_without_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mt = _maker()
    before = {p.name: p.read_bytes() for p in (ROOT / "templates").glob("*.docx")}
    assert mt.main([]) == 1  # type: ignore[attr-defined]
    assert "--overskriv" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in (ROOT / "templates").glob("*.docx")} == before


def test_committed_templates_equal_what_the_script_makes(tmp_path: Path) -> None:
    mt = _maker()
    mt.OUT[0] = tmp_path  # type: ignore[attr-defined]
    for make in mt.MAKERS:  # type: ignore[attr-defined]
        make()
    for name in TEMPLATES.values():
        with zipfile.ZipFile(ROOT / "templates" / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), name
            for part in a.namelist():
                assert a.read(part) == b.read(part), (
                    f"{name}:{part} differs; run python templates/make_templates.py --overskriv"
                )
