"""A realistic :class:`Master` without Excel: for tests, the benchmark and the pictures.

``sample_master(n=12)`` builds the master's tables from the demo municipality (the same
generator as ``kontrakt demo``): institutions under their committees, groups, dialogue,
3–5 goals each for the contract year and the year before, results for both years, the
committee's decisions (mostly Godkendt, some Ændret and Afvist, and some institutions
with no decision recorded at all) and a few findings. Deterministic in ``seed``.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.demo.filling import GeneratedFilling, generate_all
from toolkit.demo.municipality import FastRandom, Municipality, generate_municipality
from toolkit.master.layout import LAYOUT, goal_key
from toolkit.master.model import Master
from toolkit.rules.attainment import LEVELS, attainment
from toolkit.spec import catalog as C

Row = dict[str, Any]
#: What the institution wrote, by the master's columns that carry the workbook's fields
#: (toolkit.master.layout): a goal's fields, a result's own fields and what a result row
#: repeats of its goal, a group member's and a dialogue's fields.
GOAL_FIELDS = LAYOUT.table("maal").input_keys("maal")
RESULT_FIELDS = LAYOUT.table("resultater").input_keys("resultater")
RESULT_GOAL_FIELDS = tuple(k for k in LAYOUT.table("resultater").keys if k in GOAL_FIELDS)
GROUP_FIELDS = LAYOUT.table("gruppe").input_keys("gruppe")
DIALOG_FIELDS = LAYOUT.table("dialog").input_keys("dialog")
REJECTIONS = (
    "Udvalget ønsker et mål, der i højere grad understøtter de politiske indsatsområder.",
    "Målet kan ikke måles med den foreslåede metode. Virksomheden opfordres til at bruge en brugerundersøgelse.",
    "Målet er en del af den almindelige drift og skal ikke indgå i kontrakten.",
)
CHANGES = (
    "Udvalget har hævet målværdien med 5 procentpoint.",
    "Fristen er rykket til 1. oktober, så resultatet kan indgå i budgetopfølgningen.",
    "Målet skal også omfatte pårørende.",
)


def _goal_rows(
    muni: Municipality, fillings: dict[str, GeneratedFilling | None], year: int
) -> tuple[list[Row], list[Row]]:
    goals: list[Row] = []
    results: list[Row] = []
    for inst in muni.institutions:
        f = fillings.get(inst.id)
        if f is None:
            continue
        base = {"virksomhed_id": inst.id, "navn": inst.navn, "udvalg": inst.udvalg, "aar": year}
        for nr, g in enumerate(f.maal, start=1):
            key = goal_key(inst.id, year, nr)
            goals.append({"noegle": key, **base, "nr": nr, **{k: g.get(k) for k in GOAL_FIELDS},
                          "beslutning": None, "beslutningsdato": None, "kommentar": None})  # fmt: skip
            r = f.resultater[nr - 1] if nr - 1 < len(f.resultater) else {}
            lvl = (
                attainment(
                    g.get("retning"), g.get("baseline"), g.get("maalvaerdi"), r.get("resultat")
                )
                or ""
            )
            results.append({
                "noegle": key, **base, "nr": nr, **{k: g.get(k) for k in RESULT_GOAL_FIELDS},
                **{k: r.get(k) for k in RESULT_FIELDS},
                "beregnet": lvl, "manuel": None, "begrundelse": None, "maalopfyldelse": lvl,
            })  # fmt: skip
    return goals, results


def _decide(goals: list[Row], year: int, rng: FastRandom, *, all_approved: bool) -> None:
    """Record the committee's decisions: some institutions have none recorded at all."""
    meeting = date(year - 1, 10, 8)
    by_inst: dict[str, list[Row]] = {}
    for g in goals:
        by_inst.setdefault(g["virksomhed_id"], []).append(g)
    for i, (_vid, gs) in enumerate(sorted(by_inst.items())):
        if not all_approved and (i == 1 or rng.random() < 0.1):
            continue  # no decision recorded yet for this institution
        for j, g in enumerate(gs):
            r = rng.random()
            forced = not all_approved and i == 0
            if not all_approved and ((forced and j == 0) or r < 0.07):
                g["beslutning"], g["kommentar"] = "Afvist", rng.pick(REJECTIONS)
            elif not all_approved and ((forced and j == 1) or r < 0.15):
                changes = CHANGES if g.get("enhed") == "Procent" else CHANGES[1:]
                g["beslutning"], g["kommentar"] = "Ændret", rng.pick(changes)
            else:
                g["beslutning"] = "Godkendt"
            g["beslutningsdato"] = meeting


def _findings(
    muni: Municipality, fillings: dict[str, GeneratedFilling | None], rng: FastRandom
) -> list[Row]:
    rows = []
    for inst in muni.institutions:
        if fillings.get(inst.id) is None:
            continue
        base = {
            "virksomhed_id": inst.id,
            "virksomhed": inst.navn,
            "fil": f"Kontrakt - {inst.id}.xlsx",
        }
        if rng.random() < 0.12:
            nr = rng.between(1, 3)
            rows.append({**base, "ark": "Kontraktmål", "celle": f"Q{5 + nr}", "alvor": "fejl",
                         "regel": "maal_felt_mangler",
                         "besked": C.msg_missing("Dokumentationskrav", C.where_row("maal", nr - 1, nr))})  # fmt: skip
        if rng.random() < 0.25:
            rows.append({**base, "ark": "Dialog", "celle": "B6", "alvor": "advarsel", "regel": "dialog_periode",
                         "besked": "Dialog, række 2: Datoen ligger uden for april–august."})  # fmt: skip
    return rows


