"""The master's rows for one contract year, from the inbox and the master as it was.

The master is the year's accumulated state. A run changes only what its inbox brings:

* an institution's **proposal** (a workbook in phase *Forslag*; the newest valid one wins)
  replaces that institution's goals, contract group and dialogue for the year. Its goals
  are matched to the goals the master knows (:mod:`toolkit.master.identity`), so
  everything typed about a goal stays on that goal;
* an institution's **results** (a workbook in phase *Resultater*, built from the master
  with the contract's goals locked in it) bring only the result fields, matched by the
  goals' ids; targets and titles always come from the master (the contract);
* an institution with nothing in the inbox keeps what the master had — consolidating the
  results inbox never drops proposals, groups or dialogue.

Rows of other years are kept as they are: the master is also the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from toolkit.master.columns import TableDef
from toolkit.master.contract import apply_decisions, contract_values
from toolkit.master.extra import EXTRA, has_extras
from toolkit.master.identity import IdMinter, match_goals, norm_value
from toolkit.master.jsoncell import json_cell, to_json_cell
from toolkit.master.layout import LAYOUT
from toolkit.master.tables import BY_KEY, MAAL, RESULTATER
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule, attainment
from toolkit.spec.model import Finding
from toolkit.spec.vocabulary import is_rejected

if TYPE_CHECKING:
    from toolkit.master.consolidate import Intake, Submission
    from toolkit.reading.inputs import Institution, Register

Row = dict[str, Any]
#: the fields an institution fills in, as the master's tables carry them (from the spec)
GOAL_FIELDS = LAYOUT.table("maal").input_keys("maal")
RESULT_FIELDS = LAYOUT.table("resultater").input_keys("resultater")
GROUP_FIELDS = LAYOUT.table("gruppe").input_keys("gruppe")
DIALOG_FIELDS = LAYOUT.table("dialog").input_keys("dialog")
FORSLAG, RESULTATER_FASE = "Forslag", "Resultater"
SHEET_OF = {MAAL.key: MAAL.sheet, RESULTATER.key: RESULTATER.sheet}
KEY_OF = {v: k for k, v in SHEET_OF.items()}


def _has(row: Mapping[str, Any], keys: Iterable[str]) -> bool:
    return any(row.get(k) not in (None, "") for k in keys)


def _from_json(key: str, v: Any) -> Any:
    if key.endswith("dato") and isinstance(v, str):
        try:
            return date.fromisoformat(v[:10])
        except ValueError:
            return v
    return v


class Orphans:
    """*Forældede mål*: typed values of goals that are no longer in the master, by id."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = [dict(r, tabel=KEY_OF.get(str(r.get("tabel")), r.get("tabel"))) for r in rows]

    def candidates(self, inst_id: str, year: int) -> list[Row]:
        """Orphaned goals of an institution and year, as candidates for identity matching."""
        prefix = f"{inst_id}-{year}-"
        out = []
        for o in self.rows:
            if o["tabel"] == MAAL.key and str(o.get("noegle") or "").startswith(prefix):
                data = self.data(o)
                out.append({"noegle": o["noegle"], "titel": o.get("titel"), **data})
        return out

    @staticmethod
    def data(o: Row) -> Row:
        return {k: _from_json(k, v) for k, v in (json_cell(o.get("data")) or {}).items()}

    def take(self, key: str, table: str) -> Row | None:
        for o in self.rows:
            if o.get("noegle") == key and o["tabel"] == table:
                self.rows.remove(o)
                return self.data(o)
        return None

    def put(self, key: str, table: str, title: Any, data: Row, now: datetime) -> None:
        if any(o.get("noegle") == key and o["tabel"] == table for o in self.rows):
            return
        self.rows.append({"noegle": key, "tabel": table, "titel": title, "forsvundet": now,
                          "data": to_json_cell(data)})  # fmt: skip

    def ids(self) -> list[str]:
        return [str(o.get("noegle") or "") for o in self.rows]

    def out(self) -> list[Row]:
        return [dict(o, tabel=SHEET_OF.get(o["tabel"], o["tabel"])) for o in self.rows]


