"""The buttons: toolkit.excel under xlwings' remote engine, the .xlsm files (server: test_server.py).

No Excel here. The tests play the client's part instead: a real workbook file is turned
into the JSON payload xlwings' Office.js client sends (values from python-calamine, names,
tables and sheet states from openpyxl — the shape ``getBookData`` gives), the entry point
runs on ``xw.Book(json=payload)``, and the actions it returns (``book.json()``) are
applied by a small applier of our own to the payload's values ("the values model"): the
files have VBA and charts, so they are not re-saved. The result is then checked — and for
the master read back with the project's own file reader.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from conftest import good_filling, make_input
from lxml import etree
from openpyxl.utils import get_column_letter, range_boundaries
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.excel import (
    konsolider,
    lav_kontrakter,
    lav_udvalgsnotater,
    nyt_kontraktaar,
    paamind,
    read_book,
    server,
    valider,
)
from toolkit.excel.findings import ERROR_FILL, INPUT_FILL, WARNING_FILL
from toolkit.master.model import read_master_rows
from toolkit.master.tables import BY_KEY, TABLES
from toolkit.master.xlsm import _matrix, to_xlsm
from toolkit.reading.workbook import read_workbook
from toolkit.rules.validate import validate
from toolkit.spec.layout import cell_ref
from toolkit.spec.workbook import default_spec
from toolkit.workbook.build import TJEK_HEADER_ROW, TJEK_PY_COL, TJEK_STATUS_ROW, build_workbook

server.ensure_remote_engine()  # xlwings' remote engine: XLWINGS_LICENSE_KEY=noncommercial
import xlwings as xw  # noqa: E402

YEAR = 2027
MASTER_MACROS = ("Konsolider", "LavKontrakter", "LavUdvalgsnotater", "NytKontraktaar", "Paamind")
LO_MACRO = "vnd.sun.star.script:VBAProject.{}.{}?language=Basic&location=document"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)?$")


# ------------------------------------------------------------------ the client's part


def _json_value(v: Any) -> Any:
    """A cell value as Office.js' getBookData sends it (dates as ISO text with Z)."""
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(timespec="milliseconds") + "Z"
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day).isoformat(timespec="milliseconds") + "Z"
    return v


def payload_from_file(path: Path) -> dict[str, Any]:
    """The JSON body xlwings' Office.js client sends for the workbook at ``path``."""
    values_wb = python_calamine.CalamineWorkbook.from_path(str(path))
    wb = openpyxl.load_workbook(path)
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    names = []
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations)
        if len(dests) != 1 or dests[0][0] not in index:
            continue
        sheet, ref = dests[0]
        names.append({"name": name, "sheet_index": index[sheet], "address": ref.replace("$", ""),
                      "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})  # fmt: skip
    sheets = []
    for ws in wb.worksheets:
        rows = values_wb.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        values = [[_json_value(v) for v in r] + [""] * (width - len(r)) for r in rows]
        tables = []
        for tname, ref in ws.tables.items():
            tables.append(_table_api(tname, ref))
        sheets.append({
            "name": ws.title,
            "visibility": {"visible": "Visible", "hidden": "Hidden"}.get(ws.sheet_state, "VeryHidden"),
            "values": values or [[""]], "tables": tables, "pictures": [], "shapes": [], "charts": [],
            "notes": [], "print_area": None, "show_gridlines": True, "pivot_tables": [],
            "used_range_address": f"A1:{get_column_letter(width)}{len(rows)}" if rows and width else None,
        })  # fmt: skip
    wb.close()
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}  # fmt: skip


def _table_api(name: str, ref: str) -> dict[str, Any]:
    c0, r0, c1, r1 = range_boundaries(ref)
    a, b = get_column_letter(c0), get_column_letter(c1)
    return {"name": name, "range_address": ref.replace("$", ""),
            "header_row_range_address": f"{a}{r0}:{b}{r0}",
            "data_body_range_address": f"{a}{r0 + 1}:{b}{r1}", "total_row_range_address": None,
            "show_headers": True, "show_totals": False, "table_style": "TableStyleLight9",
            "show_autofilter": True, "row_count": r1 - r0 + 1, "column_count": c1 - c0 + 1}  # fmt: skip


@dataclass
class Applied:
    """The payload after the actions, and what else the actions did."""

    payload: dict[str, Any]
    fills: dict[tuple[str, str], str] = field(default_factory=dict)
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)
    number_formats: dict[tuple[str, str], str] = field(default_factory=dict)
    alerts: list[list[Any]] = field(default_factory=list)
    activated: list[str] = field(default_factory=list)
    funcs: list[str] = field(default_factory=list)

    def sheet(self, name: str) -> list[list[Any]]:
        return next(s for s in self.payload["sheets"] if s["name"] == name)["values"]

    def value(self, sheet: str, ref: str) -> Any:
        r, c = _rc(ref)
        grid = self.sheet(sheet)
        return grid[r][c] if r < len(grid) and c < len(grid[r]) else ""


