"""Nyt kontraktår: next year's workbooks start from the goals and results known today.

The calendar (DOMAIN.md): proposals for contract year N+1 are made in April–August of year
N, while year N is running; year N's results are known only by March N+1. So ``nytaar`` for
N+1 normally runs before year N has any results. For every institution under contract in
N+1 (rollout waves, :mod:`toolkit.rules.cycle`) it builds a workbook with

* *Status på sidste års kontrakt* filled in: the running contract N's goals as ongoing, with
  the latest known status (the last completed year N-1's result for the same goal, or its
  baseline), followed by how contract N-1 went. If year N's results are in already (nytaar
  run after Konsolider of the results), the text says how contract N went instead;
* the running year's contract goals (approved ones, where decisions are recorded) carried
  over as starting proposals: the same title, indicator, method, unit and direction, with
  the latest known measurement as the new baseline (year N's result if known, else year
  N-1's result for the same goal, else the goal's own baseline); target and deadline are
  left empty, so the check sheet asks the institution to set them (or to replace the goal).

The core works on the master's rows as plain data, so the command line and the Excel
button share it. The workbooks carry the master's attainment rule
(:func:`toolkit.master.grading.master_rule`) in their Resultater formula.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.master.contract import contract_goals, contract_values
from toolkit.master.grading import master_rule
from toolkit.reading.inputs import FocusAreas, Register, read_focus_areas, read_register
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule
from toolkit.rules.cycle import split_waves
from toolkit.spec.vocabulary import IKKE_MAALT, OPFYLDT
from toolkit.spec.workbook import OWN_PROPOSAL, default_spec
from toolkit.workbook.batch import BuildJob, build_many
from toolkit.workbook.build import Filling, WorkbookInput

Row = dict[str, Any]
CARRIED = ("titel", "beskrivelse", "maaltype", "indikator", "maalemetode", "enhed", "retning",
           "dokumentationskrav", "ansvarlig")  # fmt: skip


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace(".", ",") if isinstance(v, float) else str(v)


def status_text(year: int, goals: Sequence[Row], results: Mapping[str, Row]) -> str:
    """'Kontrakt 2027: 2 af 3 mål opfyldt. Mål 1 "…": Opfyldt (resultat 81, målværdi 80). …'"""
    if not goals:
        return ""
    levels = [
        str((results.get(g["noegle"]) or {}).get("maalopfyldelse") or IKKE_MAALT) for g in goals
    ]
    met = levels.count(OPFYLDT)
    parts = [f"Kontrakt {year}: {met} af {len(goals)} mål opfyldt."]
    for g, level in zip(goals, levels, strict=True):
        r = results.get(g["noegle"]) or {}
        cv = contract_values(g)  # the title and target as the committee decided them
        detail = []
        if r.get("resultat") not in (None, ""):
            detail.append(f"resultat {_num(r['resultat'])}")
        if cv.get("maalvaerdi") not in (None, ""):
            detail.append(f"målværdi {_num(cv['maalvaerdi'])}")
        more = f" ({', '.join(detail)})" if detail else ""
        parts.append(f'Mål {g.get("nr")} "{cv.get("titel") or ""}": {level}{more}.')
    return _clip(" ".join(parts))


def carried_goal(
    g: Row, result: Row | None, areas: Sequence[str], earlier: Row | None = None
) -> dict[str, Any]:
    """A contract goal as next year's starting proposal; the newest known measurement
    (``result`` of this goal, else ``earlier``: last completed year's result for the same
    goal) is the new baseline."""
    goal = {k: g.get(k) for k in CARRIED}
    goal.update({k: v for k, v in contract_values(g).items() if k in CARRIED})  # as decided
    goal["forrige_id"] = g.get("noegle")  # the goal's identity continues into next year
    area = g.get("indsatsomraade")
    goal["indsatsomraade"] = area if area in (*areas, OWN_PROPOSAL) else None
    goal["baseline"] = g.get("baseline")
    for r in (earlier, result):
        if _measured(r):
            goal["baseline"] = r["resultat"]  # type: ignore[index]
    return goal


def _measured(r: Row | None) -> bool:
    return r is not None and r.get("resultat") not in (None, "")


def _title(g: Row) -> str:
    return " ".join(str(g.get("titel") or "").split()).lower()


def ongoing_text(year: int, goals: Sequence[Row], earlier: Mapping[str, Row]) -> str:
    """'Kontrakt 2027 er i gang (resultaterne kendes i marts 2028). Mål 1 "…": målværdi 80,
    seneste kendte resultat 76 (2026).' — ``earlier``: by goal title, last year's results."""
    parts = [f"Kontrakt {year} er i gang (resultaterne kendes i marts {year + 1})."]
    for g in goals:
        cv = contract_values(g)
        detail = []
        if cv.get("maalvaerdi") not in (None, ""):
            detail.append(f"målværdi {_num(cv['maalvaerdi'])}")
        r = earlier.get(_title(g))
        if _measured(r):
            assert r is not None
            detail.append(f"seneste kendte resultat {_num(r['resultat'])} ({r.get('aar')})")
        elif g.get("baseline") not in (None, ""):
            detail.append(f"udgangspunkt {_num(g['baseline'])}")
        more = f": {', '.join(detail)}" if detail else ""
        parts.append(f'Mål {g.get("nr")} "{cv.get("titel") or ""}"{more}.')
    return " ".join(parts)


def _clip(text: str) -> str:
    limit = default_spec().max_longtext
    return text if len(text) <= limit else text[: limit - 1] + "…"


def next_year_inputs(
    rows: Mapping[str, Sequence[Row]], register: Register, areas: FocusAreas, new_year: int,
    *, created: datetime | None = None, rule: AttainmentRule = DEFAULT_RULE,
) -> list[WorkbookInput]:  # fmt: skip
    """One workbook input per institution under contract in ``new_year``."""
    running, done = new_year - 1, new_year - 2
    goals_by: dict[tuple[int, str], list[Row]] = defaultdict(list)
    for g in rows.get("maal", []):
        if g.get("aar") in (running, done):
            goals_by[(int(g["aar"]), str(g["virksomhed_id"]))].append(g)
    results = {str(r["noegle"]): r for r in rows.get("resultater", []) if r.get("noegle")}
    created = created or datetime.now().replace(microsecond=0)
    covered, _ = split_waves(register.institutions, new_year)
    out = []
    for inst in covered:
        titles = areas.titles(inst.udvalg, new_year)
        now = sorted(contract_goals(goals_by.get((running, inst.id), [])),
                     key=lambda g: g.get("nr") or 0)  # fmt: skip
        before = sorted(contract_goals(goals_by.get((done, inst.id), [])),
                        key=lambda g: g.get("nr") or 0)  # fmt: skip
        earlier = {_title(g): {**(results.get(g["noegle"]) or {}), "aar": done} for g in before
                   if _measured(results.get(g["noegle"]))}  # fmt: skip
        # a goal that continues last completed year's goal is found by its id first
        by_id = {str(g["noegle"]): {**(results.get(g["noegle"]) or {}), "aar": done} for g in before
                 if _measured(results.get(g["noegle"]))}  # fmt: skip
        for g in now:
            if g.get("forrige") and str(g["forrige"]) in by_id:
                earlier[_title(g)] = by_id[str(g["forrige"])]
        if any(_measured(results.get(g["noegle"])) for g in now):  # year N's results are in
            text = status_text(running, now, results)
        else:
            texts = [ongoing_text(running, now, earlier)] if now else []
            if before:
                texts.append(status_text(done, before, results))
            text = _clip(" ".join(texts))
        filling = Filling()
        if text:
            filling.virksomhed["status_sidste_aar"] = text
        filling.maal = [
            carried_goal(g, results.get(g["noegle"]), titles, earlier.get(_title(g)))
            for g in now[:5]
        ]
        out.append(WorkbookInput(inst.as_dict(), new_year, register.kommune, titles, "forslag",
                                 register.register_id, created, filling, rule=rule))  # fmt: skip
    return out


def results_phase_inputs(
    rows: Mapping[str, Sequence[Row]], register: Register, areas: FocusAreas, year: int,
    *, created: datetime | None = None, rule: AttainmentRule = DEFAULT_RULE,
) -> list[WorkbookInput]:  # fmt: skip
    """Workbooks for the year-end results: each institution's contract goals written in with
    their ids and the contract's (approved, possibly changed) title and target, locked; the
    contract group, the dialogue and *Udfyldt af* as the institution sent them. It only has
    to enter the results (phase Resultater)."""
    by_inst: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for table in ("maal", "gruppe", "dialog"):
        for r in rows.get(table, []):
            if r.get("aar") == year:
                by_inst[str(r["virksomhed_id"])][table].append(r)
    oversigt = {str(r.get("virksomhed_id")): r for r in rows.get("oversigt", [])}
    created = created or datetime.now().replace(microsecond=0)
    keys = (*CARRIED, "indsatsomraade", "baseline", "maalvaerdi", "frist")
    out = []
    for inst in split_waves(register.institutions, year)[0]:
        mine = by_inst[inst.id]
        goals = sorted(contract_goals(mine["maal"]), key=lambda g: g.get("nr") or 0)
        filling = Filling(
            maal=[
                {**{k: g.get(k) for k in keys}, **contract_values(g), "id": g["noegle"],
                 "forrige_id": g.get("forrige")}
                for g in goals[:5]
            ],
            gruppe=[{k: m.get(k) for k in ("navn", "rolle", "stilling", "email")} for m in mine["gruppe"]],
            dialog=[{k: d.get(k) for k in ("dato", "med_hvem", "form", "deltagere", "tema", "udbytte")}
                    for d in mine["dialog"]],
        )  # fmt: skip
        o = oversigt.get(inst.id) or {}
        filling.virksomhed = {k: o.get(k) for k in ("udfyldt_af", "beskrivelse") if o.get(k)}
        out.append(WorkbookInput(inst.as_dict(), year, register.kommune, areas.titles(inst.udvalg, year),
                                 "resultater", register.register_id, created, filling, rule=rule))  # fmt: skip
    return out


def make_next_year(
    master: Path, register_path: Path, focus_path: Path, out_dir: Path, new_year: int | None = None
) -> list[Path]:
    """``kontrakt nytaar``: next year's workbooks from the master file."""
    from toolkit.master.model import read_master_rows

    settings, rows = read_master_rows(master)
    if new_year is None:
        new_year = int(settings.get("aar") or datetime.now().year) + 1
    rule = master_rule(settings)  # a bad typed threshold: nothing is made
    inputs = next_year_inputs(rows, read_register(register_path), read_focus_areas(focus_path),
                              new_year, rule=rule)  # fmt: skip
    return build_many([BuildJob(out_dir, inp) for inp in inputs])
