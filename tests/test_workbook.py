"""Build → read round trips and the Python rules on known fillings."""

from __future__ import annotations

import copy
import zipfile
from datetime import date

import pytest
from conftest import FOCUS, INSTITUTION, YEAR, build, good_filling, make_input
from lxml import etree

from toolkit.reading.workbook import read_workbook
from toolkit.rules.validate import validate
from toolkit.spec.layout import layout
from toolkit.spec.workbook import default_spec
from toolkit.workbook.build import TJEK_HEADER_ROW, build_workbook

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def rules_of(path):
    return sorted({f.rule for f in validate(read_workbook(path))})


def test_blank_workbook_carries_identity_and_meta(tmp_path):
    book = read_workbook(build(tmp_path))
    assert book.meta.virksomhed_id == INSTITUTION["id"]
    assert book.meta.kontraktaar == YEAR and book.meta.fase == "Forslag"
    assert book.meta.version == "1.1" and book.meta.kommune == "Demokommune"
    assert (
        book.virksomhed.navn == INSTITUTION["navn"]
        and book.virksomhed.udvalg == INSTITUTION["udvalg"]
    )
    assert book.lists["indsatsomraader"] == (*FOCUS, "Eget forslag")
    assert book.maal == [] and book.gruppe == [] and book.dialog == []
    # a blank workbook is not ready: the sheet-wide rules fire
    assert {
        "maal_antal",
        "gruppe_leder",
        "gruppe_medarbejder",
        "dialog_brugere",
        "felt_mangler",
    } <= set(rules_of(book.path))


def test_good_filling_reads_back_exactly_and_passes(tmp_path):
    filling = good_filling()
    book = read_workbook(build(tmp_path, filling))
    assert [m.navn for m in book.gruppe] == [r["navn"] for r in filling.gruppe]
    assert [d.dato for d in book.dialog] == [r["dato"] for r in filling.dialog]
    for got, want in zip(book.maal, filling.maal, strict=True):
        for k, v in want.items():
            assert getattr(got, k) == v, k
    assert book.virksomhed.beskrivelse == filling.virksomhed["beskrivelse"]
    assert book.virksomhed.ansatte == 24
    assert validate(book) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda f: f.maal.pop(), "maal_antal"),
        (lambda f: f.gruppe.pop(0), "gruppe_leder"),
        (lambda f: f.gruppe.append({"navn": "X", "rolle": "Leder/formand"}), "gruppe_leder"),
        (lambda f: f.gruppe.pop(1), "gruppe_medarbejder"),
        (lambda f: f.dialog.pop(0), "dialog_brugere"),
        (lambda f: f.dialog[1].update(dato=date(2026, 10, 2)), "dialog_medarbejdere"),
        (lambda f: f.dialog[1].update(dato=date(2026, 10, 2)), "dialog_periode"),
        (lambda f: f.dialog[1].update(dato=date(2025, 10, 2)), "dato_periode"),
        (lambda f: f.maal[0].pop("maalemetode"), "maal_felt_mangler"),
        (lambda f: f.maal[0].update(maalvaerdi=72), "maal_uaendret"),
        (lambda f: f.maal[0].update(maalvaerdi=60), "maal_retning"),
        (lambda f: f.maal[1].update(maalvaerdi=14), "maal_retning"),
        (lambda f: f.maal[2].update(maalvaerdi=5), "maal_vaerdi_type"),
        (lambda f: f.maal[0].update(baseline="ca. 72"), "maal_vaerdi_type"),
        (lambda f: f.maal[0].update(baseline="72,5"), "celle_decimalkomma"),
        (lambda f: f.maal[0].update(frist="1/3-2027"), "celle_dato_tekst"),
        (lambda f: f.maal[0].update(frist=date(2028, 1, 5)), "dato_periode"),
        (lambda f: f.maal[0].update(maaltype="Noget helt andet"), "celle_liste"),
        (lambda f: f.maal[1].update(titel="Bedre sprogudvikling"), "maal_dublet"),
        (
            lambda f: [g.update(indsatsomraade="Eget forslag") for g in f.maal],
            "maal_indsatsomraade",
        ),
        (lambda f: f.virksomhed.pop("udfyldt_af"), "felt_mangler"),
        (lambda f: f.virksomhed.pop("su_orienteret"), "su_orienteret"),
        (lambda f: f.maal[1].update(indikator="Personaleomsætning"), "maal_indikator"),
        (lambda f: f.virksomhed.update(ansatte="ca. 20"), "celle_tekst_i_tal"),
        (lambda f: f.virksomhed.update(ansatte=20.5), "celle_heltal"),
        (lambda f: f.gruppe.append({"stilling": "Pædagog"}), "gruppe_felt_mangler"),
        (lambda f: f.dialog.append({"tema": "Løst snak"}), "dialog_felt_mangler"),
        (lambda f: f.virksomhed.update(beskrivelse="x" * 2500), "celle_for_lang"),
        (lambda f: f.virksomhed.update(beskrivelse="Linje\x07 med klokke"), "celle_kontroltegn"),
    ],
)
def test_each_mistake_is_found(tmp_path, change, rule):
    filling = copy.deepcopy(good_filling())
    change(filling)
    assert rule in rules_of(build(tmp_path, filling))


