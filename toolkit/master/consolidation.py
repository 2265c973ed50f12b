"""The consolidation core: gathered submissions and the register → the master's tables.

Plain data in, plain data out, no files: :func:`build_tables` turns an :class:`Intake` into
the master's rows (keeping Kontraktservice's own from the old master), :func:`mark_approved`,
:func:`committee_summary` and :func:`focus_matrix` derive what the memos and Overblik show.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from toolkit.master.contract import in_force
from toolkit.master.intake import Intake, Submission
from toolkit.master.measurements.rows import fill_results, keep_findings
from toolkit.master.measurements.rows import merge as merge_measurements
from toolkit.master.rows import FORSLAG, RESULTATER_FASE, Orphans, assemble_goals, history
from toolkit.reading.inputs import Institution, Register
from toolkit.rules.attainment import DEFAULT_RULE, IKKE_MAALT, AttainmentRule
from toolkit.rules.cycle import is_covered, is_missing
from toolkit.spec.workbook import OWN_PROPOSAL

Row = dict[str, Any]


def _oversigt_row(inst: Institution, sub: Submission | None, old: Row | None) -> Row:
    base = {"virksomhed_id": inst.id, "navn": inst.navn, "type": inst.type, "udvalg": inst.udvalg}
    if sub is not None and sub.book is not None:
        v = sub.book.virksomhed
        return {**base, "status": "Fejl" if sub.errors else "Modtaget", "fejl": sub.errors,
                "advarsler": sub.warnings, "antal_maal": len(sub.book.maal), "fil": sub.path.name,
                "sidst_aendret": sub.modified, "sha256": sub.sha256[:12],
                "udfyldt_af": v.udfyldt_af, "beskrivelse": v.beskrivelse,
                "su_orienteret": v.su_orienteret}  # fmt: skip
    kept = {k: (old or {}).get(k) for k in ("fejl", "advarsler", "antal_maal", "fil", "sidst_aendret",
                                             "sha256", "udfyldt_af", "beskrivelse", "su_orienteret")}  # fmt: skip
    status = "Mangler" if not kept["fil"] else ("Fejl" if kept["fejl"] else "Modtaget")
    return {**base, "status": status, **kept}


def _fund_rows(s: Submission, names: dict[str, str], year: int, phase: str) -> list[Row]:
    return [{"virksomhed_id": s.institution_id, "virksomhed": names.get(s.institution_id or ""),
             "fil": s.path.name, "aar": year, "fase": phase, "ark": f.sheet, "celle": f.cell,
             "alvor": f.severity, "regel": f.rule, "besked": f.message} for f in s.findings]  # fmt: skip


def build_tables(
    intake: Intake, register: Register, year: int, rule: AttainmentRule = DEFAULT_RULE,
    *, old: dict[str, list[Row]] | None = None, old_year: int | None = None,
    now: datetime | None = None, phase: str | None = None, measurements: list[Row] | None = None,
) -> dict[str, list[Row]]:  # fmt: skip
    """The master's rows: the inbox applied to the master as it was (``old``); new survey
    ``measurements`` (toolkit.master.measurements.rows) join the Målinger table."""
    old = old or {}
    now = now or datetime.now().replace(microsecond=0)
    orphans = Orphans(old.get("foraeldede", []))
    goals, results = assemble_goals(intake, register, year, old, orphans, now, rule)
    old_over = {
        str(r.get("virksomhed_id")): r
        for r in old.get("oversigt", [])
        if (r.get("aar") if r.get("aar") is not None else old_year) in (None, year)
    }
    results_phase = phase == RESULTATER_FASE or bool(intake.results)
    proposal_run = bool(intake.used)  # the proposals inbox is the truth for proposals
    oversigt: list[Row] = []
    gruppe: list[Row] = []
    dialog: list[Row] = []
    kept: dict[str, defaultdict[str, list[Row]]] = {
        "gruppe": defaultdict(list),
        "dialog": defaultdict(list),
    }
    for t in kept:
        for r in old.get(t, []):
            if (r.get("aar") if r.get("aar") is not None else old_year) == year:
                kept[t][str(r.get("virksomhed_id"))].append(dict(r, aar=year))
    for inst in sorted(register.institutions, key=lambda i: (i.udvalg, i.navn)):
        sub = intake.used.get(inst.id)
        before = None if proposal_run else old_over.get(inst.id)
        row = {"aar": year, **_oversigt_row(inst, sub, before)}
        res = intake.results.get(inst.id)
        if res is not None:
            row["resultatstatus"] = "Fejl" if res.errors else "Modtaget"
        else:
            prev = None if intake.results else (old_over.get(inst.id) or {}).get("resultatstatus")
            row["resultatstatus"] = prev or (
                "Mangler" if results_phase and row["status"] != "Mangler" else None
            )
        oversigt.append(row)
        base = {
            "virksomhed_id": inst.id,
            "aar": year,
            "virksomhed": inst.navn,
            "udvalg": inst.udvalg,
        }
        if (sub is None or sub.book is None) and not proposal_run:
            gruppe += [
                dict(r, virksomhed=inst.navn, udvalg=inst.udvalg) for r in kept["gruppe"][inst.id]
            ]
            dialog += [
                dict(r, virksomhed=inst.navn, udvalg=inst.udvalg) for r in kept["dialog"][inst.id]
            ]
            continue
        if sub is None or sub.book is None:
            continue
        for m in sub.book.gruppe:
            gruppe.append(
                {**base, "navn": m.navn, "rolle": m.rolle, "stilling": m.stilling, "email": m.email}
            )
        for d in sub.book.dialog:
            dialog.append({**base, "dato": d.dato, "med_hvem": d.med_hvem, "form": d.form,
                           "deltagere": d.deltagere, "tema": d.tema, "udbytte": d.udbytte})  # fmt: skip
    names = {i.id: i.navn for i in register.institutions}
    fund: list[Row] = []
    fresh = {
        (s.institution_id, intake.phase_of(s))
        for s in [*intake.used.values(), *intake.results.values()]
    }
    for r in old.get("fund", []):
        r_year = r.get("aar") if r.get("aar") is not None else old_year
        key = (r.get("virksomhed_id"), r.get("fase") or FORSLAG)
        this_run = intake.results if key[1] == RESULTATER_FASE else intake.used
        if r_year == year and r.get("virksomhed_id") in names and key not in fresh and not this_run:
            fund.append(dict(r, aar=year, fase=key[1]))  # kept with the submission it is about
    subs = [*intake.used.values(), *intake.results.values(), *intake.rejected, *intake.superseded]
    for s in sorted(subs, key=lambda s: str(s.path)):
        fund += _fund_rows(s, names, year, intake.phase_of(s))
    maalinger = merge_measurements(old.get("maalinger", []), measurements or [])
    fund = keep_findings(fund) + fill_results(results, goals, maalinger, year, rule)
    return {
        "oversigt": oversigt + history("oversigt", old, year, old_year),
        "maal": goals + history("maal", old, year, old_year),
        "resultater": results + history("resultater", old, year, old_year),
        "gruppe": gruppe + history("gruppe", old, year, old_year),
        "dialog": dialog + history("dialog", old, year, old_year),
        "maalinger": maalinger,
        "fund": fund,
        "foraeldede": orphans.out(),
        "koersler": list(old.get("koersler", [])),
    }


def mark_approved(tables: dict[str, list[Row]], year: int) -> None:
    """Status *Godkendt*: received without errors, and every goal has a recorded decision
    (Godkendt or Ændret) still in force — the committee has dealt with the whole proposal."""
    goals: dict[str, list[Row]] = defaultdict(list)
    for g in tables["maal"]:
        if g.get("aar") == year:
            goals[g["virksomhed_id"]].append(g)
    for o in tables["oversigt"]:
        if o.get("aar") != year:
            continue
        gs = goals.get(o["virksomhed_id"], [])
        if o["status"] == "Modtaget" and gs and all(in_force(g) for g in gs):
            o["status"] = "Godkendt"


def committee_summary(tables: dict[str, list[Row]]) -> list[Row]:
    """One row per committee: submissions and attainment counts (contract goals only:
    rejected proposals have no result row)."""
    out: dict[str, Row] = {}
    for o in tables["oversigt"]:
        r = out.setdefault(o["udvalg"], {"udvalg": o["udvalg"], "virksomheder": 0, "modtaget": 0, "mangler": 0,
                                          "med_fejl": 0, "maal": 0, "opfyldt": 0, "delvist": 0,
                                          "ikke_opfyldt": 0, "ikke_maalt": 0})  # fmt: skip
        if not is_covered(o["status"]):  # a later rollout wave counts in no totals
            continue
        r["virksomheder"] += 1
        r["mangler"] += is_missing(o["status"])
        r["modtaget"] += not is_missing(o["status"])
        r["med_fejl"] += o["status"] == "Fejl"
    levels = {
        "Opfyldt": "opfyldt",
        "Delvist opfyldt": "delvist",
        "Ikke opfyldt": "ikke_opfyldt",
        IKKE_MAALT: "ikke_maalt",
    }
    for res in tables["resultater"]:
        if res["udvalg"] not in out:
            continue
        r = out[res["udvalg"]]
        r["maal"] += 1
        level = res.get("maalopfyldelse") or res.get("beregnet")
        if level in levels:
            r[levels[level]] += 1
    return [out[k] for k in sorted(out)]


def focus_matrix(tables: dict[str, list[Row]], register: Register) -> tuple[list[str], list[Row]]:
    """Focus area × institution: how many goals each institution has under each area."""
    counts: Counter[tuple[str, str]] = Counter()
    areas_by_committee: dict[str, set[str]] = defaultdict(set)
    for g in tables["maal"]:
        area = g.get("indsatsomraade") or "(ikke angivet)"
        counts[(g["virksomhed_id"], area)] += 1
        areas_by_committee[g["udvalg"]].add(area)
    areas = sorted(
        {a for s in areas_by_committee.values() for a in s}, key=lambda a: (a == OWN_PROPOSAL, a)
    )
    rows = []
    for inst in sorted(register.institutions, key=lambda i: (i.udvalg, i.navn)):
        row: Row = {"virksomhed_id": inst.id, "navn": inst.navn, "udvalg": inst.udvalg}
        for a in areas:
            row[a] = counts.get((inst.id, a)) or None
        rows.append(row)
    return areas, rows