def carry_kept(t: TableDef, rows: list[Row], old: Sequence[Row], orphans: Orphans,
               now: datetime) -> None:  # fmt: skip
    """Put the typed (and kept) values of ``old`` rows on ``rows`` by goal id; values whose
    goal is gone go to *Forældede mål*, and come back from there when the goal does."""
    keys = [*t.kept_keys, EXTRA]  # a person's own columns follow the goal too
    typed = {str(r["noegle"]): {k: r.get(k) for k in keys} for r in old if r.get("noegle")}
    titles = {str(r["noegle"]): r.get("titel") for r in old if r.get("noegle")}
    for r in rows:
        data = typed.pop(str(r["noegle"]), None)
        back = orphans.take(str(r["noegle"]), t.key)
        if (data is None or not _has(data, keys)) and back is not None:
            data = back
        for k in keys:
            r[k] = (data or {}).get(k)
    for key, data in typed.items():
        if _has(data, t.manual_keys) or has_extras(data):
            orphans.put(key, t.key, titles.get(key), data, now)


def _goal_rows(sub: Submission, inst: Institution, year: int, known: list[Row],
               minted: Iterable[str]) -> list[Row]:  # fmt: skip
    assert sub.book is not None
    base = {"virksomhed_id": inst.id, "navn": inst.navn, "udvalg": inst.udvalg, "aar": year}
    new = [
        {**{k: getattr(g, k) for k in GOAL_FIELDS}, "id": g.id, "nr": g.nr or g.raekke + 1,
         "forrige": g.forrige_id}
        for g in sub.book.maal
    ]  # fmt: skip
    mint = IdMinter(inst.id, year, [*(str(o.get("noegle") or "") for o in known), *minted])
    ids = match_goals(new, known, mint)
    return [
        {"noegle": key, **base, **{k: v for k, v in g.items() if k != "id"}}
        for key, g in zip(ids, new, strict=True)
    ]


def _result_row(g: Row, fields: Mapping[str, Any], rule: AttainmentRule) -> Row:
    c = contract_values(g)
    res = fields.get("resultat")
    return {
        "noegle": g["noegle"], "virksomhed_id": g["virksomhed_id"], "navn": g["navn"],
        "udvalg": g["udvalg"], "aar": g["aar"], "nr": g.get("nr"), "titel": c["titel"],
        "enhed": c["enhed"], "retning": c["retning"], "baseline": c["baseline"],
        "maalvaerdi": c["maalvaerdi"], **{k: fields.get(k) for k in RESULT_FIELDS},
        "beregnet": attainment(c["retning"], c["baseline"], c["maalvaerdi"], res, rule) or "",
    }  # fmt: skip


def _results_from(
    sub: Submission, goals: Mapping[str, Row]
) -> tuple[dict[str, Row], list[Finding]]:
    """Result fields of a results workbook by goal id; what does not fit the master becomes
    a finding (the master's contract values are always the ones used). Goals are matched by
    the ids the workbook carries — and, for workbooks made before ids existed, by title and
    substance."""
    assert sub.book is not None
    by_row = {r.raekke: r for r in sub.book.resultater}
    book_goals = [{**{k: getattr(g, k) for k in GOAL_FIELDS}, "id": g.id} for g in sub.book.maal]
    contract = {k: dict(g, **contract_values(g)) for k, g in goals.items()}  # as decided
    ids = match_goals(book_goals, list(contract.values()), str)
    out: dict[str, Row] = {}
    notes: list[Finding] = []
    for g, key in zip(sub.book.maal, ids, strict=True):
        r = by_row.get(g.raekke)
        fields = {k: getattr(r, k) for k in RESULT_FIELDS} if r else {}
        where = f"Mål {g.nr or g.raekke + 1}"
        if not key:
            if _has(fields, RESULT_FIELDS):
                notes.append(Finding(str(sub.path), "Kontraktmål", "", "fejl", "fil_maal_ukendt",
                    f"{where} ({g.titel or 'uden titel'}) er ikke et af kontraktens mål i masterarbejdsbogen, så "
                    "resultatet er ikke brugt. Brug den resultatarbejdsbog, Kontraktservice har sendt."))  # fmt: skip
            continue
        want = contract[key]["maalvaerdi"]
        if g.maalvaerdi not in (None, "") and norm_value(g.maalvaerdi) != norm_value(want):
            notes.append(Finding(str(sub.path), "Kontraktmål", "", "advarsel", "fil_maalvaerdi_aendret",
                f"{where}: målværdien i arbejdsbogen ({g.maalvaerdi}) er ikke kontraktens ({want}). "
                "Kontraktens målværdi er brugt."))  # fmt: skip
        out[key] = fields
    return out, notes


