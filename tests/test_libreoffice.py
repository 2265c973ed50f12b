"""Tests for toolkit.office.libreoffice (PDF conversion) and the UNO harness (tests/uno_harness).

These drive a real LibreOffice. Where it (or a Python with UNO) is missing, each test
skips with the reason. On the project's machines they must run.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from uno_harness import session as harness
from uno_harness.session import (
    UnoSession,
    UnoWorkerError,
    recalculate_and_save,
    run_uno,
    run_uno_report,
    uno_available,
)

from toolkit.office import libreoffice as lo
from toolkit.office.libreoffice import LibreOfficeMissing, LibreOfficeTimeout, convert, find_soffice

pytestmark = pytest.mark.libreoffice

# 2026-05-15 and the date-validation bounds as Excel/LibreOffice serial numbers
SERIAL_2026_05_15 = (dt.date(2026, 5, 15) - dt.date(1899, 12, 30)).days
SERIAL_2020_01_01 = (dt.date(2020, 1, 1) - dt.date(1899, 12, 30)).days
SERIAL_2035_12_31 = (dt.date(2035, 12, 31) - dt.date(1899, 12, 30)).days


def require_uno() -> None:
    if not uno_available():
        reason = harness.unavailable_reason()
        print(f"LibreOffice/UNO mangler: {reason}")
        pytest.skip(f"LibreOffice/UNO er ikke tilgængelig: {reason}")


def require_soffice() -> Path:
    soffice = find_soffice()
    if soffice is None:
        print("soffice mangler")
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    return soffice


# --------------------------------------------------------------------------------------
# Test workbook
# --------------------------------------------------------------------------------------


def build_workbook(path: Path) -> Path:
    """A small dialog workbook with the features the project uses.

    Dialog: labels A1:A5; inputs B1 (list via a defined name), B2 (date), B3 (decimal),
    B5 (list straight from the hidden sheet) unlocked; B4 = B3*0.25; column D unlocked;
    sheet protected; frozen first row; A4 landscape; two conditional formats.
    Data: a table "Kontrakter" and a formula over it. Lister: hidden. Skjult: veryHidden.
    """
    wb = xlsxwriter.Workbook(str(path))
    dialog = wb.add_worksheet("Dialog")
    data = wb.add_worksheet("Data")
    lists = wb.add_worksheet("Lister")
    very = wb.add_worksheet("Skjult")
    lists.hide()
    very.very_hidden()
    lists.write_column("A1", ["Rammeaftale", "Indkøb", "Tjenesteydelse"])
    very.write("A1", "hemmelig")
    wb.define_name("Kontrakttyper", "=Lister!$A$1:$A$3")
    wb.define_name("Dialog!lokal", "=Dialog!$A$1")

    unlocked = wb.add_format({"locked": False})
    date_input = wb.add_format({"locked": False, "num_format": "dd-mm-yyyy"})
    dialog.set_column("D:D", 12, unlocked)
    dialog.write_column("A1", ["Kontrakttype", "Startdato", "Beløb", "Moms", "Leverandør"])
    dialog.write_blank("B1", None, unlocked)
    dialog.write_blank("B2", None, date_input)
    dialog.write_blank("B3", None, unlocked)
    dialog.write_formula("B4", "=B3*0.25", None, 0)
    dialog.write_blank("B5", None, unlocked)
    dialog.data_validation(
        "B1",
        {
            "validate": "list",
            "source": "=Kontrakttyper",
            "input_title": "Type",
            "input_message": "Vælg en kontrakttype",
            "error_title": "Ugyldig type",
            "error_message": "Vælg en type fra listen",
        },
    )
    dialog.data_validation(
        "B2",
        {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(2020, 1, 1),
            "maximum": dt.date(2035, 12, 31),
            "error_type": "warning",
        },
    )
    dialog.data_validation("B3", {"validate": "decimal", "criteria": ">=", "value": 0})
    dialog.data_validation("B5", {"validate": "list", "source": "=Lister!$A$1:$A$3"})
    dialog.conditional_format(
        "B3",
        {
            "type": "cell",
            "criteria": ">",
            "value": 1000000,
            "format": wb.add_format({"bg_color": "#FFC7CE"}),
        },
    )
    dialog.conditional_format(
        "A1:A4", {"type": "formula", "criteria": "=$B$3>0", "format": wb.add_format({"bold": True})}
    )
    dialog.protect("")
    dialog.freeze_panes(1, 0)
    dialog.set_landscape()
    dialog.set_paper(9)  # A4

    data.add_table(
        "A1:C4",
        {
            "name": "Kontrakter",
            "columns": [
                {"header": "Navn"},
                {"header": "Beløb"},
                # LibreOffice 7.4 only understands the table-qualified form; xlsxwriter's
                # "[@Beløb]" shorthand gives Err:507 there (see test_structured_refs).
                {"header": "Dobbelt", "formula": "=Kontrakter[[#This Row],[Beløb]]*2"},
            ],
            "data": [["a", 1], ["b", 2], ["c", 3]],
        },
    )
    data.write_formula("E1", "=SUM(Kontrakter[Beløb])", None, 0)
    wb.close()
    return path


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("lo") / "dialog.xlsx")


@pytest.fixture(scope="module")
def inspected(workbook: Path) -> dict[str, Any]:
    """Run every inspection op once (one soffice) and hand the results to the tests."""
    require_uno()
    names = [
        "open",
        "validations",
        "protection",
        "protection_data",
        "conditional_formats",
        "named_ranges",
        "local_names",
        "database_ranges",
        "props_dialog",
        "props_lister",
        "props_skjult",
        "recalc",
        "read_data",
        "read_dialog",
    ]
    jobs: list[dict[str, Any]] = [
        {"op": "open", "path": str(workbook)},
        {"op": "validations", "sheet": "Dialog"},
        {"op": "protection", "sheet": "Dialog"},
        {"op": "protection", "sheet": "Data"},
        {"op": "conditional_formats", "sheet": "Dialog"},
        {"op": "named_ranges"},
        {"op": "named_ranges", "sheet": "Dialog"},
        {"op": "database_ranges"},
        {"op": "sheet_props", "sheet": "Dialog"},
        {"op": "sheet_props", "sheet": "Lister"},
        {"op": "sheet_props", "sheet": "Skjult"},
        {"op": "recalc"},
        {"op": "read", "sheet": "Data", "range": "A1:E4"},
        {"op": "read", "sheet": "Dialog"},
    ]
    report = run_uno_report(jobs)
    print(
        f"\nsoffice start {report.startup_seconds} s; jobs {report.job_seconds}; "
        f"wall {report.wall_seconds:.2f} s"
    )
    return dict(zip(names, report.results, strict=True))


# --------------------------------------------------------------------------------------
# Finding LibreOffice
# --------------------------------------------------------------------------------------


def test_missing_libreoffice_message_is_danish(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    with pytest.raises(LibreOfficeMissing, match="LibreOffice blev ikke fundet"):
        convert([tmp_path / "x.xlsx"], "pdf", tmp_path)
    assert issubclass(LibreOfficeMissing, RuntimeError)


def test_find_soffice_and_uno() -> None:
    soffice = require_soffice()
    assert soffice.is_file()
    require_uno()
    assert uno_available() is True
    assert harness.find_uno_python() is not None


# --------------------------------------------------------------------------------------
# Inspection ops
# --------------------------------------------------------------------------------------


def test_open_reports_sheets_and_hidden(inspected: dict[str, Any]) -> None:
    assert inspected["open"] == {
        "sheets": ["Dialog", "Data", "Lister", "Skjult"],
        # LibreOffice 7.4 has no "very hidden": Skjult reads as plain hidden
        "hidden": {"Lister": "hidden", "Skjult": "hidden"},
    }


def test_validations(inspected: dict[str, Any]) -> None:
    by_range = {v["range"]: v for v in inspected["validations"]}
    assert set(by_range) == {"B1", "B2", "B3", "B5"}
    b1 = by_range["B1"]
    assert (b1["type"], b1["formula1"]) == ("LIST", "Kontrakttyper")
    assert b1["ShowList"] == "UNSORTED"
    assert b1["ErrorAlertStyle"] == "STOP" and b1["ShowErrorMessage"] is True
    assert (b1["ErrorTitle"], b1["ErrorMessage"]) == ("Ugyldig type", "Vælg en type fra listen")
    assert (b1["InputTitle"], b1["InputMessage"]) == ("Type", "Vælg en kontrakttype")
    b2 = by_range["B2"]
    assert (b2["type"], b2["operator"]) == ("DATE", "BETWEEN")
    assert (b2["formula1"], b2["formula2"]) == (str(SERIAL_2020_01_01), str(SERIAL_2035_12_31))
    assert b2["ErrorAlertStyle"] == "WARNING"
    b3 = by_range["B3"]
    assert (b3["type"], b3["operator"], b3["formula1"]) == ("DECIMAL", "GREATER_EQUAL", "0")
    b5 = by_range["B5"]
    # a list straight from a range on the hidden sheet, in LibreOffice's own notation
    assert (b5["type"], b5["formula1"]) == ("LIST", "$Lister.$A$1:$A$3")


def test_protection(inspected: dict[str, Any]) -> None:
    dialog = inspected["protection"]
    assert dialog["protected"] is True
    cells = dialog["unlocked_cells"]
    assert {"B1", "B2", "B3", "B5", "D1"} <= set(cells)
    assert not {"A1", "B4"} & set(cells)
    # the whole unlocked column D is cut at the used area, not listed to row 1048576
    assert all(int(c[1:]) < 100 for c in cells if c.startswith("D"))
    assert inspected["protection_data"]["protected"] is False


def test_conditional_formats(inspected: dict[str, Any]) -> None:
    formats = {f["range"]: f for f in inspected["conditional_formats"]}
    assert formats["B3"]["conditions"] == ["1000000"]
    assert formats["B3"]["entries"][0]["operator"] == "GREATER"
    assert formats["A1:A4"]["conditions"] == ["$B$3>0"]
    assert formats["A1:A4"]["entries"][0]["operator"] == "EXPRESSION"


def test_named_and_database_ranges(inspected: dict[str, Any]) -> None:
    assert inspected["named_ranges"] == {"Kontrakttyper": "$Lister.$A$1:$A$3"}
    assert inspected["local_names"] == {"lokal": "$Dialog.$A$1"}
    # LibreOffice imports an Excel table as a database range of the same name
    assert inspected["database_ranges"] == [
        {
            "name": "Kontrakter",
            "sheet": "Data",
            "range": "A1:C4",
            "header": True,
            "totals": False,
            "autofilter": True,
        }
    ]


def test_sheet_props(inspected: dict[str, Any]) -> None:
    dialog = inspected["props_dialog"]
    assert dialog["visibility"] == "visible" and dialog["protected"] is True
    assert (dialog["paper"], dialog["orientation"]) == ("A4", "landscape")
    assert dialog["frozen"] == {"columns": 0, "rows": 1}
    assert inspected["props_lister"]["visibility"] == "hidden"
    assert inspected["props_skjult"]["visibility"] == "hidden"
    assert inspected["props_skjult"]["visible"] is False


def test_read_after_recalc(inspected: dict[str, Any]) -> None:
    data = inspected["read_data"]
    assert [c["v"] for c in data[0][:3]] == ["Navn", "Beløb", "Dobbelt"]
    assert [c["t"] for c in data[0]] == ["text", "text", "text", "empty", "formula"]
    e1 = data[0][4]
    assert e1["v"] == 6 and e1["f"] == "=SUM(Kontrakter[Beløb])" and e1["s"] == "6"
    assert [row[2]["v"] for row in data[1:]] == [2, 4, 6]
    assert data[1][1] == {"v": 1.0, "t": "num", "f": None, "s": "1"}
    dialog = inspected["read_dialog"]
    assert dialog[3][1]["f"] == "=B3*0.25"
    assert dialog[0][1]["t"] == "empty"


# --------------------------------------------------------------------------------------
# Typing with the Danish locale
# --------------------------------------------------------------------------------------


def test_typing_danish_input(workbook: Path) -> None:
    require_uno()
    texts = {
        "D1": "12,5",
        "D2": "15-05-2026",
        "D3": "1/3-2027",
        "D4": "15.5.2026",
        "D5": "1.234,5",
        "D6": "=B3*2",
        "D7": "=SUM(D1;1)",
        "D8": "2026-05-15",
    }
    results = run_uno(
        [
            {"op": "open", "path": str(workbook)},
            {"op": "type_many", "sheet": "Dialog", "cells": texts},
            {"op": "read", "sheet": "Dialog", "range": "D1:D8"},
        ]
    )
    typed = results[1]
    print("\nwhat LibreOffice (da-DK) made of typed input:")
    for cell, text in texts.items():
        print(f"  {text!r:14} -> {typed[cell]}")
    assert typed["D1"]["t"] == "num" and typed["D1"]["v"] == 12.5
    assert typed["D1"]["s"] == "12,5"
    assert typed["D2"]["t"] == "num" and typed["D2"]["v"] == SERIAL_2026_05_15
    assert typed["D2"]["s"].startswith("15-05-")
    # da-DK's date acceptance patterns (LibreOffice 7.4) take D-M-Y and ISO Y-M-D, but
    # neither "1/3-2027" nor "15.5.2026": those stay text
    assert typed["D3"] == {"v": "1/3-2027", "t": "text", "f": None, "s": "1/3-2027"}
    assert typed["D4"]["t"] == "text"
    assert typed["D5"]["v"] == 1234.5
    assert typed["D6"]["t"] == "formula" and typed["D6"]["f"] == "=B3*2"
    assert typed["D7"]["v"] == 13.5  # Danish function separator ";"
    assert typed["D8"]["v"] == SERIAL_2026_05_15
    # read gives the same as type's answer
    assert [row[0] for row in results[2]] == [typed[c] for c in texts]


def test_typing_respects_protection_and_validation(workbook: Path) -> None:
    require_uno()
    results = run_uno(
        [
            {"op": "open", "path": str(workbook)},
            {"op": "type", "sheet": "Dialog", "cell": "A1", "text": "hacket"},  # locked
            {"op": "type", "sheet": "Dialog", "cell": "B4", "text": "7"},  # locked formula
            {"op": "type", "sheet": "Dialog", "cell": "B1", "text": "Indkøb"},
            {"op": "type", "sheet": "Dialog", "cell": "B1", "text": "Noget andet"},
            {"op": "type", "sheet": "Dialog", "cell": "B5", "text": "Rammeaftale"},
            {"op": "type", "sheet": "Dialog", "cell": "B3", "text": "100"},
            {"op": "type", "sheet": "Dialog", "cell": "B3", "text": "-4"},
            {"op": "type", "sheet": "Dialog", "cell": "B2", "text": "15-05-2019"},
            {"op": "type", "sheet": "Data", "cell": "A2", "text": "ny"},  # unprotected
            {"op": "read", "sheet": "Dialog", "range": "A1:B5"},
        ]
    )
    assert results[1] == {"error": "protected"}
    assert results[2] == {"error": "protected"}
    assert results[3]["v"] == "Indkøb"
    # a list validation with error alert "Stop" rejects the value like Calc/Excel do
    assert results[4] == {
        "error": "invalid",
        "title": "Ugyldig type",
        "message": "Vælg en type fra listen",
    }
    assert results[5]["v"] == "Rammeaftale"
    assert results[6]["v"] == 100
    assert results[7]["error"] == "invalid"
    # "Warning" alert: a person can click on; the value is kept but flagged
    assert results[8]["t"] == "num" and results[8]["invalid"] is True
    assert results[8]["alert"] == "WARNING"
    assert results[9]["v"] == "ny"
    grid = results[10]
    assert grid[0][0]["v"] == "Kontrakttype"  # the locked cell was not changed
    assert grid[0][1]["v"] == "Indkøb"  # the rejected input restored the old value
    assert grid[2][1]["v"] == 100
    assert grid[4][1]["v"] == "Rammeaftale"


def test_recalc_typed_input_and_save_xlsx(workbook: Path, tmp_path: Path) -> None:
    require_uno()
    out = tmp_path / "udfyldt.xlsx"
    results = run_uno(
        [
            {"op": "open", "path": str(workbook)},
            {"op": "type", "sheet": "Dialog", "cell": "B3", "text": "1000,5"},
            {"op": "recalc"},
            {"op": "read", "sheet": "Dialog", "range": "B3:B4"},
            {"op": "save", "path": str(out), "filter": "Calc MS Excel 2007 XML"},
            {"op": "close"},
        ]
    )
    assert results[3][1][0]["v"] == pytest.approx(250.125)
    assert results[4]["path"] == str(out) and results[4]["bytes"] > 0
    assert results[5] == {"ok": True}

    wb = openpyxl.load_workbook(out, read_only=True, data_only=True)
    try:
        values = [[c.value for c in row] for row in wb["Dialog"].iter_rows(max_col=2, max_row=5)]
        assert values[2][1] == pytest.approx(1000.5)
        assert values[3][1] == pytest.approx(250.125)
        data = [[c.value for c in row] for row in wb["Data"].iter_rows(max_col=5, max_row=4)]
        assert data[0][4] == 6
        assert [row[2] for row in data[1:]] == [2, 4, 6]
        assert wb.defined_names["Kontrakttyper"].attr_text == "Lister!$A$1:$A$3"
        assert wb.sheetnames == ["Dialog", "Data", "Lister", "Skjult"]
    finally:
        wb.close()
    full = openpyxl.load_workbook(out)
    assert full["Data"].tables["Kontrakter"].ref == "A1:C4"
    assert full["Dialog"].defined_names["lokal"].attr_text == "Dialog!$A$1"


def test_recalculate_and_save(workbook: Path, tmp_path: Path) -> None:
    require_uno()
    out = tmp_path / "sub" / "genberegnet.xlsx"
    recalculate_and_save(workbook, out)
    wb = openpyxl.load_workbook(out, read_only=True, data_only=True)
    try:
        # xlsxwriter stored 0 as the cached result; LibreOffice computed the real one
        assert next(wb["Data"].iter_rows(min_col=5, max_col=5, max_row=1))[0].value == 6
    finally:
        wb.close()


# --------------------------------------------------------------------------------------
# What an xlsx round trip through LibreOffice keeps and drops
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    require_uno()
    out = tmp_path_factory.mktemp("rt") / "rundtur.xlsx"
    results = run_uno(
        [
            {"op": "open", "path": str(workbook)},
            {"op": "save", "path": str(out)},
            {"op": "close"},
        ]
    )
    assert "error" not in results[1], results
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name).decode("utf-8") for name in z.namelist()}


def _sheet_xml(files: dict[str, str], index: int) -> str:
    return files[f"xl/worksheets/sheet{index}.xml"]


def test_round_trip_keeps(round_trip: dict[str, str]) -> None:
    files = round_trip
    workbook_xml = files["xl/workbook.xml"]
    dialog = _sheet_xml(files, 1)
    data = _sheet_xml(files, 2)
    # Excel table: still a table part with its name, range and autofilter
    tables = [n for n in files if re.fullmatch(r"xl/tables/table\d+\.xml", n)]
    assert len(tables) == 1
    table = files[tables[0]]
    assert 'name="Kontrakter"' in table and 'ref="A1:C4"' in table and "<autoFilter" in table
    assert "<tablePart " in data
    # data validations (incl. the list from the hidden sheet), with their messages
    assert '<dataValidations count="4">' in dialog
    assert "<formula1>Kontrakttyper</formula1>" in dialog
    assert "<formula1>Lister!$A$1:$A$3</formula1>" in dialog
    assert 'errorStyle="warning"' in dialog and 'prompt="Vælg en kontrakttype"' in dialog
    # conditional formats
    assert dialog.count("<conditionalFormatting ") == 2
    assert "<formula>$B$3&gt;0</formula>" in dialog
    # sheet protection and the unlocked input cells (protection lives in the styles)
    assert re.search(r'<sheetProtection[^>]*sheet="(true|1)"', dialog)
    # defined names, workbook- and sheet-level
    assert re.search(
        r'<definedName[^>]*name="Kontrakttyper"[^>]*>Lister!\$A\$1:\$A\$3<', workbook_xml
    )
    assert re.search(r'<definedName[^>]*localSheetId="0"[^>]*name="lokal"', workbook_xml)
    # the hidden sheet stays hidden; frozen row; page setup
    assert re.search(r'<sheet name="Lister"[^>]*state="hidden"', workbook_xml)
    assert re.search(r'<pane[^>]*ySplit="1"[^>]*state="frozen"', dialog)
    assert 'orientation="landscape"' in dialog and 'paperSize="9"' in dialog


def test_round_trip_keeps_unlocked_cells(round_trip: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "rt.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in round_trip.items():
            z.writestr(name, text)
    ws = openpyxl.load_workbook(path)["Dialog"]
    assert ws.protection.sheet is True
    assert [ws[c].protection.locked for c in ("A1", "B1", "B2", "B3", "B4", "B5")] == [
        True,
        False,
        False,
        False,
        True,
        False,
    ]


def test_round_trip_known_losses(round_trip: dict[str, str]) -> None:
    """What LibreOffice 7.4 drops or changes on open + save as xlsx.

    Pinned so that a LibreOffice upgrade that changes it is noticed: if this fails,
    update the findings in docs and this test.
    """
    files = round_trip
    workbook_xml = files["xl/workbook.xml"]
    table = next(t for n, t in files.items() if n.startswith("xl/tables/"))
    data = _sheet_xml(files, 2)
    # 1. veryHidden becomes plain hidden (a user can unhide "Skjult" in Excel)
    assert re.search(r'<sheet name="Skjult"[^>]*state="hidden"', workbook_xml)
    assert "veryHidden" not in workbook_xml
    # 2. the table loses its style (tableStyleInfo) and its calculatedColumnFormula;
    #    the cells keep their formulas, so new rows no longer fill the column by themselves
    assert "<tableStyleInfo" not in table
    assert "calculatedColumnFormula" not in table
    assert "Kontrakter[[#This Row],[Beløb]]*2" in data
    # 3. an empty <workbookProtection/> is added (harmless: protects nothing)
    assert "<workbookProtection/>" in workbook_xml


def test_more_validation_types_and_protection_options(tmp_path: Path) -> None:
    require_uno()
    path = tmp_path / "typer.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("A")
    ws.protect("hemmelig", {"format_columns": True, "autofilter": True})
    ws.data_validation("B1", {"validate": "list", "source": ["ja", "nej"], "dropdown": False})
    ws.data_validation("B2", {"validate": "length", "criteria": "<=", "value": 10})
    ws.data_validation("B3", {"validate": "custom", "value": "=ISNUMBER(B3)"})
    ws.data_validation(
        "B4",
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1,
            "maximum": 5,
            "error_type": "information",
        },
    )
    wb.close()
    out = tmp_path / "typer-ud.xlsx"
    results = run_uno(
        [
            {"op": "open", "path": str(path)},
            {"op": "validations", "sheet": "A"},
            {"op": "save", "path": str(out)},
        ]
    )
    got = {v["range"]: (v["type"], v["operator"], v["formula1"]) for v in results[1]}
    assert got == {
        "B1": ("LIST", "BETWEEN", '"ja";"nej"'),
        "B2": ("TEXT_LEN", "LESS_EQUAL", "10"),
        "B3": ("CUSTOM", "FORMULA", "ISNUMBER(B3)"),
        "B4": ("WHOLE", "BETWEEN", "1"),
    }
    styles = {v["range"]: (v["ShowList"], v["ErrorAlertStyle"]) for v in results[1]}
    assert styles["B1"] == ("INVISIBLE", "STOP") and styles["B4"][1] == "INFO"
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    # password hash and the protection options survive
    protection = re.search(r"<sheetProtection[^>]*>", sheet)
    assert protection is not None
    assert re.search(r'password="8e9f"', protection.group(0), re.IGNORECASE)
    assert 'formatColumns="false"' in protection.group(0)
    assert 'autoFilter="false"' in protection.group(0)
    assert "<formula1>&quot;ja,nej&quot;</formula1>" in sheet


def test_structured_refs(tmp_path: Path) -> None:
    """LibreOffice 7.4 reads only table-qualified this-row references.

    xlsxwriter writes "[@Beløb]" as "[[#This Row],Beløb]" (no table name) which Excel
    accepts but LibreOffice shows as Err:507; "Kontrakter[[#This Row],[Beløb]]" works.
    """
    require_uno()
    path = tmp_path / "refs.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    forms = ["=[@Beløb]*2", "=[@[Beløb]]*2", "=Kontrakter[[#This Row],[Beløb]]*2"]
    ws.add_table(
        "A1:D2",
        {
            "name": "Kontrakter",
            "columns": [{"header": "Beløb"}]
            + [{"header": f"F{i}", "formula": f} for i, f in enumerate(forms)],
            "data": [[21]],
        },
    )
    wb.close()
    results = run_uno(
        [
            {"op": "open", "path": str(path)},
            {"op": "recalc"},
            {"op": "read", "sheet": "Data", "range": "B2:D2"},
        ]
    )
    row = results[2][0]
    assert [c["t"] for c in row] == ["error", "error", "formula"]
    assert row[2]["v"] == 42


# --------------------------------------------------------------------------------------
# Macros
# --------------------------------------------------------------------------------------

_BASIC_MODULE = """Sub VedAabning
  ThisComponent.Sheets.getByIndex(0).getCellRangeByName("C1").setString("åbnet")