def _rc(ref: str) -> tuple[int, int]:
    c0, r0, _, _ = range_boundaries(ref)
    return r0 - 1, c0 - 1


def _excel_text(v: Any) -> Any:
    """What Excel stores when it is given ``v`` as a value, like a person typing it."""
    if v is None:
        return ""
    if isinstance(v, str):
        if v.startswith("'"):
            return v[1:]  # the text prefix
        assert not v.startswith("="), f"a formula written as a value: {v!r}"
        if _ISO.match(v):  # xlwings sends dates as ISO text; Excel reads a date
            return datetime.fromisoformat(v.rstrip("Z")).isoformat(timespec="milliseconds") + "Z"
    return v


_HYPERLINK = re.compile(r'^=HYPERLINK\("([^"]*)","([^"]*)"\)$')


def _cells(a: dict[str, Any]) -> Iterator[tuple[int, int]]:
    for r in range(a["start_row"], a["start_row"] + a["row_count"]):
        for c in range(a["start_column"], a["start_column"] + a["column_count"]):
            yield r, c


def _put(grid: list[list[Any]], r: int, c: int, v: Any) -> None:
    while len(grid) <= r:
        grid.append([""] * (len(grid[0]) if grid else 0))
    for row in grid:
        while len(row) <= c:
            row.append("")
    grid[r][c] = v


def apply_actions(payload: dict[str, Any], actions: list[dict[str, Any]]) -> Applied:
    """Apply the actions our entry points emit to a copy of the payload's values."""
    out = Applied(copy.deepcopy(payload))
    sheets = out.payload["sheets"]
    for a in actions:
        func = a["func"]
        out.funcs.append(func)
        ws = sheets[a["sheet_position"]] if a.get("sheet_position") is not None else None
        if func == "setValues":
            assert ws is not None
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    _put(ws["values"], a["start_row"] + i, a["start_column"] + j, _excel_text(v))
        elif func == "setFormula":
            assert ws is not None
            for i, row in enumerate(a["values"]):
                for j, f in enumerate(row):
                    r, c = a["start_row"] + i, a["start_column"] + j
                    m = _HYPERLINK.match(str(f))
                    if m:  # Excel shows HYPERLINK's friendly name
                        out.formulas[(ws["name"], cell_ref(r, c))] = f
                        _put(ws["values"], r, c, m.group(2))
                    else:
                        assert not str(f).startswith("="), f"unexpected formula {f!r}"
                        _put(ws["values"], r, c, _excel_text(f))
        elif func == "rangeClearContents":
            assert ws is not None
            for r, c in _cells(a):
                if r < len(ws["values"]) and c < len(ws["values"][r]):
                    ws["values"][r][c] = ""
                out.formulas.pop((ws["name"], cell_ref(r, c)), None)
        elif func == "setRangeColor":
            assert ws is not None
            for r, c in _cells(a):
                out.fills[(ws["name"], cell_ref(r, c))] = a["args"][0]
        elif func == "setNumberFormat":
            assert ws is not None
            for r, c in _cells(a):
                out.number_formats[(ws["name"], cell_ref(r, c))] = a["args"][0]
        elif func == "resizeTable":
            assert ws is not None
            index, address = a["args"]
            name = ws["tables"][index]["name"]
            ws["tables"][index] = _table_api(name, address)
        elif func == "alert":
            out.alerts.append(a["args"])
        elif func == "activateSheet":
            out.activated.append(sheets[int(a["args"][0])]["name"])
        else:
            raise AssertionError(f"an action the test's applier does not know: {func}")
    for ws in sheets:  # the used range, as the client would send it next time
        grid = ws["values"]
        rows = [i for i, r in enumerate(grid) if any(v not in ("", None) for v in r)]
        cols = [j for r in grid for j, v in enumerate(r) if v not in ("", None)]
        if rows and cols:
            last_r, last_c = max(rows), max(cols)
            ws["values"] = [(r + [""] * (last_c + 1))[: last_c + 1] for r in grid[: last_r + 1]]
            ws["used_range_address"] = f"A1:{get_column_letter(last_c + 1)}{last_r + 1}"
    return out


def run_remote(func: Any, payload: dict[str, Any], **kw: Any) -> tuple[Any, Applied]:
    """Call an entry point on ``xw.Book(json=payload)``; apply the actions it returns."""
    book = xw.Book(json=copy.deepcopy(payload))
    try:
        json.dumps(payload)  # the payload is what a client can send
        result = func(book, **kw)
        actions = json.loads(json.dumps(book.json()["actions"], default=str))
    finally:
        book.close()
    return result, apply_actions(payload, actions)


