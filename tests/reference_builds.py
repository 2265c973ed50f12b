"""Deterministic builds of every file type the toolkit writes (reference and schema tests).

Everything is built from fixed inputs, at fixed times, with relative paths (the builds run
in their folder), so two builds on any machine hold the same parts:

* the institution workbooks: the conftest's good filling (proposal phase), and a results
  workbook made the way Kontraktservice makes it (:func:`toolkit.master.carryover.results_phase_inputs`
  from the master after the committee's decisions) with results typed in;
* the master: a fresh one (empty inbox), after a consolidation of two institutions, after a
  second run with the committee's decisions typed in, and an .xlsx master turned into .xlsm;
* the documents from ``tests/sample_master.py`` (three institutions with decisions and results):
  a contract, both committee memos and the overall report.

Time is frozen where the toolkit stamps 'now': ``created=`` / ``now=`` / ``today=`` where the
API has them; the documents' core properties (``toolkit.documents.render.datetime``) and the
Konsolider run's duration (``time.perf_counter``) are patched while building. The user name
Konsolider writes in its log comes from ``USERNAME``, which is set.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import FOCUS, INSTITUTION, good_filling, make_input

from toolkit.workbook.build import build_workbook

YEAR = 2027
KOMMUNE = "Demokommune"
OTHER = {**INSTITUTION, "id": "V043", "navn": "Børnehuset Solsikken", "email": "sol@demokommune.dk"}
CREATED = datetime(YEAR - 1, 3, 15, 9, 0)
NOW = datetime(YEAR - 1, 10, 1, 12, 0)  # Konsolider's 'now'
TODAY = date(YEAR - 1, 10, 1)  # the documents' date
MTIME = datetime(YEAR - 1, 8, 31, 15, 0).timestamp()  # the inbox files' modification time
RESULTS = (
    {"resultat": 78, "maalt_dato": date(YEAR, 11, 20), "dokumentation": "Udtræk fra Hjernen&Hjertet"},
    {"resultat": 11.5, "maalt_dato": date(YEAR, 12, 31), "forklaring": "Færre langtidssygemeldte."},
    {"resultat": "Ja", "maalt_dato": date(YEAR, 6, 12), "dokumentation": "Referat"},
)  # fmt: skip


class FrozenDatetime(datetime):
    """``datetime`` whose ``now()`` is :data:`NOW` (for modules that stamp the time)."""

    @classmethod
    def now(cls, tz: Any = None) -> FrozenDatetime:  # type: ignore[override]
        return cls(NOW.year, NOW.month, NOW.day, NOW.hour, NOW.minute, tzinfo=tz)


@contextmanager
def frozen(folder: Path) -> Iterator[pytest.MonkeyPatch]:
    """Work in ``folder`` (relative paths only) with a fixed user and a fixed clock."""
    from toolkit.documents import render

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for var in ("USERNAME", "USER", "LOGNAME"):
            mp.setenv(var, "kontraktservice")
        mp.setattr(render, "datetime", FrozenDatetime)
        mp.setattr(time, "perf_counter", lambda: 0.0)  # Konsolider's 'varighed'
        yield mp


def _inst_input(phase: str = "forslag", xlsm: bool = False) -> Any:
    return dataclasses.replace(make_input(good_filling(), phase=phase), xlsm=xlsm)


def build_institutions(folder: Path) -> dict[str, Path]:
    """The proposal-phase workbooks (.xlsx and .xlsm) of the conftest's institution."""
    folder.mkdir(parents=True, exist_ok=True)
    with frozen(folder):
        return {
            "institution_forslag.xlsx": build_workbook(
                Path("institution_forslag.xlsx"), _inst_input()
            ).absolute(),
            "institution_forslag.xlsm": build_workbook(
                Path("institution_forslag.xlsm"), _inst_input(xlsm=True)
            ).absolute(),
        }


def _write_inputs() -> tuple[Path, Path]:
    from toolkit.reading.inputs import FocusArea, Institution, write_focus_areas, write_register

    keys = ("id", "navn", "type", "udvalg", "leder", "email")
    insts = [Institution(**{k: d[k] for k in keys}) for d in (INSTITUTION, OTHER)]
    register, focus = Path("Virksomhedsregister.xlsx"), Path("Indsatsområder.xlsx")
    write_register(register, KOMMUNE, insts, register_id=f"{KOMMUNE}-{YEAR}")
    areas = [FocusArea(INSTITUTION["udvalg"], y, i + 1, t)
             for y in (YEAR, YEAR + 1) for i, t in enumerate(FOCUS)]  # fmt: skip
    write_focus_areas(focus, areas)
    return register, focus


