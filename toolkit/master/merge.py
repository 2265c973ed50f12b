"""Keep Kontraktservice's own columns across re-runs of Konsolider.

Manual data (committee decision, date, comment; manual attainment and its reason) is keyed
by the goal's stable id (institution, year, goal no.). Rows of other years are kept as they
are (the master grows into a history). A goal that disappears from a resubmitted workbook
keeps its manual data in the "Forældede mål" table — never silently dropped — and gets it
back if it reappears.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from toolkit.master.tables import MAAL, RESULTATER

Row = dict[str, Any]
MANUAL = {MAAL.key: MAAL.manual_keys, RESULTATER.key: RESULTATER.manual_keys}
SHEET_OF = {MAAL.key: MAAL.sheet, RESULTATER.key: RESULTATER.sheet}
KEY_OF = {v: k for k, v in SHEET_OF.items()}


def _has_manual(row: Row, keys: list[str]) -> bool:
    return any(row.get(k) not in (None, "") for k in keys)


def _json(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def _from_json(key: str, v: Any) -> Any:
    if key.endswith("dato") and isinstance(v, str):
        try:
            return date.fromisoformat(v[:10])
        except ValueError:
            return v
    return v


def merge(
    new: dict[str, list[Row]], old: dict[str, list[Row]], year: int, now: datetime
) -> dict[str, list[Row]]:
    """``new`` tables with the manual columns, history and log of the ``old`` master."""
    out = dict(new)
    orphans: list[Row] = [
        dict(r, tabel=KEY_OF.get(str(r.get("tabel")), r.get("tabel")))
        for r in old.get("foraeldede", [])
    ]
    orphan_by_key = {(o["noegle"], o["tabel"]): o for o in orphans}
    for table, keys in MANUAL.items():
        old_rows = old.get(table, [])
        manual = {
            r["noegle"]: {k: r.get(k) for k in keys}
            for r in old_rows
            if r.get("noegle") and r.get("aar") == year
        }
        titles = {r["noegle"]: r.get("titel") for r in old_rows}
        rows = []
        for r in new.get(table, []):
            r = dict(r)
            data = manual.pop(r["noegle"], None)
            back = orphan_by_key.pop((r["noegle"], table), None)
            if (data is None or not _has_manual(data, keys)) and back is not None:
                data = {k: _from_json(k, v) for k, v in json.loads(back["data"] or "{}").items()}
                orphans.remove(back)
            for k in keys:
                r[k] = (data or {}).get(k)
            rows.append(r)
        for key, data in manual.items():
            if _has_manual(data, keys) and (key, table) not in orphan_by_key:
                o = {"noegle": key, "tabel": table,
                     "titel": titles.get(key), "forsvundet": now,
                     "data": json.dumps({k: _json(v) for k, v in data.items()}, ensure_ascii=False)}  # fmt: skip
                orphans.append(o)
                orphan_by_key[(key, table)] = o
        history = [dict(r) for r in old_rows if r.get("aar") not in (None, year)]
        out[table] = rows + history
    for r in out.get(RESULTATER.key, []):
        r["maalopfyldelse"] = r.get("manuel") or r.get("beregnet") or None
    for o in orphans:  # the sheet name is what a person sees; keys stay internal
        o["tabel"] = SHEET_OF.get(o["tabel"], o["tabel"])
    out["foraeldede"] = orphans
    out["koersler"] = list(old.get("koersler", []))
    return out
