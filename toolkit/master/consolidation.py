"""The consolidation core: the master as it was and the gathered inbox → the new master.

Plain data in, plain data out — no files, no workbooks, no clock: :func:`consolidate` takes the
old master's state (:class:`MasterState`, read from the file by the command line or from the
book open in Excel), the :class:`Intake`, the register, the year and ``now``, and returns the
:class:`Outcome`: the new tables, Indstillinger, the focus-area matrix, Overblik's key figures
and the run's log line — or raises the guard's error (:class:`MasterUnreadable`). Every adapter
(:func:`toolkit.master.consolidate.run`, the Excel button, the server) calls it and does its
own I/O around it. The steps: :func:`build_tables` turns the intake into the master's rows
(keeping Kontraktservice's own from the old master), :func:`mark_approved`,
:func:`committee_summary` and :func:`focus_matrix` derive what the memos and Overblik show.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from toolkit.master.contract import in_force
from toolkit.master.grading import master_rule
from toolkit.master.guard import (
    MasterUnreadable,
    TypedValuesAtRisk,
    carry_all_extras,
    check_nothing_lost,
    check_tables_found,
)
from toolkit.master.intake import Intake, Submission
from toolkit.master.measurements.rows import fill_results, keep_findings
from toolkit.master.measurements.rows import merge as merge_measurements
from toolkit.master.model import settings_year
from toolkit.master.rows import (
    DIALOG_FIELDS,
    FORSLAG,
    GROUP_FIELDS,
    RESULTATER_FASE,
    Orphans,
    assemble_goals,
    history,
)
from toolkit.reading.inputs import Institution, Register
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule, RuleOverride, rule_settings
from toolkit.rules.cycle import (
    LATE,
    NOT_YET,
    apply_result_statuses,
    apply_statuses,
    deadline,
    deadline_settings,
    first_years,
    is_covered,
    is_missing,
    overview_kpis,
)
from toolkit.spec import vocabulary as V
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
    now: datetime, phase: str | None = None, measurements: list[Row] | None = None,
) -> dict[str, list[Row]]:  # fmt: skip
    """The master's rows: the inbox applied to the master as it was (``old``); new survey
    ``measurements`` (toolkit.master.measurements.rows) join the Målinger table."""
    old = old or {}
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
        gruppe += [{**base, **{k: getattr(m, k) for k in GROUP_FIELDS}} for m in sub.book.gruppe]
        dialog += [{**base, **{k: getattr(d, k) for k in DIALOG_FIELDS}} for d in sub.book.dialog]
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
        r["med_fejl"] += o["status"] == V.FEJL
    levels = {
        V.OPFYLDT: "opfyldt",
        V.DELVIST: "delvist",
        V.IKKE_OPFYLDT: "ikke_opfyldt",
        V.IKKE_MAALT: "ikke_maalt",
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


# ---------------------------------------------------------------------------- one run


@dataclass
class MasterState:
    """The master before a run: Indstillinger's values and every table's rows (a person's own
    columns included), as read from the file or from the book open in Excel. ``name`` is
    what messages call it; ``exists`` is False when the run makes a new master."""

    settings: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)
    name: str = "masterarbejdsbogen"
    exists: bool = True

    @property
    def year(self) -> int | None:
        return settings_year(self.settings)


@dataclass
class Outcome:
    """What one Konsolider computed: everything an adapter writes, nothing written yet."""

    year: int
    settings: dict[str, Any]  # Indstillinger after the run
    tables: dict[str, list[Row]]  # every table of the master; the log line is koersler's last
    areas: list[str]  # the focus areas, the matrix's columns
    matrix: list[Row]  # focus area × institution
    info: str  # Overblik's line "Sidst konsolideret …"
    kpis: list[tuple[str, int]]  # Overblik's key figures (computed here only)
    set_aside: list[Row] = field(default_factory=list)  # rows the guard moved to Forældede mål

    @property
    def entry(self) -> Row:
        """The run's line in Kørsler (and in the run log)."""
        return self.tables["koersler"][-1]

    @property
    def stats(self) -> dict[str, Any]:
        return {"info": self.info, "kpis": self.kpis}

    def current(self, table: str) -> list[Row]:
        """The rows of the year consolidated (the master also keeps other years)."""
        return [r for r in self.tables[table] if r.get("aar") == self.year]


def tally(intake: Intake, tables: Mapping[str, list[Row]], year: int | None) -> dict[str, int]:
    """The run's counts, as the command line and the Excel button report them."""
    statuses = Counter(r["status"] for r in tables["oversigt"] if year in (None, r.get("aar")))
    return {
        "filer": intake.files,
        "brugt": len(intake.used),
        "afvist": len(intake.rejected),
        "erstattet": len(intake.superseded),
        "mangler": statuses.get("Mangler", 0) + statuses.get(LATE, 0),
        "forsinket": statuses.get(LATE, 0),
        "ikke_omfattet": statuses.get(NOT_YET, 0),
        "med_fejl": statuses.get("Fejl", 0),
        "maal": sum(1 for r in tables["maal"] if year in (None, r.get("aar"))),
        "fund": len(tables["fund"]),
    }


