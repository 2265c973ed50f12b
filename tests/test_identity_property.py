"""Property (issue 8): whatever institutions resubmit — goals reordered, replaced, dropped,
reworded, targets changed — and whatever Kontraktservice types into the master between
runs, every decision stays on the goal it was made for, and no typed value is lost.

The runs go through the consolidation core on plain data (many examples a second); the
LibreOffice-typed versions of the same situations are in ``test_cycle.py``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.master.consolidate import Intake, Submission, build_tables, mark_approved
from toolkit.master.contract import contract_goals
from toolkit.reading.inputs import Institution, Register
from toolkit.spec.model import Kontraktbog, Kontraktmaal, Meta, Resultat, Virksomhed

YEAR = 2027
INSTS = [
    Institution(f"V{i}", f"Virksomhed {i}", "Skole", "Udvalget", "Leder", "x@y.dk") for i in (1, 2)
]
REGISTER = Register("Kommune", "R", INSTS)
TOKENS = [f"T{i}" for i in range(8)]


def _goal(token: str, variant: int, row: int, wid: str | None = None) -> Kontraktmaal:
    """A goal identified by its token; variants reword it or change its target."""
    title = f"Mål {token}" + (" (revideret)" if variant in (1, 3) else "")
    target = 80 + (5 if variant in (2, 3) else 0)
    return Kontraktmaal(raekke=row, nr=row + 1, titel=title, indikator=f"Indikator {token}",
                        enhed="Procent", retning="Højere er bedre", baseline=70, maalvaerdi=target,
                        id=wid)  # fmt: skip


def _book(
    inst: str, goals: list[Kontraktmaal], phase: str, results: list[Resultat] | None = None
) -> Kontraktbog:
    meta = Meta(skabelon="Kontraktarbejdsbog", version="1.1", kommune="Kommune", virksomhed_id=inst,
                kontraktaar=YEAR, fase=phase.capitalize())  # fmt: skip
    return Kontraktbog(Path(f"{inst}.xlsx"), meta, Virksomhed(id=inst, fase=phase.capitalize()),
                       maal=goals, resultater=results or [])  # fmt: skip


submission = st.tuples(
    st.sampled_from([i.id for i in INSTS]),
    st.lists(st.tuples(st.sampled_from(TOKENS), st.integers(0, 3)), min_size=1, max_size=5,
             unique_by=lambda t: t[0]),
)  # fmt: skip
step = st.one_of(
    st.tuples(st.just("submit"), submission),
    st.tuples(st.just("type"), st.integers(0, 10**6), st.sampled_from(["Godkendt", "Afvist", "ændret", " godkendt"])),
    st.tuples(st.just("results"), st.sampled_from([i.id for i in INSTS]), st.integers(0, 100)),
    st.tuples(st.just("rerun")),
)  # fmt: skip


def _token(title: str) -> str:
    return title.split()[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=14))
def test_decisions_follow_their_goals_and_nothing_typed_is_lost(steps: list) -> None:
    old: dict = {}
    proposals: dict[str, Submission] = {}
    typed: dict[str, str] = {}  # comment → token of the goal it was typed on
    clock = 0
    for s in steps:
        clock += 1
        results: dict[str, Submission] = {}
        if s[0] == "submit":
            inst, picks = s[1]
            goals = [_goal(tok, var, i) for i, (tok, var) in enumerate(picks)]
            proposals[inst] = Submission(Path(f"{inst}-{clock}.xlsx"), "x", datetime(2026, 5, 1), 1,
                                         _book(inst, goals, "forslag"), [])  # fmt: skip
        elif s[0] == "type":
            live = [g for g in old.get("maal", []) if g["aar"] == YEAR]
            if not live:
                continue
            g = live[s[1] % len(live)]
            comment = f"K{clock}"
            for c in list(typed):  # typing over a comment replaces it
                if g.get("kommentar") == c:
                    del typed[c]
            g["beslutning"], g["kommentar"] = s[2], comment
            typed[comment] = _token(g["titel"])
            continue
        elif s[0] == "results":
            inst = s[1]
            mine = [
                g for g in old.get("maal", []) if g["virksomhed_id"] == inst and g["aar"] == YEAR
            ]
            goals = [
                Kontraktmaal(raekke=i, nr=i + 1, titel=g["titel"], indikator=g["indikator"], enhed=g["enhed"],
                             retning=g["retning"], baseline=g["baseline"], maalvaerdi=g["maalvaerdi"], id=g["noegle"])
                for i, g in enumerate(contract_goals(mine))
            ]  # fmt: skip
            if not goals:
                continue
            res = [Resultat(raekke=i, resultat=s[2]) for i in range(len(goals))]
            results[inst] = Submission(Path(f"{inst}-r{clock}.xlsx"), "x", datetime(2028, 1, 5), 1,
                                       _book(inst, goals, "resultater", res), [])  # fmt: skip
        intake = Intake(used=dict(proposals), results=results)
        tables = build_tables(
            intake, REGISTER, YEAR, old=old, old_year=YEAR, now=datetime(2026, 9, 1)
        )
        mark_approved(tables, YEAR)
        old = tables
        live_comments = {g["kommentar"]: g for g in tables["maal"] if g.get("kommentar")}
        orphan_comments = {json.loads(o["data"]).get("kommentar") for o in tables["foraeldede"]}
        for comment, token in typed.items():
            if comment in live_comments:
                assert _token(live_comments[comment]["titel"]) == token, (comment, steps)
            else:
                assert comment in orphan_comments, (comment, steps)
        ids = [g["noegle"] for g in tables["maal"]]
        assert len(ids) == len(set(ids)), "a goal id is used twice"
        for r in tables["resultater"]:
            goal = next(g for g in tables["maal"] if g["noegle"] == r["noegle"])
            assert _token(goal["titel"]) == _token(r["titel"] or goal["titel"])


def test_the_guard_refuses_a_run_that_would_lose_a_typed_value() -> None:
    import pytest

    from toolkit.master.guard import TypedValuesAtRisk, check_nothing_lost

    old = {"maal": [{"noegle": "V1-2027-1", "beslutning": "godkendt ", "kommentar": "Fint"}]}
    same = {"maal": [{"noegle": "V1-2027-1", "beslutning": "Godkendt", "kommentar": "Fint"}]}
    orphaned = {"foraeldede": [{"noegle": "V1-2027-1", "tabel": "Kontraktmål",
                                "data": json.dumps({"beslutning": "Godkendt", "kommentar": "Fint"})}]}  # fmt: skip
    check_nothing_lost(Path("Master.xlsx"), old, same)
    check_nothing_lost(Path("Master.xlsx"), old, orphaned)
    moved = {"maal": [{"noegle": "V1-2027-2", "beslutning": "Godkendt", "kommentar": "Fint"}]}
    with pytest.raises(TypedValuesAtRisk, match="Intet er ændret"):
        check_nothing_lost(Path("Master.xlsx"), old, moved)
    with pytest.raises(TypedValuesAtRisk, match="'Kommentar' = 'fint'"):
        check_nothing_lost(
            Path("Master.xlsx"), old, {"maal": [{"noegle": "V1-2027-1", "beslutning": "Godkendt"}]}
        )