End Sub
Function Dobbelt(x)
  ThisComponent.Sheets.getByIndex(0).getCellRangeByName("A1").setValue(x * 2)
  Dobbelt = x * 2
End Function
"""
_DTD = '<!DOCTYPE {0} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{1}">\n'
_LIB = "http://openoffice.org/2000/library"
_MACRO_URL = "vnd.sun.star.script:Standard.Module1.{0}?language=Basic&location=document"


def _make_macro_ods(tmp_path: Path) -> Path:
    """An .ods with a Basic module and an on-load event (made by LibreOffice, patched)."""
    xlsx = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    wb.add_worksheet("Ark").write_number("B1", 5)
    wb.close()
    plain = tmp_path / "plain.ods"
    assert (
        "error"
        not in run_uno([{"op": "open", "path": str(xlsx)}, {"op": "save", "path": str(plain)}])[1]
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    basic = {
        "Basic/script-lc.xml": head
        + _DTD.format("library:libraries", "libraries.dtd")
        + f'<library:libraries xmlns:library="{_LIB}" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<library:library library:name="Standard" library:link="false"/></library:libraries>',
        "Basic/Standard/script-lb.xml": head
        + _DTD.format("library:library", "library.dtd")
        + f'<library:library xmlns:library="{_LIB}" library:name="Standard" '
        'library:readonly="false" library:passwordprotected="false">'
        '<library:element library:name="Module1"/></library:library>',
        "Basic/Standard/Module1.xml": head
        + _DTD.format("script:module", "module.dtd")
        + '<script:module xmlns:script="http://openoffice.org/2000/script" '
        'script:name="Module1" script:language="StarBasic">'
        + _BASIC_MODULE.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        + "</script:module>",
    }
    on_load = (
        "<office:scripts><office:event-listeners>"
        '<script:event-listener script:language="ooo:script" script:event-name="dom:load" '
        f'xlink:href="{_MACRO_URL.format("VedAabning").replace("&", "&amp;")}" '
        'xlink:type="simple"/></office:event-listeners></office:scripts>'
    )
    out = tmp_path / "makro.ods"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "content.xml":
                assert b"<office:scripts/>" in data
                data = data.replace(b"<office:scripts/>", on_load.encode())
            if info.filename == "META-INF/manifest.xml":
                entries = (
                    '<manifest:file-entry manifest:full-path="Basic/" manifest:media-type=""/>'
                )
                entries += "".join(
                    f'<manifest:file-entry manifest:full-path="{n}" manifest:media-type="text/xml"/>'
                    for n in basic
                )
                data = data.replace(
                    b"</manifest:manifest>", (entries + "</manifest:manifest>").encode()
                )
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, data, compress_type=method)
        for name, text in basic.items():
            dst.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return out


def test_macros_only_run_when_enabled(tmp_path: Path) -> None:
    require_uno()
    book = _make_macro_ods(tmp_path)
    jobs: list[dict[str, Any]] = []
    for macros in (True, False):
        jobs += [
            {"op": "open", "path": str(book), "macros": macros},
            {"op": "read", "sheet": 0, "range": "C1"},
            {"op": "macro", "name": _MACRO_URL.format("Dobbelt"), "args": [21]},
            {"op": "read", "sheet": 0, "range": "A1"},
            {"op": "basic_libraries", "library": "Standard"},
            {"op": "controls", "sheet": 0},
        ]
    results = run_uno(jobs)
    on, off = results[:6], results[6:]
    assert on[1][0][0]["v"] == "åbnet"  # the on-load event ran
    assert on[2] == {"value": 42, "active_sheet": "Ark"}
    assert on[3][0][0]["v"] == 42
    assert on[4]["libraries"] == ["Standard"]
    assert "Function Dobbelt(x)" in on[4]["modules"]["Module1"]["source"]
    assert on[5] == {"codename": on[5]["codename"], "controls": []}
    assert off[1][0][0]["t"] == "empty"  # no on-load event without macros
    assert off[2]["error"].startswith("PermissionError:")
    assert off[3][0][0]["t"] == "empty"


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


def _png_of_first_page(pdf: Path, tmp_path: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) mangler")
    tmp_path.mkdir(parents=True, exist_ok=True)
    prefix = tmp_path / pdf.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    pngs = sorted(tmp_path.glob(f"{pdf.stem}*.png"))
    assert pngs, f"pdftoppm lavede ingen PNG af {pdf}"
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return pngs[0]


def _make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Kontrakt om rammeaftale", level=1)
    document.add_paragraph("Leverandøren leverer æbler, øl og ål til Århus Kommune.")
    document.save(str(path))
    return path


def test_convert_xlsx_and_docx_in_one_call(workbook: Path, tmp_path: Path) -> None:
    require_soffice()
    docx_path = _make_docx(tmp_path / "kontrakt.docx")
    xlsx_path = tmp_path / "bog.xlsx"
    shutil.copy(workbook, xlsx_path)
    t0 = time.monotonic()
    pdfs = convert([xlsx_path, docx_path], "pdf", tmp_path / "pdf")
    print(f"\nconvert 2 files: {time.monotonic() - t0:.2f} s")
    assert pdfs == [tmp_path / "pdf" / "bog.pdf", tmp_path / "pdf" / "kontrakt.pdf"]
    for pdf in pdfs:
        assert pdf.read_bytes()[:5] == b"%PDF-"
        _png_of_first_page(pdf, tmp_path / "png")


def test_convert_names_the_failed_files(tmp_path: Path) -> None:
    require_soffice()
    docx_path = _make_docx(tmp_path / "kontrakt.docx")
    broken = tmp_path / "ødelagt.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("noget.txt", "ikke et regneark")
    with pytest.raises(lo.ConversionError, match=r"ødelagt\.xlsx") as info:
        convert([docx_path, broken], "pdf", tmp_path / "pdf")
    assert "kunne ikke konvertere" in str(info.value)
    assert info.value.failed == [broken.resolve()]
    assert info.value.produced == [(tmp_path / "pdf" / "kontrakt.pdf").resolve()]


def test_convert_refuses_name_clash(tmp_path: Path) -> None:
    require_soffice()
    a = tmp_path / "a" / "x.docx"
    b = tmp_path / "b" / "x.docx"
    a.parent.mkdir()
    b.parent.mkdir()
    _make_docx(a)
    _make_docx(b)
    with pytest.raises(ValueError, match="ville begge blive til"):
        convert([a, b], "pdf", tmp_path / "pdf")


def test_save_one_sheet_as_pdf(workbook: Path, tmp_path: Path) -> None:
    require_uno()
    pdf = tmp_path / "data.pdf"
    results = run_uno(
        [
            {"op": "open", "path": str(workbook)},
            {"op": "save", "path": str(pdf), "sheet": "Data"},
            {"op": "save", "path": str(tmp_path / "bog.ods")},
        ]
    )
    assert results[1]["bytes"] > 0 and results[2]["bytes"] > 0
    _png_of_first_page(pdf, tmp_path)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Dobbelt" in text and "Kontrakttype" not in text


# --------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------


def test_errors_stay_in_their_job(workbook: Path) -> None:
    require_uno()
    results = run_uno(
        [
            {"op": "read", "sheet": "Dialog", "range": "A1"},  # nothing open yet
            {"op": "open", "path": str(workbook.with_name("findes-ikke.xlsx"))},
            {"op": "open", "path": str(workbook), "macros": True},
            {"op": "read", "sheet": "Findes ikke", "range": "A1"},
            {"op": "no_such_op"},
            {"op": "read", "sheet": 0, "range": "A1"},
        ]
    )
    assert results[0]["error"].startswith("NoDocument:")
    assert results[1]["error"].startswith("FileNotFoundError:")
    assert results[2]["sheets"][0] == "Dialog"
    assert results[3] == {"error": "KeyError: Arket 'Findes ikke' findes ikke."}
    assert results[4]["error"].startswith("ValueError:")
    assert results[5][0][0]["v"] == "Kontrakttype"


def test_job_timeout_kills_soffice_and_recovers(workbook: Path) -> None:
    require_uno()
    report = run_uno_report(
        [
            {"op": "open", "path": str(workbook), "timeout": 0.01},
            {"op": "read", "sheet": "Dialog", "range": "A1"},
            {"op": "open", "path": str(workbook)},
            {"op": "read", "sheet": "Dialog", "range": "A1"},
        ]
    )
    results = report.results
    assert results[0]["error"].startswith("TimeoutError:")
    assert results[1]["error"].startswith("NoDocument:")
    assert results[3][0][0]["v"] == "Kontrakttype"
    assert report.restarts == 1


def test_worker_failure_raises_with_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    require_uno()
    false = shutil.which("false")
    if false is None:
        pytest.skip("'false' mangler")
    monkeypatch.setattr(lo, "find_soffice", lambda: Path(false))
    with pytest.raises(UnoWorkerError, match="soffice stoppede under opstart") as info:
        run_uno([{"op": "recalc"}], timeout=60)
    assert "Traceback" in str(info.value)


def test_hanging_worker_is_killed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    require_uno()
    sleeper = tmp_path / "sleeper.py"
    sleeper.write_text("import sys, time\nsys.stdin.readline()\ntime.sleep(600)\n")
    monkeypatch.setattr(harness, "WORKER", sleeper)
    t0 = time.monotonic()
    with pytest.raises(LibreOfficeTimeout, match="svarede ikke inden for"):
        run_uno([{"op": "recalc"}], timeout=2)
    assert time.monotonic() - t0 < 30


def test_parallel_calls_use_separate_profiles(workbook: Path) -> None:
    require_uno()
    results: dict[int, Any] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            results[n] = run_uno(
                [
                    {"op": "open", "path": str(workbook)},
                    {"op": "type", "sheet": "Dialog", "cell": "B3", "text": f"{n},5"},
                    {"op": "recalc"},
                    {"op": "read", "sheet": "Dialog", "range": "B4"},
                ]
            )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    for n in (1, 2):  # a job that came back as {"error": ...} is named, not a KeyError
        assert all(not (isinstance(r, dict) and "error" in r) for r in results[n]), results[n]
    assert results[1][3][0][0]["v"] == pytest.approx(1.5 * 0.25)
    assert results[2][3][0][0]["v"] == pytest.approx(2.5 * 0.25)


def _soffice_bin(soffice: Path) -> Path:
    program = soffice.resolve().parent
    for name in ("soffice.bin", "soffice"):
        if (program / name).is_file():
            return program / name
    pytest.fail(f"soffice.bin findes ikke i {program}")


def _first_start(soffice: Path, profile: Path, prime: bool) -> int | None:
    """Start soffice.bin itself (no launcher to hide a restart) on a new profile with our
    settings; return its exit code if it exits before it accepts connections, else None."""
    import os
    import uuid

    from uno_harness.worker import prime_profile

    from toolkit.office.profile import write_profile_settings

    write_profile_settings(str(profile), "da-DK")
    if prime:
        prime_profile(str(soffice), str(profile))
    name = f"kontrakt_test_{uuid.uuid4().hex}"
    pipe = Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}")
    proc = subprocess.Popen(
        [str(_soffice_bin(soffice)), "--headless", "--invisible", "--norestore", "--nologo",
         "--nodefault", "--nolockcheck", f"--accept=pipe,name={name};urp;",
         f"-env:UserInstallation={profile.resolve().as_uri()}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(2400):  # bounded wait (up to 2 minutes on a loaded machine)
            if proc.poll() is not None:
                return proc.returncode
            if pipe.exists():
                return None
            time.sleep(0.05)
        pytest.fail("soffice.bin hverken lyttede eller stoppede inden for 2 minutter")
    finally:
        proc.kill()
        proc.wait(timeout=30)
        pipe.unlink(missing_ok=True)


@pytest.mark.skipif(sys.platform != "linux", reason="named-pipe path is Linux-specific")
def test_primed_profile_does_not_restart_under_a_connection(tmp_path: Path) -> None:
    """The cause of the once-flaky parallel test: a new profile makes soffice.bin exit with
    code 81 (restart) after the first start, so a UNO bridge made to it can be disposed.
    The harness primes every profile first; then soffice accepts at once and stays up."""
    soffice = require_soffice()
    assert _first_start(soffice, tmp_path / "raw", prime=False) == 81
    assert _first_start(soffice, tmp_path / "primed", prime=True) is None
    settings = (tmp_path / "primed" / "user" / "registrymodifications.xcu").read_text("utf-8")
    assert "da-DK" in settings and "UseDocumentOOoLockFile" in settings


@pytest.fixture
def session() -> Iterator[UnoSession]:
    require_uno()
    with UnoSession() as s:
        yield s


def test_session_serves_many_documents(session: UnoSession, tmp_path: Path) -> None:
    paths = []
    for n in range(3):
        path = tmp_path / f"bog{n}.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Ark")
        ws.write_number("A1", n)
        ws.write_formula("A2", "=A1*10", None, 0)
        wb.close()
        paths.append(path)
    reports = [
        session.run_report(
            [
                {"op": "open", "path": str(p)},
                {"op": "recalc"},
                {"op": "read", "sheet": "Ark", "range": "A2"},
                {"op": "close"},
            ]
        )
        for p in paths
    ]
    assert [r.results[2][0][0]["v"] for r in reports] == [0, 10, 20]
    assert reports[0].startup_seconds is not None
    assert all(r.startup_seconds is None for r in reports[1:])  # soffice was reused
    for r in reports:
        print(f"\nstart {r.startup_seconds} jobs {r.job_seconds} wall {r.wall_seconds:.3f}")
    # several documents in one call, too
    jobs: list[dict[str, Any]] = []
    for p in paths:
        jobs += [{"op": "open", "path": str(p)}, {"op": "read", "sheet": 0, "range": "A1"}]
    results = session.run(jobs)
    assert [results[i][0][0]["v"] for i in (1, 3, 5)] == [0, 1, 2]


def test_no_leftovers_after_run(workbook: Path) -> None:
    require_uno()
    if not sys.platform.startswith("linux"):
        pytest.skip("checks /proc")
    session = UnoSession()
    workdir = session._workdir
    session.run([{"op": "open", "path": str(workbook)}])
    assert workdir.is_dir()
    assert _processes_mentioning(str(workdir))  # soffice runs with its profile there
    session.close()
    assert not workdir.exists()
    assert not session.alive
    assert _processes_mentioning(str(workdir)) == []


def test_worker_cleans_up_when_its_parent_dies(workbook: Path, tmp_path: Path) -> None:
    require_uno()
    if not sys.platform.startswith("linux"):
        pytest.skip("checks /proc")
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(Path(harness.__file__).resolve().parent.parent)!r})\n"
        "from uno_harness.session import UnoSession\n"
        "s = UnoSession()\n"
        f"s.run([{{'op': 'open', 'path': {str(workbook)!r}}}])\n"
        "print(s._workdir, flush=True)\n"
        "os._exit(0)\n"
    )
    root = Path(lo.__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=root
    )
    workdir = done.stdout.strip()
    assert workdir.startswith(tempfile.gettempdir()), done.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
        _processes_mentioning(workdir) or Path(workdir).exists()
    ):
        time.sleep(0.2)
    assert _processes_mentioning(workdir) == []
    assert not Path(workdir).exists()


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(int(entry.name))
    return found
