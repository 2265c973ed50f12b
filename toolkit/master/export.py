"""Export the master's tables for Power BI and analysts: CSV (Danish Excel) and Parquet.

Each file has the table's own columns, then the columns people added to the table by hand
(:mod:`toolkit.master.extra`), under the header they wrote, in the sheet's order. In Parquet
such a column is a number (float64) when every value in it is a number, a date (date32) when
every value is a date without a time of day, a timestamp when every value is a date and
time, and text otherwise (also when it is empty). A person's header that is already a
column name of the Parquet file (e.g. "Målværdi (tekst)") gets " (egen kolonne)" added.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.files import write_atomic
from toolkit.master.columns import Col
from toolkit.master.extra import blank, extra_cols, extras_of
from toolkit.master.layout import LAYOUT

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(v: Any) -> str:
    """A value as Danish Excel reads it: decimal comma, dd-mm-yyyy; text never a formula."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return "Ja" if v else "Nej"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (str(int(v)) if v.is_integer() else repr(v)).replace(".", ",")
    if isinstance(v, datetime):
        return v.strftime("%d-%m-%Y %H:%M")
    if isinstance(v, date):
        return v.strftime("%d-%m-%Y")
    s = str(v)
    return "'" + s if s.startswith(FORMULA_START) else s


def _own_kind(values: Sequence[Any]) -> str:
    """The Parquet kind of a person's own column, from its values (see the module doc)."""
    vals = [v for v in values if not blank(v)]
    if vals and all(_as_number(v) is not None for v in vals):
        return "number"
    if vals and all(isinstance(v, date) for v in vals):
        if all(not isinstance(v, datetime) or v.time() == datetime.min.time() for v in vals):
            return "date"
        if all(isinstance(v, datetime) for v in vals):
            return "datetime"
    return "text"


def columns(key: str, rows: Sequence[dict[str, Any]]) -> tuple[list[Col], list[dict[str, Any]]]:
    """The table's own columns, then people's own; the rows with the latter's values on
    them (dates of a date column as dates)."""
    t = LAYOUT.table(key)
    own = extra_cols(rows)
    if not own:
        return list(t.cols), list(rows)
    values = {c.key: [extras_of(r).get(c.header) for r in rows] for c in own}
    own = [replace(c, kind=_own_kind(values[c.key])) for c in own]
    out = [dict(r) for r in rows]
    for c in own:
        for r, v in zip(out, values[c.key], strict=True):
            r[c.key] = _as_date(v) if c.kind == "date" else v
    return [*t.cols, *own], out


def write_csv(path: Path, key: str, rows: list[dict[str, Any]]) -> Path:
    cols, rows = columns(key, rows)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([c.header for c in cols])
    for r in rows:
        w.writerow([csv_cell(r.get(c.key)) for c in cols])
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))
    return path


def _as_date(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    return v if isinstance(v, date) else None


def _as_number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float) or v != v:
        return None
    return float(v)


def _as_text(v: Any) -> str | None:
    return None if v is None or _as_number(v) is not None or v != v else str(v)


def parquet_columns(key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The table's columns as typed Arrow arrays: numbers as numbers, dates as dates.

    A *value* column (Udgangspunkt, Målværdi, Resultat: a number, or Ja/Nej for yes/no
    goals) becomes two columns: the number (float64) under the Danish header, and
    ``"<header> (tekst)"`` with what is not a number (Ja, Nej, anything else typed).
    """
    import pyarrow as pa

    cols, rows = columns(key, rows)
    own = len(LAYOUT.table(key).cols)
    arrays: dict[str, Any] = {}
    for i, c in enumerate(cols):
        vals = [r.get(c.key) for r in rows]
        if i >= own and c.header in arrays:
            c = replace(c, header=f"{c.header} (egen kolonne)")
        if c.kind == "int":
            nums = [_as_number(v) for v in vals]
            arrays[c.header] = pa.array(
                [int(n) if n is not None and n.is_integer() else None for n in nums], pa.int64()
            )
        elif c.kind in ("number", "value"):
            arrays[c.header] = pa.array([_as_number(v) for v in vals], pa.float64())
            if c.kind == "value":
                arrays[f"{c.header} (tekst)"] = pa.array([_as_text(v) for v in vals], pa.string())
        elif c.kind == "date":
            arrays[c.header] = pa.array([_as_date(v) for v in vals], pa.date32())
        elif c.kind == "datetime":
            arrays[c.header] = pa.array(
                [v if isinstance(v, datetime) else None for v in vals], pa.timestamp("s")
            )
        else:
            arrays[c.header] = pa.array([None if v is None else str(v) for v in vals], pa.string())
    return arrays


def write_parquet(path: Path, key: str, rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = pa.BufferOutputStream()
    pq.write_table(pa.table(parquet_columns(key, rows)), buf)
    write_atomic(path, buf.getvalue().to_pybytes())
    return path


def export(
    folder: Path, tables: dict[str, list[dict[str, Any]]], *, parquet: bool = True
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for key, rows in tables.items():
        if key not in LAYOUT.by_key:
            continue
        out.append(write_csv(folder / f"{key}.csv", key, rows))
        if parquet:
            out.append(write_parquet(folder / f"{key}.parquet", key, rows))
    return out
