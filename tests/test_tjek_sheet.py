"""The check sheet and the guide in the institution's workbook speak plainly (issue 9):
the status counts in Danish singular/plural, the guide points to Tjek, a passed check reads
"I orden" (not as a fault) and the internal rule ids are hidden. Checked in LibreOffice
(recalculated) and in the file itself.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import build, good_filling
from uno_harness import session as lo

from toolkit.spec.workbook import default_spec
from toolkit.workbook.build import (
    TJEK_HEADER_ROW,
    TJEK_STATUS_ROW,
    TJEK_TOP_HEADER_ROW,
    TJEK_TOP_ROWS,
    more_text,
    status_text,
)

SPEC = default_spec()
TJEK = SPEC.sheet("tjek").name
VEJL = SPEC.sheet("vejledning").name
FIRST = TJEK_HEADER_ROW + 2  # 1-based first check row


def test_status_words_agree_in_number() -> None:
    assert status_text(1, 0, "på arket Tjek") == "IKKE KLAR — ret den ene fejl på arket Tjek"
    assert status_text(2, 5, "i listen nedenfor") == "IKKE KLAR — ret de 2 fejl i listen nedenfor"
    assert status_text(0, 1, "x") == "KLAR — men se advarslen x"
    assert status_text(0, 3, "x") == "KLAR — men se advarslerne x"
    assert status_text(0, 0, "x") == "KLAR til indsendelse"


def test_rule_ids_are_hidden_and_passed_checks_read_neutrally(tmp_path: Path) -> None:
    path = build(tmp_path, good_filling())
    ws = openpyxl.load_workbook(path)[TJEK]
    assert ws.column_dimensions["F"].hidden
    message = ws.cell(FIRST, 4).value
    assert message.startswith(f'=IF(A{FIRST}="OK","I orden","') and message.endswith('")')
    cached = openpyxl.load_workbook(path, data_only=True)[TJEK]
    rows = [[c.value for c in r] for r in cached.iter_rows(min_row=FIRST, max_col=4)]
    assert all(r[3] == "I orden" for r in rows if r[0] == "OK")  # a correct workbook: all OK
    assert rows and all(r[0] == "OK" for r in rows)
    note = cached.cell(TJEK_TOP_HEADER_ROW + TJEK_TOP_ROWS + 2, 1).value
    assert note == "Der er ingen fejl eller advarsler."


def test_more_than_the_top_rows_are_counted_in_words() -> None:
    assert more_text(0) == "Der er ingen fejl eller advarsler."
    assert more_text(TJEK_TOP_ROWS) == ""
    assert more_text(TJEK_TOP_ROWS + 1) == "… og 1 anden i listen nedenfor."
    assert more_text(TJEK_TOP_ROWS + 5) == "… og 5 andre i listen nedenfor."


def pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def require_uno() -> None:
    if not lo.uno_available():
        pytest.skip(lo.unavailable_reason() or "LibreOffice/UNO mangler")


@pytest.mark.libreoffice
def test_status_and_passed_rows_as_libreoffice_shows_them(tmp_path: Path) -> None:
    require_uno()
    one_error = dataclasses.replace(
        good_filling(), virksomhed={**good_filling().virksomhed, "udfyldt_af": ""}
    )
    path = build(tmp_path, one_error)
    results = lo.run_uno(
        [
            {"op": "open", "path": str(path)},
            {"op": "recalc"},
            {"op": "read", "sheet": TJEK, "range": f"A{TJEK_STATUS_ROW + 1}:D{FIRST + 400}"},
            {"op": "read", "sheet": VEJL, "range": "A1:A8"},
            {"op": "save", "path": str(tmp_path / "tjek.pdf"), "sheet": TJEK},
            {"op": "save", "path": str(tmp_path / "vejledning.pdf"), "sheet": VEJL},
            {"op": "close"},
        ]
    )
    grid = results[2]
    assert grid[0][1]["s"] == "IKKE KLAR — ret den ene fejl i listen nedenfor"
    rows = [r for r in grid[FIRST - TJEK_STATUS_ROW - 1 :] if r[0]["s"]]
    failed = [r for r in rows if r[0]["s"] != "OK"]
    passed = [r for r in rows if r[0]["s"] == "OK"]
    assert len([r for r in failed if r[0]["s"] == "Fejl"]) == 1
    assert passed and all(r[3]["s"] == "I orden" for r in passed)
    assert "I orden" in pdftext(tmp_path / "tjek.pdf")
    assert all(r[3]["s"] not in ("", "I orden") for r in failed)  # the fault, in words
    guide = [c["s"] for row in results[3] for c in row]
    assert f"IKKE KLAR — ret den ene fejl på arket {TJEK}" in guide
    # every paragraph of the guide is whole on the page (no line drawn over another)
    text = " ".join(pdftext(tmp_path / "vejledning.pdf").split())
    for para in SPEC.sheet("vejledning").text.strip().splitlines()[1:]:
        words = para.split()[:6]
        if "{" not in " ".join(words):
            assert " ".join(words) in text, para
    if shutil.which("pdftoppm"):
        for name in ("tjek", "vejledning"):
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-l", "1", str(tmp_path / f"{name}.pdf"),
                            str(tmp_path / name)], check=True)  # fmt: skip
            assert list(tmp_path.glob(f"{name}*.png"))


@pytest.mark.libreoffice
def test_failing_checks_come_first(tmp_path: Path) -> None:
    """The Tjek order: after typing, LibreOffice lists the failing checks above the rest,
    in the order of the full list; the full list keeps its order."""
    require_uno()
    path = build(tmp_path, good_filling())
    top = f"A{TJEK_TOP_HEADER_ROW + 2}:E{TJEK_TOP_HEADER_ROW + TJEK_TOP_ROWS + 2}"
    virk = SPEC.sheet("virksomhed").name
    results = lo.run_uno(
        [
            {"op": "open", "path": str(path)},
            {"op": "read", "sheet": TJEK, "range": top},
            {"op": "type", "sheet": virk, "cell": "B12", "text": "", "validate": False},
            {"op": "recalc"},
            {"op": "read", "sheet": TJEK, "range": top},
            {"op": "read", "sheet": TJEK, "range": f"A{FIRST}:D{FIRST + 400}"},
            {"op": "close"},
        ]
    )
    before = results[1]
    assert all(c["s"] == "" for row in before[:TJEK_TOP_ROWS] for c in row)
    assert before[TJEK_TOP_ROWS][0]["s"] == "Der er ingen fejl eller advarsler."
    listed = [r for r in results[5] if r[0]["s"] in ("Fejl", "Advarsel")]
    shown = [r for r in results[4][:TJEK_TOP_ROWS] if r[0]["s"]]
    assert listed and [[c["s"] for c in r[:4]] for r in shown] == [
        [c["s"] for c in r[:4]] for r in listed[:TJEK_TOP_ROWS]
    ]
    assert shown[0][0]["s"] in ("Fejl", "Advarsel") and shown[0][1]["s"] == virk


def test_a_wrong_cell_is_marked_where_it_is(tmp_path: Path) -> None:
    """Every check's own formula also colours the checked cell (conditional format)."""
    from toolkit.rules import checks
    from toolkit.spec.layout import layout

    path = build(tmp_path, good_filling())
    wb = openpyxl.load_workbook(path)
    rows = checks.sheet_checks(SPEC, layout(SPEC), 2027)
    marks: dict[tuple[str, str], list[str]] = {}
    for name in {c.sheet for c in rows}:
        for cf in wb[name].conditional_formatting:
            for rule in cf.rules:
                for ref in str(cf.sqref).split():
                    marks.setdefault((name, ref), []).extend(rule.formula or [])
    for chk in rows:
        assert f"IFERROR({chk.formula},1)" in marks.get((chk.sheet, chk.cell), []), chk