def build_master_cycle(folder: Path) -> dict[str, Path]:
    """The inputs, the master through three runs, and the results-phase workbooks."""
    import shutil

    from toolkit.master.carryover import next_year_inputs, results_phase_inputs
    from toolkit.master.consolidate import run
    from toolkit.master.model import read_master_rows
    from toolkit.master.xlsm import to_xlsm
    from toolkit.reading.inputs import read_focus_areas, read_register
    from toolkit.workbook.build import WorkbookInput

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    with frozen(folder):
        register, focus = _write_inputs()
        out["Virksomhedsregister.xlsx"], out["Indsatsområder.xlsx"] = register, focus
        inbox, master = Path("indbakke"), Path("master.xlsm")
        inbox.mkdir()

        def konsolider(**kw: Any) -> None:
            run([inbox], master, register, YEAR, workers=1, now=NOW, focus_path=focus, **kw)

        konsolider()  # no workbooks yet: the fresh master
        shutil.copy(master, "master_ny.xlsm")
        out["master_ny.xlsm"] = Path("master_ny.xlsm")
        for inst in (INSTITUTION, OTHER):
            inp = WorkbookInput(inst, YEAR, KOMMUNE, FOCUS, "forslag", f"{KOMMUNE}-{YEAR}",
                                CREATED, good_filling())  # fmt: skip
            p = build_workbook(inbox / f"Kontrakt {YEAR} - {inst['id']}.xlsx", inp)
            os.utime(p, (MTIME, MTIME))
        konsolider()
        shutil.copy(master, "master_konsolideret.xlsm")
        out["master_konsolideret.xlsm"] = Path("master_konsolideret.xlsm")
        # The committee's decisions, typed into the master; then Konsolider once more.
        _, rows = read_master_rows(master)
        decided = {"Godkendt": {"beslutning": "Godkendt", "beslutningsdato": date(YEAR - 1, 10, 8)},
                   "Ændret": {"beslutning": "Ændret", "aendret_maalvaerdi": 85, "beslutningsdato": date(YEAR - 1, 10, 8),
                              "kommentar": "Udvalget har hævet målværdien med 5 procentpoint."}}  # fmt: skip
        typed = {
            g["noegle"]: decided["Ændret" if g["noegle"].endswith("-1") else "Godkendt"]
            for g in rows["maal"]
        }
        konsolider(typed={"maal": typed})
        shutil.copy(master, "master_anden_koersel.xlsm")
        out["master_anden_koersel.xlsm"] = Path("master_anden_koersel.xlsm")
        # The .xlsx master (kontrakt konsolider --master master.xlsx), and kontrakt xlsm on it.
        run([inbox], Path("master.xlsx"), register, YEAR, workers=1, now=NOW)
        out["master.xlsx"] = Path("master.xlsx")
        out["master_fra_xlsx.xlsm"] = to_xlsm(Path("master.xlsx"), Path("master_fra_xlsx.xlsm"))
        # The results phase: Kontraktservice's workbooks from the decided master, filled in.
        _, rows = read_master_rows(master)
        inputs = results_phase_inputs(rows, read_register(register), read_focus_areas(focus),
                                      YEAR, created=CREATED)  # fmt: skip
        inp = next(i for i in inputs if i.institution["id"] == INSTITUTION["id"])
        assert inp.filling is not None and len(inp.filling.maal) == 3, inp
        inp.filling.resultater = [dict(r) for r in RESULTS]
        for xlsm in (False, True):
            name = f"institution_resultater.{'xlsm' if xlsm else 'xlsx'}"
            out[name] = build_workbook(Path(name), dataclasses.replace(inp, xlsm=xlsm))
        # The results come back; Konsolider on them; next year's workbook with last year's
        # goals and results carried over (kontrakt nytaar).
        results = Path("resultater")
        results.mkdir()
        sent = results / f"Kontrakt {YEAR} - {INSTITUTION['id']}.xlsx"
        shutil.copy(out["institution_resultater.xlsx"], sent)
        os.utime(sent, (MTIME, MTIME))
        run([results], master, register, YEAR, workers=1, now=NOW, focus_path=focus)
        shutil.copy(master, "master_resultater.xlsm")
        out["master_resultater.xlsm"] = Path("master_resultater.xlsm")
        _, rows = read_master_rows(master)
        assert any(r.get("resultat") is not None for r in rows["resultater"]), "no results"
        nxt = next_year_inputs(rows, read_register(register), read_focus_areas(focus),
                               YEAR + 1, created=CREATED.replace(year=YEAR))  # fmt: skip
        inp = next(i for i in nxt if i.institution["id"] == INSTITUTION["id"])
        assert inp.filling is not None and inp.filling.maal, "nothing carried over"
        assert inp.filling.virksomhed.get("status_sidste_aar"), "no status of last year"
        out["institution_nytaar.xlsx"] = build_workbook(Path("institution_nytaar.xlsx"), inp)
    return {k: (folder / v) for k, v in out.items()}


def build_documents(folder: Path) -> dict[str, Path]:
    """A contract, both committee memos and the overall report, from the sample master."""
    from sample_master import sample_master

    from toolkit.documents import make_contracts, make_memos, make_report

    folder.mkdir(parents=True, exist_ok=True)
    master = sample_master(3, seed=YEAR)
    with frozen(folder):
        contracts = make_contracts(master, Path("."), workers=1, today=TODAY)
        (forslag,) = make_memos(master, Path("."), phase="forslag", workers=1, today=TODAY)
        (maal,) = make_memos(master, Path("."), phase="maalopfyldelse", workers=1, today=TODAY)
        report = make_report(master, Path("."), today=TODAY)
    return {
        "kontrakt.docx": folder / sorted(contracts)[0],
        "udvalgsnotat_forslag.docx": folder / forslag,
        "udvalgsnotat_maalopfyldelse.docx": folder / maal,
        "samlet_rapport.docx": folder / report,
    }
