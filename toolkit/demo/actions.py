"""What the people in the demo's årshjul do (:mod:`toolkit.demo.cycle` runs them in order).

The committees pick next year's focus areas (:func:`next_year_areas`) and decide on the
proposals (:func:`decide`); an institution sends its workbook (:func:`submit`), replaces a
rejected goal (:func:`replacement`) and types its year-end results (:func:`results_for`,
:func:`with_measured` for goals measured by a survey, :func:`survey_measurements`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.demo import names
from toolkit.demo.filling import GeneratedFilling
from toolkit.demo.municipality import FastRandom, Municipality
from toolkit.reading.inputs import FocusArea, Institution
from toolkit.rules.indicators import default_library
from toolkit.spec.vocabulary import AENDRET, AFVIST, GODKENDT
from toolkit.workbook.batch import BuildJob, build_many
from toolkit.workbook.build import WorkbookInput

Row = dict[str, Any]


def next_year_areas(muni: Municipality, seed: int) -> list[FocusArea]:
    """Year N+1's focus areas: each committee keeps one or two of N's and adds new ones."""
    rng = FastRandom(f"indsatsomraader:{seed}:{muni.year + 1}")
    out: list[FocusArea] = []
    for udvalg in muni.committees:
        now = [a for a in muni.focus_areas if a.udvalg == udvalg and a.aar == muni.year]
        keep = now[: rng.between(1, min(2, len(now)))]
        pool = [t for t in names.FOCUS_POOL[udvalg] if t.titel not in {a.titel for a in now}]
        new = rng.take(pool, min(len(pool), rng.between(2, 3)))
        for nr, (titel, beskr) in enumerate(
            [(a.titel, a.beskrivelse) for a in keep] + [(t.titel, t.beskrivelse) for t in new], 1
        ):
            out.append(FocusArea(udvalg, muni.year + 1, nr, titel, beskr))
    return out


def arrived_at(path: Path, when: datetime) -> None:
    """A file that arrived at ``when`` (newest file wins; the master logs the time)."""
    t = when.timestamp()
    os.utime(path, (t, t))


def submit(folder: Path, inputs: list[WorkbookInput], fillings: Mapping[str, Any],
            when: datetime) -> list[Path]:  # fmt: skip
    jobs = [BuildJob(folder, dataclasses.replace(i, filling=fillings[str(i.institution["id"])], created=when))
            for i in inputs if fillings.get(str(i.institution["id"])) is not None]  # fmt: skip
    paths = build_many(jobs)
    for p in paths:
        arrived_at(p, when)
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
            typed[str(g["noegle"])] = {"beslutning": GODKENDT, "beslutningsdato": when}
        numeric = [g for g in gs if _numeric(g.get("baseline")) and _numeric(g.get("maalvaerdi"))]
        if facts["aendret"] is None and len(gs) >= 4 and numeric:
            g = numeric[0]
            step = g["maalvaerdi"] - g["baseline"]
            new = g["maalvaerdi"] + (
                step / 2
                if isinstance(step, float)
                else max(1, abs(step) // 2) * (1 if step > 0 else -1)
            )
            typed[str(g["noegle"])].update(beslutning=AENDRET, aendret_maalvaerdi=new,
                kommentar=f"Udvalget ønsker en mere ambitiøs målværdi ({new}).")  # fmt: skip
            facts["aendret"] = {"noegle": g["noegle"], "virksomhed_id": inst, "maalvaerdi": new}
        elif facts["afvist"] is None and facts["aendret"] is not None and len(gs) >= 4:
            g = sorted(gs, key=lambda g: g.get("nr") or 0)[-1]
            typed[str(g["noegle"])].update(beslutning=AFVIST,
                kommentar="Målet kan ikke måles med den foreslåede metode. Virksomheden foreslår et nyt mål.")  # fmt: skip
            facts["afvist"] = {"noegle": g["noegle"], "virksomhed_id": inst, "titel": g["titel"]}
    return typed, facts


def replacement(
    filling: GeneratedFilling, rejected_title: str, donor: GeneratedFilling
) -> GeneratedFilling:
    """The institution's resubmission: the rejected goal replaced by another one."""
    taken = {str(g["titel"]) for g in filling.maal}
    new_goal = next(g for g in donor.maal if str(g["titel"]) not in taken)
    maal = [dict(new_goal) if g["titel"] == rejected_title else g for g in filling.maal]
    return dataclasses.replace(filling, maal=maal, mistakes=[])


def results_for(
    contract: Sequence[Mapping[str, Any]], generated: GeneratedFilling
) -> list[dict[str, Any]]:
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
    folder: Path, institutions: list[Institution], year: int, seed: int
) -> list[Row]:
    """The demo's survey exports written to ``folder`` and measured (Målinger rows)."""
    from toolkit.demo.surveys import write_surveys
    from toolkit.master.measurements.importer import measure

    now = datetime(year + 1, 1, 15, 9)
    rows: list[Row] = []
    for export, mapping in write_surveys(folder, institutions, year, seed):
        rows += measure(export, mapping, institutions, year, now)[1]
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
