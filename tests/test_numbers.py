"""Numbers as Danish people type them (issue 8, findings 1 and 10).

Procent is kept in percentage points: "72%", "72 %" and "72" typed in a Procent goal all
mean 72 — in the model, the master and the documents. "3.1" in a Danish workbook may be 3,1
or 31: it is never silently 31; the finding says what was typed. The LibreOffice tests type
like a person under da-DK (the cell takes "72%" as 0.72 with a percent format), save, read
back, and check that the recalculated Tjek sheet agrees with the Python rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build, good_filling
from test_lo_workbook import (
    LAY,
    SPEC,
    TJEK,
    TJEK_RANGE,
    blank_cached_statuses,
    compare,
    python_verdicts,
    require_uno,
    run,
    sheet_verdicts,
    tjek_rows,
)
from uno_harness.session import UnoSession

from toolkit.documents.formatting import vaerdi
from toolkit.reading.numbers import ambiguous_dot, parse_number_text, percent_points
from toolkit.reading.workbook import read_workbook
from toolkit.rules.validate import validate


@pytest.mark.parametrize(
    ("text", "number"),
    [("12,5", 12.5), ("1.234,5", 1234.5), (" 80 ", 80), ("72%", 72), ("72 %", 72),
     ("6,4 %", 6.4), ("-5", -5), ("3.1", None), ("12.5", None), ("1.234", None),
     ("5.00", None), ("1.2.3", None), ("72%%", None), ("%", None), ("7%2", None),
     ("3e2", None), ("...", None), ("1,234.5", None)],
)  # fmt: skip
def test_number_text(text: str, number: float | None) -> None:
    assert parse_number_text(text) == number


def test_a_dot_without_comma_is_ambiguous() -> None:
    assert ambiguous_dot("3.1") and ambiguous_dot(" 1.234 ") and ambiguous_dot("3.1 %")
    assert not ambiguous_dot("1.234,5") and not ambiguous_dot("31") and not ambiguous_dot("...")


def test_percent_points_are_the_digits_shown() -> None:
    assert percent_points(0.72) == 72 and percent_points(0.064) == 6.4
    assert percent_points(0.07) == 7 and percent_points(1.5) == 150


# ------------------------------------------------------------------- typed in LibreOffice


@pytest.fixture(scope="module")
def lo():
    require_uno()
    with UnoSession() as session:
        yield session


@pytest.mark.libreoffice
def test_percent_and_dots_typed_in_libreoffice(lo: UnoSession, tmp_path: Path) -> None:
    filling = good_filling()
    blank = blank_cached_statuses(build(tmp_path, filling))
    m, r = LAY.table("maal"), LAY.table("resultater")
    saved = tmp_path / "typet.xlsx"
    typed = {
        m.cell(0, "baseline"): "72%",  # Procent goal: the cell takes 0.72, shown 72 %
        m.cell(0, "maalvaerdi"): "80 %",
    }
    jobs = [
        {"op": "open", "path": str(blank)},
        {"op": "type_many", "sheet": m.sheet.name, "cells": typed},
        # the result typed with a percent sign against a target typed without
        {"op": "type", "sheet": r.sheet.name, "cell": r.cell(0, "resultat"), "text": "78%"},
        # pasted (a paste skips the cell's input rule): text "3.1" in a Dage goal
        {
            "op": "type",
            "sheet": m.sheet.name,
            "cell": m.cell(1, "baseline"),
            "text": "3.1",
            "validate": False,
        },
        {"op": "recalc"},
        {"op": "read", "sheet": r.sheet.name, "range": r.cell(0, "maalopfyldelse")},
        {"op": "read", "sheet": TJEK, "range": TJEK_RANGE},
        {"op": "save", "path": str(saved)},
        {"op": "close"},
    ]
    res = run(lo, jobs)
    cells = res[1]
    assert cells[m.cell(0, "baseline")]["v"] == 0.72, cells  # what LibreOffice stores
    assert res[3]["t"] == "text" and res[3]["v"] == "3.1", res[3]

    book = read_workbook(saved)
    g1, g2 = book.maal[0], book.maal[1]
    assert (g1.enhed, g1.baseline, g1.maalvaerdi) == ("Procent", 72, 80)
    assert vaerdi(g1.baseline, g1.enhed) == "72\u00a0%"  # what contracts and memos print
    assert book.resultater[0].resultat == 78
    # the sheet's live attainment and Python's agree: (78-72)/(80-72) = 0.75
    assert res[5][0][0]["v"] == "Delvist opfyldt" == book.resultater[0].maalopfyldelse

    # "3.1" is never 31: kept as typed, with a finding that says what was typed
    assert g2.baseline == "3.1"
    [amb] = [f for f in book.findings if f.rule == "celle_tal_tvetydigt"]
    assert amb.cell == m.cell(1, "baseline") and amb.severity == "fejl"
    assert '"3.1"' in amb.message and "3,1 eller 31" in amb.message

    findings = validate(book)
    assert not [f for f in findings if f.rule == "maal_procent_andel"]
    diff = compare(sheet_verdicts(tjek_rows(res[6])), python_verdicts(findings))
    assert not diff, "Tjek and Python disagree:\n" + diff
    # both sides say goal 2's baseline is not a number for its direction
    assert any(f.rule == "maal_vaerdi_type" and f.cell == m.cell(1, "baseline") for f in findings)


@pytest.mark.libreoffice
def test_a_share_in_a_procent_goal_is_read_as_typed_with_a_warning(
    lo: UnoSession, tmp_path: Path
) -> None:
    blank = build(tmp_path, good_filling())
    m, r = LAY.table("maal"), LAY.table("resultater")
    saved = tmp_path / "andel.xlsx"
    run(lo, [
        {"op": "open", "path": str(blank)},
        {"op": "type", "sheet": m.sheet.name, "cell": m.cell(0, "baseline"), "text": "0,72"},
        {"op": "type", "sheet": r.sheet.name, "cell": r.cell(0, "resultat"), "text": "0,8"},
        {"op": "save", "path": str(saved)},
        {"op": "close"},
    ])  # fmt: skip
    book = read_workbook(saved)
    assert book.maal[0].baseline == 0.72
    w, res = [f for f in validate(book) if f.rule == "maal_procent_andel"]
    assert w.severity == "advarsel" and w.cell == m.cell(0, "baseline")
    assert "0,72 %" in w.message and "72 %" in w.message
    assert SPEC.sheet("maal").name == w.sheet
    assert (res.sheet, res.cell) == (r.sheet.name, r.cell(0, "resultat"))
    assert "Resultat for mål 1: Resultat er læst som 0,8 %" in res.message
