"""Measurements in the master: the Målinger table and the results they fill.

``kontrakt maaling`` adds one row per institution to the master's Målinger table (a new
import of the same indicator and year replaces the earlier one; other years are history).
On every Konsolider the results of the goals that use a measured indicator are filled from
it — but a result the institution typed is never overwritten: a difference is a finding.
A result filled from a measurement says so in its Dokumentation column.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from toolkit.master.contract import contract_values
from toolkit.master.measurements.compute import Result
from toolkit.reading.inputs import Institution
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule, attainment
from toolkit.rules.indicators import Library, default_library
from toolkit.spec.catalog import RULES

Row = dict[str, Any]
#: How a result filled from a measurement begins its Dokumentation.
MARK = "Fra målingen"
USED, TOO_FEW = "Brugt", "For få besvarelser"
RULE = "maaling_afviger"


def measurement_rows(
    result: Result, year: int, source: str, now: datetime, institutions: Iterable[Institution]
) -> list[Row]:
    committee = {i.id: i.udvalg for i in institutions}
    ind = result.indicator
    return [
        {
            "aar": year,
            "indikator_id": ind.id,
            "indikator": ind.navn,
            "virksomhed_id": m.id,
            "virksomhed": m.navn,
            "type": m.type,
            "udvalg": committee.get(m.id),
            "vaerdi": m.vaerdi,
            "enhed": ind.enhed,
            "respondenter": m.respondenter,
            "besvarelser": m.besvarelser,
            "inviterede": m.inviterede,
            "svarprocent": m.svarprocent,
            "status": TOO_FEW if m.for_faa else USED,
            "kilde": source,
            "importeret": now,
        }
        for m in result.measurements
    ]


def merge(old: Iterable[Row], new: list[Row]) -> list[Row]:
    """The Målinger table with ``new`` replacing earlier imports of its (year, indicator)."""
    replaced = {(r["aar"], r["indikator_id"]) for r in new}
    kept = [r for r in old if (r.get("aar"), r.get("indikator_id")) not in replaced]
    return [*kept, *new]


def _documentation(m: Row) -> str:
    rate = m.get("svarprocent")
    extra = f", svarprocent {str(rate).replace('.', ',')} %" if rate is not None else ""
    return f"{MARK} '{m['indikator']}' ({m['kilde']}; {m['respondenter']} besvarelser{extra})."


def _shown(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}".replace(".", ",")
    return str(v)


def _differs(typed: Any, measured: float) -> bool:
    if isinstance(typed, bool) or not isinstance(typed, int | float):
        return True
    return abs(float(typed) - measured) > 0.05


def fill_results(
    results: list[Row], goals: Iterable[Row], measurements: Iterable[Row], year: int,
    rule: AttainmentRule = DEFAULT_RULE, library: Library | None = None,
) -> list[Row]:  # fmt: skip
    """Fill the year's results from its measurements; returns Fund rows for differences."""
    library = library or default_library()
    usable: dict[tuple[str, str], Row] = {
        (str(m["virksomhed_id"]), str(m["indikator_id"])): m
        for m in measurements
        if m.get("aar") == year and m.get("status") == USED and m.get("vaerdi") is not None
    }
    if not usable:
        return []
    by_key = {str(g.get("noegle")): g for g in goals}
    findings: list[Row] = []
    for r in results:
        g = by_key.get(str(r.get("noegle")))
        if r.get("aar") != year or g is None:
            continue
        c = contract_values(g)
        ind = library.by_name(c.get("indikator"))
        if ind is None or str(c.get("enhed") or "").strip().lower() != ind.enhed.lower():
            continue
        m = usable.get((str(r.get("virksomhed_id")), ind.id))
        if m is None:
            continue
        value = float(m["vaerdi"])
        typed = r.get("resultat")
        from_measurement = str(r.get("dokumentation") or "").startswith(MARK)
        if typed not in (None, "") and not from_measurement:
            if _differs(typed, value):
                findings.append(_finding(r, m, typed, value))
            continue
        r["resultat"] = value
        r["maalt_dato"] = (
            m["importeret"].date() if isinstance(m.get("importeret"), datetime) else None
        )
        r["dokumentation"] = _documentation(m)
        r["beregnet"] = attainment(c["retning"], c["baseline"], c["maalvaerdi"], value, rule) or ""
        r["maalopfyldelse"] = r.get("manuel") or r.get("beregnet") or None
    return findings


def _finding(r: Row, m: Row, typed: Any, value: float) -> Row:
    return {
        "virksomhed_id": r.get("virksomhed_id"), "virksomhed": r.get("navn"),
        "fil": m.get("kilde"), "aar": r.get("aar"), "fase": "Resultater", "ark": "Resultater",
        "celle": "", "alvor": RULES[RULE].severity, "regel": RULE,
        "besked": (
            f"Mål {r.get('nr') or ''}: resultatet, virksomheden har skrevet ({_shown(typed)}), er "
            f"ikke målingens ({_shown(value)}, '{m['indikator']}'). Virksomhedens tal er brugt; "
            "afklar forskellen med virksomheden."
        ),
    }  # fmt: skip


def keep_findings(fund: Iterable[Row]) -> list[Row]:
    """Fund rows without last run's measurement differences (they are made again)."""
    return [f for f in fund if f.get("regel") != RULE]
