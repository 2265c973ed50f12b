"""One attainment rule per master: *Opfyldt ved (%)* and *Delvist opfyldt ved (%)* on its
Indstillinger grade Konsolider — the command line and the Excel button alike — and go into the
workbooks made from the master (formula and cached value).

A small municipality: one institution's proposals consolidated, "90" typed into *Opfyldt ved
(%)* of the saved master, the results workbook made from that master and filled in with a
result 93.75 % of the way from baseline to target (opfyldt at 90 %, delvist by the default).
"""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from conftest import INSTITUTION, good_filling, patch_part
from cycle import YEAR, Kommune
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.master.carryover import results_phase_inputs
from toolkit.master.grading import master_rule
from toolkit.master.layout import LAYOUT
from toolkit.master.model import read_master_rows
from toolkit.reading.inputs import read_focus_areas, read_register
from toolkit.rules.attainment import (
    DEFAULT_RULE,
    AttainmentRule,
    RuleOverride,
    RuleSettingError,
    attainment,
    rule_from_settings,
)
from toolkit.spec.layout import layout
from toolkit.spec.workbook import default_spec
from toolkit.workbook.build import build_workbook, workbook_filename

SPROG = "Bedre sprogudvikling"  # 72 → 80
RESULT = 79.5  # 93.75 % of the way: Opfyldt at 90 %, Delvist opfyldt at 100 %
RULE_90 = AttainmentRule(0.9, 0.5)
NOW = datetime(2028, 1, 20, 9, 0)


# ------------------------------------------------------------------ helpers


def settings_part(master: Path) -> str:
    """The Indstillinger sheet's part (XlsxWriter names the parts in the sheets' order)."""
    with zipfile.ZipFile(master) as z:
        sheets = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    return f"xl/worksheets/sheet{sheets.index(LAYOUT.settings_sheet) + 1}.xml"


def setting_row(key: str) -> int:
    """The one-based row of a setting, as the master is written."""
    return LAYOUT.settings_row + [k for k, _, _ in LAYOUT.settings].index(key) + 1


def type_setting(master: Path, key: str, value: Any) -> Path:
    """Type a value into column B of a setting (as saved by Excel: a number or text)."""
    ref = f"B{setting_row(key)}"
    inner = (f"<v>{value}</v>" if isinstance(value, int | float)
             else f"<is><t>{value}</t></is>")  # fmt: skip
    kind = "" if isinstance(value, int | float) else ' t="inlineStr"'

    def fn(data: bytes) -> bytes:
        pat = re.compile(rb'<c r="' + ref.encode() + rb'"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', re.S)
        m = pat.search(data)
        assert m, ref
        cell = f'<c r="{ref}"{(m.group(1) or b"").decode()}{kind}>{inner}</c>'.encode()
        return data[: m.start()] + cell + data[m.end() :]

    return patch_part(master, settings_part(master), fn)


def without_rule_settings(master: Path) -> Path:
    """The master as it was before the rule was a setting: no such rows, no such names."""

    def rows(data: bytes) -> bytes:
        for key in ("opfyldt", "delvist"):
            data, n = re.subn(
                rb'<row r="%d"[^>]*>.*?</row>' % setting_row(key), b"", data, flags=re.S
            )
            assert n == 1, key
        return data

    def names(data: bytes) -> bytes:
        for key in ("opfyldt", "delvist"):
            pat = (
                rb'<definedName name="'
                + LAYOUT.setting_name(key).encode()
                + rb'">[^<]*</definedName>'
            )
            data, n = re.subn(pat, b"", data)
            assert n == 1, key
        return data

    patch_part(master, settings_part(master), rows)
    return patch_part(master, "xl/workbook.xml", names)


def graded(master: Path) -> dict[str, tuple[Any, Any]]:
    """Goal title → (Beregnet, Målopfyldelse) of the year's results in the master."""
    rows = read_master_rows(master)[1]
    titles = {g["noegle"]: g["titel"] for g in rows["maal"]}
    return {titles[r["noegle"]]: (r["beregnet"], r["maalopfyldelse"])
            for r in rows["resultater"] if r.get("aar") == YEAR}  # fmt: skip


def konsolider_cli(k: Kommune, master: Path, *options: str) -> Any:
    return CliRunner().invoke(app, ["konsolider", str(k.results_inbox), "--master", str(master),
                                    "--register", str(k.register), *options])  # fmt: skip


