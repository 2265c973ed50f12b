"""Export the master's tables for Power BI and analysts: CSV (Danish Excel) and Parquet."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from toolkit.build import write_atomic
from toolkit.master.tables import BY_KEY

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
    t = BY_KEY[key]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([c.header for c in t.cols])
    for r in rows:
        w.writerow([csv_cell(r.get(c.key)) for c in t.cols])
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))
    return path


def write_parquet(path: Path, key: str, rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = BY_KEY[key]
    arrays = {}
    for c in t.cols:
        vals = [r.get(c.key) for r in rows]
        if c.kind == "int":
            arrays[c.header] = pa.array(
                [int(v) if isinstance(v, int | float) else None for v in vals], pa.int64()
            )
        elif c.kind == "number":
            arrays[c.header] = pa.array(
                [float(v) if isinstance(v, int | float) else None for v in vals], pa.float64()
            )
        elif c.kind == "date":
            arrays[c.header] = pa.array(
                [v if isinstance(v, date) else None for v in vals], pa.date32()
            )
        elif c.kind == "datetime":
            arrays[c.header] = pa.array(
                [v if isinstance(v, datetime) else None for v in vals], pa.timestamp("s")
            )
        else:  # text and "value" (a number or Ja/Nej) are kept as text
            arrays[c.header] = pa.array(
                [None if v is None else csv_cell(v) if c.kind == "value" else str(v) for v in vals],
                pa.string(),
            )
    buf = pa.BufferOutputStream()
    pq.write_table(pa.table(arrays), buf)
    write_atomic(path, buf.getvalue().to_pybytes())
    return path


def export(
    folder: Path, tables: dict[str, list[dict[str, Any]]], *, parquet: bool = True
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for key, rows in tables.items():
        if key not in BY_KEY:
            continue
        out.append(write_csv(folder / f"{key}.csv", key, rows))
        if parquet:
            out.append(write_parquet(folder / f"{key}.parquet", key, rows))
    return out
