"""xlwings Lite: the add-in's parts in every workbook, and the bundled Valider in real Pyodide.

The Pyodide tests play the add-in's part (``tests/pyodide/run_lite.mjs``): the npm package
``pyodide`` at the version the workbooks ask for, the pure xlwings wheel at the project's
pin installed offline, the workbook's own ``main.py`` imported as xlwings Lite imports it,
and the Valider script run on ``xw.Book(json=payload)`` — the payload built from the real
file as Office.js sends it (:func:`test_excel.payload_from_file`). The actions it returns
are applied to the payload by the test's client (:func:`test_excel.apply_actions`).
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import xlwings
from conftest import good_filling, make_input
from lite_client import pyodide_version, run_main_py
from lxml import etree
from openxml_audit import OpenXmlValidator
from test_excel import Applied, apply_actions, faulty_filling, payload_from_file

from toolkit.excel.findings import ERROR_FILL, INPUT_FILL, WARNING_FILL
from toolkit.reading.workbook import read_workbook
from toolkit.reading.xlsx import split_ref
from toolkit.spec.layout import TJEK_PY_COL, TJEK_STATUS_ROW, cell_ref
from toolkit.spec.workbook import default_spec
from toolkit.workbook.build import TJEK_HEADER_ROW, build_workbook
from toolkit.workbook.lite import addin
from toolkit.workbook.lite.bundle import BundleError, bundle_files, bundle_modules, main_py

ROOT = Path(__file__).resolve().parents[1]
WORDS = {"fejl": "Fejl", "advarsel": "Advarsel"}
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# ------------------------------------------------------------------ the bundle


def test_main_py_is_generated_from_the_toolkit_sources() -> None:
    files = bundle_files()
    for rel in ("toolkit/rules/validate.py", "toolkit/reading/workbook.py", "toolkit/spec/catalog.py", "toolkit/spec/model.py",
                "toolkit/excel/book.py", "toolkit/excel/findings.py", "toolkit/excel/lite.py"):  # fmt: skip
        assert files[rel] == (ROOT / rel).read_text(encoding="utf-8"), rel
    assert files["workbook/kontraktbog.toml"] == (ROOT / "workbook/kontraktbog.toml").read_text(
        encoding="utf-8"
    )
    # the desktop buttons' package init (pandas via the master) is only a marker
    assert "import" not in files["toolkit/excel/__init__.py"]
    assert "toolkit/workbook/build.py" not in files and "toolkit/master/model.py" not in files
    text = main_py()
    compile(text, "main.py", "exec")
    namespace: dict[str, Any] = {}
    exec(text.split("\ndef _install", 1)[0], namespace)  # the head: the script, no install
    assert callable(namespace["valider"])


def test_bundle_refuses_a_module_lite_cannot_import(monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.workbook.lite.bundle as bundle

    monkeypatch.setattr(bundle, "ROOT", "toolkit.workbook.build")  # imports xlsxwriter and lxml
    with pytest.raises(BundleError, match=r"imports (xlsxwriter|lxml): that does not run"):
        bundle_modules()
    monkeypatch.setattr(
        bundle, "ROOT", "toolkit.reading.xlsx"
    )  # lxml only behind except ImportError
    assert "toolkit.reading.xlsx" in bundle_modules()


def test_versions_are_the_projects_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (
        f"xlwings=={addin.XLWINGS_VERSION}" in project["project"]["optional-dependencies"]["test"]
    )
    assert xlwings.__version__ == addin.XLWINGS_VERSION
    package = json.loads((ROOT / "tests/pyodide/package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["pyodide"] == addin.PYODIDE_VERSION
    lock = json.loads((ROOT / "tests/pyodide/package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/pyodide"]["version"] == addin.PYODIDE_VERSION


# ------------------------------------------------------------------ the parts


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize(
    ("phase", "xlsm"), [("forslag", False), ("resultater", False), ("forslag", True)]
)
def test_every_workbook_carries_the_addin(tmp_path: Path, phase: str, xlsm: bool) -> None:
    inp = dataclasses.replace(make_input(good_filling(), phase=phase), xlsm=xlsm)
    path = build_workbook(tmp_path / "bog.xlsx", inp)
    parts = _parts(path)
    props = addin.stored_properties(path.read_bytes())
    assert props["main.py"] == main_py()
    assert f"xlwings=={addin.XLWINGS_VERSION}" in props["requirements.txt"].splitlines()[0]
    assert props["pyodideVersion"] == addin.PYODIDE_VERSION == "0.27.5"
    assert props["addinVersion"] == addin.ADDIN_VERSION
    assert props["Office.AutoShowTaskpaneWithDocument"] is True
    we = etree.fromstring(parts[addin.WEBEXTENSION])
    ref = we.find(f"{{{addin.NS_WE}}}reference")
    assert ref is not None and ref.get("id") == addin.STORE_ID and ref.get("storeType") == "OMEX"
    pane = etree.fromstring(parts[addin.TASKPANES]).find(f"{{{addin.NS_WETP}}}taskpane")
    assert pane is not None and pane.get("visibility") == "1"  # opens with the workbook
    rels = parts["_rels/.rels"].decode()
    assert addin.REL_TASKPANES in rels and addin.TASKPANES in rels
    assert 'Target="webextension1.xml"' in parts[addin.TASKPANES_RELS].decode()
    types = parts["[Content_Types].xml"].decode()
    assert f'PartName="/{addin.WEBEXTENSION}" ContentType="{addin.CT_WEBEXTENSION}"' in types
    assert f'PartName="/{addin.TASKPANES}" ContentType="{addin.CT_TASKPANES}"' in types
    # Vejledning tells how to get the add-in, and that Tjek works without it
    strings = parts["xl/sharedStrings.xml"].decode()
    assert "xlwings Lite" in strings and "Tjek-arket virker også uden" in strings
    # the workbook still reads as before
    assert not [f for f in read_workbook(path).findings if f.severity == "fejl"]


def test_the_parts_are_schema_valid(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "bog.xlsx", make_input(faulty_filling()))
    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors][:10]
    # the validator does look at the new parts: a wrong part is caught
    bad = tmp_path / "forkert.xlsx"
    src = zipfile.ZipFile(path)
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == addin.TASKPANES:
                data = data.replace(b'visibility="1"', b'visibility="ja"')
            dst.writestr(item, data)
    assert not OpenXmlValidator().validate(str(bad)).is_valid


@pytest.mark.libreoffice
def test_libreoffice_opens_and_resaves_the_workbook(tmp_path: Path) -> None:
    from toolkit.office.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    path = build_workbook(tmp_path / "bog.xlsx", make_input(faulty_filling()))
    (out,) = convert([path], "xlsx", tmp_path / "gemt")
    before, after = read_workbook(path), read_workbook(out)
    assert after.maal == before.maal and after.virksomhed == before.virksomhed
    assert [(f.rule, f.cell) for f in after.findings] == [(f.rule, f.cell) for f in before.findings]


# ------------------------------------------------------------------ protection


@dataclass
class SheetProtection:
    protected: bool
    format_cells: bool  # formatting allowed on the protected sheet
    cell_style: dict[tuple[int, int], int]
    row_style: dict[int, int]
    col_style: list[tuple[int, int, int]]  # (first, last, style), zero-based

    def style(self, r: int, c: int) -> int:
        if (r, c) in self.cell_style:
            return self.cell_style[(r, c)]
        if r in self.row_style:
            return self.row_style[r]
        return next((s for a, b, s in self.col_style if a <= c <= b), 0)


def protection_of(path: Path) -> tuple[dict[str, SheetProtection], list[bool]]:
    """Per sheet (by name) its protection, and per cell style whether it is locked."""
    names = [s.name for s in default_spec().sheets]
    out = {}
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("xl/styles.xml"))
        locked = []
        for xf in styles.findall(f"{M}cellXfs/{M}xf"):
            p = xf.find(f"{M}protection")
            locked.append(not (p is not None and p.get("locked") in ("0", "false")))
        for i, name in enumerate(names):
            xml = etree.fromstring(z.read(f"xl/worksheets/sheet{i + 1}.xml"))
            prot = xml.find(f"{M}sheetProtection")
            cells = {split_ref(c.get("r")): int(c.get("s", "0")) for c in xml.iter(f"{M}c")}
            rows = {int(r.get("r")) - 1: int(r.get("s", "0")) for r in xml.iter(f"{M}row")
                    if r.get("customFormat") in ("1", "true")}  # fmt: skip
            cols = [(int(c.get("min")) - 1, int(c.get("max")) - 1, int(c.get("style", "0")))
                    for c in xml.iter(f"{M}col")]  # fmt: skip
            out[name] = SheetProtection(
                prot is not None and prot.get("sheet") in ("1", "true"),
                prot is None or prot.get("formatCells") in ("0", "false"),
                cells, rows, cols,
            )  # fmt: skip
    return out, locked


def check_protection(path: Path, payload: dict[str, Any], actions: list[dict[str, Any]]) -> int:
    """Every cell the actions write must be unlocked, every colour must be allowed."""
    sheets, locked = protection_of(path)
    names = [s["name"] for s in payload["sheets"]]
    touched = 0
    for a in actions:
        if a["func"] in ("alert", "activateSheet"):
            continue
        sheet = sheets[names[a["sheet_position"]]]
        cells = [(r, c) for r in range(a["start_row"], a["start_row"] + a["row_count"])
                 for c in range(a["start_column"], a["start_column"] + a["column_count"])]  # fmt: skip
        if a["func"] in ("setValues", "setFormula", "rangeClearContents"):
            for r, c in cells:
                assert not sheet.protected or not locked[sheet.style(r, c)], (
                    f"{a['func']} into the locked cell {names[a['sheet_position']]}!{cell_ref(r, c)}"
                )
        elif a["func"] == "setRangeColor":
            assert not sheet.protected or sheet.format_cells, (
                f"colour on {names[a['sheet_position']]}, whose protection forbids formatting"
            )
        else:
            raise AssertionError(f"an action the protection check does not know: {a['func']}")
        touched += len(cells)
    return touched


# ------------------------------------------------------------------ Valider in Pyodide


@dataclass
class LiteRun:
    files: dict[str, Path]
    payloads: dict[str, dict[str, Any]]
    result: dict[str, Any]
    cli: dict[str, list[dict[str, str]]]

    def item(self, name: str) -> dict[str, Any]:
        return next(r for r in self.result["results"] if r["name"] == name)

    def applied(self, name: str) -> Applied:
        return apply_actions(self.payloads[name], self.item(name)["actions"])


def area_rows(applied: Applied) -> list[tuple[str, ...]]:
    out = []
    for row in applied.sheet("Tjek")[TJEK_HEADER_ROW + 1 :]:
        cells = (row[TJEK_PY_COL : TJEK_PY_COL + 5] + [""] * 5)[:5]
        if cells[0] in ("", None):
            break
        out.append(tuple("" if v is None else str(v) for v in cells))
    return out


@pytest.fixture(scope="module")
def lite_run(tmp_path_factory: pytest.TempPathFactory) -> LiteRun:
    """The demo inbox, validated by the workbooks' own main.py in Pyodide and by the CLI."""
    from toolkit.demo.pipeline import run_demo

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, with_master=False)  # kontrakt demo's inbox; no master or documents
    extra = tmp_path_factory.mktemp("extra")
    files = {p.name: p for p in sorted((folder / "indbakke").glob("*.xls*"))}
    files["med fejl.xlsm"] = build_workbook(  # the .xlsm kind, with planted mistakes
        extra / "med fejl.xlsx", dataclasses.replace(make_input(faulty_filling()), xlsm=True)
    )
    payloads = {name: payload_from_file(p) for name, p in files.items()}
    result = run_main_py(main_py(), payloads)
    kontrakt = Path(sys.executable).parent / "kontrakt"
    proc = subprocess.run([str(kontrakt), "valider", "--json", *map(str, files.values())],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    cli: dict[str, list[dict[str, str]]] = {name: [] for name in files}
    for f in json.loads(proc.stdout):
        cli[Path(f["file"]).name].append(f)
    return LiteRun(files, payloads, result, cli)


@pytest.mark.slow
def test_lite_valider_equals_kontrakt_valider_json_on_the_demo_inbox(lite_run: LiteRun) -> None:
    """One Pyodide run over the whole inbox (and an .xlsm): same findings as the CLI,
    a verdict, and only cells the workbook's protection leaves open are touched."""
    r = lite_run.result
    assert r["platform"] == "emscripten"
    assert r["pyodide"] == pyodide_version() == addin.PYODIDE_VERSION
    assert r["xlwings"] == addin.XLWINGS_VERSION
    assert r["toolkit_file"].startswith("/tmp/kontraktstyring-")  # the bundle, nothing else
    assert r["forbidden_modules"] == []
    with_errors = without = touched = 0
    for name, path in lite_run.files.items():
        want = {
            (WORDS[f["severity"]], f["sheet"], f["cell"], f["message"], f["rule"])
            for f in lite_run.cli[name]
        }
        got = area_rows(lite_run.applied(name))
        assert Counter(got) == Counter(want), name  # each finding once, nothing else
        errors = sum(1 for row in got if row[0] == "Fejl")
        with_errors += errors > 0
        without += not got
        out = lite_run.item(name)["output"]
        assert out.startswith("IKKE KLAR" if errors else "KLAR"), (name, out)
        touched += check_protection(path, lite_run.payloads[name], lite_run.item(name)["actions"])
    assert with_errors >= 5 and without >= 5, (with_errors, without)
    assert touched > 100


@pytest.mark.slow
def test_lite_writes_links_colours_a_verdict_and_clears_them_next_time(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "bog.xlsx", make_input(faulty_filling()))
    assert path.suffix == ".xlsx"  # the plain workbook has the findings area too
    payload = payload_from_file(path)
    (first_run,) = run_main_py(main_py(), {"bog": payload})["results"]
    first = apply_actions(payload, first_run["actions"])
    rows = area_rows(first)
    assert rows and first.activated == ["Tjek"] and not first.alerts
    for i, (_, sheet, cell, _, _) in enumerate(rows):
        if cell:
            formula = first.formulas[("Tjek", cell_ref(TJEK_HEADER_ROW + 1 + i, TJEK_PY_COL + 2))]
            assert formula.endswith(f'!{cell}","{cell}")') and sheet in formula
    model = read_workbook(path)
    ansatte = model.cells[("virksomhed", "ansatte", None)]
    assert first.fills[ansatte] == ERROR_FILL
    assert set(first.fills.values()) <= {ERROR_FILL, WARNING_FILL}
    status = first.value("Tjek", cell_ref(TJEK_STATUS_ROW + 1, TJEK_PY_COL))
    errors = sum(1 for r in rows if r[0] == "Fejl")
    assert status.startswith("Tjekket ") and f"{errors} fejl" in status
    assert first_run["output"].startswith("IKKE KLAR")
    # the leader fixes one cell (not saved) and clicks Valider again
    fixed = copy.deepcopy(first.payload)
    grid = next(s for s in fixed["sheets"] if s["name"] == ansatte[0])["values"]
    r, c = split_ref(ansatte[1])
    grid[r][c] = 24
    (again,) = run_main_py(main_py(), {"bog": fixed})["results"]
    second = apply_actions(fixed, again["actions"])
    assert second.fills[ansatte] == INPUT_FILL  # its own colour back
    assert "celle_tekst_i_tal" not in {row[4] for row in area_rows(second)}
    assert len(area_rows(second)) == len(rows) - 1
    below = second.sheet("Tjek")[TJEK_HEADER_ROW + 1 + len(rows) - 1]
    assert all(v in ("", None) for v in below[TJEK_PY_COL : TJEK_PY_COL + 5])
    check_protection(path, payload, first_run["actions"])
    check_protection(path, payload, again["actions"])


def test_the_protection_check_catches_a_write_into_a_locked_cell(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "bog.xlsx", make_input(good_filling()))
    payload = payload_from_file(path)
    tjek = [s["name"] for s in payload["sheets"]].index("Tjek")
    write = {"func": "setValues", "sheet_position": tjek, "start_row": TJEK_HEADER_ROW + 1,
             "start_column": 0, "row_count": 1, "column_count": 1, "values": [["x"]], "args": []}  # fmt: skip
    with pytest.raises(AssertionError, match=f"locked cell Tjek!A{TJEK_HEADER_ROW + 2}"):
        check_protection(path, payload, [write])
    check_protection(path, payload, [{**write, "start_column": TJEK_PY_COL}])  # column H: open
    meta = [s["name"] for s in payload["sheets"]].index("Meta")
    colour = {**write, "func": "setRangeColor", "sheet_position": meta, "args": ["#FFC7CE"]}
    check_protection(path, payload, [colour])  # formatting is allowed on every sheet


def test_addin_parts_can_be_read_back() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("[Content_Types].xml", "<Types></Types>")
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="rId3"/></Relationships>')
    out = addin.add_addin(data.getvalue(), "print('hej')\n")
    assert addin.stored_properties(out)["main.py"] == "print('hej')\n"
    assert 'Id="rId4"' in _parts_of(out)["_rels/.rels"].decode()
    with pytest.raises(ValueError, match="already"):
        addin.add_addin(out, "x")


def _parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}