def results_cell(key: str) -> str:
    t = layout(default_spec()).table("resultater")
    return t.cell(0, key)


@pytest.fixture(scope="module")
def k(tmp_path_factory: pytest.TempPathFactory) -> Kommune:
    """Proposals consolidated; then "90" typed into Opfyldt ved (%) of the saved master and
    the results workbook made from it, filled in: in the results inbox."""
    k = Kommune(tmp_path_factory.mktemp("kommune"))
    k.submit(INSTITUTION, copy.deepcopy(good_filling().maal))
    k.consolidate()
    type_setting(k.master, "opfyldt", 90)
    settings, rows = read_master_rows(k.master)
    inputs = results_phase_inputs(rows, read_register(k.register), read_focus_areas(k.focus),
                                  YEAR, rule=master_rule(settings))  # fmt: skip
    mine = next(i for i in inputs if i.institution["id"] == INSTITUTION["id"])
    assert mine.filling is not None
    filling = copy.deepcopy(mine.filling)
    filling.resultater = [
        {"resultat": RESULT if g["titel"] == SPROG else None, "maalt_dato": date(YEAR, 12, 15),
         "dokumentation": "Udtræk"} for g in filling.maal
    ]  # fmt: skip
    path = k.results_inbox / workbook_filename(mine.institution, YEAR)
    build_workbook(path, replace(mine, filling=filling))
    return k


@pytest.fixture
def master90(k: Kommune, tmp_path: Path) -> Path:
    """A copy of the master with 90 on Opfyldt ved (%)."""
    return Path(shutil.copy(k.master, tmp_path / "Master.xlsx"))


# ------------------------------------------------------------------ the setting itself


def test_the_master_shows_the_rule_as_percent_settings(k: Kommune, tmp_path: Path) -> None:
    labels = {key: label for key, label, _ in LAYOUT.settings}
    assert labels["opfyldt"] == "Opfyldt ved (%)" and labels["delvist"] == "Delvist opfyldt ved (%)"
    fresh = tmp_path / "Ny master.xlsx"
    from toolkit.master.consolidate import run

    run([k.inbox], fresh, k.register, YEAR, workers=1)
    settings = read_master_rows(fresh)[0]
    assert (settings["opfyldt"], settings["delvist"]) == (100, 50)
    assert read_master_rows(k.master)[0]["opfyldt"] == 90  # typed


@pytest.mark.parametrize(
    ("settings", "rule"),
    [({}, DEFAULT_RULE), ({"opfyldt": None, "delvist": ""}, DEFAULT_RULE),
     ({"opfyldt": 90}, RULE_90), ({"opfyldt": "90 %", "delvist": "40"}, AttainmentRule(0.9, 0.4)),
     ({"opfyldt": 110, "delvist": "66,5"}, AttainmentRule(1.1, 0.665))],
)  # fmt: skip
def test_settings_read_as_the_rule(settings: dict[str, Any], rule: AttainmentRule) -> None:
    assert master_rule(settings) == rule


@pytest.mark.parametrize(
    ("settings", "cell", "words"),
    [({"opfyldt": "halvfems"}, "Opfyldt ved (%) (arket Indstillinger, celle B14)", "ikke et tal"),
     ({"delvist": 0}, "Delvist opfyldt ved (%) (arket Indstillinger, celle B15)", "større end 0"),
     ({"opfyldt": -5}, "celle B14", "større end 0"),
     ({"opfyldt": 50, "delvist": 60}, "celle B15", "er mere end Opfyldt ved (%) (50 %)"),
     ({"opfyldt": 0.9}, "celle B14", "ligner en andel")],
)  # fmt: skip
def test_a_bad_setting_is_a_danish_error_naming_the_cell(
    settings: dict[str, Any], cell: str, words: str
) -> None:
    with pytest.raises(RuleSettingError) as exc:
        master_rule(settings)
    assert (
        cell in str(exc.value) and words in str(exc.value) and "Intet er ændret" in str(exc.value)
    )


def test_an_override_takes_the_place_of_the_setting() -> None:
    assert master_rule({"opfyldt": "x", "delvist": 40}, RuleOverride(full=0.9)) == AttainmentRule(
        0.9, 0.4
    )
    assert rule_from_settings({}, override=RuleOverride(partial=0.6)) == AttainmentRule(1.0, 0.6)
    with pytest.raises(RuleSettingError, match="--delvist"):
        master_rule({"opfyldt": 90}, RuleOverride(partial=0.95))