def model_to_xlsx(applied: Applied, path: Path) -> Path:
    """The values model as a plain .xlsx (values only), to read with the project's reader."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in applied.payload["sheets"]:
        ws = wb.create_sheet(s["name"])
        for r, row in enumerate(s["values"], start=1):
            for c, v in enumerate(row, start=1):
                if v in ("", None):
                    continue
                if isinstance(v, str) and _ISO.match(v):
                    cell = ws.cell(r, c, datetime.fromisoformat(v.rstrip("Z")))
                    cell.number_format = "dd-mm-yyyy"
                else:
                    cell = ws.cell(r, c, v)
                    if isinstance(v, str):
                        cell.data_type = "s"  # text, also when it begins with =
    wb.save(path)
    return path


# ------------------------------------------------------------------ institution workbooks


def faulty_filling() -> Any:
    """The good filling with typical mistakes: each makes a different rule fire."""
    f = copy.deepcopy(good_filling())
    f.gruppe[0]["rolle"] = "Medarbejderrepræsentant"  # no leader as chair
    f.maal[0]["maalvaerdi"] = 72  # target equals the baseline
    f.maal[1]["baseline"] = "12,5"  # a number typed with a decimal comma
    f.virksomhed["ansatte"] = "mange"  # text in a number field
    return f


def build_book(tmp_path: Path, filling: Any, *, xlsm: bool = True, name: str = "bog.xlsx") -> Path:
    inp = dataclasses.replace(make_input(filling), xlsm=xlsm)
    return build_workbook(tmp_path / name, inp)


def area_rows(applied: Applied) -> list[tuple[Any, ...]]:
    grid = applied.sheet("Tjek")
    out = []
    for row in grid[TJEK_HEADER_ROW + 1 :]:
        cells = (row[TJEK_PY_COL : TJEK_PY_COL + 5] + [""] * 5)[:5]
        if cells[0] in ("", None):
            break
        out.append(tuple(cells))
    return out


def expected_rows(path: Path) -> set[tuple[str, str, str, str, str]]:
    """What the command line's reader and rules say about the file."""
    words = {"fejl": "Fejl", "advarsel": "Advarsel"}
    return {(words[f.severity], f.sheet, f.cell, f.message, f.rule)
            for f in validate(read_workbook(path))}  # fmt: skip


def test_payload_reads_like_the_file(tmp_path: Path) -> None:
    """The Book adapter gives the reader the same workbook as the file does."""
    path = build_book(tmp_path, faulty_filling())
    file_model = read_workbook(path)
    book = xw.Book(json=payload_from_file(path))
    try:
        book_model = read_book(book)
    finally:
        book.close()

    def plain(findings: list[Any]) -> list[Any]:  # the file name is the book's name
        return [dataclasses.replace(f, file="") for f in findings]

    for f in dataclasses.fields(file_model):
        if f.name not in ("path", "findings"):
            assert getattr(book_model, f.name) == getattr(file_model, f.name), f.name
    assert plain(book_model.findings) == plain(file_model.findings)
    assert plain(validate(book_model)) == plain(validate(file_model))
    assert book_model.findings, "the faulty filling has cell findings"


def test_valider_lists_marks_and_tells(tmp_path: Path) -> None:
    path = build_book(tmp_path, faulty_filling())
    assert path.suffix == ".xlsm"
    payload = payload_from_file(path)
    findings, applied = run_remote(valider, payload)

    want = expected_rows(path)
    rules = {r[4] for r in want}
    assert {"gruppe_leder", "celle_decimalkomma", "celle_tekst_i_tal"} <= rules, rules
    got = area_rows(applied)
    assert set(got) == want and len(got) == len(want)
    # errors first, then warnings
    words = [r[0] for r in got]
    assert words == sorted(words, key=lambda w: w != "Fejl")
    # every row's cell is a link to the cell
    for i, (_, sheet, cell, _, _) in enumerate(got):
        ref = cell_ref(TJEK_HEADER_ROW + 1 + i, TJEK_PY_COL + 2)
        if cell:
            assert applied.formulas[
                ("Tjek", ref)
            ] == f'=HYPERLINK("#\'{sheet}\'!{cell}","{cell}")' or (
                applied.formulas[("Tjek", ref)] == f'=HYPERLINK("#{sheet}!{cell}","{cell}")'
            )
    # the offending input cells are coloured: red for fejl, orange for advarsel
    model = read_workbook(path)
    assert applied.fills, "no cell was marked"
    for f in validate(model):
        key = (f.sheet, f.cell)
        if key in applied.fills:
            assert applied.fills[key] in (ERROR_FILL, WARNING_FILL)
    ansatte = model.cells[("virksomhed", "ansatte", None)]
    assert applied.fills[ansatte] == ERROR_FILL
    comma = model.cells[("maal", "baseline", 1)]
    assert applied.fills[comma] in (ERROR_FILL, WARNING_FILL)
    # the status line and the message
    n_err = sum(1 for r in got if r[0] == "Fejl")
    status = applied.value("Tjek", cell_ref(TJEK_STATUS_ROW + 1, TJEK_PY_COL))
    assert status.startswith("Tjekket ") and f"{n_err} fejl" in status
    ((prompt, title, buttons, mode, _),) = applied.alerts
    assert title == "Valider" and buttons == "ok" and mode == "critical"
    assert prompt.startswith("IKKE KLAR") and f"{n_err} fejl" in prompt and "arket Tjek" in prompt
    assert applied.activated == ["Tjek"]
    # the formula rows A:F are not touched
    before = payload["sheets"][[s["name"] for s in payload["sheets"]].index("Tjek")]["values"]
    for r, row in enumerate(applied.sheet("Tjek")):
        for c in range(6):
            if r < len(before) and c < len(before[r]):
                assert row[c] == before[r][c], cell_ref(r, c)
    assert {f.rule for f in findings} == rules


