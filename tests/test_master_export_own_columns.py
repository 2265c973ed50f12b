"""People's own columns in the export: a column Kontraktservice adds to Kontraktmål
("Bemærkning (KS)") is in the CSV and Parquet files that ``konsolider --eksport`` writes,
after the table's own columns, under the header they wrote."""

from __future__ import annotations

import copy
import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from conftest import INSTITUTION, good_filling
from cycle import OTHER, YEAR, Kommune

from toolkit.master.consolidate import run
from toolkit.master.export import parquet_columns, write_csv
from toolkit.master.extra import EXTRA
from toolkit.master.model import HEADER_ROW
from toolkit.master.tables import BY_KEY, MAAL
from toolkit.spec.layout import cell_ref

NOTE = "Bemærkning (KS)"


def _add_own_columns(master: Path, columns: dict[str, list[object]]) -> None:
    """Type headers and values right of Kontraktmål's table, as a person does in Excel."""
    wb = openpyxl.load_workbook(master)
    ws = wb[MAAL.sheet]
    for j, (header, values) in enumerate(columns.items()):
        c = len(MAAL.cols) + j
        ws[cell_ref(HEADER_ROW, c)] = header
        for i, v in enumerate(values):
            ws[cell_ref(HEADER_ROW + 1 + i, c)] = v
    wb.save(master)


def test_konsolider_exports_own_columns(tmp_path: Path) -> None:
    k = Kommune(tmp_path)
    k.submit(INSTITUTION, copy.deepcopy(good_filling().maal))
    k.submit(OTHER, copy.deepcopy(good_filling().maal))
    k.consolidate()
    n = len(k.rows()["maal"])
    notes: list[object] = ["Afventer udvalget", None, "Tjek målværdi; «ca.»", *[None] * (n - 3)]
    _add_own_columns(k.master, {NOTE: notes, "Sagsnr. (KS)": list(range(101, 101 + n))})
    typed = {g["noegle"]: g[EXTRA][NOTE] for g in k.rows()["maal"] if g[EXTRA][NOTE]}
    assert len(typed) == 2

    out = tmp_path / "Eksport"
    run([k.inbox], k.master, k.register, YEAR, workers=1, export_dir=out)

    with (out / "maal.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    header = table[0]
    assert header == [*(c.header for c in MAAL.cols), NOTE, "Sagsnr. (KS)"]
    got = {r[0]: r[len(MAAL.cols)] for r in table[1:] if r[len(MAAL.cols)]}
    assert got == typed
    assert sorted(r[-1] for r in table[1:]) == sorted(str(101 + i) for i in range(n))

    t = pq.read_table(out / "maal.parquet")
    schema = {f.name: f.type for f in t.schema}
    assert t.schema.names[-2:] == [NOTE, "Sagsnr. (KS)"]
    assert schema[NOTE] == pa.string() and schema["Sagsnr. (KS)"] == pa.float64()
    d = t.to_pydict()
    ids = d[MAAL.cols[0].header]  # the goal id
    assert {key: v for key, v in zip(ids, d[NOTE], strict=True) if v} == typed
    # the other tables have no own columns: their files are as before
    with (out / "oversigt.csv").open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f, delimiter=";")) == [c.header for c in BY_KEY["oversigt"].cols]


def test_parquet_types_own_columns_by_their_values(tmp_path: Path) -> None:
    rows = [
        {"noegle": "V1-2027-1", EXTRA: {"Dato (KS)": datetime(2027, 3, 1), "Tid (KS)": datetime(2027, 3, 1, 9, 30),
                                        "Blandet": 3, "Tom": None, "Målværdi (tekst)": "x"}},
        {"noegle": "V1-2027-2", EXTRA: {"Dato (KS)": date(2027, 4, 1), "Tid (KS)": None,
                                        "Blandet": "tre", "Tom": " ", "Målværdi (tekst)": None}},
    ]  # fmt: skip
    arrays = parquet_columns("maal", rows)
    assert arrays["Dato (KS)"].type == pa.date32()
    assert arrays["Dato (KS)"].to_pylist() == [date(2027, 3, 1), date(2027, 4, 1)]
    assert arrays["Tid (KS)"].type == pa.timestamp("s")
    assert arrays["Blandet"].to_pylist() == ["3", "tre"]
    assert arrays["Tom"].type == pa.string()
    # a header that is already a column of the file keeps both
    assert arrays["Målværdi (tekst)"].to_pylist() == [None, None]
    assert arrays["Målværdi (tekst) (egen kolonne)"].to_pylist() == ["x", None]
    csv_path = write_csv(tmp_path / "m.csv", "maal", rows)
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].endswith(";Dato (KS);Tid (KS);Blandet;Tom;Målværdi (tekst)")
    assert lines[1].endswith(";01-03-2027;01-03-2027 09:30;3;;x")
    assert lines[2].endswith(";01-04-2027;;tre; ;")
