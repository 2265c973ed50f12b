"""The pure Konsolider core, and the three adapters that call it (issue 12, item 3).

The core (:mod:`toolkit.master.consolidation`) does no I/O; the command line's run, the Excel
button and the server's script give the same tables from the same inbox and master; the
button writes no master file; the button finds the master's tables where the file reader
finds them (any column, the first 50 rows).
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from test_excel import (
    YEAR,
    _table_api,
    apply_actions,
    grid,
    model_to_xlsx,
    payload_from_file,
    rows_of,
    run_remote,
    set_setting,
)

import toolkit.master.consolidation as core
from toolkit.excel import konsolider, read_master_book, server
from toolkit.master.consolidation import MasterState, consolidate
from toolkit.master.tables import BY_KEY, TABLES
from toolkit.master.xlsm import to_xlsm

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 10, 1, 9, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from toolkit.demo.pipeline import run_demo

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, antal=8, year=YEAR, seed=5)
    return folder


@pytest.fixture(scope="module")
def master_xlsm(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_xlsm(demo / "master.xlsx", tmp_path_factory.mktemp("xlsm") / "Master.xlsm")


def _payload(master: Path, inbox: Path) -> dict[str, Any]:
    payload = payload_from_file(master)
    set_setting(payload, "Indbakke", str(inbox))
    return payload


def _inbox(demo: Path, tmp_path: Path) -> Path:
    inbox = tmp_path / "indbakke"
    shutil.copytree(demo / "indbakke", inbox)
    return inbox


# ------------------------------------------------------------------ (a) no I/O in the core

IO_CALLS = {"open", "read_bytes", "read_text", "write_bytes", "write_text", "now", "today",
            "time", "perf_counter", "exists", "is_file", "is_dir", "mkdir", "unlink", "replace",
            "rename", "stat", "iterdir", "glob", "rglob", "getenv", "system"}  # fmt: skip
IO_MODULES = {"xlsxwriter", "openpyxl", "python_calamine", "xlwings", "os", "io", "shutil",
              "tempfile", "subprocess", "time", "socket", "pandas", "lxml", "zipfile"}  # fmt: skip


def _io_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            found += [f"import {n}" for n in names if n.split(".")[0] in IO_MODULES]  # fmt: skip
        elif isinstance(node, ast.Call):
            f = node.func
            name = (
                f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            )
            if name in IO_CALLS:
                found.append(f"{name}() on line {node.lineno}")
        elif isinstance(node, ast.Name) and node.id in ("Path", "environ"):
            found.append(f"{node.id} on line {node.lineno}")
    return found


def test_the_core_does_no_io() -> None:
    assert _io_in(ROOT / "toolkit/master/consolidation.py") == []


def test_the_io_check_sees_io(tmp_path: Path) -> None:
    """The check above can fail: each kind of I/O it looks for is found."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import openpyxl\nfrom pathlib import Path\nfrom datetime import datetime\n"
        "def f(p):\n    open(p)\n    Path(p).write_bytes(b'')\n    return datetime.now()\n",
        encoding="utf-8",
    )
    found = _io_in(bad)
    assert "import openpyxl" in found
    assert any(f.startswith(x) for f in found for x in ("open()", "write_bytes()", "now()", "Path"))
    assert len(found) >= 4


def test_key_figures_are_computed_in_the_core_only() -> None:
    """Overblik's key figures: ``overview_kpis`` is called by the core, by no adapter."""
    callers = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "toolkit").rglob("*.py"))
        if "overview_kpis(" in p.read_text(encoding="utf-8")
    ]
    assert callers == ["toolkit/master/consolidation.py", "toolkit/rules/cycle.py"]


def test_the_core_leaves_the_old_state_as_it_was(demo: Path) -> None:
    from toolkit.master.intake import gather
    from toolkit.master.model import read_master_rows
    from toolkit.reading.inputs import read_register

    settings, tables = read_master_rows(demo / "master.xlsx")
    old = MasterState(settings, tables, "master.xlsx")
    before = copy.deepcopy(old)
    register = read_register(demo / "inddata" / "Virksomhedsregister.xlsx")
    intake = gather([demo / "indbakke"], register, YEAR, workers=1)
    key = tables["maal"][0]["noegle"]
    out = consolidate(old, intake, register, YEAR, NOW, typed={"maal": {key: {"kommentar": "x"}}},
                      user="tester", inbox="indbakken")  # fmt: skip
    assert old == before  # typed values go onto copies
    assert next(g for g in out.tables["maal"] if g["noegle"] == key)["kommentar"] == "x"
    assert out.entry["bruger"] == "tester" and out.entry["tidspunkt"] == NOW
    assert out.tables["koersler"][-1] is out.entry
    assert out.info == "Sidst konsolideret 01-10-2026 09:30 af tester fra indbakken"
    kpis = dict(out.kpis)
    assert kpis["Kontraktmål"] == len(out.current("maal"))
    assert kpis["Fund"] == len(out.tables["fund"])
    assert out.settings["aar"] == YEAR and out.settings["indbakke"] == "indbakken"