def test_valider_again_after_fixing_clears_the_old_marks(tmp_path: Path) -> None:
    path = build_book(tmp_path, faulty_filling())
    _, first = run_remote(valider, payload_from_file(path))
    model = read_workbook(path)
    # the user fixes two cells in Excel (not saved) and clicks Valider again
    ansatte = model.cells[("virksomhed", "ansatte", None)]
    comma = model.cells[("maal", "baseline", 1)]
    fixed = copy.deepcopy(first.payload)
    for sheet, ref, value in ((*ansatte, 24), (*comma, 12.5)):
        grid = next(s for s in fixed["sheets"] if s["name"] == sheet)["values"]
        r, c = _rc(ref)
        grid[r][c] = value
    _, second = run_remote(valider, fixed)
    rows = area_rows(second)
    rules = {r[4] for r in rows}
    assert "celle_tekst_i_tal" not in rules and "celle_decimalkomma" not in rules
    assert len(rows) < len(area_rows(first))
    # the list shrank: nothing is left below it
    below = second.sheet("Tjek")[TJEK_HEADER_ROW + 1 + len(rows)]
    assert all(v in ("", None) for v in below[TJEK_PY_COL : TJEK_PY_COL + 5])
    # the fixed cells got their own (input) colour back; the rest stay marked
    assert second.fills[ansatte] == INPUT_FILL
    assert second.fills[comma] == INPUT_FILL
    assert "gruppe_leder" in rules


def test_valider_good_workbook_is_ready(tmp_path: Path) -> None:
    path = build_book(tmp_path, good_filling())
    findings, applied = run_remote(valider, payload_from_file(path))
    assert findings == []
    assert area_rows(applied) == []
    assert applied.fills == {}
    ((prompt, _, _, mode, _),) = applied.alerts
    assert prompt.startswith("KLAR til indsendelse") and mode == "info"
    status = applied.value("Tjek", cell_ref(TJEK_STATUS_ROW + 1, TJEK_PY_COL))
    assert "KLAR til indsendelse" in status


def test_valider_on_xlsx_without_area_only_tells(tmp_path: Path) -> None:
    path = build_book(tmp_path, faulty_filling(), xlsm=False)
    assert path.suffix == ".xlsx"
    payload = payload_from_file(path)  # a workbook from before the findings area
    payload["names"] = [n for n in payload["names"] if n["name"] != "tjek_python"]
    findings, applied = run_remote(valider, payload)
    assert applied.funcs == ["alert"]  # nothing written into a protected .xlsx
    ((prompt, title, _, _, _),) = applied.alerts
    assert title == "Valider" and prompt.startswith("IKKE KLAR")
    assert "Kontraktmål!" in prompt or "Virksomhed!" in prompt
    assert findings and len(findings) == len(expected_rows(path))


def test_valider_on_a_foreign_workbook_says_so(tmp_path: Path) -> None:
    path = tmp_path / "andet.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget"
    wb.save(path)
    result, applied = run_remote(valider, payload_from_file(path))
    assert result is None and applied.funcs == ["alert"]
    assert "ikke en kontraktarbejdsbog" in applied.alerts[0][0]


