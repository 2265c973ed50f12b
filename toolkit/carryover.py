"""Nyt kontraktår: next year's workbooks start from this year's goals and results.

Goal attainment is the status for next year's goal setting (DOMAIN.md). For every
institution in the register this builds next year's workbook with

* *Status på sidste års kontrakt* filled in: how each of last year's contract goals went;
* last year's contract goals (approved ones, where decisions are recorded) carried over as
  starting proposals: the same title, indicator, method, unit and direction, with last
  year's result as the new baseline; target and deadline are left empty, so the check
  sheet asks the institution to set them (or to replace the goal).

The core works on the master's rows as plain data, so the command line and the Excel
button share it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.batch import BuildJob, build_many
from toolkit.build import Filling, WorkbookInput
from toolkit.inputs import FocusAreas, Register, read_focus_areas, read_register
from toolkit.spec import default_spec

Row = dict[str, Any]
APPROVED = ("Godkendt", "Ændret")
CARRIED = ("titel", "beskrivelse", "maaltype", "indikator", "maalemetode", "enhed", "retning",
           "dokumentationskrav", "ansvarlig")  # fmt: skip


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace(".", ",") if isinstance(v, float) else str(v)


def contract_goals(goals: Sequence[Row]) -> list[Row]:
    """The goals that were in the contract: the approved ones if decisions are recorded."""
    decided = [g for g in goals if g.get("beslutning")]
    if not decided:
        return list(goals)
    return [g for g in goals if g.get("beslutning") in APPROVED]


def status_text(year: int, goals: Sequence[Row], results: Mapping[str, Row]) -> str:
    """'Kontrakt 2027: 2 af 3 mål opfyldt. Mål 1 "…": Opfyldt (resultat 81, målværdi 80). …'"""
    if not goals:
        return ""
    levels = [
        str((results.get(g["noegle"]) or {}).get("maalopfyldelse") or "Ikke målt") for g in goals
    ]
    met = levels.count("Opfyldt")
    parts = [f"Kontrakt {year}: {met} af {len(goals)} mål opfyldt."]
    for g, level in zip(goals, levels, strict=True):
        r = results.get(g["noegle"]) or {}
        detail = []
        if r.get("resultat") not in (None, ""):
            detail.append(f"resultat {_num(r['resultat'])}")
        if g.get("maalvaerdi") not in (None, ""):
            detail.append(f"målværdi {_num(g['maalvaerdi'])}")
        more = f" ({', '.join(detail)})" if detail else ""
        parts.append(f'Mål {g.get("nr")} "{g.get("titel") or ""}": {level}{more}.')
    text = " ".join(parts)
    limit = default_spec().max_longtext
    return text if len(text) <= limit else text[: limit - 1] + "…"


def carried_goal(g: Row, result: Row | None, areas: Sequence[str]) -> dict[str, Any]:
    goal = {k: g.get(k) for k in CARRIED}
    area = g.get("indsatsomraade")
    goal["indsatsomraade"] = area if area in (*areas, "Eget forslag") else None
    res = (result or {}).get("resultat")
    goal["baseline"] = res if res not in (None, "") else g.get("baseline")
    return goal


def next_year_inputs(
    rows: Mapping[str, Sequence[Row]], register: Register, areas: FocusAreas, new_year: int,
    *, created: datetime | None = None,
) -> list[WorkbookInput]:  # fmt: skip
    """One workbook input per registered institution for ``new_year``."""
    old_year = new_year - 1
    goals_by: dict[str, list[Row]] = defaultdict(list)
    for g in rows.get("maal", []):
        if g.get("aar") == old_year:
            goals_by[str(g["virksomhed_id"])].append(g)
    results = {str(r["noegle"]): r for r in rows.get("resultater", []) if r.get("aar") == old_year}
    created = created or datetime.now().replace(microsecond=0)
    out = []
    for inst in register.institutions:
        titles = areas.titles(inst.udvalg, new_year)
        goals = sorted(contract_goals(goals_by.get(inst.id, [])), key=lambda g: g.get("nr") or 0)
        filling = Filling()
        text = status_text(old_year, goals, results)
        if text:
            filling.virksomhed["status_sidste_aar"] = text
        filling.maal = [carried_goal(g, results.get(g["noegle"]), titles) for g in goals[:5]]
        out.append(WorkbookInput(inst.as_dict(), new_year, register.kommune, titles, "forslag",
                                 register.register_id, created, filling))  # fmt: skip
    return out


def results_phase_inputs(
    rows: Mapping[str, Sequence[Row]], register: Register, areas: FocusAreas, year: int,
    *, created: datetime | None = None,
) -> list[WorkbookInput]:  # fmt: skip
    """Workbooks for the year-end results: each institution's contract goals written in with
    their ids and the contract's (approved, possibly changed) title and target, locked; the
    contract group, the dialogue and *Udfyldt af* as the institution sent them. It only has
    to enter the results (phase Resultater)."""
    from toolkit.master.contract import contract_goals as in_contract
    from toolkit.master.contract import contract_values

    by_inst: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for table in ("maal", "gruppe", "dialog"):
        for r in rows.get(table, []):
            if r.get("aar") == year:
                by_inst[str(r["virksomhed_id"])][table].append(r)
    oversigt = {str(r.get("virksomhed_id")): r for r in rows.get("oversigt", [])}
    created = created or datetime.now().replace(microsecond=0)
    keys = (*CARRIED, "indsatsomraade", "baseline", "maalvaerdi", "frist")
    out = []
    for inst in register.institutions:
        mine = by_inst[inst.id]
        goals = sorted(in_contract(mine["maal"]), key=lambda g: g.get("nr") or 0)
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
                                 "resultater", register.register_id, created, filling))  # fmt: skip
    return out


def make_next_year(
    master: Path, register_path: Path, focus_path: Path, out_dir: Path, new_year: int | None = None
) -> list[Path]:
    """``kontrakt nytaar``: next year's workbooks from the master file."""
    from toolkit.master.model import read_master_rows

    settings, rows = read_master_rows(master)
    if new_year is None:
        new_year = int(settings.get("aar") or datetime.now().year) + 1
    inputs = next_year_inputs(
        rows, read_register(register_path), read_focus_areas(focus_path), new_year
    )
    return build_many([BuildJob(out_dir, inp) for inp in inputs])
