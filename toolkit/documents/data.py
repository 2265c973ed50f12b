"""The master's tables as plain rows, grouped once, with the rules the documents share.

:class:`MasterData` is built once per :class:`~toolkit.master.model.Master` (``MasterData(m)``)
and answers what the contexts ask: the institutions of a committee, an institution's goals
for a year and the committee's decisions on them, results and their attainment level, the
political focus areas. It holds raw values; :mod:`toolkit.documents.context` formats them.

Rules, in one place:

* a goal is *approved* when the committee's decision is "Godkendt" or "Ændret";
* an institution *has decisions* when at least one of its goals for the year has one;
* a result's level is the manual/final ``maalopfyldelse``, else the computed ``beregnet``;
  anything else is "not assessed" (``None``) and counts in no level;
* results of goals the committee rejected ("Afvist") are no contract goals: they are left
  out of attainment.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.documents.formatting import danish_sort_key
from toolkit.master.contract import contract_goals, contract_values
from toolkit.master.model import Master
from toolkit.rules.attainment import LEVELS
from toolkit.rules.cycle import is_covered
from toolkit.spec.vocabulary import AENDRET, AFVIST, APPROVED, GODKENDT, is_known, normalize
from toolkit.spec.workbook import OWN_PROPOSAL

Row = dict[str, Any]
#: what a template is rendered with (docxtpl's context)
Context = dict[str, Any]
__all__ = ["AENDRET", "AFVIST", "APPROVED", "GODKENDT", "MasterData"]

IKKE_ANGIVET = "(ikke angivet)"
_LEVEL_BY_LOWER = {lvl.lower(): lvl for lvl in LEVELS}


def _plain(v: Any) -> Any:
    """numpy/pandas scalars -> Python; NaN/NaT -> None; empty text -> None."""
    if v is None:
        return None
    item = getattr(v, "item", None)
    if item is not None and type(v).__module__ == "numpy":
        v = item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if type(v).__name__ in ("NaTType", "NAType"):
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


def records(df: Any) -> list[Row]:
    """A DataFrame's rows as dicts of plain Python values."""
    if df is None or len(df) == 0:
        return []
    cols = list(df.columns)
    return [
        {c: _plain(v) for c, v in zip(cols, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def as_int(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) and f.is_integer() else None


def decision(v: Any) -> str | None:
    """The decision spelled as in the master's list; unknown text kept as it is
    (:func:`toolkit.spec.vocabulary.normalize`, the one reading of typed decisions)."""
    return normalize(v)


def level(row: Row) -> str | None:
    """A result row's attainment level (see the module docstring), or None."""
    for key in ("maalopfyldelse", "beregnet"):
        v = row.get(key)
        if v is not None:
            found = _LEVEL_BY_LOWER.get(str(v).strip().lower())
            if found:
                return found
    return None


def sort_name(name: Any) -> str:
    return danish_sort_key(str(name or ""))


@dataclass
class Institution:
    id: str
    navn: str
    type: str
    udvalg: str
    status: str  # Modtaget / Fejl / Mangler / Godkendt, or "" when unknown
    beskrivelse: str = ""  # "Kort om virksomheden", when the master carries it
    ramme: str = ""  # the economic frame (økonomisk ramme), when the master carries it


@dataclass
class FocusArea:
    titel: str
    beskrivelse: str = ""


@dataclass
class MasterData:
    """Plain, grouped data of one master (see the module docstring)."""

    master: Master
    kommune: str = ""
    year: int = 0
    institutions: dict[str, Institution] = field(default_factory=dict)
    goals: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)
    groups: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    dialogs: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    findings: list[Row] = field(default_factory=list)
    goal_by_key: dict[str, Row] = field(default_factory=dict)
    result_by_key: dict[str, Row] = field(default_factory=dict)
    _focus_file: dict[tuple[str, int], list[FocusArea]] | None = None

    def __post_init__(self) -> None:
        m = self.master
        self.kommune = m.kommune
        self.goals = records(m["maal"])
        self.results = records(m["resultater"])
        years = [y for y in (as_int(g.get("aar")) for g in self.goals) if y]
        self.year = m.aar or (max(years) if years else 0)
        for g in self.goals:
            g["aar"] = as_int(g.get("aar")) or self.year
            g["nr"] = as_int(g.get("nr"))
            g["beslutning"] = decision(g.get("beslutning"))
            if g.get("noegle"):
                self.goal_by_key[str(g["noegle"])] = g
        for r in self.results:
            r["aar"] = as_int(r.get("aar")) or self.year
            r["nr"] = as_int(r.get("nr"))
        self.result_by_key = {str(r["noegle"]): r for r in self.results if r.get("noegle")}
        for row in records(m["oversigt"]):  # the master keeps other years' rows too
            if row.get("virksomhed_id") and as_int(row.get("aar")) in (None, self.year):
                self._add_institution(row, row.get("navn"), row.get("status"), register=True)
        for row in self.goals + self.results:  # institutions only known from their goals
            if row.get("virksomhed_id") and str(row["virksomhed_id"]) not in self.institutions:
                self._add_institution(row, row.get("navn"), None)
        for row in records(m["gruppe"]):
            if as_int(row.get("aar")) in (None, self.year):
                self.groups[str(row.get("virksomhed_id"))].append(row)
        for row in records(m["dialog"]):
            if as_int(row.get("aar")) in (None, self.year):
                self.dialogs[str(row.get("virksomhed_id"))].append(row)
        self.findings = [r for r in records(m["fund"]) if as_int(r.get("aar")) in (None, self.year)]
        self._focus_file = self._read_focus_file()

    def _add_institution(self, row: Row, navn: Any, status: Any, register: bool = False) -> None:
        vid = str(row["virksomhed_id"]).strip()
        self.institutions[vid] = Institution(
            id=vid,
            navn=str(navn or vid),
            type=str(row.get("type") or ""),
            udvalg=str(row.get("udvalg") or ""),
            status=str(status or ""),
            beskrivelse=str(row.get("beskrivelse") or "") if register else "",
            ramme=str(row.get("oekonomisk_ramme") or "") if register else "",
        )

    # ------------------------------------------------------------------ institutions

    def committees(self) -> list[str]:
        names = {i.udvalg for i in self.institutions.values() if i.udvalg}
        return sorted(names, key=sort_name)

    def institutions_of(self, udvalg: str | None = None) -> list[Institution]:
        insts = [
            i
            for i in self.institutions.values()
            if (udvalg is None or i.udvalg == udvalg) and is_covered(i.status)  # under contract
        ]
        return sorted(insts, key=lambda i: (sort_name(i.navn), i.id))

    def institution(self, virksomhed_id: str) -> Institution:
        try:
            return self.institutions[str(virksomhed_id)]
        except KeyError:
            raise KeyError(
                f"Virksomheden '{virksomhed_id}' findes ikke i masterfilen (arkene Oversigt og Kontraktmål)."
            ) from None

    def leader(self, virksomhed_id: str) -> str:
        for p in self.groups.get(virksomhed_id, []):
            if str(p.get("rolle") or "").lower().startswith("leder") and p.get("navn"):
                return str(p["navn"])
        return ""

    # ------------------------------------------------------------------ goals and decisions

    def goals_of(self, virksomhed_id: str, year: int) -> list[Row]:
        rows = [
            g
            for g in self.goals
            if str(g.get("virksomhed_id")) == virksomhed_id and g["aar"] == year
        ]
        return sorted(rows, key=lambda g: (g["nr"] is None, g["nr"] or 0))

    def contract_goals(self, virksomhed_id: str, year: int) -> tuple[list[Row], bool, int]:
        """(goals for the contract, whether they are proposals only, number left undecided)."""
        goals = self.goals_of(virksomhed_id, year)
        if not any(is_known(g["beslutning"]) for g in goals):
            return goals, True, 0
        # The contract holds what was decided (the rule of toolkit.master.contract, as the
        # results workbook): an Ændret goal with its changed title/target.
        approved = [dict(g, **contract_values(g)) for g in contract_goals(goals)]
        undecided = sum(1 for g in goals if not g["beslutning"])
        return approved, False, undecided

    def last_year_status(self, g: Row) -> str:
        """How the goal this one continues (*Forrige mål-id*) went last year, in words:
        "Mål 2 i kontrakt 2027: Opfyldt (resultat 81 %, målværdi 80 %)." — or that the
        result is not known yet (next year's contract is made before the results come in)."""
        prev_key = str(g.get("forrige") or "")
        prev = self.goal_by_key.get(prev_key)
        if not prev_key or prev is None:
            return ""
        from toolkit.documents.formatting import vaerdi

        year, enhed = prev.get("aar"), prev.get("enhed")
        head = f"Fortsætter mål {prev.get('nr') or ''} i kontrakt {year}"
        res = self.result_by_key.get(prev_key)
        lvl = level(res) if res else None
        if res is None or res.get("resultat") in (None, "") or lvl is None:
            return f"{head}; resultatet for {year} kendes i marts {int(year) + 1 if year else ''}."
        detail = f"resultat {vaerdi(res.get('resultat'), enhed)}, målværdi {vaerdi(res.get('maalvaerdi'), enhed)}"
        return f"{head}: {lvl} ({detail})."

    def is_rejected(self, noegle: Any) -> bool:
        g = self.goal_by_key.get(str(noegle)) if noegle is not None else None
        return bool(g and g["beslutning"] == AFVIST)

    # ------------------------------------------------------------------ results

    def results_of(self, year: int | None = None, udvalg: str | None = None) -> list[Row]:
        """Results of contract goals (rejected goals left out), optionally of one year/committee."""
        out = []
        for r in self.results:
            if year is not None and r["aar"] != year:
                continue
            if udvalg is not None and self.committee_of(r) != udvalg:
                continue
            if self.is_rejected(r.get("noegle")):
                continue
            out.append(r)
        return out

    def has_results(self, year: int, udvalg: str | None = None) -> bool:
        """Whether any contract goal of ``year`` has a result or a manual level entered."""
        return any(
            r.get("resultat") is not None or r.get("manuel") is not None
            for r in self.results_of(year, udvalg)
        )

    def committee_of(self, row: Row) -> str:
        inst = self.institutions.get(str(row.get("virksomhed_id")))
        return inst.udvalg if inst and inst.udvalg else str(row.get("udvalg") or "")

    def goal_for(self, result: Row) -> Row:
        return self.goal_by_key.get(str(result.get("noegle")), {})

    def years(self, udvalg: str | None = None, upto: int | None = None) -> list[int]:
        ys = {r["aar"] for r in self.results_of(udvalg=udvalg)}
        return sorted(y for y in ys if upto is None or y <= upto)

    # ------------------------------------------------------------------ focus areas

    def _read_focus_file(self) -> dict[tuple[str, int], list[FocusArea]] | None:
        """The focus areas from the file named in the master's settings, if it can be read."""
        setting = self.master.settings.get("indsatsomraader")
        if not setting:
            return None
        path = Path(str(setting))
        if not path.is_absolute() and self.master.path is not None:
            path = self.master.path.parent / path
        if not path.is_file():
            return None
        from toolkit.reading.inputs import InputError, read_focus_areas

        try:
            areas = read_focus_areas(path).areas
        except (InputError, OSError, ValueError):
            return None
        out: dict[tuple[str, int], list[FocusArea]] = defaultdict(list)
        for a in sorted(areas, key=lambda a: (a.nr is None, a.nr or 0)):
            out[(a.udvalg, a.aar)].append(FocusArea(a.titel, a.beskrivelse))
        return out

    def focus_areas(self, udvalg: str, year: int) -> list[FocusArea]:
        """The committee's focus areas for the year: from the focus-area file named in the
        settings, or else the areas the committee's goals were filed under."""
        if self._focus_file is not None and (udvalg, year) in self._focus_file:
            return list(self._focus_file[(udvalg, year)])
        seen: dict[str, None] = {}
        for g in self.goals:
            area = str(g.get("indsatsomraade") or "").strip()
            if (
                g["aar"] == year
                and self.committee_of(g) == udvalg
                and area
                and area != OWN_PROPOSAL
            ):
                seen.setdefault(area, None)
        return [FocusArea(t) for t in sorted(seen, key=sort_name)]

    def findings_of(self, ids: Iterable[str]) -> list[Row]:
        wanted = set(ids)
        return [f for f in self.findings if str(f.get("virksomhed_id")) in wanted]
