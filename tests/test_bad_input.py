"""Every kind of bad input gets a Danish finding naming file, sheet and cell — nothing crashes."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import xlsxwriter
from conftest import build, good_filling, patch_part, set_cell_xml
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.reading.workbook import WorkbookError, read_workbook
from toolkit.rules.validate import validate


def finding_of(path):
    with pytest.raises(WorkbookError) as exc:
        read_workbook(path)
    f = exc.value.finding
    assert f.file == str(path) and f.severity == "fejl" and f.message
    return f


def test_pdf_text_and_empty_files(tmp_path):
    for name, data in [("a.xlsx", b"%PDF-1.4 ..."), ("b.xlsx", b"Hej med dig"), ("c.xlsx", b"")]:
        p = tmp_path / name
        p.write_bytes(data)
        assert finding_of(p).rule == "fil_type"


def test_missing_file_and_folder(tmp_path):
    assert finding_of(tmp_path / "findes-ikke.xlsx").rule == "fil_laest"
    assert finding_of(tmp_path).rule == "fil_type"


def test_corrupt_and_truncated_zip(tmp_path):
    good = build(tmp_path, good_filling()).read_bytes()
    p = tmp_path / "kort.xlsx"
    p.write_bytes(good[: len(good) // 2])
    assert finding_of(p).rule == "fil_laest"
    # flip bytes inside the goals sheet's compressed data: the CRC check catches it
    info = zipfile.ZipFile(tmp_path / "bog.xlsx").getinfo("xl/worksheets/sheet5.xml")
    start = info.header_offset + 30 + len(info.filename) + 20
    p2 = tmp_path / "rod.xlsx"
    p2.write_bytes(good[:start] + bytes(64) + good[start + 64 :])
    assert finding_of(p2).rule == "fil_laest"


def test_damaged_sheet_xml(tmp_path):
    p = build(tmp_path, good_filling())
    patch_part(p, "xl/worksheets/sheet5.xml", lambda d: d[:500])
    assert finding_of(p).rule == "fil_laest"


def test_legacy_xls_and_password_protected(tmp_path):
    import msoffcrypto.format.ooxml as ooxml

    p = build(tmp_path, good_filling())
    enc = io.BytesIO()
    with p.open("rb") as fh:
        ooxml.OOXMLFile(fh).encrypt("hemmelig", enc)
    locked = tmp_path / "laast.xlsx"
    locked.write_bytes(enc.getvalue())
    f = finding_of(locked)
    assert f.rule == "fil_adgangskode" and "adgangskode" in f.message
    import olefile  # a CFB that is not encrypted: the old .xls format

    xls = tmp_path / "gammel.xls"
    xls.write_bytes(enc.getvalue().replace("EncryptedPackage".encode("utf-16-le"), b"X" * 32))
    if olefile.isOleFile(str(xls)):
        assert finding_of(xls).rule in ("fil_type", "fil_adgangskode")


def test_foreign_workbook(tmp_path):
    p = tmp_path / "fremmed.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Ark1").write("A1", "Budget 2027")
    wb.close()
    f = finding_of(p)
    assert f.rule == "fil_fremmed" and "kontraktarbejdsbog" in f.message


def test_other_template_version(tmp_path):
    p = build(tmp_path, good_filling())
    set_cell_xml(p, "Meta", "B2", "<is><t>0.7</t></is>", t="inlineStr")
    f = finding_of(p)
    assert f.rule == "fil_version" and "0.7" in f.message


def test_deleted_sheet_and_names(tmp_path):
    p = build(tmp_path, good_filling())

    def drop_name(data: bytes) -> bytes:
        return re.sub(rb'<definedName name="virksomhed_udfyldt_af">[^<]*</definedName>', b"", data)

    patch_part(p, "xl/workbook.xml", drop_name)
    book = read_workbook(p)
    found = [f for f in validate(book) if f.rule == "fil_struktur"]
    assert found and "Udfyldt af" in found[0].message

    p2 = build(tmp_path, good_filling(), name="uden-dialog.xlsx")

    def drop_sheet(data: bytes) -> bytes:
        data = re.sub(rb'<sheet name="Dialog"[^>]*/>', b"", data)
        return re.sub(rb'<definedName name="[^"]*">Dialog![^<]*</definedName>', b"", data)

    def drop_table(data: bytes) -> bytes:
        return data

    patch_part(p2, "xl/workbook.xml", drop_sheet)
    book2 = read_workbook(p2)
    msgs = [f.message for f in validate(book2) if f.rule == "fil_struktur"]
    assert any("Dialog" in m for m in msgs)
    assert book2.maal, "the rest of the workbook is still read"


def test_renamed_table_column(tmp_path):
    p = build(tmp_path, good_filling())

    def rename(data: bytes) -> bytes:
        return data.replace("Målemetode".encode(), b"Metode")

    patch_part(p, "xl/tables/table3.xml", rename)
    set_cell_xml(p, "Kontraktmål", "G4", "<is><t>Metode</t></is>", t="inlineStr")
    msgs = [f.message for f in validate(read_workbook(p)) if f.rule == "fil_struktur"]
    assert any("Målemetode" in m for m in msgs)


def test_formula_and_error_values_in_input_cells(tmp_path):
    p = build(tmp_path, good_filling())
    set_cell_xml(p, "Kontraktmål", "J5", "<f>70+2</f><v>72</v>")  # baseline as a formula
    set_cell_xml(p, "Kontraktmål", "K6", "<f>1/0</f><v>#DIV/0!</v>", t="e")  # target: error
    findings = validate(read_workbook(p))
    found = {(f.rule, f.sheet, f.cell) for f in findings}
    assert ("celle_formel", "Kontraktmål", "J5") in found
    assert ("celle_fejlvaerdi", "Kontraktmål", "K6") in found
    assert any("#DIV/0!" in f.message for f in findings if f.rule == "celle_fejlvaerdi")
    book = read_workbook(p)
    assert book.maal[0].baseline == 72  # the formula's value is used


def test_text_number_date_variants(tmp_path):
    f = good_filling()
    f.maal[0]["baseline"] = "72,5"
    f.maal[0]["maalvaerdi"] = "1.080,25"
    f.maal[1]["frist"] = "1/3-2027"
    f.virksomhed["ansatte"] = "tyve"
    book = read_workbook(build(tmp_path, f))
    assert book.maal[0].baseline == 72.5 and book.maal[0].maalvaerdi == 1080.25
    assert book.maal[1].frist is None
    found = {(x.rule, x.cell) for x in validate(book)}
    assert ("celle_decimalkomma", "J5") in found and ("celle_decimalkomma", "K5") in found
    assert ("celle_dato_tekst", "N6") in found
    assert ("celle_tekst_i_tal", "B14") in found
    assert not any(r == "maal_felt_mangler" and c == "N6" for r, c in found), (
        "text is not 'missing'"
    )


def test_very_long_text_and_control_characters_survive(tmp_path):
    f = good_filling()
    long = "Æblegrød " * 700
    f.maal[0]["beskrivelse"] = long
    f.virksomhed["beskrivelse"] = "Tab\there, bell\x07, _x0041_ literal"
    book = read_workbook(build(tmp_path, f))
    assert book.maal[0].beskrivelse == long.strip()
    assert book.virksomhed.beskrivelse == "Tab\there, bell, _x0041_ literal"
    rules = {x.rule for x in validate(book)}
    assert {"celle_for_lang", "celle_kontroltegn"} <= rules


def test_valider_cli_json_and_exit_codes(tmp_path):
    good = build(tmp_path, good_filling(), name="god.xlsx")
    runner = CliRunner()
    res = runner.invoke(app, ["valider", str(good), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == []
    bad = tmp_path / "rod.xlsx"
    bad.write_bytes(b"not a workbook")
    res = runner.invoke(app, ["valider", str(tmp_path), "--json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data and set(data[0]) == {"file", "sheet", "cell", "severity", "rule", "message"}
    assert any(d["file"].endswith("rod.xlsx") and d["rule"] == "fil_type" for d in data)
    res = runner.invoke(app, ["valider", str(tmp_path)])
    assert res.exit_code == 1 and "rod.xlsx" in res.stdout and "ingen fejl" in res.stdout


def test_lock_files_are_skipped(tmp_path):
    from toolkit.workbook.batch import expand_paths

    build(tmp_path, good_filling(), name="god.xlsx")
    (tmp_path / "~$god.xlsx").write_bytes(b"lock")
    assert [p.name for p in expand_paths([tmp_path])] == ["god.xlsx"]