# ------------------------------------------------------------------ (b) one core, three adapters


class _Clock(dt.datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return NOW


def test_cli_button_and_server_give_the_same_tables(
    demo: Path, master_xlsm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.excel.server.scripts import run_script
    from toolkit.master.consolidate import run

    inbox = _inbox(demo, tmp_path)
    register = demo / "inddata" / "Virksomhedsregister.xlsx"
    payload = _payload(master_xlsm, inbox)

    _, button = run_remote(konsolider, payload, now=NOW)
    monkeypatch.setattr("toolkit.excel.konsolider_button.datetime", _Clock)  # the server's clock
    served = apply_actions(payload, run_script("konsolider", copy.deepcopy(payload))["actions"])
    saved = shutil.copy(master_xlsm, tmp_path / "Master.xlsm")
    run([inbox], Path(saved), register, YEAR, now=NOW)

    _, want = rows_of(Path(saved))
    _, got_button = rows_of(model_to_xlsx(button, tmp_path / "knap.xlsx"))
    _, got_server = rows_of(model_to_xlsx(served, tmp_path / "server.xlsx"))
    for t in TABLES:
        assert got_button.get(t.key) == want.get(t.key), t.sheet
        assert got_server.get(t.key) == want.get(t.key), t.sheet
    assert want["maal"] and want["koersler"][-1]["tidspunkt"] == NOW
    assert button.alerts[0][0].startswith("Masterarbejdsbogen er opdateret")


# ------------------------------------------------------------------ (c) no master file written


def test_the_button_writes_no_master_file(
    demo: Path, master_xlsm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the Excel button wrote a master file")

    for target in ("toolkit.master.write.master_bytes", "toolkit.master.save.save_master",
                   "toolkit.master.save.write_atomic", "toolkit.files.write_atomic",
                   "tempfile.mkdtemp", "tempfile.mkstemp", "tempfile.NamedTemporaryFile"):  # fmt: skip
        monkeypatch.setattr(target, refuse)
    temp = set(Path(tempfile.gettempdir()).iterdir())
    summary, applied = run_remote(
        konsolider, _payload(master_xlsm, _inbox(demo, tmp_path)), now=NOW
    )
    assert summary is not None and summary["maal"] > 0
    assert applied.alerts[0][0].startswith("Masterarbejdsbogen er opdateret")
    assert not [p for p in set(Path(tempfile.gettempdir()).iterdir()) - temp
                if p.name.startswith("konsolider-")]  # fmt: skip


# ------------------------------------------------------------------ finding the tables


def _shift(payload: dict[str, Any], sheet: str, rows: int, cols: int) -> None:
    """Move everything on ``sheet`` ``rows`` down and ``cols`` right (its tables too)."""
    ws = next(s for s in payload["sheets"] if s["name"] == sheet)
    width = max(len(r) for r in ws["values"]) + cols
    ws["values"] = [[""] * width for _ in range(rows)] + [
        [""] * cols + r + [""] * (width - cols - len(r)) for r in ws["values"]
    ]
    for i, t in enumerate(ws["tables"]):
        c0, r0, c1, r1 = range_boundaries(t["range_address"])
        ref = f"{get_column_letter(c0 + cols)}{r0 + rows}:{get_column_letter(c1 + cols)}{r1 + rows}"
        ws["tables"][i] = _table_api(t["name"], ref)
    ws["used_range_address"] = f"A1:{get_column_letter(width)}{len(ws['values'])}"


def test_the_button_finds_a_table_moved_to_c12(
    demo: Path, master_xlsm: Path, tmp_path: Path
) -> None:
    """Kontraktmål's table starting in column C, row 12 (rows and columns inserted above and
    before it): read like the file reader reads it, and written back in its place."""
    inbox = _inbox(demo, tmp_path)
    plain = _payload(master_xlsm, inbox)
    moved = copy.deepcopy(plain)
    header_row = next(i for i, r in enumerate(grid(plain, "Kontraktmål")) if "Mål-id" in r)
    _shift(moved, "Kontraktmål", 11 - header_row, 2)
    assert grid(moved, "Kontraktmål")[11][2] == BY_KEY["maal"].cols[0].header

    import xlwings as xw

    server.ensure_remote_engine()
    books = [xw.Book(json=copy.deepcopy(p)) for p in (plain, moved)]
    try:
        want, got = (read_master_book(b) for b in books)
    finally:
        for b in books:
            b.close()
    assert got.rows["maal"] == want.rows["maal"] and got.rows["maal"]
    place = got.places["maal"]
    assert (place.header_row, place.first_col, place.excel_table) == (11, 2, "tblMaal")

    _, before = run_remote(konsolider, plain, now=NOW)
    _, after = run_remote(konsolider, moved, now=NOW)
    _, want_rows = rows_of(model_to_xlsx(before, tmp_path / "før.xlsx"))
    _, got_rows = rows_of(model_to_xlsx(after, tmp_path / "efter.xlsx"))
    assert got_rows["maal"] == want_rows["maal"]
    g = grid(after.payload, "Kontraktmål")
    assert all(r[:2] == ["", ""] for r in g)  # nothing written left of the table
    table = next(
        t for s in after.payload["sheets"] if s["name"] == "Kontraktmål" for t in s["tables"]
    )
    c0, r0, _, r1 = range_boundaries(table["range_address"])
    assert (c0, r0, r1 - r0) == (3, 12, len(got_rows["maal"]))


def test_core_module_is_the_one_the_adapters_use() -> None:
    """The CLI run and the button import the core's ``consolidate``; no temporary master."""
    for rel in ("toolkit/master/consolidate.py", "toolkit/excel/konsolider_button.py"):
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert "consolidate(" in text and "tempfile" not in text, rel
    assert core.consolidate is consolidate


# ------------------------------------------------------------------ one error base


def test_the_adapters_exceptions_are_user_errors() -> None:
    from toolkit.errors import UserError
    from toolkit.excel import ExcelFejl, IkkeLavetEndnu
    from toolkit.excel.confine import UdenforMappen
    from toolkit.excel.server.app import Afvist
    from toolkit.excel.server.auth import AuthFejl
    from toolkit.excel.server.config import KonfigurationsFejl
    from toolkit.master.consolidate import MasterUnreadable
    from toolkit.master.guard import TypedValuesAtRisk
    from toolkit.master.save import KonsoliderRunning, MasterLocked

    for exc in (ExcelFejl, IkkeLavetEndnu, UdenforMappen, Afvist, AuthFejl, KonfigurationsFejl,
                MasterUnreadable, TypedValuesAtRisk, MasterLocked, KonsoliderRunning):  # fmt: skip
        assert issubclass(exc, UserError), exc


class _Fejl(Exception):
    pass


def test_any_user_error_is_shown_in_danish_by_the_button_and_the_server(
    master_xlsm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A UserError subclass no adapter lists by name: the button shows its message, and so
    does the server when one escapes a button; other exceptions stay bugs."""
    import toolkit.excel
    from toolkit.errors import UserError
    from toolkit.excel.make import lav_kontrakter
    from toolkit.excel.server.scripts import run_script

    class NyFejl(UserError):
        pass

    def fails(*_: Any, **__: Any) -> Any:
        raise NyFejl("Noget, du kan rette: ret det, og prøv igen.")

    payload = payload_from_file(master_xlsm)
    monkeypatch.setattr("toolkit.excel.make.master_from_book", fails)
    result, applied = run_remote(lav_kontrakter, payload)
    assert result is None and applied.funcs == ["alert"]
    assert applied.alerts[0][0] == "Noget, du kan rette: ret det, og prøv igen."
    assert applied.alerts[0][3] == "critical"

    monkeypatch.setattr(toolkit.excel, "lav_kontrakter", fails)
    answer = run_script("lav_kontrakter", copy.deepcopy(payload))
    (alert,) = apply_actions(payload, answer["actions"]).alerts
    assert alert[0] == "Noget, du kan rette: ret det, og prøv igen." and alert[3] == "critical"

    def bug(*_: Any, **__: Any) -> Any:
        raise _Fejl("en fejl i koden")

    monkeypatch.setattr("toolkit.excel.make.master_from_book", bug)
    with pytest.raises(_Fejl):
        run_remote(lav_kontrakter, payload)


def test_the_button_writes_columns_an_older_master_heads_differently(
    demo: Path, master_xlsm: Path, tmp_path: Path
) -> None:
    """A master made before the layout took its headers from the spec says "Frist" where a
    new one says "Frist for måling": the button writes that column by its old header (an
    alias), so the deadlines follow their goals, as the file run does."""
    inbox = _inbox(demo, tmp_path)
    plain = _payload(master_xlsm, inbox)
    old = copy.deepcopy(plain)
    new_header, old_header = (
        BY_KEY["maal"].cols[[c.key for c in BY_KEY["maal"].cols].index("frist")].headers[:2]
    )
    ws = next(s for s in old["sheets"] if s["name"] == "Kontraktmål")
    hits = [(i, j) for i, r in enumerate(ws["values"]) for j, v in enumerate(r) if v == new_header]
    assert len(hits) == 1
    i, j = hits[0]
    ws["values"][i][j] = old_header
    for row in ws["values"][i + 1 :]:
        row[j] = ""  # the deadlines are written again by the run, or they would stay blank

    _, before = run_remote(konsolider, plain, now=NOW)
    _, after = run_remote(konsolider, old, now=NOW)
    _, want_rows = rows_of(model_to_xlsx(before, tmp_path / "ny.xlsx"))
    _, got_rows = rows_of(model_to_xlsx(after, tmp_path / "gammel.xlsx"))
    assert [r["frist"] for r in got_rows["maal"]] == [r["frist"] for r in want_rows["maal"]]
    assert any(r["frist"] for r in got_rows["maal"])
