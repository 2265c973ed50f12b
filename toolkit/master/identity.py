"""Goal identity: which goal of a new submission is which goal the master already knows.

Every goal gets a stable id (``V042-2027-3``) the first time the master sees it. The id
keys everything Kontraktservice types about the goal (decision, changed title/target,
comment, manual attainment) and the goal's result, through re-runs, resubmissions,
the results phase and into next year (as *Forrige mål-id*).

A proposal workbook an institution fills has no ids — they are minted here — so a
resubmission is matched to the goals the master knows, per institution and year, in
rounds from the most to the least certain:

1. the same id written in the workbook (the results workbook and every workbook built
   from the master carry the ids in a locked, hidden column), when its substance still
   matches or no other goal claims it;
2. the same substance: title, indicator, unit, direction, baseline and target;
3. the same title;
4. the same indicator with the same target.

A goal the rounds don't match is a new goal and gets a new id — never a number used
before for that institution and year, so a goal replaced after *Afvist* cannot inherit the
rejection. Goals that swap places keep their ids, because the goal number plays no part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from toolkit.master.layout import goal_key

Row = dict[str, Any]
SUBSTANCE = ("titel", "indikator", "enhed", "retning", "baseline", "maalvaerdi")
_SPACE = re.compile(r"\s+")


def norm_text(v: Any) -> str:
    return _SPACE.sub(" ", str(v)).strip().casefold() if v not in (None, "") else ""


def norm_value(v: Any) -> str:
    """A baseline/target for comparison: 80, 80.0 and "80" are the same; text casefolded."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int | float):
        return repr(float(v))
    text = norm_text(v)
    try:
        return repr(float(text.replace(",", ".")))
    except ValueError:
        return text


def substance(g: Row) -> tuple[str, ...]:
    """What a decision is made on: a goal whose substance changes is another proposal."""
    return tuple(
        norm_value(g.get(k)) if k in ("baseline", "maalvaerdi") else norm_text(g.get(k))
        for k in SUBSTANCE
    )


def _serial(goal_id: str, prefix: str) -> int | None:
    if not goal_id.startswith(prefix):
        return None
    tail = goal_id[len(prefix) :]
    return int(tail) if tail.isdigit() else None


class IdMinter:
    """Mints ids for one institution and year, never reusing a serial number."""

    def __init__(self, institution: str, year: int, known: Iterable[str]) -> None:
        self.institution, self.year = institution, year
        self.prefix = f"{institution}-{year}-"
        serials = [_serial(k, self.prefix) for k in known if k]
        self.last = max((s for s in serials if s is not None), default=0)

    def __call__(self) -> str:
        self.last += 1
        return goal_key(self.institution, self.year, self.last)


def match_goals(new: Sequence[Row], old: Sequence[Row], mint: Callable[[], str]) -> list[str]:
    """The id of each goal in ``new`` (rows with the master's keys, plus ``id`` as written in
    the workbook), matched against ``old`` (the master's goals of that institution and year,
    with ``noegle``). Each old id is used at most once."""
    ids: list[str | None] = [None] * len(new)
    free = {str(o["noegle"]): o for o in old if o.get("noegle")}
    subst_old = {k: substance(o) for k, o in free.items()}
    subst_new = [substance(g) for g in new]

    def claim(i: int, key: str) -> None:
        ids[i] = key
        free.pop(key, None)

    # 1. the workbook's own id, unless its substance is now exactly another old goal's
    for i, g in enumerate(new):
        wid = str(g.get("id") or "").strip()
        if wid and wid in free:
            twins = [k for k in free if k != wid and subst_old[k] == subst_new[i]]
            if subst_old[wid] == subst_new[i] or not twins:
                claim(i, wid)
    rounds: tuple[Callable[[int, str], bool], ...] = (
        lambda i, k: subst_old[k] == subst_new[i],
        lambda i, k: bool(subst_new[i][0]) and subst_old[k][0] == subst_new[i][0],
        lambda i, k: (
            bool(subst_new[i][1])
            and subst_old[k][1] == subst_new[i][1]
            and subst_old[k][5] == subst_new[i][5]
        ),
    )
    for same in rounds:
        for i in range(len(new)):
            if ids[i] is not None:
                continue
            hit = next((k for k in free if same(i, k)), None)
            if hit is not None:
                claim(i, hit)
    return [k if k is not None else mint() for k in ids]
