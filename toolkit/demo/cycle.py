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
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.demo import names
from toolkit.demo.filling import Filling, generate_all
from toolkit.demo.municipality import FastRandom, Municipality
from toolkit.master.consolidate import run
from toolkit.master.contract import contract_goals, contract_values
from toolkit.master.model import read_master_rows
from toolkit.reading.inputs import (
    FocusArea,
    Institution,
    read_focus_areas,
    read_register,
    write_focus_areas,
)
from toolkit.rules.attainment import attainment
from toolkit.rules.indicators import default_library
from toolkit.spec.workbook import OWN_PROPOSAL
from toolkit.workbook.batch import BuildJob, build_many
from toolkit.workbook.build import Filling as BuildFilling
from toolkit.workbook.build import WorkbookInput

Row = dict[str, Any]


def next_year_areas(muni: Municipality, seed: int) -> list[FocusArea]:
    """Year N+1's focus areas: each committee keeps one or two of N's and adds new ones."""
    rng = FastRandom(f"indsatsomraader:{seed}:{muni.aar + 1}")
    out: list[FocusArea] = []
    for udvalg in muni.committees:
        now = [a for a in muni.focus_areas if a.udvalg == udvalg and a.aar == muni.aar]
        keep = now[: rng.between(1, min(2, len(now)))]
        pool = [t for t in names.FOCUS_POOL[udvalg] if t.titel not in {a.titel for a in now}]
        new = rng.take(pool, min(len(pool), rng.between(2, 3)))
        for nr, (titel, beskr) in enumerate(
            [(a.titel, a.beskrivelse) for a in keep] + [(t.titel, t.beskrivelse) for t in new], 1
        ):
            out.append(FocusArea(udvalg, muni.aar + 1, nr, titel, beskr))
    return out


def _later(path: Path, when: datetime) -> None:
    """A file that arrived at ``when`` (newest file wins; the master logs the time)."""
    t = when.timestamp()
    os.utime(path, (t, t))


def _submit(folder: Path, inputs: list[WorkbookInput], fillings: Mapping[str, Any],
            when: datetime) -> list[Path]:  # fmt: skip
    jobs = [BuildJob(folder, dataclasses.replace(i, filling=fillings[str(i.institution["id"])], created=when))
            for i in inputs if fillings.get(str(i.institution["id"])) is not None]  # fmt: skip
    paths = build_many(jobs)
    for p in paths:
        _later(p, when)
    return paths