def _committee_rows(
    oversigt: list[Row], results: list[Row], rejected: set[str], year: int
) -> list[Row]:
    out: dict[str, Row] = {}
    for o in oversigt:
        r = out.setdefault(o["udvalg"], {"udvalg": o["udvalg"], "virksomheder": 0, "modtaget": 0, "mangler": 0,
                                         "med_fejl": 0, "maal": 0, "opfyldt": 0, "delvist": 0,
                                         "ikke_opfyldt": 0, "ikke_maalt": 0})  # fmt: skip
        r["virksomheder"] += 1
        r["mangler"] += o["status"] == "Mangler"
        r["modtaget"] += o["status"] != "Mangler"
        r["med_fejl"] += o["status"] == "Fejl"
    keys = dict(zip(LEVELS, ("opfyldt", "delvist", "ikke_opfyldt", "ikke_maalt"), strict=True))
    for res in results:
        if res["aar"] != year or res["noegle"] in rejected:
            continue
        r = out[res["udvalg"]]
        r["maal"] += 1
        if res["maalopfyldelse"] in keys:
            r[keys[res["maalopfyldelse"]]] += 1
    return [out[k] for k in sorted(out)]


def sample_master(
    n: int = 12,
    *,
    aar: int = 2027,
    seed: int = 2027,
    kommune: str = "Demokommune",
    folder: Path | None = None,
    missing_rate: float = 0.05,
) -> Master:
    """A master for ``n`` institutions (see the module docstring).

    With ``folder`` the committees' focus areas are written to ``folder/Indsatsområder.xlsx``
    and named in the settings, as Kontraktservice's master does. ``missing_rate`` is the
    share of institutions that have not sent their workbook.
    """
    import pandas as pd

    muni = generate_municipality(seed=seed, n=n, year=aar, kommune=kommune)
    now = generate_all(
        muni, phase="resultater", seed=seed, missing_rate=missing_rate, mistake_rate=0.0
    )
    before = generate_all(dataclasses.replace(muni, year=aar - 1), phase="resultater", seed=seed + 1,
                          missing_rate=0.0, mistake_rate=0.0)  # fmt: skip
    rng = FastRandom(f"master:{seed}")
    goals_now, results_now = _goal_rows(muni, now, aar)
    goals_before, results_before = _goal_rows(muni, before, aar - 1)
    _decide(goals_now, aar, rng, all_approved=False)
    _decide(goals_before, aar - 1, rng, all_approved=True)
    fund = _findings(muni, now, rng)
    with_errors = {f["virksomhed_id"] for f in fund if f["alvor"] == "fejl"}
    counts = {
        inst.id: sum(1 for g in goals_now if g["virksomhed_id"] == inst.id)
        for inst in muni.institutions
    }
    oversigt = [
        {"virksomhed_id": i.id, "navn": i.navn, "type": i.type, "udvalg": i.udvalg,
         "status": "Mangler" if now.get(i.id) is None else ("Fejl" if i.id in with_errors else "Modtaget"),
         "fejl": sum(1 for f in fund if f["virksomhed_id"] == i.id and f["alvor"] == "fejl"),
         "advarsler": sum(1 for f in fund if f["virksomhed_id"] == i.id and f["alvor"] == "advarsel"),
         "antal_maal": counts[i.id] or None, "fil": None if now.get(i.id) is None else f"Kontrakt - {i.id}.xlsx",
         "sidst_aendret": datetime(aar - 1, 9, 1, 12, 0), "sha256": None}
        for i in sorted(muni.institutions, key=lambda i: (i.udvalg, i.navn))
    ]  # fmt: skip
    gruppe = [
        {"virksomhed_id": i.id, "virksomhed": i.navn, "udvalg": i.udvalg, **{k: p.get(k) for k in GROUP_FIELDS}}
        for i in muni.institutions if (f := now.get(i.id)) for p in f.gruppe
    ]  # fmt: skip
    dialog = [
        {"virksomhed_id": i.id, "virksomhed": i.navn, "udvalg": i.udvalg, **{k: d.get(k) for k in DIALOG_FIELDS}}
        for i in muni.institutions if (f := now.get(i.id)) for d in f.dialog
    ]  # fmt: skip
    goals = goals_before + goals_now
    results = results_before + results_now
    rejected = {g["noegle"] for g in goals if g["beslutning"] == "Afvist"}
    tables = {
        "oversigt": oversigt,
        "udvalg": _committee_rows(oversigt, results, rejected, aar),
        "maal": goals,
        "resultater": results,
        "gruppe": gruppe,
        "dialog": dialog,
        "fund": fund,
        "koersler": [{"tidspunkt": datetime(aar - 1, 9, 1, 12, 0), "bruger": "kontraktservice", "aar": aar,
                      "filer": len(oversigt), "gyldige": len(oversigt) - len(with_errors),
                      "fejl": len(with_errors), "varighed": 2.5, "detaljer": None}],
    }  # fmt: skip
    frames = {
        key: pd.DataFrame.from_records(rows, columns=LAYOUT.table(key).keys) if rows else None
        for key, rows in tables.items()
    }
    settings: dict[str, Any] = {"kommune": kommune, "aar": aar, "fase": "Resultater"}
    if folder is not None:
        from toolkit.demo.pipeline import write_inputs

        _register, focus = write_inputs(muni, Path(folder))
        settings["indsatsomraader"] = str(focus)
    return Master(settings, {k: v for k, v in frames.items() if v is not None})
