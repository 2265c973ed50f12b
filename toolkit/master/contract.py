"""What the committee decided, and what the contract therefore holds.

Per goal (a row of the master's Kontraktmål table) this module

* reads the typed decision leniently (:mod:`toolkit.spec.vocabulary`) and writes it back in its
  canonical spelling; unknown words are kept exactly as typed;
* records, the first time a decision is seen, what it was made on (*Beslutningsgrundlag*:
  title, indicator, unit, direction, baseline, target). If the institution later changes
  that substance, the goal's status becomes *Ændret efter beslutning* — the decision stays
  (a typed value is never dropped), but nothing treats the goal as decided until
  Kontraktservice looks at it again: they clear *Beslutningsgrundlag* to accept the new
  wording (it is recorded anew), or change the decision;
* gives the contract's values: what was decided on, with the changed title/target of an
  *Ændret* decision. Results are graded against these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit.master.identity import SUBSTANCE, substance
from toolkit.master.jsoncell import json_cell, to_json_cell
from toolkit.spec import vocabulary as D

Row = dict[str, Any]


def snapshot(g: Row) -> str:
    return to_json_cell({k: g.get(k) for k in SUBSTANCE})


def decided_on(g: Row) -> Row | None:
    """The substance the decision was made on (None if none is recorded or it is unreadable)."""
    return json_cell(g.get("besluttet_paa"))


def apply_decisions(goals: Iterable[Row]) -> None:
    """Normalise decisions, keep *Beslutningsgrundlag* and set each goal's *Status*."""
    for g in goals:
        typed = g.get("beslutning")
        word = D.normalize(typed)
        g["beslutning"] = word
        if word is None:
            g["besluttet_paa"] = None
            g["status"] = D.AFVENTER
            continue
        if word not in D.DECISIONS:
            g["status"] = f"{D.UKENDT}: «{word}»"
            continue
        basis = decided_on(g)
        if basis is None:
            g["besluttet_paa"] = snapshot(g)
            g["status"] = word
        elif substance(basis) != substance(g):
            g["status"] = D.AENDRET_EFTER
        else:
            g["status"] = word


def in_force(g: Row) -> bool:
    """A contract goal: approved (Godkendt/Ændret) and not changed since the decision."""
    return D.is_approved(g.get("beslutning")) and g.get("status") != D.AENDRET_EFTER


def contract_values(g: Row) -> Row:
    """Title, indicator, unit, direction, baseline and target as the contract holds them."""
    base = decided_on(g) or {k: g.get(k) for k in SUBSTANCE}
    out = {k: base.get(k) for k in SUBSTANCE}
    if D.normalize(g.get("beslutning")) == D.AENDRET:
        if g.get("aendret_titel") not in (None, ""):
            out["titel"] = g["aendret_titel"]
        if g.get("aendret_maalvaerdi") not in (None, ""):
            out["maalvaerdi"] = g["aendret_maalvaerdi"]
    return out


def contract_goals(goals: Iterable[Row]) -> list[Row]:
    """The goals of a contract: the ones in force when decisions are recorded; before any
    decision, every proposed goal (the contract is then a draft)."""
    goals = list(goals)
    if not any(D.is_known(g.get("beslutning")) for g in goals):
        return goals
    return [g for g in goals if in_force(g)]
