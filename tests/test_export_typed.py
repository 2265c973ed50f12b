"""Parquet for Power BI is typed (issue 8, finding 12): numbers as numbers, dates as dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.master.export import write_parquet


def test_parquet_columns_are_typed(tmp_path: Path) -> None:
    rows = [
        {"noegle": "V1-2027-1", "aar": 2027, "nr": 1, "baseline": 72, "maalvaerdi": 80.5,
         "resultat": 12.25, "maalt_dato": date(2028, 1, 15)},
        {"noegle": "V1-2027-2", "aar": 2027, "nr": 2, "baseline": "Nej", "maalvaerdi": "Ja",
         "resultat": "ca. 80", "maalt_dato": datetime(2028, 1, 20, 0, 0)},
        {"noegle": "V1-2027-3", "aar": 2027.0, "nr": None, "baseline": None},
    ]  # fmt: skip
    t = pq.read_table(write_parquet(tmp_path / "r.parquet", "resultater", rows))
    schema = {f.name: f.type for f in t.schema}
    assert schema["Udgangspunkt"] == pa.float64() and schema["Resultat"] == pa.float64()
    assert schema["År"] == pa.int64() and schema["Målt dato"] == pa.date32()
    d = t.to_pydict()
    assert d["Udgangspunkt"] == [72.0, None, None]
    assert d["Målværdi"] == [80.5, None, None]
    assert d["Resultat"] == [12.25, None, None]
    # what is not a number is kept, as text beside the number
    assert d["Udgangspunkt (tekst)"] == [None, "Nej", None]
    assert d["Resultat (tekst)"] == [None, "ca. 80", None]
    assert d["Målt dato"] == [date(2028, 1, 15), date(2028, 1, 20), None]
    assert d["År"] == [2027, 2027, 2027] and d["Nr."] == [1, 2, None]