def assemble_goals(intake: Intake, register: Register, year: int, old: Mapping[str, list[Row]],
                   orphans: Orphans, now: datetime, rule: AttainmentRule = DEFAULT_RULE,
                   ) -> tuple[list[Row], list[Row]]:  # fmt: skip
    """The year's Kontraktmål and Resultater rows (other years are added by the caller)."""
    old_goals: dict[str, list[Row]] = defaultdict(list)
    for r in old.get(MAAL.key, []):
        if r.get("aar") == year:
            old_goals[str(r["virksomhed_id"])].append(r)
    old_results = {str(r["noegle"]): r for r in old.get(RESULTATER.key, [])
                   if r.get("aar") == year and r.get("noegle")}  # fmt: skip
    # The inbox of a phase is the truth for that phase: a run with proposals replaces every
    # institution's proposal (one no longer in the inbox has none); a run with only results
    # keeps the proposals the master has, and vice versa.
    proposal_run, results_run = bool(intake.used), bool(intake.results)
    goals: list[Row] = []
    proposal_results: dict[str, Row] = {}  # results typed into a proposal workbook
    for inst in sorted(register.institutions, key=lambda i: (i.udvalg, i.navn)):
        sub = intake.used.get(inst.id)
        if sub is None and not old_goals.get(inst.id) and inst.id in intake.results:
            # Results for goals the master has never seen (a results workbook filled from
            # scratch): its goals are the institution's goals.
            sub = intake.results[inst.id]
        if sub is not None and sub.book is not None:
            known = [*old_goals.get(inst.id, []), *orphans.candidates(inst.id, year)]
            rows = _goal_rows(sub, inst, year, known, orphans.ids())
            by_row = {r.raekke: r for r in sub.book.resultater}
            for row, wg in zip(rows, sub.book.maal, strict=True):
                res = by_row.get(wg.raekke)
                if res is not None:
                    proposal_results[row["noegle"]] = {k: getattr(res, k) for k in RESULT_FIELDS}
            goals += rows
        elif not proposal_run:
            goals += [
                dict(r, navn=inst.navn, udvalg=inst.udvalg) for r in old_goals.get(inst.id, [])
            ]
    carry_kept(MAAL, goals, [r for rs in old_goals.values() for r in rs], orphans, now)
    apply_decisions(goals)

    by_inst: dict[str, dict[str, Row]] = defaultdict(dict)
    for g in goals:
        by_inst[str(g["virksomhed_id"])][str(g["noegle"])] = g
    typed: dict[str, Row] = {}
    for inst_id, sub in intake.results.items():
        fields, notes = _results_from(sub, by_inst[inst_id])
        sub.findings.extend(notes)
        typed.update(fields)
    results = []
    for g in goals:
        if is_rejected(g.get("beslutning")):
            continue  # a rejected proposal is no contract goal: it gets no result
        key = str(g["noegle"])
        if key in typed:
            fields = typed[key]
        elif key in old_results and not results_run:
            fields = old_results[key]
        else:
            fields = proposal_results.get(key, {})
        results.append(_result_row(g, fields, rule))
    carry_kept(RESULTATER, results, list(old_results.values()), orphans, now)
    for r in results:
        r["maalopfyldelse"] = r.get("manuel") or r.get("beregnet") or None
    return goals, results


def history(table: str, old: Mapping[str, list[Row]], year: int, old_year: int | None) -> list[Row]:
    """Rows of other years, kept as they are (rows of masters before 1.1 lack a year in
    some tables: they belong to the year that master was consolidated for)."""
    out = []
    for r in old.get(table, []):
        y = r.get("aar") if r.get("aar") is not None else old_year
        if y is not None and y != year:
            out.append(dict(r, aar=y))
    return out


def table_def(key: str) -> TableDef:
    return BY_KEY[key]
