"""The model's own evaluation: "Dialog og inddragelse" per committee over the years.

From the master's Kontraktgrupper, Dialog and Oversigt tables (every year the master
keeps): the contract groups' composition (members, employee representatives, users and
relatives), the dialogue activities with users and with employees and their participants,
and how many institutions had their works council (SU) informed of the proposals.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from toolkit.documents.data import Context, as_int, records
from toolkit.documents.formatting import tal
from toolkit.master.model import Master
from toolkit.rules.checks import BOTH, EMPLOYEE_REP, EMPLOYEES, USER, USERS
from toolkit.spec.vocabulary import MANGLER

KEYS = ("virksomheder", "medlemmer", "medarbejderrep", "brugere", "dialog_brugere",
        "dialog_medarbejdere", "deltagere", "su_orienteret")  # fmt: skip


def _norm(v: Any) -> str:
    return " ".join(str(v or "").split()).lower()


def involvement(master: Master, upto: int) -> list[Context]:
    """One row per committee and year (up to ``upto``), oldest year first."""
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    submitted: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in records(master["oversigt"]):
        y = as_int(r.get("aar"))
        if y is None or y > upto or r.get("status") in (None, "", MANGLER):
            continue
        key = (str(r.get("udvalg") or ""), y)
        submitted[key].add(str(r.get("virksomhed_id")))
        if r.get("su_orienteret") not in (None, ""):
            counts[key]["su_orienteret"] += 1
    for r in records(master["gruppe"]):
        y = as_int(r.get("aar"))
        if y is None or y > upto:
            continue
        c = counts[(str(r.get("udvalg") or ""), y)]
        c["medlemmer"] += 1
        role = _norm(r.get("rolle"))
        c["medarbejderrep"] += role == EMPLOYEE_REP.lower()
        c["brugere"] += role == USER.lower()
    for r in records(master["dialog"]):
        y = as_int(r.get("aar"))
        if y is None or y > upto:
            continue
        c = counts[(str(r.get("udvalg") or ""), y)]
        who = _norm(r.get("med_hvem"))
        c["dialog_brugere"] += who in (USERS.lower(), BOTH.lower())
        c["dialog_medarbejdere"] += who in (EMPLOYEES.lower(), BOTH.lower())
        c["deltagere"] += as_int(r.get("deltagere")) or 0
    for key, ids in submitted.items():
        counts[key]["virksomheder"] = len(ids)
    out = []
    for (udvalg, y), c in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if not udvalg:
            continue
        out.append({"udvalg": udvalg, "aar": y, **{k: tal(v) for k, v in c.items()}})
    return out


def involvement_context(master: Master, year: int) -> Context:
    rows = involvement(master, year)
    now = [r for r in rows if r["aar"] == year]
    text = ""
    if now:
        n = sum(int(r["virksomheder"].replace(".", "")) for r in now)
        su = sum(int(r["su_orienteret"].replace(".", "")) for r in now)
        reps = sum(int(r["medarbejderrep"].replace(".", "")) for r in now)
        users = sum(int(r["brugere"].replace(".", "")) for r in now)
        text = (
            f"I {year} sendte {tal(n)} virksomheder forslag. Kontraktgrupperne havde "
            f"{tal(reps)} medarbejderrepræsentanter og {tal(users)} brugere eller pårørende, "
            f"og {tal(su)} af virksomhederne har skrevet, hvornår samarbejdsudvalget (SU) blev "
            "orienteret om forslagene."
        )
    return {"inddragelse": rows, "inddragelse_tekst": text}
