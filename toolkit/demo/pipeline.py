"""``kontrakt demo``: run the yearly cycle on a generated municipality, end to end.

Folder layout it creates (all names Danish, as Kontraktservice would keep them)::

    DIR/inddata/Virksomhedsregister.xlsx     the register
    DIR/inddata/Indsatsområder.xlsx          the committees' focus areas
    DIR/udsendt/*.xlsx                       the workbooks sent out (kontrakt opret)
    DIR/indbakke/*.xlsx                      the workbooks the institutions sent back
    DIR/validering.json                      kontrakt valider --json on the inbox
    DIR/facit.json                           the generator's ground truth (for tests)
    DIR/master.xlsx                          the master workbook (kontrakt konsolider)
    DIR/eksport/*.csv, *.parquet             the master's tables for Power BI
    DIR/dokumenter/                          contracts, committee memos, the overall report
"""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from toolkit.demo.filling import GeneratedFilling, generate_all
from toolkit.demo.municipality import Municipality, generate_municipality
from toolkit.reading.inputs import (
    read_focus_areas,
    read_register,
    write_focus_areas,
    write_register,
)
from toolkit.workbook.batch import BuildJob, build_many, expand_paths, summarize, validate_many
from toolkit.workbook.build import WorkbookInput

REGISTER = "Virksomhedsregister.xlsx"
FOCUS = "Indsatsområder.xlsx"


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(type(o))


def write_inputs(muni: Municipality, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    insts, areas = list(muni.institutions), list(muni.focus_areas)
    reg, foc = folder / REGISTER, folder / FOCUS
    write_register(reg, muni.kommune, insts, register_id=f"{muni.kommune}-{muni.year}")
    write_focus_areas(foc, areas)
    return reg, foc


def run_demo(
    folder: Path,
    *,
    antal: int = 120,
    year: int = 2027,
    seed: int = 2027,
    phase: str = "forslag",
    console: Console | None = None,
    with_master: bool = True,
    with_documents: bool = True,
    cycle: bool = False,
) -> dict[str, Any]:
    """Build the demo municipality in ``folder``; returns the figures it printed."""
    con = console or Console(quiet=True)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, t: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - t, 3)
        return now

    muni = generate_municipality(seed=seed, n=antal, year=year)
    reg_path, foc_path = write_inputs(muni, folder / "inddata")
    t = lap("inddata", t0)

    # What Kontraktservice does: read its own inputs and build the workbooks to send out.
    reg = read_register(reg_path)
    areas = read_focus_areas(foc_path)
    created = datetime(year - 1, 3, 15, 9, 0, 0)
    jobs = [
        BuildJob(
            folder / "udsendt",
            WorkbookInput(
                i.as_dict(),
                year,
                reg.kommune,
                areas.titles(i.udvalg, year),
                phase,
                reg.register_id,
                created,
            ),
        )
        for i in reg.institutions
    ]
    sent = build_many(jobs)
    t = lap("opret", t)

    # What the institutions send back: the same workbooks, filled in (some with mistakes, some missing).
    fillings: dict[str, GeneratedFilling | None] = generate_all(muni, phase=phase, seed=seed)
    returned = [
        BuildJob(
            folder / "indbakke",
            dataclasses.replace(job.inp, filling=fillings[str(job.inp.institution["id"])]),
        )
        for job in jobs
        if fillings.get(str(job.inp.institution["id"])) is not None
    ]
    build_many(returned)
    t = lap("udfyld", t)

    results = validate_many(list(expand_paths([folder / "indbakke"])))
    report = [f.as_dict() for r in results for f in r.findings]
    (folder / "validering.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), "utf-8"
    )
    t = lap("valider", t)

    facit: dict[str, Any] = {
        "kommune": muni.kommune,
        "aar": year,
        "institutioner": len(muni.institutions),
        "mangler": sorted(k for k, v in fillings.items() if v is None),
        "fejl": {k: v.mistakes for k, v in fillings.items() if v is not None and v.mistakes},
        "udfyldninger": {k: dataclasses.asdict(v) for k, v in fillings.items() if v is not None},
    }
    (folder / "facit.json").write_text(
        json.dumps(facit, ensure_ascii=False, default=_json_default), "utf-8"
    )
    master_summary = None
    if with_master:
        from toolkit.master.consolidate import run

        res = run(
            [folder / "indbakke"],
            folder / "master.xlsx",
            reg_path,
            year,
            export_dir=folder / "eksport",
            focus_path=foc_path,
        )
        master_summary = res.summary()
        t = lap("konsolider", t)
    docs: list[Path] = []
    if with_master and cycle:
        from toolkit.demo.cycle import run_cycle

        facit["aarshjul"] = run_cycle(folder, muni, seed, reg_path, foc_path, lambda name: None)
        (folder / "facit.json").write_text(
            json.dumps(facit, ensure_ascii=False, default=_json_default), "utf-8"
        )
        docs = sorted((folder / "dokumenter").rglob("*.docx"))
        t = lap("årshjul", t)
    elif with_master and with_documents:
        from datetime import date

        from toolkit.documents import make_contracts, make_memos

        out = folder / "dokumenter"
        today = date(year - 1, 10, 1)  # the committees meet in September/October
        docs += make_contracts(folder / "master.xlsx", out / "kontrakter", today=today)
        docs += make_memos(
            folder / "master.xlsx", out / "udvalgsnotater", phase="forslag", today=today
        )
        # The report needs results (it is refused on a proposal-phase master, never all zeros).
        t = lap("dokumenter", t)
    total = round(time.perf_counter() - t0, 2)
    s = summarize(results)
    con.print(f"[bold]Demokommune:[/] {muni.kommune}, kontraktår {year}")
    con.print(
        f"  {len(reg.institutions)} virksomheder under {len(reg.committees)} fagudvalg; indsatsområder: {len(areas.areas)}"
    )
    con.print(f"  {len(sent)} arbejdsbøger sendt ud til {folder / 'udsendt'}")
    con.print(
        f"  {len(returned)} besvarelser i {folder / 'indbakke'} ({len(facit['mangler'])} mangler)"
    )
    con.print(
        f"  Validering: {s['uden_fejl']} uden fejl, {s['fejl']} fejl og {s['advarsler']} advarsler → {folder / 'validering.json'}"
    )
    if master_summary:
        con.print(f"  Masterarbejdsbog: {folder / 'master.xlsx'} ({master_summary['maal']} kontraktmål, "
                  f"{master_summary['mangler']} mangler, {master_summary['med_fejl']} med fejl); eksport i {folder / 'eksport'}")  # fmt: skip
    if cycle and "aarshjul" in facit:
        _print_cycle(con, facit["aarshjul"], year)
    if docs:
        what = (
            "kontrakter, udvalgsnotater og samlet rapport"
            if cycle
            else "kontrakter og udvalgsnotater"
        )
        con.print(f"  {len(docs)} Word-dokumenter ({what}) i {folder / 'dokumenter'}")
    from toolkit.documents.formatting import sekunder

    con.print(
        f"  Tid: {sekunder(total)} ({', '.join(f'{k} {sekunder(v)}' for k, v in timings.items())})"
    )
    return {
        "timings": timings,
        "total": total,
        "summary": s,
        "sent": len(sent),
        "returned": len(returned),
    }


