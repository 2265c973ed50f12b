"""Guards that keep a run from losing what people typed into the master.

Before a run: the tables that hold typed values must be found in the master (by their
Excel table name or their sheet, with the header row anywhere near the top). After the
run is computed and before anything is written: every typed value of the old master must
be in the new one — on its goal, or in *Forældede mål*. Otherwise the run stops with a
Danish message and the master is left as it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

from toolkit.errors import UserError
from toolkit.master.columns import TableDef
from toolkit.master.extra import (
    NATURAL_KEYS,
    ExtraValuesAmbiguous,
    blank,
    carry_extras,
    extras_of,
    orphan_rows,
    row_key,
)
from toolkit.master.jsoncell import json_cell
from toolkit.master.tables import BY_KEY, MAAL, RESULTATER, TABLES

Row = dict[str, Any]
TYPED: tuple[TableDef, ...] = (MAAL, RESULTATER)
GOAL_SHEETS = (MAAL.sheet, RESULTATER.sheet, "Forældede mål")


class TypedValuesAtRisk(UserError):
    """A run would lose values people typed; nothing was changed (Danish message)."""


class MasterUnreadable(UserError):
    """The existing master cannot be read, or a run would lose what it holds; nothing was
    changed (Danish message)."""


def typed_values(tables: Mapping[str, Sequence[Row]]) -> Counter[tuple[str, str, str]]:
    """(goal id, column, value) of every typed value, wherever it is kept."""
    out: Counter[tuple[str, str, str]] = Counter()
    for t in TYPED:
        for r in tables.get(t.key, []):
            for k in t.manual_keys:
                if not blank(r.get(k)):
                    out[(str(r.get("noegle")), k, _canon(r.get(k)))] += 1
    for t in TABLES:  # a person's own columns, in every table
        for r in tables.get(t.key, []):
            for h, v in extras_of(r).items():
                if not blank(v):
                    out[(row_key(t.key, r), f"{t.sheet}:{h}", _canon(v))] += 1
    for o in tables.get("foraeldede", []):
        data = json_cell(o.get("data"))
        if data is None:
            continue
        sheet = BY_KEY[o["tabel"]].sheet if o.get("tabel") in BY_KEY else o.get("tabel")
        for h, v in extras_of(data).items():
            if not blank(v):
                out[(str(o.get("noegle")), f"{sheet}:{h}", _canon(v))] += 1
        td = next((t for t in TYPED if o.get("tabel") in (t.key, t.sheet)), None)
        if td is None:
            continue
        for k in td.manual_keys:
            if not blank(data.get(k)):
                out[(str(o.get("noegle")), k, _canon(data.get(k)))] += 1
    return out


def carry_all_extras(
    master: PurePath, old: Mapping[str, Sequence[Row]], new: dict[str, list[Row]], now: datetime
) -> None:
    """Put the values of people's own columns of the tables without goal ids on the new
    rows (goals carry theirs in :mod:`toolkit.master.rows`); values whose row is gone go
    to *Forældede mål*; rows that cannot be told apart stop the run."""
    for key in NATURAL_KEYS:
        if key not in new:
            continue
        try:
            lost = carry_extras(key, new[key], old.get(key, []))
        except ExtraValuesAmbiguous as exc:
            raise TypedValuesAtRisk(
                f"Konsolider kan ikke vide, hvor det, der er skrevet i egne kolonner i {master.name}, "
                f"hører til: {exc}. Intet er ændret. Gør rækkerne forskellige (eller flyt værdierne), "
                "og kør Konsolider igen."
            ) from None
        new["foraeldede"] = [*new.get("foraeldede", []), *orphan_rows(key, lost, now)]


def typed_in_file(path: Path) -> set[tuple[str, str, str]]:
    """The typed values a master file holds (empty if it cannot be read as a master)."""
    from toolkit.master.model import read_master_rows

    try:
        _, tables = read_master_rows(path)
    except Exception:  # a damaged backup holds nothing that can be read back
        return set()
    return set(typed_values(tables))


def _canon(v: Any) -> str:
    if hasattr(v, "isoformat"):
        return str(v.isoformat())[:10]
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split()).casefold()


def check_tables_found(master: PurePath, old: Mapping[str, Sequence[Row]]) -> None:
    for t in TYPED:
        if t.key not in old:
            raise TypedValuesAtRisk(
                f"Tabellen '{t.table}' (arket {t.sheet}) findes ikke i {master.name}, så det, der er skrevet "
                "i den, kan ikke føres videre. Intet er ændret. Gendan arket eller tabellen (fx fra en "
                "sikkerhedskopi i mappen Sikkerhedskopier), og kør Konsolider igen."
            )


def check_nothing_lost(
    master: PurePath, old: Mapping[str, Sequence[Row]], new: Mapping[str, Sequence[Row]]
) -> None:
    """Every typed value of the old master is in the new tables (decision words may be
    written in their canonical spelling)."""
    from toolkit.spec.vocabulary import normalize

    def canon(c: Counter[tuple[str, str, str]]) -> Counter[tuple[str, str, str]]:
        out: Counter[tuple[str, str, str]] = Counter()
        for (key, col, v), n in c.items():
            out[(key, col, _canon(normalize(v)) if col == "beslutning" else v)] += n
        return out

    before, after = canon(typed_values(old)), canon(typed_values(new))
    missing = before - after
    if missing:
        (key, col, value), _ = next(iter(missing.items()))
        label = next((c.header for t in TYPED for c in t.cols if c.key == col), col)
        sheet, _, own = col.partition(":")  # a person's own column: "<sheet>:<header>"
        label = own or label
        where = f"målet {key}" if not own or sheet in GOAL_SHEETS else f"rækken {key} på {sheet}"
        raise TypedValuesAtRisk(
            f"Konsolider ville miste {sum(missing.values())} værdi(er), som er skrevet i {master.name} — fx "
            f"'{label}' = '{value}' for {where}. Intet er ændret. Kontakt den, der vedligeholder "
            "værktøjet, og send masterarbejdsbogen med."
        )
