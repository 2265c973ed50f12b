"""Export the master's tables for Power BI and analysts: CSV (Danish Excel) and Parquet."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.files import write_atomic
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


def write_csv(path: Path, key: str, rows: list[dict[str, Any]]) -> Path:
    t = LAYOUT.table(key)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([c.header for c in t.cols])
    for r in rows:
        w.writerow([csv_cell(r.get(c.key)) for c in t.cols])
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

    t = LAYOUT.table(key)
    arrays: dict[str, Any] = {}
    for c in t.cols:
        vals = [r.get(c.key) for r in rows]
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
