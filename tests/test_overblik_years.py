"""Overblik can show any year the master holds (issue 8, history): a person types another
year on Overblik in LibreOffice, recalculates, and the key figures and the charts' table
equal the counts for that year computed here from the master's rows."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from conftest import INSTITUTION, good_filling
from cycle import OTHER, YEAR, Kommune
from uno_harness import session as lo

from toolkit.master.overblik import (
    BLOCK_COL,
    BLOCK_ROW,
    KPI_LABELS,
    KPI_ROW,
    YEAR_COL,
    YEAR_ROW,
    YEARS_COL,
)
from toolkit.spec.layout import cell_ref

pytestmark = pytest.mark.libreoffice


def _two_years(tmp_path: Path) -> Kommune:
    """2027: both institutions send proposals; 2028: only one does (the other is missing)."""
    k = Kommune(tmp_path)
    k.submit(INSTITUTION, copy.deepcopy(good_filling().maal))
    k.submit(OTHER, copy.deepcopy(good_filling().maal)[:3])
    k.consolidate()
    g = copy.deepcopy(good_filling().maal)[:3]
    for goal in g:
        goal["frist"] = goal["frist"].replace(year=YEAR + 1)
    filling = good_filling()
    for d in filling.dialog:
        d["dato"] = d["dato"].replace(year=YEAR)
    k.submit(INSTITUTION, g[:3], year=YEAR + 1, filling=filling, name="2028.xlsx")
    for p in list(k.inbox.iterdir()):
        if p.name != "2028.xlsx":
            p.unlink()
    k.consolidate(year=YEAR + 1)
    return k


def expected(rows: dict[str, list[dict[str, Any]]], year: int) -> dict[str, int]:
    """The key figures for ``year``, counted from the master's rows."""
    over = [r for r in rows["oversigt"] if r["aar"] == year]
    status = [r["status"] for r in over]
    not_yet = status.count("Ikke omfattet endnu")
    missing = status.count("Mangler") + status.count("Forsinket")
    return {
        "Virksomheder": len(over) - not_yet,
        "Modtaget": len(over) - not_yet - missing,
        "Mangler": missing,
        "Heraf forsinket": status.count("Forsinket"),
        "Med fejl": status.count("Fejl"),
        "Kontraktmål": sum(1 for r in rows["maal"] if r["aar"] == year),
        "Fund": sum(1 for r in rows["fund"] if r["aar"] == year),
        "Ikke omfattet endnu": not_yet,
    }


def _read(results: list[Any], i: int) -> list[list[Any]]:
    return [[c["v"] for c in row] for row in results[i]]


def test_overblik_follows_the_year_typed_on_it(tmp_path: Path) -> None:
    if not lo.uno_available():
        pytest.skip(f"LibreOffice/UNO er ikke tilgængelig: {lo.unavailable_reason()}")
    k = _two_years(tmp_path)
    rows = k.rows()
    assert expected(rows, YEAR) != expected(rows, YEAR + 1)  # the years differ
    kpis = f"{cell_ref(KPI_ROW, 0)}:{cell_ref(KPI_ROW + 1, len(KPI_LABELS) - 1)}"
    block = f"{cell_ref(BLOCK_ROW, BLOCK_COL)}:{cell_ref(BLOCK_ROW + 1, BLOCK_COL + 6)}"
    year_cell = cell_ref(YEAR_ROW, YEAR_COL)
    years = f"{cell_ref(BLOCK_ROW + 1, YEARS_COL)}:{cell_ref(BLOCK_ROW + 3, YEARS_COL)}"
    read = [{"op": "read", "sheet": "Overblik", "range": kpis},
            {"op": "read", "sheet": "Overblik", "range": block}]  # fmt: skip
    res = lo.run_uno([
        {"op": "open", "path": str(k.master)},
        *read,  # as written: the cached values, before any recalculation
        {"op": "recalc"}, *read,  # LibreOffice's own result for the year written
        {"op": "type", "sheet": "Overblik", "cell": year_cell, "text": str(YEAR)},
        {"op": "recalc"}, *read,
        {"op": "validations", "sheet": "Overblik"}, {"op": "protection", "sheet": "Overblik"},
        {"op": "read", "sheet": "Overblik", "range": years},
        {"op": "close"},
    ])  # fmt: skip
    errors = [r for r in res if isinstance(r, dict) and "error" in r]
    assert not errors, errors
    figures = [dict(zip(g[1], g[0], strict=True)) for g in (_read(res, i) for i in (1, 4, 8))]
    assert figures[0] == figures[1] == expected(rows, YEAR + 1)
    assert figures[2] == expected(rows, YEAR)

    # the charts' table: one committee, received and missing, for each year
    blocks = [_read(res, i) for i in (2, 5, 9)]
    head = blocks[0][0]
    assert head[:3] == ["Fagudvalg", "Modtaget", "Mangler"]
    per_year = [dict(zip(head, b[1], strict=True)) for b in blocks]
    assert per_year[0] == per_year[1]
    assert (per_year[1]["Modtaget"], per_year[1]["Mangler"]) == (1, 1)
    assert (per_year[2]["Modtaget"], per_year[2]["Mangler"]) == (2, 0)
    assert per_year[2]["Fagudvalg"] == INSTITUTION["udvalg"]

    # the year cell is the person's: unlocked, with a dropdown of the master's years
    lists = [v for v in res[10] if v["type"] == "LIST" and year_cell in v["range"].split()]
    assert lists and "OFFSET" in lists[0]["formula1"].upper(), res[10]
    assert year_cell in res[11]["unlocked_cells"]
    assert [row[0] for row in _read(res, 12)] == [YEAR, YEAR + 1, None]
