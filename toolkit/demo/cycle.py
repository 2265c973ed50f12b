"""The demo's whole årshjul, twice: contract year N from proposals to attainment, and N+1's
proposals, decisions and contracts — on one master, with the calendar of DOMAIN.md.

Kontraktservice's steps, in the order they happen (N = 2027 by default):

=====================  ==================================================================
March N-1              focus areas; workbooks sent out (``udsendt/``)
April–August N-1       proposals arrive (``indbakke/``), some with mistakes → Konsolider
                       → corrected resubmissions → Konsolider
September–October N-1  the committee decides (Godkendt; one Ændret with a changed target;
                       one Afvist, replaced by a new goal, then approved) → contracts and
                       proposal memos (``dokumenter/N/``)
April N                Nyt kontraktår: N+1's workbooks carry N's contract goals
                       (``N+1/udsendt/``)
April–October N        N+1's proposals (``N+1/indbakke/``) → Konsolider → decisions →
                       contracts and memos (``dokumenter/N+1/``)
January–March N+1      N's results workbooks (``resultater-udsendt/``, the contract's
                       goals locked) → results arrive (``resultater/``; one never does)
                       → Konsolider → reminders (``påmindelser/``) → attainment memos and
                       the overall report
                       (``dokumenter/N/``)
=====================  ==================================================================

The decisions are given to Konsolider as values typed into the master (``typed=``), the
way a person types them in Excel. ``facit.json`` gets the cycle's ground truth.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.demo import names
from toolkit.demo.actions import (
    arrived_at,
    decide,
    next_year_areas,
    replacement,
    results_for,
    submit,
    survey_measurements,
    with_measured,
)
from toolkit.demo.filling import GeneratedFilling, generate_all
from toolkit.demo.municipality import Municipality
from toolkit.master.consolidate import run
from toolkit.master.contract import contract_goals, contract_values
from toolkit.master.model import read_master_rows
from toolkit.reading.inputs import (
    read_focus_areas,
    read_register,
    write_focus_areas,
)
from toolkit.rules.attainment import attainment
from toolkit.spec.vocabulary import AFVIST, GODKENDT
from toolkit.spec.workbook import OWN_PROPOSAL
from toolkit.workbook.batch import BuildJob, build_many
from toolkit.workbook.build import Filling, WorkbookInput

Row = dict[str, Any]


def run_cycle(folder: Path, muni: Municipality, seed: int, reg_path: Path, foc_path: Path,
              lap: Callable[[str], None]) -> dict[str, Any]:  # fmt: skip
    """Steps 2– of the årshjul (the first proposals are in ``indbakke/`` and consolidated)."""
    from toolkit.documents import make_contracts, make_memos, make_report
    from toolkit.master.carryover import make_next_year, results_phase_inputs
    from toolkit.master.grading import master_rule

    year = muni.year
    master = folder / "master.xlsx"
    reg = read_register(reg_path)
    facit: dict[str, Any] = {}

    for p in (folder / "indbakke").glob("*.xlsx"):  # the first proposals arrived in June
        arrived_at(p, datetime(year - 1, 6, 15, 12))
    # Corrected resubmissions (August N-1).
    corrected = generate_all(muni, seed=seed, corrected=True)
    planted = generate_all(muni, seed=seed)
    wrong = {k for k, f in planted.items() if f is not None and f.mistakes}
    sent = {str(i.institution["id"]): i for i in _inputs(reg, muni, year, foc_path)}
    fixes = {k: corrected[k] for k in wrong}
    submit(
        folder / "indbakke" / "rettet",
        [sent[k] for k in sorted(fixes)],
        fixes,
        datetime(year - 1, 8, 25, 10),
    )
    run(
        [folder / "indbakke"],
        master,
        reg_path,
        year,
        now=datetime(year - 1, 9, 1, 9),
        focus_path=foc_path,
    )
    lap("rettelser")

    # The committee decides (September N-1); the rejected goal is replaced and approved.
    rows = read_master_rows(master)[1]
    goals = [g for g in rows["maal"] if g["aar"] == year]
    typed, facts = decide(goals, date(year - 1, 9, 20))
    run([folder / "indbakke"], master, reg_path, year, now=datetime(year - 1, 9, 21, 9),
        focus_path=foc_path, typed={"maal": typed})  # fmt: skip
    if facts["afvist"]:
        inst = facts["afvist"]["virksomhed_id"]
        donor = next(f for k, f in sorted(corrected.items()) if f is not None and k != inst)
        base = corrected[inst] or planted[inst]
        assert base is not None
        new = replacement(base, facts["afvist"]["titel"], donor)
        submit(
            folder / "indbakke" / "nyt forslag",
            [sent[inst]],
            {inst: new},
            datetime(year - 1, 10, 2, 12),
        )
        run(
            [folder / "indbakke"],
            master,
            reg_path,
            year,
            now=datetime(year - 1, 10, 3, 9),
            focus_path=foc_path,
        )
        rows = read_master_rows(master)[1]
        fresh = [
            g
            for g in rows["maal"]
            if g["aar"] == year and g["virksomhed_id"] == inst and not g.get("beslutning")
        ]
        run([folder / "indbakke"], master, reg_path, year, now=datetime(year - 1, 10, 10, 9), focus_path=foc_path,
            typed={"maal": {str(g["noegle"]): {"beslutning": GODKENDT, "beslutningsdato": date(year - 1, 10, 9)}
                            for g in fresh}})  # fmt: skip
        facts["erstatning"] = [str(g["noegle"]) for g in fresh]
    facit["beslutninger"] = facts
    lap("beslutninger")
    docs = folder / "dokumenter" / str(year)
    made = make_contracts(master, docs / "kontrakter", today=date(year - 1, 10, 15))
    made += make_memos(
        master, docs / "udvalgsnotater", phase="forslag", today=date(year - 1, 10, 1)
    )
    lap("dokumenter forslag")

    # Nyt kontraktår (April N): N+1's workbooks, and N+1's proposals (April–October N).
    muni2 = dataclasses.replace(
        muni, year=year + 1, focus_areas=[*muni.focus_areas, *next_year_areas(muni, seed)]
    )
    write_focus_areas(foc_path, muni2.focus_areas)
    nxt = folder / str(year + 1)
    made_next = make_next_year(master, reg_path, foc_path, nxt / "udsendt", year + 1)
    proposals2 = _next_year_fillings(nxt / "udsendt", muni2, seed)
    submit(
        nxt / "indbakke",
        _inputs(reg, muni2, year + 1, foc_path),
        proposals2,
        datetime(year, 8, 20, 14),
    )
    run(
        [nxt / "indbakke"],
        master,
        reg_path,
        year + 1,
        now=datetime(year, 9, 1, 9),
        focus_path=foc_path,
    )
    rows = read_master_rows(master)[1]
    goals2 = [g for g in rows["maal"] if g["aar"] == year + 1]
    typed2 = {
        str(g["noegle"]): {"beslutning": GODKENDT, "beslutningsdato": date(year, 9, 19)}
        for g in goals2
    }
    run([nxt / "indbakke"], master, reg_path, year + 1, now=datetime(year, 9, 20, 9), focus_path=foc_path,
        typed={"maal": typed2})  # fmt: skip
    docs2 = folder / "dokumenter" / str(year + 1)
    made += make_contracts(master, docs2 / "kontrakter", today=date(year, 10, 15))
    made += make_memos(master, docs2 / "udvalgsnotater", phase="forslag", today=date(year, 10, 1))
    facit[str(year + 1)] = {"udsendt": len(made_next), "maal": len(goals2)}
    lap(f"{year + 1}")

    # Results of year N (January–March N+1): one institution never sends them.
    settings, rows = read_master_rows(master)
    inputs = results_phase_inputs(rows, reg, read_focus_areas(foc_path), year,
                                  created=datetime(year, 12, 1, 9), rule=master_rule(settings))  # fmt: skip
    build_many([BuildJob(folder / "resultater-udsendt", i) for i in inputs])
    generated = generate_all(muni, seed=seed, phase="resultater", corrected=True)
    contract = {str(i.institution["id"]): list(i.filling.maal) if i.filling else [] for i in inputs}
    # The central surveys (user satisfaction, well-being) are in: their figures go into the
    # master with the results (kontrakt maaling), and institutions type the same figure.
    measured = survey_measurements(folder / "undersøgelser", reg.institutions, year, seed)
    answering = sorted(k for k, g in contract.items() if g and generated.get(k) is not None)
    silent = answering[len(answering) // 2] if answering else None
    fillings: dict[str, Any] = {}
    for k in answering:
        if k == silent:
            continue
        inp = next(i for i in inputs if str(i.institution["id"]) == k)
        gen = generated[k]
        assert isinstance(inp.filling, Filling) and gen is not None
        typed_results = with_measured(contract[k], results_for(contract[k], gen), measured, k)
        fillings[k] = dataclasses.replace(inp.filling, resultater=typed_results)
    submit(folder / "resultater", inputs, fillings, datetime(year + 1, 1, 25, 11))
    res = run(
        [folder / "resultater"],
        master,
        reg_path,
        year,
        now=datetime(year + 1, 2, 1, 9),
        focus_path=foc_path,
        measurements=measured,
    )
    lap("resultater")
    # After the results deadline: e-mail drafts to the institutions that are late or have errors.
    from toolkit.master.reminders import make_reminders

    reminders = make_reminders(master, reg_path, folder / "påmindelser",
                               blank_folder=folder / "resultater-udsendt", today=date(year + 1, 2, 3))  # fmt: skip
    facit["paamindelser"] = sorted(str(r.institution.id) for r in reminders)
    made += make_memos(
        master, docs / "udvalgsnotater", phase="maalopfyldelse", today=date(year + 1, 3, 1)
    )
    made.append(make_report(master, docs, today=date(year + 1, 3, 10)))
    lap("dokumenter målopfyldelse")
    facit[str(year)] = _truth(read_master_rows(master)[1], year, silent)
    facit["dokumenter"] = len(made)
    facit["resultatkoersel"] = res.summary()
    return facit


def _inputs(reg: Any, muni: Municipality, year: int, foc_path: Path) -> list[WorkbookInput]:
    areas = read_focus_areas(foc_path)
    created = datetime(year - 1, 3, 15, 9, 0, 0)
    return [WorkbookInput(i.as_dict(), year, reg.kommune, areas.titles(i.udvalg, year), "forslag",
                          reg.register_id, created) for i in reg.institutions]  # fmt: skip


def _next_year_fillings(
    sent: Path, muni2: Municipality, seed: int
) -> dict[str, GeneratedFilling | None]:
    """N+1's proposals: each institution keeps the goals carried over from N (with a new
    target and deadline) and fills up with new ones; group and dialogue are new."""
    from toolkit.reading.workbook import read_workbook

    fresh = generate_all(muni2, seed=seed + 1, corrected=True)
    carried: dict[str, list[Row]] = {}
    for p in sorted(sent.glob("*.xlsx")):
        book = read_workbook(p)
        carried[str(book.meta.virksomhed_id)] = [
            {k: getattr(g, k) for k in ("titel", "beskrivelse", "indsatsomraade", "maaltype", "indikator",
                                        "maalemetode", "enhed", "retning", "baseline", "dokumentationskrav",
                                        "ansvarlig", "forrige_id")}
            for g in book.maal
        ]  # fmt: skip
    out: dict[str, GeneratedFilling | None] = {}
    for k, f in fresh.items():
        if f is None:
            out[k] = None
            continue
        keep = []
        for g in carried.get(k, [])[:3]:
            b = g.get("baseline")
            if isinstance(b, int | float) and not isinstance(b, bool):
                g["maalvaerdi"] = round(b * (0.9 if g.get("retning") == names.L else 1.1), 1)
            elif b in ("Ja", "Nej"):
                g["retning"], g["baseline"], g["maalvaerdi"] = names.JN, "Nej", "Ja"
            else:
                continue
            g["frist"] = date(muni2.year, 11, 30)
            g["indsatsomraade"] = g.get("indsatsomraade") or OWN_PROPOSAL
            if not g.get("ansvarlig"):
                g["ansvarlig"] = "Lederen"
            keep.append(g)
        titles = {g["titel"] for g in keep}
        maal = keep + [g for g in f.maal if g["titel"] not in titles]
        out[k] = dataclasses.replace(f, maal=maal[:5])
    return out


def _truth(rows: Mapping[str, list[Row]], year: int, silent: str | None) -> dict[str, Any]:
    """Ground truth of year N, computed from the contract goals and the typed results
    (independently of the master's own attainment columns)."""
    goals = [g for g in rows["maal"] if g["aar"] == year]
    by_inst: dict[str, list[Row]] = {}
    for g in goals:
        by_inst.setdefault(str(g["virksomhed_id"]), []).append(g)
    results = {str(r["noegle"]): r for r in rows["resultater"] if r["aar"] == year}
    levels: dict[str, int] = {}
    for gs in by_inst.values():
        for g in contract_goals(gs):
            c = contract_values(g)
            r = results.get(str(g["noegle"])) or {}
            level = (
                attainment(c["retning"], c["baseline"], c["maalvaerdi"], r.get("resultat"))
                or "Ikke vurderet"
            )
            levels[level] = levels.get(level, 0) + 1
    return {"kontraktmaal": sum(levels.values()), "maalopfyldelse": levels, "mangler_resultater": silent,
            "afvist": sum(1 for g in goals if g.get("beslutning") == AFVIST)}  # fmt: skip
