"""Guards that keep a run from losing what people typed into the master.

Before a run: the tables that hold typed values must be found in the master (by their
Excel table name or their sheet, with the header row anywhere near the top). After the
run is computed and before anything is written: every typed value of the old master must
be in the new one — on its goal, or in *Forældede mål*. Otherwise the run stops with a
Danish message and the master is left as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.master.tables import MAAL, RESULTATER, TableDef

Row = dict[str, Any]
TYPED: tuple[TableDef, ...] = (MAAL, RESULTATER)


class TypedValuesAtRisk(Exception):
    """A run would lose values people typed; nothing was changed (Danish message)."""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def typed_values(tables: Mapping[str, Sequence[Row]]) -> Counter[tuple[str, str, str]]:
    """(goal id, column, value) of every typed value, wherever it is kept."""
    out: Counter[tuple[str, str, str]] = Counter()
    for t in TYPED:
        for r in tables.get(t.key, []):
            for k in t.manual_keys:
                if not _blank(r.get(k)):
                    out[(str(r.get("noegle")), k, _canon(r.get(k)))] += 1
    for o in tables.get("foraeldede", []):
        try:
            data = json.loads(o.get("data") or "{}")
        except ValueError:
            continue
        td = next((t for t in TYPED if o.get("tabel") in (t.key, t.sheet)), None)
        if td is None or not isinstance(data, dict):
            continue
        for k in td.manual_keys:
            if not _blank(data.get(k)):
                out[(str(o.get("noegle")), k, _canon(data.get(k)))] += 1
    return out


def _canon(v: Any) -> str:
    if hasattr(v, "isoformat"):
        return str(v.isoformat())[:10]
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split()).casefold()


def check_tables_found(master: Path, old: Mapping[str, Sequence[Row]]) -> None:
    for t in TYPED:
        if t.key not in old:
            raise TypedValuesAtRisk(
                f"Tabellen '{t.table}' (arket {t.sheet}) findes ikke i {master.name}, så det, der er skrevet "
                "i den, kan ikke føres videre. Intet er ændret. Gendan arket eller tabellen (fx fra en "
                "sikkerhedskopi i mappen Sikkerhedskopier), og kør Konsolider igen."
            )


def check_nothing_lost(
    master: Path, old: Mapping[str, Sequence[Row]], new: Mapping[str, Sequence[Row]]
) -> None:
    """Every typed value of the old master is in the new tables (decision words may be
    written in their canonical spelling)."""
    from toolkit.decisions import normalize

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
        raise TypedValuesAtRisk(
            f"Konsolider ville miste {sum(missing.values())} værdi(er), som er skrevet i {master.name} — fx "
            f"'{label}' = '{value}' for målet {key}. Intet er ændret. Kontakt den, der vedligeholder "
            "værktøjet, og send masterarbejdsbogen med."
        )