def test_results_phase_requires_results(tmp_path):
    filling = good_filling()
    path = build(tmp_path, filling, phase="resultater")
    assert rules_of(path).count("resultat_mangler") == 1
    findings = [f for f in validate(read_workbook(path)) if f.rule == "resultat_mangler"]
    res = layout(default_spec()).table("resultater")
    assert [f.cell for f in findings] == [res.cell(i, "resultat") for i in range(3)]
    filling.resultater = [
        {"resultat": 81, "maalt_dato": date(2027, 11, 15), "dokumentation": "Udtræk"},
        {"resultat": 11, "maalt_dato": date(2027, 12, 31), "dokumentation": "Statistik"},
        {"forklaring": "Bestyrelsen nåede ikke at mødes."},
    ]
    found = rules_of(build(tmp_path, filling, phase="resultater", name="b2.xlsx"))
    assert "resultat_mangler" not in found
    assert "resultat_forklaring" in found  # 11 sygedage, målet var 10
    book = read_workbook(tmp_path / "b2.xlsx")
    assert [r.resultat for r in book.resultater] == [81, 11, None]


def test_proposal_phase_does_not_require_results(tmp_path):
    assert "resultat_mangler" not in rules_of(build(tmp_path, good_filling()))


def test_check_sheet_cached_verdicts_match_the_rules(tmp_path):
    """The stamped cached values on the Tjek sheet are the Python verdicts."""
    filling = good_filling()
    filling.gruppe.pop(1)
    path = build(tmp_path, filling)
    with zipfile.ZipFile(path) as z:
        sheet = etree.fromstring(z.read("xl/worksheets/sheet7.xml"))
    status = {  # the check rows (the first failing ones are repeated above them)
        c.get("r"): c.findtext(f"{NS}v")
        for c in sheet.iter(f"{NS}c")
        if c.get("r", "").startswith("A") and int(c.get("r")[1:]) > TJEK_HEADER_ROW + 1
    }
    bad = [r for r, v in status.items() if v in ("Fejl", "Advarsel")]
    assert bad, "no failing check row cached"
    n_err = sum(1 for v in status.values() if v == "Fejl")
    counts = {
        c.get("r"): c.findtext(f"{NS}v")
        for c in sheet.iter(f"{NS}c")
        if c.get("r") in ("B4", "B5", "B6")
    }
    assert counts["B5"] == str(n_err) and counts["B4"].startswith("IKKE KLAR")


def test_structure_is_locked_and_sheets_protected(tmp_path):
    path = build(tmp_path)
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml")
        assert b'lockStructure="1"' in wb
        assert b'state="veryHidden"' in wb and b'state="hidden"' in wb
        for i in range(1, 10):
            assert b"<sheetProtection" in z.read(f"xl/worksheets/sheet{i}.xml")


def test_same_input_gives_identical_files(tmp_path):
    a = build(tmp_path, good_filling(), name="a.xlsx").read_bytes()
    b = build(tmp_path, good_filling(), name="b.xlsx").read_bytes()
    assert a == b


def test_workbooks_of_template_1_0_still_read(tmp_path):
    """Migration: a workbook made before goal ids (template 1.0, no id columns) reads with
    no structure finding; its goals simply have no id yet."""
    import re as _re

    from toolkit.spec.workbook import load_spec

    text = default_spec().source.read_text("utf-8")
    text = text.replace('version = "1.1"', 'version = "1.0"', 1)
    text = _re.sub(
        r'\n  \[\[ark\.kolonner\]\]\n  key = "(?:id|forrige_id)"\n(?:  .*\n)*', "\n", text
    )
    old_toml = tmp_path / "kontraktbog-1.0.toml"
    old_toml.write_text(text, "utf-8")
    old_spec = load_spec(old_toml)
    assert "id" not in [f.key for f in old_spec.sheet("maal").fields]
    path = build_workbook(tmp_path / "gammel.xlsx", make_input(good_filling()), old_spec)
    book = read_workbook(path)
    assert book.meta.version == "1.0"
    assert [f for f in book.findings if f.rule == "fil_struktur"] == []
    assert [g.titel for g in book.maal] == [g["titel"] for g in good_filling().maal]
    assert all(g.id is None for g in book.maal)