def test_xlsm_institution_workbook_has_the_button_and_unlocked_area(tmp_path: Path) -> None:
    path = build_book(tmp_path, None)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert "xl/vbaProject.bin" in names
        vml = "".join(z.read(n).decode() for n in names if n.endswith(".vml"))
        workbook_xml = z.read("xl/workbook.xml").decode()
    assert "<x:FmlaMacro>[0]!Valider</x:FmlaMacro>" in vml
    assert "tjek_python" in workbook_xml
    wb = openpyxl.load_workbook(path)
    try:
        tjek = wb["Tjek"]
        assert tjek.protection.sheet and not tjek.protection.formatCells
        header = [tjek.cell(TJEK_HEADER_ROW + 1, TJEK_PY_COL + 1 + k).value for k in range(5)]
        assert header == ["Alvor", "Ark", "Celle", "Besked", "Regel"]
        status = tjek.cell(TJEK_STATUS_ROW + 2, TJEK_PY_COL + 1)
        assert not status.protection.locked and status.value.startswith("Klik på Valider")
        assert tjek.cell(TJEK_HEADER_ROW + 5, 1).protection.locked
        assert not wb["Kontraktmål"].protection.formatCells  # False = formatting allowed
    finally:
        wb.close()
    # the columns H:L are unlocked as a whole (their default style)
    assert unlocked_columns(path, "Tjek") >= set(range(TJEK_PY_COL, TJEK_PY_COL + 5))
    assert not unlocked_columns(path, "Tjek") & set(range(6))


