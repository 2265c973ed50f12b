"""The one reader/writer of JSON text in master cells (Forældede mål, Beslutningsgrundlag)."""

from datetime import date, datetime, time

import pytest

from toolkit.master.contract import decided_on, snapshot
from toolkit.master.jsoncell import json_cell, to_json_cell
from toolkit.master.rows import Orphans


@pytest.mark.parametrize("text", [None, "", "   ", "ikke json", "[1, 2]", "7", 7, '"tekst"'])
def test_blank_unreadable_or_not_an_object_is_none(text: object) -> None:
    assert json_cell(text) is None


def test_round_trip_keeps_danish_letters_and_writes_dates_as_iso() -> None:
    text = to_json_cell({"titel": "Færre klager på året", "dato": date(2026, 3, 1),
                         "tid": datetime(2026, 3, 1, 8, 30), "kl": time(9, 15)})  # fmt: skip
    assert "Færre" in text
    assert json_cell(text) == {"titel": "Færre klager på året", "dato": "2026-03-01",
                               "tid": "2026-03-01T08:30:00", "kl": "09:15:00"}  # fmt: skip
    assert json_cell("{}") == {}


def test_the_callers_read_through_it() -> None:
    assert Orphans.data({"data": "ikke json"}) == {}
    assert Orphans.data({"data": 5}) == {}  # a number typed over the cell
    assert Orphans.data({"data": '{"maaldato": "2026-05-01"}'}) == {"maaldato": date(2026, 5, 1)}
    g = {"titel": "Mål", "maalvaerdi": 3}
    assert (decided_on({"besluttet_paa": snapshot(g)}) or {})["maalvaerdi"] == 3
    assert decided_on({"besluttet_paa": "[1]"}) is None
    assert decided_on({"besluttet_paa": ""}) is None