def check_state(
    old: MasterState, rule: AttainmentRule | RuleOverride | None = None
) -> AttainmentRule:
    """Before any work (the adapters call it before the inbox is read, the core again): the
    tables that hold typed values are in the old master, and the attainment rule on its
    Indstillinger (``rule`` in its place) is usable. Returns that rule."""
    if old.exists:
        _guarded(check_tables_found, old, old.tables)
    return master_rule(old.settings, rule)  # a bad typed threshold: a Danish UserError


def consolidate(
    old: MasterState,
    intake: Intake,
    register: Register,
    year: int,
    now: datetime,
    *,
    rule: AttainmentRule | RuleOverride | None = None,
    typed: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    measurements: list[Row] | None = None,
    user: str = "ukendt",
    inbox: str = "",
    sources: Mapping[str, str] | None = None,
) -> Outcome:
    """Konsolider without I/O: the inbox (``intake``, gathered for ``year``) applied to the
    master as it was (``old``) at ``now``, graded by the rule on its Indstillinger
    (:func:`~toolkit.master.grading.master_rule`; ``rule`` overrides it and is kept there).

    ``typed`` (table key → goal id → column → value) are values typed into the master's own
    columns since it was read. ``user`` and ``inbox`` go into the log line and Overblik;
    ``sources`` (setting key → text, e.g. the register's path) onto Indstillinger. Raises
    :class:`MasterUnreadable` when the run would lose what people typed; nothing is
    changed then. ``old`` is not changed."""
    grading = check_state(old, rule)  # nothing is computed when it does not hold
    tables_before = old.tables
    if typed:
        tables_before = {k: [dict(r) for r in rows] for k, rows in old.tables.items()}
        for table, by_id in typed.items():
            for r in tables_before.get(table, []):
                r.update(by_id.get(str(r.get("noegle")), {}))
    old_year = old.year
    tables = build_tables(intake, register, year, grading, old=tables_before, old_year=old_year,
                          now=now, measurements=measurements,
                          phase=str(old.settings.get("fase") or "") if old_year == year else None)  # fmt: skip
    mark_approved(tables, year)
    same_year = old.settings if old.settings.get("aar") == year else {}
    current = [r for r in tables["oversigt"] if r.get("aar") == year]
    today = now.date()
    apply_statuses(current, first_years(register.institutions), year,
                   deadline(same_year, "forslag", year), today)  # fmt: skip
    apply_result_statuses(current, deadline(same_year, "resultater", year), today)
    tables["udvalg"] = committee_summary(
        {
            **tables,
            "resultater": [r for r in tables["resultater"] if r.get("aar") == year],
            "oversigt": current,
        }
    )
    orphans_before = len(tables["foraeldede"])
    _guarded(carry_all_extras, old, tables_before, tables, now)
    _guarded(check_nothing_lost, old, tables_before, tables)
    goals_now = [r for r in tables["maal"] if r.get("aar") == year]
    areas, matrix_rows = focus_matrix({**tables, "maal": goals_now}, register)
    used = sorted(intake.used.values(), key=lambda s: s.path.name)
    files = [*used, *intake.results.values(), *intake.rejected, *intake.superseded]
    entry = {
        "tidspunkt": now, "bruger": user, "aar": year, "filer": intake.files, "gyldige": len(used),
        "fejl": sum(1 for r in current if r["status"] == "Fejl"), "varighed": 0.0,
        "detaljer": json.dumps([[s.path.name, s.sha256] for s in files], ensure_ascii=False),
    }  # fmt: skip
    tables["koersler"] = [*tables["koersler"], entry]
    settings = {**old.settings, "kommune": register.kommune, "aar": year, "indbakke": inbox,
                **(sources or {}), **rule_settings(grading)}  # fmt: skip
    if intake.results:
        settings["fase"] = RESULTATER_FASE
    elif old_year != year or not settings.get("fase"):
        settings["fase"] = FORSLAG
    settings.update(deadline_settings(same_year, year))
    return Outcome(
        year,
        settings,
        tables,
        areas,
        matrix_rows,
        info=f"Sidst konsolideret {now:%d-%m-%Y %H:%M} af {user} fra {inbox}",
        kpis=overview_kpis(current, len(goals_now), len(tables["fund"])),
        set_aside=tables["foraeldede"][orphans_before:],
    )


def _guarded(check: Any, old: MasterState, *args: Any) -> None:
    try:
        check(PurePath(old.name), *args)
    except TypedValuesAtRisk as exc:
        raise MasterUnreadable(str(exc)) from exc