# ------------------------------------------------------------------ Konsolider


def test_cli_and_button_grade_alike_by_the_masters_setting(
    k: Kommune, master90: Path, tmp_path: Path
) -> None:
    from test_excel import model_to_xlsx, payload_from_file, run_remote, set_setting

    from toolkit.excel import konsolider
    from toolkit.master.xlsm import to_xlsm

    book = to_xlsm(master90, tmp_path / "Master.xlsm")
    result = konsolider_cli(k, master90)
    assert result.exit_code == 0, result.output
    cli = graded(master90)
    assert cli[SPROG] == ("Opfyldt", "Opfyldt")  # 93.75 % of the way; by default Delvist
    assert attainment("Højere er bedre", 72, 80, RESULT) == "Delvist opfyldt"

    payload = payload_from_file(book)
    set_setting(payload, "Indbakke", str(k.results_inbox))
    summary, applied = run_remote(konsolider, payload, now=NOW)
    assert summary is not None, applied.alerts
    assert graded(model_to_xlsx(applied, tmp_path / "efter.xlsx")) == cli


def test_cli_options_override_and_are_written_to_the_master(k: Kommune, master90: Path) -> None:
    type_setting(master90, "opfyldt", 100)  # the default again
    result = konsolider_cli(k, master90, "--opfyldt", "0.9", "--delvist", "0.4")
    assert result.exit_code == 0, result.output
    assert graded(master90)[SPROG] == ("Opfyldt", "Opfyldt")
    settings = read_master_rows(master90)[0]
    assert (settings["opfyldt"], settings["delvist"]) == (90, 40)
    # next time, without options, the master's setting grades the same
    assert konsolider_cli(k, master90).exit_code == 0
    assert graded(master90)[SPROG] == ("Opfyldt", "Opfyldt")


def test_an_old_master_without_the_settings_grades_as_before(k: Kommune, master90: Path) -> None:
    without_rule_settings(master90)
    settings = read_master_rows(master90)[0]
    assert "opfyldt" not in settings and "delvist" not in settings
    result = konsolider_cli(k, master90)
    assert result.exit_code == 0, result.output
    assert graded(master90)[SPROG] == ("Delvist opfyldt", "Delvist opfyldt")
    settings = read_master_rows(master90)[0]
    assert (settings["opfyldt"], settings["delvist"]) == (100, 50)  # now on Indstillinger


@pytest.mark.parametrize(
    ("key", "typed", "cell"),
    [("opfyldt", "mange", "B14"), ("delvist", 120, "B15"), ("opfyldt", 0, "B14")],
)
def test_a_bad_typed_setting_stops_konsolider_and_changes_nothing(
    k: Kommune, master90: Path, key: str, typed: Any, cell: str
) -> None:
    type_setting(master90, key, typed)
    before = master90.read_bytes()
    result = konsolider_cli(k, master90)
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert f"celle {cell}" in text and "Intet er ændret" in text, text
    assert master90.read_bytes() == before
    assert not (master90.parent / "Sikkerhedskopier").exists()
    assert not master90.with_suffix(".log").exists()


def test_a_bad_typed_setting_stops_the_button_and_writes_nothing(
    k: Kommune, master90: Path, tmp_path: Path
) -> None:
    from test_excel import payload_from_file, run_remote, set_setting

    from toolkit.excel import konsolider
    from toolkit.master.xlsm import to_xlsm

    payload = payload_from_file(to_xlsm(master90, tmp_path / "Master.xlsm"))
    set_setting(payload, "Indbakke", str(k.results_inbox))
    set_setting(payload, "Delvist opfyldt ved (%)", "halvdelen")  # typed, not saved
    summary, applied = run_remote(konsolider, payload, now=NOW)
    assert summary is None
    ((prompt, title, _, mode, _),) = applied.alerts
    assert title == "Konsolider" and mode == "critical"
    assert "Delvist opfyldt ved (%)" in prompt and "celle B15" in prompt and "ikke et tal" in prompt
    assert "setValues" not in applied.funcs


# ------------------------------------------------------------------ the workbooks