def _numeric(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def decide(goals: list[Row], when: date) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The committee's decisions on the proposals: every goal of an institution without
    errors is approved; one goal is approved with a higher target (Ændret) and one is
    rejected (Afvist). Returns what is typed into the master, and what happened."""
    typed: dict[str, dict[str, Any]] = {}
    facts: dict[str, Any] = {"aendret": None, "afvist": None}
    by_inst: dict[str, list[Row]] = {}
    for g in goals:
        by_inst.setdefault(str(g["virksomhed_id"]), []).append(g)
    for inst, gs in sorted(by_inst.items()):
        for g in sorted(gs, key=lambda g: g.get("nr") or 0):
            typed[str(g["noegle"])] = {"beslutning": "Godkendt", "beslutningsdato": when}
        numeric = [g for g in gs if _numeric(g.get("baseline")) and _numeric(g.get("maalvaerdi"))]
        if facts["aendret"] is None and len(gs) >= 4 and numeric:
            g = numeric[0]
            step = g["maalvaerdi"] - g["baseline"]
            new = g["maalvaerdi"] + (
                step / 2
                if isinstance(step, float)
                else max(1, abs(step) // 2) * (1 if step > 0 else -1)
            )
            typed[str(g["noegle"])].update(beslutning="Ændret", aendret_maalvaerdi=new,
                kommentar=f"Udvalget ønsker en mere ambitiøs målværdi ({new}).")  # fmt: skip
            facts["aendret"] = {"noegle": g["noegle"], "virksomhed_id": inst, "maalvaerdi": new}
        elif facts["afvist"] is None and facts["aendret"] is not None and len(gs) >= 4:
            g = sorted(gs, key=lambda g: g.get("nr") or 0)[-1]
            typed[str(g["noegle"])].update(beslutning="Afvist",
                kommentar="Målet kan ikke måles med den foreslåede metode. Virksomheden foreslår et nyt mål.")  # fmt: skip
            facts["afvist"] = {"noegle": g["noegle"], "virksomhed_id": inst, "titel": g["titel"]}
    return typed, facts


def replacement(filling: Filling, rejected_title: str, donor: Filling) -> Filling:
    """The institution's resubmission: the rejected goal replaced by another one."""
    taken = {str(g["titel"]) for g in filling.maal}
    new_goal = next(g for g in donor.maal if str(g["titel"]) not in taken)
    maal = [dict(new_goal) if g["titel"] == rejected_title else g for g in filling.maal]
    return dataclasses.replace(filling, maal=maal, mistakes=[])


def results_for(contract: Sequence[Mapping[str, Any]], generated: Filling) -> list[dict[str, Any]]:
    """What the institution types into its results workbook: the generator's year-end
    results for its goals, found by title (the contract may hold fewer goals)."""
    by_title = {str(g["titel"]): i for i, g in enumerate(generated.maal)}
    out = []
    for g in contract:
        i = by_title.get(str(g.get("titel")))
        out.append(
            dict(generated.resultater[i]) if i is not None and i < len(generated.resultater) else {}
        )
    return out


def survey_measurements(
    folder: Path, institutions: list[Institution], aar: int, seed: int
) -> list[Row]:
    """The demo's survey exports written to ``folder`` and measured (Målinger rows)."""
    from toolkit.demo.surveys import write_surveys
    from toolkit.master.measurements.importer import measure

    now = datetime(aar + 1, 1, 15, 9)
    rows: list[Row] = []
    for export, mapping in write_surveys(folder, institutions, aar, seed):
        rows += measure(export, mapping, institutions, aar, now)[1]
    return rows


def with_measured(
    contract: Sequence[Mapping[str, Any]], typed: list[dict[str, Any]], measured: list[Row],
    inst_id: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """An institution types the survey's figure for a goal that uses a surveyed indicator."""
    lib = default_library()
    values = {str(m["indikator_id"]): m["vaerdi"] for m in measured
              if m["virksomhed_id"] == inst_id and m["vaerdi"] is not None}  # fmt: skip
    out = []
    for g, r in zip(contract, typed, strict=True):
        ind = lib.by_name(g.get("indikator"))
        if ind is not None and ind.id in values and r:
            r = {**r, "resultat": values[ind.id]}
        out.append(r)
    return out


def run_cycle(folder: Path, muni: Municipality, seed: int, reg_path: Path, foc_path: Path,
              lap: Callable[[str], None]) -> dict[str, Any]:  # fmt: skip
    """Steps 2– of the årshjul (the first proposals are in ``indbakke/`` and consolidated)."""
    from toolkit.documents import make_contracts, make_memos, make_report
    from toolkit.master.carryover import make_next_year, results_phase_inputs

    aar = muni.aar
    master = folder / "master.xlsx"
    reg = read_register(reg_path)
    facit: dict[str, Any] = {}

    for p in (folder / "indbakke").glob("*.xlsx"):  # the first proposals arrived in June
        _later(p, datetime(aar - 1, 6, 15, 12))
    # Corrected resubmissions (August N-1).
    corrected = generate_all(muni, seed=seed, corrected=True)
    planted = generate_all(muni, seed=seed)
    wrong = {k for k, f in planted.items() if f is not None and f.mistakes}
    sent = {str(i.institution["id"]): i for i in _inputs(reg, muni, aar, foc_path)}
    fixes = {k: corrected[k] for k in wrong}
    _submit(
        folder / "indbakke" / "rettet",
        [sent[k] for k in sorted(fixes)],
        fixes,
        datetime(aar - 1, 8, 25, 10),
    )
    run(
        [folder / "indbakke"],
        master,
        reg_path,
        aar,
        now=datetime(aar - 1, 9, 1, 9),
        focus_path=foc_path,
    )
    lap("rettelser")

    # The committee decides (September N-1); the rejected goal is replaced and approved.
    rows = read_master_rows(master)[1]
    goals = [g for g in rows["maal"] if g["aar"] == aar]
    typed, facts = decide(goals, date(aar - 1, 9, 20))
    run([folder / "indbakke"], master, reg_path, aar, now=datetime(aar - 1, 9, 21, 9),
        focus_path=foc_path, typed={"maal": typed})  # fmt: skip
    if facts["afvist"]:
        inst = facts["afvist"]["virksomhed_id"]
        donor = next(f for k, f in sorted(corrected.items()) if f is not None and k != inst)
        base = corrected[inst] or planted[inst]
        assert base is not None
        new = replacement(base, facts["afvist"]["titel"], donor)
        _submit(
            folder / "indbakke" / "nyt forslag",
            [sent[inst]],
            {inst: new},
            datetime(aar - 1, 10, 2, 12),
        )
        run(
            [folder / "indbakke"],
            master,
            reg_path,
            aar,
            now=datetime(aar - 1, 10, 3, 9),
            focus_path=foc_path,
        )
        rows = read_master_rows(master)[1]
        fresh = [
            g
            for g in rows["maal"]
            if g["aar"] == aar and g["virksomhed_id"] == inst and not g.get("beslutning")
        ]
        run([folder / "indbakke"], master, reg_path, aar, now=datetime(aar - 1, 10, 10, 9), focus_path=foc_path,
            typed={"maal": {str(g["noegle"]): {"beslutning": "Godkendt", "beslutningsdato": date(aar - 1, 10, 9)}
                            for g in fresh}})  # fmt: skip
        facts["erstatning"] = [str(g["noegle"]) for g in fresh]
    facit["beslutninger"] = facts
    lap("beslutninger")
    docs = folder / "dokumenter" / str(aar)
    made = make_contracts(master, docs / "kontrakter", today=date(aar - 1, 10, 15))
    made += make_memos(master, docs / "udvalgsnotater", fase="forslag", today=date(aar - 1, 10, 1))
    lap("dokumenter forslag")

    # Nyt kontraktår (April N): N+1's workbooks, and N+1's proposals (April–October N).
    muni2 = dataclasses.replace(
        muni, aar=aar + 1, focus_areas=[*muni.focus_areas, *next_year_areas(muni, seed)]
    )
    write_focus_areas(foc_path, muni2.focus_areas)
    nxt = folder / str(aar + 1)
    made_next = make_next_year(master, reg_path, foc_path, nxt / "udsendt", aar + 1)
    proposals2 = _next_year_fillings(nxt / "udsendt", muni2, seed)
    _submit(
        nxt / "indbakke",
        _inputs(reg, muni2, aar + 1, foc_path),
        proposals2,
        datetime(aar, 8, 20, 14),
    )
    run(
        [nxt / "indbakke"],
        master,
        reg_path,
        aar + 1,
        now=datetime(aar, 9, 1, 9),
        focus_path=foc_path,
    )
    rows = read_master_rows(master)[1]
    goals2 = [g for g in rows["maal"] if g["aar"] == aar + 1]
    typed2 = {
        str(g["noegle"]): {"beslutning": "Godkendt", "beslutningsdato": date(aar, 9, 19)}
        for g in goals2
    }
    run([nxt / "indbakke"], master, reg_path, aar + 1, now=datetime(aar, 9, 20, 9), focus_path=foc_path,
        typed={"maal": typed2})  # fmt: skip
    docs2 = folder / "dokumenter" / str(aar + 1)
    made += make_contracts(master, docs2 / "kontrakter", today=date(aar, 10, 15))
    made += make_memos(master, docs2 / "udvalgsnotater", fase="forslag", today=date(aar, 10, 1))
    facit[str(aar + 1)] = {"udsendt": len(made_next), "maal": len(goals2)}
    lap(f"{aar + 1}")

    # Results of year N (January–March N+1): one institution never sends them.
    rows = read_master_rows(master)[1]
    inputs = results_phase_inputs(
        rows, reg, read_focus_areas(foc_path), aar, created=datetime(aar, 12, 1, 9)
    )
    build_many([BuildJob(folder / "resultater-udsendt", i) for i in inputs])
    generated = generate_all(muni, seed=seed, phase="resultater", corrected=True)
    contract = {str(i.institution["id"]): list(i.filling.maal) if i.filling else [] for i in inputs}
    # The central surveys (user satisfaction, well-being) are in: their figures go into the
    # master with the results (kontrakt maaling), and institutions type the same figure.
    measured = survey_measurements(folder / "undersøgelser", reg.institutions, aar, seed)
    answering = sorted(k for k, g in contract.items() if g and generated.get(k) is not None)
    silent = answering[len(answering) // 2] if answering else None
    fillings: dict[str, Any] = {}
    for k in answering:
        if k == silent:
            continue
        inp = next(i for i in inputs if str(i.institution["id"]) == k)
        gen = generated[k]
        assert isinstance(inp.filling, BuildFilling) and gen is not None
        typed_results = with_measured(contract[k], results_for(contract[k], gen), measured, k)
        fillings[k] = dataclasses.replace(inp.filling, resultater=typed_results)
    _submit(folder / "resultater", inputs, fillings, datetime(aar + 1, 1, 25, 11))
    res = run(
        [folder / "resultater"],
        master,
        reg_path,
        aar,
        now=datetime(aar + 1, 2, 1, 9),
        focus_path=foc_path,
        measurements=measured,
    )
    lap("resultater")
    # After the results deadline: e-mail drafts to the institutions that are late or have errors.
    from toolkit.master.reminders import make_reminders

    reminders = make_reminders(master, reg_path, folder / "påmindelser",
                               blank_folder=folder / "resultater-udsendt", today=date(aar + 1, 2, 3))  # fmt: skip
    facit["paamindelser"] = sorted(str(r.institution.id) for r in reminders)
    made += make_memos(
        master, docs / "udvalgsnotater", fase="maalopfyldelse", today=date(aar + 1, 3, 1)
    )
    made.append(make_report(master, docs, today=date(aar + 1, 3, 10)))
    lap("dokumenter målopfyldelse")
    facit[str(aar)] = _truth(read_master_rows(master)[1], aar, silent)
    facit["dokumenter"] = len(made)
    facit["resultatkoersel"] = res.summary()
    return facit


def _inputs(reg: Any, muni: Municipality, aar: int, foc_path: Path) -> list[WorkbookInput]:
    areas = read_focus_areas(foc_path)
    created = datetime(aar - 1, 3, 15, 9, 0, 0)
    return [WorkbookInput(i.as_dict(), aar, reg.kommune, areas.titles(i.udvalg, aar), "forslag",
                          reg.register_id, created) for i in reg.institutions]  # fmt: skip


def _next_year_fillings(sent: Path, muni2: Municipality, seed: int) -> dict[str, Filling | None]:
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
    out: dict[str, Filling | None] = {}
    for k, f in fresh.items():
        if f is None:
            out[k] = None
            continue
        keep = []
        for g in carried.get(k, [])[:3]:
            b = g.get("baseline")
            if isinstance(b, int | float) and not isinstance(b, bool):
                g["maalvaerdi"] = round(
                    b * (0.9 if g.get("retning") == "Lavere er bedre" else 1.1), 1
                )
            elif b in ("Ja", "Nej"):
                g["retning"], g["baseline"], g["maalvaerdi"] = "Ja/Nej", "Nej", "Ja"
            else:
                continue
            g["frist"] = date(muni2.aar, 11, 30)
            g["indsatsomraade"] = g.get("indsatsomraade") or OWN_PROPOSAL
            if not g.get("ansvarlig"):
                g["ansvarlig"] = "Lederen"
            keep.append(g)
        titles = {g["titel"] for g in keep}
        maal = keep + [g for g in f.maal if g["titel"] not in titles]
        out[k] = dataclasses.replace(f, maal=maal[:5])
    return out


def _truth(rows: Mapping[str, list[Row]], aar: int, silent: str | None) -> dict[str, Any]:
    """Ground truth of year N, computed from the contract goals and the typed results
    (independently of the master's own attainment columns)."""
    goals = [g for g in rows["maal"] if g["aar"] == aar]
    by_inst: dict[str, list[Row]] = {}
    for g in goals:
        by_inst.setdefault(str(g["virksomhed_id"]), []).append(g)
    results = {str(r["noegle"]): r for r in rows["resultater"] if r["aar"] == aar}
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
            "afvist": sum(1 for g in goals if g.get("beslutning") == "Afvist")}  # fmt: skip