def _print_cycle(con: Console, a: dict[str, Any], year: int) -> None:
    """What the rest of the årshjul did, one line a step."""
    from toolkit.documents.formatting import antal

    d = a.get("beslutninger", {})
    con.print(f"  Beslutninger {year}: et mål ændret ({(d.get('aendret') or {}).get('noegle')}), et afvist "
              f"({(d.get('afvist') or {}).get('noegle')}) og erstattet af et nyt; resten godkendt")  # fmt: skip
    nxt = a.get(str(year + 1), {})
    con.print(f"  Nyt kontraktår {year + 1}: {antal(nxt.get('udsendt', 0), 'arbejdsbog', 'arbejdsbøger')} "
              f"med målene fra {year}; {antal(nxt.get('maal', 0), 'forslag', 'forslag')} besluttet")  # fmt: skip
    truth = a.get(str(year), {})
    levels = truth.get("maalopfyldelse", {})
    con.print(f"  Resultater {year}: {truth.get('mangler_resultater')} sendte aldrig; "
              f"{antal(len(a.get('paamindelser', [])), 'påmindelse', 'påmindelser')} (e-mailkladder)")  # fmt: skip
    con.print(
        f"  Målopfyldelse {year}: {truth.get('kontraktmaal', 0)} kontraktmål — "
        + ", ".join(f"{v} {k.lower()}" for k, v in sorted(levels.items(), key=lambda kv: -kv[1]))
    )
