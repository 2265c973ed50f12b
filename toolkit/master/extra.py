"""Columns people add to the master's tables by hand ("Sagsnr.", "Noter" …).

The reader keeps a row's values of columns the table does not declare under :data:`EXTRA`
(header → value, in the sheet's column order); Konsolider carries them to the same row of
the new master — goals by their id (:func:`toolkit.master.rows.carry_kept`), the other
tables by their natural key (:data:`NATURAL_KEYS`) — and both writers put them back after
the table's own columns under the person's header. A value whose row is gone is kept in
*Forældede mål*; rows that cannot be told apart with certainty stop the run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from toolkit.master.jsoncell import to_json_cell
from toolkit.master.layout import LAYOUT, Col, TableDef

Row = dict[str, Any]
EXTRA = "_ekstra"
#: What identifies a row of a table that is not keyed by a goal id.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "oversigt": ("virksomhed_id", "aar"),
    "udvalg": ("udvalg",),
    "gruppe": ("virksomhed_id", "aar", "navn", "rolle"),
    "dialog": ("virksomhed_id", "aar", "dato", "tema"),
    "fund": ("virksomhed_id", "aar", "fase", "fil", "ark", "celle", "regel", "besked"),
    "foraeldede": ("noegle", "tabel"),
    "koersler": ("tidspunkt",),
}
GOAL_TABLES = ("maal", "resultater")


class ExtraValuesAmbiguous(Exception):
    """Rows with values in a person's own column cannot be matched with certainty."""


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def extra_headers(header: Sequence[str], t: TableDef) -> list[tuple[int, str]]:
    """(position, header) of the header row's columns the table does not declare."""
    own = {h for c in t.cols for h in c.headers}
    seen: set[str] = set()
    out = []
    for i, h in enumerate(header):
        if h and h not in own and h not in seen:
            seen.add(h)
            out.append((i, h))
    return out


def extras_of(row: Mapping[str, Any]) -> dict[str, Any]:
    v = row.get(EXTRA)
    return dict(v) if isinstance(v, Mapping) else {}


def has_extras(row: Mapping[str, Any]) -> bool:
    return any(not blank(v) for v in extras_of(row).values())


def extra_cols(rows: Iterable[Row]) -> list[Col]:
    """The extra columns of a table's rows, in the order they were first seen; a column
    whose values are dates is written as dates."""
    kinds: dict[str, str] = {}
    for r in rows:
        for h, v in extras_of(r).items():
            if h not in kinds or (kinds[h] == "text" and isinstance(v, date)):
                kinds[h] = "date" if isinstance(v, date) else "text"
    return [Col(f"{EXTRA}:{h}", h, kind, max(12.0, min(40.0, len(h) + 4.0)), manual=True)
            for h, kind in kinds.items()]  # fmt: skip


def flatten(rows: Sequence[Row], cols: Sequence[Col]) -> Sequence[Row]:
    """Rows with their extra values under the keys of :func:`extra_cols`."""
    if not cols:
        return rows
    return [{**r, **{f"{EXTRA}:{h}": v for h, v in extras_of(r).items()}} for r in rows]


def row_key(table: str, row: Mapping[str, Any]) -> str:
    """A row's identity in the guard and in *Forældede mål*."""
    if table in GOAL_TABLES:
        return str(row.get("noegle"))
    return " | ".join(_text(row.get(k)) for k in NATURAL_KEYS.get(table, ()))


def _text(v: Any) -> str:
    if isinstance(v, datetime):
        return v.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split()) if v is not None else ""


def _content(t: TableDef, row: Mapping[str, Any]) -> str:
    return " | ".join(_text(row.get(c.key)) for c in t.cols)


def carry_extras(table: str, new: list[Row], old: Sequence[Row]) -> list[Row]:
    """Put the extra values of ``old`` rows on the ``new`` rows with the same natural key
    (rows sharing a key are told apart by all their own values). Returns the old rows whose
    values found no row (they go to *Forældede mål*). Raises :class:`ExtraValuesAmbiguous`
    when rows with different values cannot be told apart."""
    t = LAYOUT.table(table)
    holders = [r for r in old if has_extras(r)]
    if not holders:
        return []
    new_by: dict[str, list[Row]] = defaultdict(list)
    for r in new:
        new_by[row_key(table, r)].append(r)
    old_by: dict[str, list[Row]] = defaultdict(list)
    for r in holders:
        old_by[row_key(table, r)].append(r)
    lost: list[Row] = []
    for key, olds in old_by.items():
        news = new_by.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            news[0][EXTRA] = {**extras_of(news[0]), **extras_of(olds[0])}
            continue
        by_content: dict[str, list[Row]] = defaultdict(list)
        for r in news:
            by_content[_content(t, r)].append(r)
        for o in olds:
            same = by_content.get(_content(t, o), [])
            twins = [x for x in olds if _content(t, x) == _content(t, o)]
            values = {json.dumps(extras_of(x), default=str, sort_keys=True) for x in twins}
            if len(values) > 1:  # identical rows with different values: no way to tell
                raise ExtraValuesAmbiguous(
                    f"{len(twins)} rækker på arket {t.sheet} er ens ({key}), men har "
                    "forskellige værdier i egne kolonner"
                )
            if same:
                for r in same:
                    r[EXTRA] = {**extras_of(r), **extras_of(o)}
            else:
                lost.append(o)
    return lost


def orphan_rows(table: str, lost: Sequence[Row], now: datetime) -> list[Row]:
    """*Forældede mål* rows keeping the extra values of rows that are gone."""
    t = LAYOUT.table(table)
    out = []
    for r in lost:
        data = {EXTRA: extras_of(r)}
        seen = next((r[k] for k in ("navn", "virksomhed", "udvalg", "titel") if r.get(k)), None)
        out.append({"noegle": row_key(table, r), "tabel": t.sheet, "titel": seen,
                    "forsvundet": now, "data": to_json_cell(data)})  # fmt: skip
    return out
