"""A small municipality taken through the year by hand: helpers for the yearly-cycle tests.

Two institutions under one committee; proposals are real workbooks built by the toolkit;
what Kontraktservice types into the master is typed through LibreOffice (da-DK) and saved
by it, as a person would.
"""

from __future__ import annotations

import copy
import os
import shutil
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from conftest import FOCUS, INSTITUTION, good_filling

from toolkit.master.consolidate import RunResult, run
from toolkit.master.model import HEADER_ROW, read_master_rows
from toolkit.master.tables import BY_KEY
from toolkit.reading.inputs import FocusArea, Institution, write_focus_areas, write_register
from toolkit.spec.layout import cell_ref
from toolkit.workbook.build import Filling, WorkbookInput, build_workbook, workbook_filename

YEAR = 2027
KOMMUNE = "Demokommune"
OTHER = {**INSTITUTION, "id": "V043", "navn": "Børnehuset Solsikken", "email": "sol@demokommune.dk"}
EXTRA_GOAL = {
    "titel": "Flere forældre i dialog",
    "beskrivelse": "Dialogcaféer hvert kvartal.",
    "indsatsomraade": "Trivsel og fællesskab",
    "maaltype": "Dialog og inddragelse",
    "indikator": "Antal dialogcaféer med forældre",
    "maalemetode": "Registrering",
    "enhed": "Antal",
    "retning": "Højere er bedre",
    "baseline": 1,
    "maalvaerdi": 4,
    "dokumentationskrav": "Referater",
    "ansvarlig": "Hanne Østergaard",
    "frist": date(2027, 12, 1),
}


class Kommune:
    """The folders and inputs of a two-institution municipality."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inbox = root / "Indbakke"
        self.results_inbox = root / "Resultater"
        self.master = root / "Master.xlsx"
        self.register = root / "Virksomhedsregister.xlsx"
        self.focus = root / "Indsatsområder.xlsx"
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.results_inbox.mkdir(parents=True, exist_ok=True)
        insts = [Institution(**{k: d[k] for k in ("id", "navn", "type", "udvalg", "leder", "email")})
                 for d in (INSTITUTION, OTHER)]  # fmt: skip
        write_register(self.register, KOMMUNE, insts, register_id=f"{KOMMUNE}-{YEAR}")
        areas = [FocusArea(INSTITUTION["udvalg"], y, i + 1, t)
                 for y in (YEAR, YEAR + 1) for i, t in enumerate(FOCUS)]  # fmt: skip
        write_focus_areas(self.focus, areas)
        self._clock = time.time()

    def submit(self, inst: dict[str, Any], goals: list[dict[str, Any]], *,
               phase: str = "forslag", year: int = YEAR, folder: Path | None = None,
               filling: Filling | None = None, name: str | None = None) -> Path:  # fmt: skip
        """An institution sends (or resends) its workbook; each call is newer than the last."""
        f = filling or good_filling()
        f = copy.deepcopy(f)
        f.maal = copy.deepcopy(goals)
        f.resultater = [r for r in f.resultater][: len(goals)] if phase == "resultater" else []
        inp = WorkbookInput(inst, year, KOMMUNE, FOCUS, phase, f"{KOMMUNE}-{YEAR}",
                            datetime(year - 1, 3, 15, 9), f)  # fmt: skip
        folder = folder or (self.results_inbox if phase == "resultater" else self.inbox)
        path = folder / (name or workbook_filename(inst, year))
        build_workbook(path, inp)
        self._clock += 10
        os.utime(path, (self._clock, self._clock))
        return path

    def consolidate(self, inbox: Path | None = None, year: int = YEAR) -> RunResult:
        return run([inbox or self.inbox], self.master, self.register, year, workers=1)

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        return read_master_rows(self.master)[1]

    def goal(self, title: str, year: int = YEAR) -> dict[str, Any]:
        hits = [g for g in self.rows()["maal"] if g["titel"] == title and g["aar"] == year]
        assert len(hits) == 1, (title, hits)
        return hits[0]


def master_cells(
    master: Path, table: str, typed: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """UNO 'type' jobs: for each goal id, header key → text to type into the master."""
    t = BY_KEY[table]
    rows = read_master_rows(master)[1][table]
    index = {r["noegle"]: i for i, r in enumerate(rows)}
    jobs = []
    for key, values in typed.items():
        r = HEADER_ROW + 1 + index[key]
        for col, text in values.items():
            jobs.append({"op": "type", "sheet": t.sheet, "cell": cell_ref(r, t.keys.index(col)),
                         "text": str(text)})  # fmt: skip
    return jobs


def type_into_master(master: Path, table: str, typed: dict[str, dict[str, Any]]) -> list[Any]:
    """Kontraktservice types into the master in LibreOffice (da-DK) and saves it as .xlsx."""
    from uno_harness.session import run_uno

    out = master.with_name("gemt af LibreOffice.xlsx")
    jobs = [{"op": "open", "path": str(master)}, *master_cells(master, table, typed),
            {"op": "save", "path": str(out), "filter": "Calc MS Excel 2007 XML"}, {"op": "close"}]  # fmt: skip
    results = run_uno(jobs)
    errors = [r for r in results if isinstance(r, dict) and "error" in r]
    assert not errors, errors
    shutil.move(out, master)
    return results