def unlocked_columns(path: Path, sheet: str) -> set[int]:
    """Zero-based columns whose default style (<col style=...>) is unlocked."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    names = [s.name for s in default_spec().sheets]
    with zipfile.ZipFile(path) as z:
        xml = etree.fromstring(z.read(f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"))
        styles = etree.fromstring(z.read("xl/styles.xml"))
    xfs = styles.findall("m:cellXfs/m:xf", ns)
    out: set[int] = set()
    for col in xml.findall("m:cols/m:col", ns):
        xf = xfs[int(col.get("style", "0"))]
        prot = xf.find("m:protection", ns)
        if prot is not None and prot.get("locked") in ("0", "false"):
            out |= set(range(int(col.get("min")) - 1, int(col.get("max"))))
    return out


# ------------------------------------------------------------------ the master

NOW = datetime(2026, 10, 1, 9, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from toolkit.demo.pipeline import run_demo

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, antal=12, year=YEAR, seed=11)
    return folder


@pytest.fixture(scope="module")
def master_xlsm(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_xlsm(demo / "master.xlsx", tmp_path_factory.mktemp("xlsm") / "Master.xlsm")


def grid(payload: dict[str, Any], sheet: str) -> list[list[Any]]:
    return next(s for s in payload["sheets"] if s["name"] == sheet)["values"]


def column(payload: dict[str, Any], sheet: str, header: str) -> tuple[int, int]:
    """(header row, column) of a table column, found by its Danish header."""
    for r, row in enumerate(grid(payload, sheet)[:10]):
        if header in row:
            return r, row.index(header)
    raise AssertionError(f"{sheet}: no column {header}")


def set_setting(payload: dict[str, Any], label: str, value: Any) -> None:
    for row in grid(payload, "Indstillinger"):
        if row and row[0] == label:
            row[1] = value
            return
    raise AssertionError(label)


def edit_by_key(payload: dict[str, Any], sheet: str, key: str, values: dict[str, Any]) -> None:
    """Type ``values`` (header → value) into the row of goal ``key`` (unsaved, in Excel)."""
    hr, kc = column(payload, sheet, "Mål-id")
    g = grid(payload, sheet)
    row = next(r for r in g[hr + 1 :] if r[kc] == key)
    for header, v in values.items():
        row[g[hr].index(header)] = v


def rows_of(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    settings, rows = read_master_rows(path)
    for r in rows.get("koersler", []):
        r.pop("varighed", None)  # how long the run took differs between runs
    return settings, rows


def test_master_xlsm_keeps_everything_and_has_the_buttons(demo: Path, master_xlsm: Path) -> None:
    assert rows_of(master_xlsm) == rows_of(demo / "master.xlsx")
    assert _matrix(master_xlsm) == _matrix(demo / "master.xlsx")
    with zipfile.ZipFile(master_xlsm) as z:
        names = z.namelist()
        vml = "".join(z.read(n).decode() for n in names if n.endswith(".vml"))
        content_types = z.read("[Content_Types].xml").decode()
    assert "xl/vbaProject.bin" in names
    assert "macroEnabled" in content_types
    for macro in MASTER_MACROS:
        assert f"<x:FmlaMacro>[0]!{macro}</x:FmlaMacro>" in vml


def test_konsolider_updates_the_open_master_in_place(
    demo: Path, master_xlsm: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "indbakke"
    shutil.copytree(demo / "indbakke", inbox)
    register = demo / "inddata" / "Virksomhedsregister.xlsx"
    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Indbakke", str(inbox))  # typed in Excel, not saved

    # Kontraktservice's own columns, typed in Excel and not saved yet
    _, maal = read_master_rows(master_xlsm)
    goals = maal["maal"]
    by_inst: dict[str, list[str]] = {}
    for g in goals:
        by_inst.setdefault(g["virksomhed_id"], []).append(g["noegle"])
    kept_inst, gone_inst = sorted(by_inst)[:2]
    kept, gone = by_inst[kept_inst][0], by_inst[gone_inst][0]
    edit_by_key(
        payload, "Kontraktmål", kept, {"Beslutning": "Godkendt", "Kommentar": "=SUM(1) er tekst"}
    )
    edit_by_key(payload, "Kontraktmål", gone, {"Beslutning": "Afvist", "Kommentar": "Forsvinder"})
    edit_by_key(
        payload,
        "Resultater",
        kept,
        {"Manuel målopfyldelse": "Opfyldt", "Begrundelse for manuel": "Aftalt"},
    )
    # ... and an institution's file leaves the inbox: its goals disappear
    inst_file = next(p for p in inbox.iterdir() if read_workbook(p).meta.virksomhed_id == gone_inst)
    inst_file.unlink()

    summary, applied = run_remote(konsolider, payload, now=NOW)
    assert summary is not None and summary["mangler"] >= 1
    ((prompt, title, _, mode, _),) = applied.alerts
    assert title == "Konsolider" and mode == "info"
    assert prompt.startswith("Masterarbejdsbogen er opdateret") and "gemme" in prompt
    assert {"setValues", "resizeTable"} <= set(applied.funcs)
    assert "setFormula" not in applied.funcs  # data, never formulas
    got_settings, got = rows_of(model_to_xlsx(applied, tmp_path / "efter.xlsx"))

    # the manual columns are kept; the vanished goal's data moved to Forældede mål
    goal = next(r for r in got["maal"] if r["noegle"] == kept)
    assert goal["beslutning"] == "Godkendt" and goal["kommentar"] == "=SUM(1) er tekst"
    res = next(r for r in got["resultater"] if r["noegle"] == kept)
    assert res["manuel"] == "Opfyldt" and res["maalopfyldelse"] == "Opfyldt"
    assert not any(r["noegle"] == gone for r in got["maal"])
    orphan = next(r for r in got["foraeldede"] if r["noegle"] == gone)
    assert json.loads(orphan["data"])["beslutning"] == "Afvist"
    status = {r["virksomhed_id"]: r["status"] for r in got["oversigt"]}
    assert status[gone_inst] == "Forsinket"  # NOW is after the deadline, 1 September 2026
    assert len(got["koersler"]) == len(maal["koersler"]) + 1
    assert got["koersler"][-1]["tidspunkt"] == NOW

    # the same as the command line's Konsolider on a saved master with the same edits
    saved = model_to_xlsx(Applied(payload), tmp_path / "Gemt master.xlsx")
    from toolkit.master.consolidate import run

    run([inbox], saved, register, YEAR, now=NOW)
    want_settings, want = rows_of(saved)
    for t in TABLES:
        assert got.get(t.key) == want.get(t.key), t.sheet
    assert _matrix(model_to_xlsx(applied, tmp_path / "efter2.xlsx")) == _matrix(saved)
    assert got_settings["aar"] == want_settings["aar"] == YEAR

    # the Excel tables now span exactly the new rows
    sheets = {s["name"]: s for s in applied.payload["sheets"]}
    table = next(t for t in sheets["Kontraktmål"]["tables"] if t["name"] == BY_KEY["maal"].table)
    _, r0, _, r1 = range_boundaries(table["range_address"])
    assert r1 - r0 == len(got["maal"])
    # date columns keep their format in rows the table grew into
    frist = column(
        applied.payload,
        "Kontraktmål",
        next(c.header for c in BY_KEY["maal"].cols if c.key == "frist"),
    )
    assert applied.number_formats[("Kontraktmål", cell_ref(frist[0] + 1, frist[1]))] == "dd-mm-yyyy"


def test_konsolider_in_excel_keeps_own_columns_on_their_rows(
    demo: Path, master_xlsm: Path, tmp_path: Path
) -> None:
    """A column Kontraktservice added to Kontraktmål by hand ("Sagsnr.", unsaved) keeps
    its values on their goals when the open master is consolidated; a goal that vanishes
    takes its value to Forældede mål."""
    from toolkit.master.extra import EXTRA

    inbox = tmp_path / "indbakke"
    shutil.copytree(demo / "indbakke", inbox)
    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Indbakke", str(inbox))
    hr, kc = column(payload, "Kontraktmål", "Mål-id")
    g = grid(payload, "Kontraktmål")
    at = len(BY_KEY["maal"].cols)
    _put(g, hr, at, "Sagsnr.")
    typed = {}
    for i, row in enumerate(g[hr + 1 :]):
        if row[kc]:
            typed[row[kc]] = f"SAG-{i:03d}"
            _put(g, hr + 1 + i, at, typed[row[kc]])
    sheet = next(s for s in payload["sheets"] if s["name"] == "Kontraktmål")
    sheet["used_range_address"] = f"A1:{get_column_letter(at + 1)}{len(g)}"
    gone_inst = sorted({k.split("-")[0] for k in typed})[0]
    next(p for p in inbox.iterdir() if read_workbook(p).meta.virksomhed_id == gone_inst).unlink()

    overblik = copy.deepcopy(grid(payload, "Overblik"))
    _, applied = run_remote(konsolider, payload, now=NOW)
    _, got = rows_of(model_to_xlsx(applied, tmp_path / "efter.xlsx"))
    # Overblik's key figures are live formulas (toolkit.master.overblik): left as they are,
    # while the year shown is the year consolidated and the figures would differ now
    after = grid(applied.payload, "Overblik")
    assert after[3][:8] == overblik[3][:8] and after[4][:8] == overblik[4][:8]
    assert after[2][:2] == ["Vis kontraktår:", YEAR]
    kept = {r["noegle"]: r[EXTRA]["Sagsnr."] for r in got["maal"]}
    orphans = {o["noegle"]: json.loads(o["data"])[EXTRA]["Sagsnr."] for o in got["foraeldede"]}
    assert orphans and all(k.startswith(gone_inst) for k in orphans)
    assert {**kept, **orphans} == typed


def test_konsolider_without_settings_tells_and_writes_nothing(master_xlsm: Path) -> None:
    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Indbakke", "")
    result, applied = run_remote(konsolider, payload)
    assert result is None and applied.funcs == ["alert"]
    assert "Skriv Indbakke på arket Indstillinger" in applied.alerts[0][0]
    set_setting(payload, "Indbakke", "/findes/ikke")
    _, applied = run_remote(konsolider, payload)
    assert applied.funcs == ["alert"] and "findes ikke" in applied.alerts[0][0]


def test_konsolider_on_an_institution_workbook_says_so(tmp_path: Path) -> None:
    path = build_book(tmp_path, None)
    result, applied = run_remote(konsolider, payload_from_file(path))
    assert result is None and applied.funcs == ["alert"]
    assert "ikke ud til at være en masterarbejdsbog" in applied.alerts[0][0]


def test_lav_kontrakter_and_udvalgsnotater_from_the_open_master(
    master_xlsm: Path, tmp_path: Path
) -> None:
    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Dokumentmappe", str(tmp_path / "dokumenter"))
    paths, applied = run_remote(lav_kontrakter, payload)
    assert paths and all(p.is_file() and p.suffix == ".docx" for p in paths)
    assert all(p.parent == tmp_path / "dokumenter" / f"Kontrakter {YEAR}" for p in paths)
    assert applied.alerts[0][0].startswith(f"{len(paths)} kontrakter er lavet")
    memos, applied = run_remote(lav_udvalgsnotater, payload)
    assert memos and all(p.is_file() for p in memos)
    assert "forslag" in applied.alerts[0][0]


def test_documents_need_a_folder_when_the_book_has_no_file(master_xlsm: Path) -> None:
    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Dokumentmappe", "")
    result, applied = run_remote(lav_kontrakter, payload)
    assert result is None and "Skriv en Dokumentmappe" in applied.alerts[0][0]


def test_nyt_kontraktaar_carries_goals_and_results_into_next_year(
    master_xlsm: Path, tmp_path: Path
) -> None:
    from toolkit.master.model import read_master_rows
    from toolkit.reading.workbook import read_workbook

    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Dokumentmappe", str(tmp_path / "ud"))
    paths, applied = run_remote(nyt_kontraktaar, payload)
    assert paths and all(p.parent == tmp_path / "ud" / f"Udsendt {YEAR + 1}" for p in paths)
    assert f"kontraktår {YEAR + 1}" in applied.alerts[0][0]
    # the open master moves on to the new year, phase Forslag
    r = next(
        i
        for i, row in enumerate(grid(applied.payload, "Indstillinger"))
        if row and row[0] == "Kontraktår"
    )
    assert grid(applied.payload, "Indstillinger")[r][1] == YEAR + 1
    _, rows = read_master_rows(master_xlsm)
    goals = {(g["virksomhed_id"], g["nr"]): g for g in rows["maal"] if g["aar"] == YEAR}
    carried = 0
    for path in paths:
        book = read_workbook(path)
        assert book.year == YEAR + 1 and book.phase == "forslag"
        inst = book.meta.virksomhed_id
        for g in book.maal:
            old = goals[(inst, g.nr)]
            assert g.titel == old["titel"] and g.indikator == old["indikator"]
            assert g.maalvaerdi is None and g.frist is None  # the institution sets them anew
            carried += 1
        if any(k[0] == inst for k in goals):
            assert (book.virksomhed.status_sidste_aar or "").startswith(f"Kontrakt {YEAR}")
    assert carried, "no goal was carried over"


def test_paamind_from_the_open_master_writes_drafts(master_xlsm: Path, tmp_path: Path) -> None:
    import email
    from email.policy import default

    payload = payload_from_file(master_xlsm)
    set_setting(payload, "Dokumentmappe", str(tmp_path / "ud"))
    paths, applied = run_remote(paamind, payload)
    assert paths and all(p.parent == tmp_path / "ud" / f"Påmindelser {YEAR}" for p in paths)
    assert f"{len(paths)} e-mailkladder" in applied.alerts[0][0]
    assert "Intet er sendt" in applied.alerts[0][0]
    for path in paths:
        msg = email.message_from_bytes(path.read_bytes(), policy=default)
        assert msg["X-Unsent"] == "1" and "@" in str(msg["To"]) and msg["Subject"]
    assert (paths[0].parent / "Påmindelser.xlsx").is_file()


# ------------------------------------------------------------------ LibreOffice


def _lo_reason() -> str | None:
    from uno_harness.session import unavailable_reason, uno_available

    return None if uno_available() else (unavailable_reason() or "LibreOffice/UNO mangler")


@pytest.mark.libreoffice
def test_libreoffice_lists_the_modules_and_the_buttons(master_xlsm: Path, tmp_path: Path) -> None:
    reason = _lo_reason()
    if reason:
        print(f"LibreOffice-test sprunget over: {reason}")
        pytest.skip(reason)
    from uno_harness.session import run_uno

    institution = build_book(tmp_path, None)
    results = run_uno([
        {"op": "open", "path": str(master_xlsm), "macros": True},
        {"op": "basic_libraries"},
        {"op": "controls", "sheet": "Overblik"},
        {"op": "close"},
        {"op": "open", "path": str(institution), "macros": True},
        {"op": "basic_libraries"},
        {"op": "controls", "sheet": "Tjek"},
        {"op": "close"},
    ], timeout=300)  # fmt: skip
    errors = [r for r in results if isinstance(r, dict) and "error" in r]
    assert not errors, errors
    master_libs, master_controls = results[1], results[2]
    assert {"Master", "PythonTjek", "xlwings", "Dictionary"} <= set(master_libs["modules"])
    assert (
        'RunPython "import toolkit.excel; toolkit.excel.konsolider()"'
        in master_libs["modules"]["Master"]["source"]
    )
    assert master_controls["codename"] == "Overblik"
    bound = {(c["label"], e["script"]) for c in master_controls["controls"] for e in c["events"]}
    assert {label for label, _ in bound} == {
        "Konsolider",
        "Lav kontrakter",
        "Lav udvalgsnotater",
        "Nyt kontraktår",
        "Påmindelser",
    }
    assert {script for _, script in bound} == {LO_MACRO.format("Master", m) for m in MASTER_MACROS}
    inst_libs, inst_controls = results[5], results[6]
    assert {"Kontraktbog", "PythonTjek", "xlwings", "Dictionary"} <= set(inst_libs["modules"])
    (button,) = inst_controls["controls"]
    assert button["label"] == "Valider"
    assert [e["script"] for e in button["events"]] == [LO_MACRO.format("Kontraktbog", "Valider")]


# ------------------------------------------------------------------ the command line


def test_cli_makes_xlsm_workbooks_and_masters(demo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    reg = demo / "inddata" / "Virksomhedsregister.xlsx"
    foc = demo / "inddata" / "Indsatsområder.xlsx"
    first_id = read_workbook(next((demo / "indbakke").iterdir())).meta.virksomhed_id
    res = runner.invoke(app, ["opret", "--aar", str(YEAR), "--register", str(reg), "--indsatsomraader",
                              str(foc), "--ud", str(tmp_path / "ud"), "--xlsm", "--kun", str(first_id)])  # fmt: skip
    assert res.exit_code == 0, res.output
    (made,) = list((tmp_path / "ud").iterdir())
    assert made.suffix == ".xlsm" and "xl/vbaProject.bin" in zipfile.ZipFile(made).namelist()
    assert read_workbook(made).meta.virksomhed_id == first_id

    res = runner.invoke(app, ["xlsm", str(demo / "master.xlsx"), "--ud", str(tmp_path / "M.xlsm")])
    assert res.exit_code == 0, res.output
    assert "xl/vbaProject.bin" in zipfile.ZipFile(tmp_path / "M.xlsm").namelist()

    master = tmp_path / "Ny master.xlsm"
    res = runner.invoke(app, ["konsolider", str(demo / "indbakke"), "--master", str(master),
                              "--register", str(reg), "--aar", str(YEAR)])  # fmt: skip
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(master) as z:
        assert "xl/vbaProject.bin" in z.namelist()
    assert len(read_master_rows(master)[1]["maal"]) > 0
    assert runner.invoke(app, ["server", "--help"]).exit_code == 0