def formula_and_cached(path: Path, ref: str) -> tuple[str, Any]:
    """The Målopfyldelse cell of the first goal: its formula and its cached value."""
    sheet = default_spec().sheet("resultater").name
    names = [s.name for s in default_spec().sheets]
    with zipfile.ZipFile(path) as z:
        xml = z.read(f"xl/worksheets/sheet{names.index(sheet) + 1}.xml").decode()
    m = re.search(r'<c r="' + ref + r'"[^>]*>(.*?)</c>', xml, re.S)
    assert m, ref
    formula = re.search(r"<f>(.*?)</f>", m.group(1), re.S)
    assert formula
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    r, c = _rc(ref)
    grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return formula.group(1).replace("&gt;", ">").replace("&quot;", '"'), grid[r][c]


def _rc(ref: str) -> tuple[int, int]:
    letters = re.match(r"[A-Z]+", ref)
    assert letters
    col = 0
    for ch in letters.group(0):
        col = col * 26 + ord(ch) - 64
    return int(ref[letters.end() :]) - 1, col - 1


def results_workbook(k: Kommune) -> Path:
    return k.results_inbox / workbook_filename(INSTITUTION, YEAR)


def test_the_results_workbook_carries_the_masters_rule(k: Kommune) -> None:
    formula, cached = formula_and_cached(results_workbook(k), results_cell("maalopfyldelse"))
    assert '>=0.9,"Opfyldt"' in formula and '>=0.5,"Delvist opfyldt"' in formula
    assert cached == attainment("Højere er bedre", 72, 80, RESULT, RULE_90) == "Opfyldt"


def _formulas(folder: Path) -> list[str]:
    ref = results_cell("maalopfyldelse")
    return [formula_and_cached(p, ref)[0] for p in sorted(folder.glob("*.xls*"))]


def test_opret_and_nytaar_build_with_the_masters_rule(
    k: Kommune, master90: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    common = ["--aar", str(YEAR), "--register", str(k.register), "--indsatsomraader", str(k.focus)]
    res = runner.invoke(app, ["opret", *common, "--fase", "resultater", "--master", str(master90),
                              "--ud", str(tmp_path / "res")])  # fmt: skip
    assert res.exit_code == 0, res.output
    made = _formulas(tmp_path / "res")
    assert made and all('>=0.9,"Opfyldt"' in f for f in made)
    res = runner.invoke(app, ["opret", *common, "--opfyldt", "0.8", "--delvist", "0.3",
                              "--ud", str(tmp_path / "uden")])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert all(
        '>=0.8,"Opfyldt"' in f and '>=0.3,"Delvist' in f for f in _formulas(tmp_path / "uden")
    )
    res = runner.invoke(app, ["opret", *common, "--ud", str(tmp_path / "standard")])
    assert all('>=1,"Opfyldt"' in f for f in _formulas(tmp_path / "standard"))
    res = runner.invoke(app, ["nytaar", "--master", str(master90), "--register", str(k.register),
                              "--indsatsomraader", str(k.focus), "--ud", str(tmp_path / "ny")])  # fmt: skip
    assert res.exit_code == 0, res.output
    made = _formulas(tmp_path / "ny")
    assert made and all('>=0.9,"Opfyldt"' in f for f in made)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_results_workbook_alike(k: Kommune, tmp_path: Path) -> None:
    from uno_harness import session as lo

    if not lo.uno_available():
        pytest.skip(f"LibreOffice/UNO er ikke tilgængelig: {lo.unavailable_reason()}")
    ref = results_cell("maalopfyldelse")
    sheet = default_spec().sheet("resultater").name
    path = Path(shutil.copy(results_workbook(k), tmp_path / "bog.xlsx"))
    names = [s.name for s in default_spec().sheets]

    def blank(data: bytes) -> bytes:  # LibreOffice must compute it, not keep the cached value
        out, n = re.subn(rb'(<c r="' + ref.encode() + rb'"[^>]*>(?:(?!</c>).)*?)<v>Opfyldt</v>',
                         rb"\1<v>?</v>", data, flags=re.S)  # fmt: skip
        assert n == 1
        return out

    patch_part(path, f"xl/worksheets/sheet{names.index(sheet) + 1}.xml", blank)
    results = lo.run_uno([{"op": "open", "path": str(path), "hidden": True}, {"op": "recalc"},
                          {"op": "read", "sheet": sheet, "range": f"{ref}:{ref}"}, {"op": "close"}])  # fmt: skip
    errors = [r for r in results if isinstance(r, dict) and "error" in r]
    assert not errors, errors
    ((cell,),) = results[2]
    assert cell["v"] == attainment("Højere er bedre", 72, 80, RESULT, RULE_90) == "Opfyldt"
