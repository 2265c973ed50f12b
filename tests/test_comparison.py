"""The comparison for politicians: one indicator across the institutions of one type."""

from __future__ import annotations

import pandas as pd

from toolkit.documents.charts import render_png
from toolkit.documents.comparison import comparison_context, comparisons
from toolkit.master.model import Master
from toolkit.master.tables import MAALINGER

IND = "Andel tilfredse brugere/pårørende"


def row(aar: int, vid: str, navn: str, vaerdi: float | None, typ: str = "Daginstitution",
        udvalg: str = "BUU") -> dict:  # fmt: skip
    return {
        "aar": aar, "indikator_id": "brugertilfredshed_andel", "indikator": IND,
        "virksomhed_id": vid, "virksomhed": navn, "type": typ, "udvalg": udvalg,
        "vaerdi": vaerdi, "enhed": "Procent", "respondenter": 20 if vaerdi is not None else 3,
        "besvarelser": 22, "inviterede": 40, "svarprocent": 55.0,
        "status": "Brugt" if vaerdi is not None else "For få besvarelser",
    }  # fmt: skip


def master() -> Master:
    rows = [
        row(2027, "V1", "Mælkebøtten", 80.0), row(2027, "V2", "Solsikken", 65.5),
        row(2027, "V3", "Spiren", None), row(2027, "P1", "Åhaven", 90.0, "Plejecenter", "SSU"),
        row(2026, "V1", "Mælkebøtten", 70.0), row(2026, "V2", "Solsikken", 75.0),
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=MAALINGER.keys)
    return Master(tables={"maalinger": df})


def test_average_last_year_and_anonymity_by_hand() -> None:
    items, charts = comparisons(master(), 2027)
    titles = [s["titel"] for s in items]
    assert titles == [f"{IND} — Daginstitution", f"{IND} — Plejecenter"]
    day = items[0]
    # (80 + 65,5) / 2 = 72,75 -> 72,8; last year (70 + 75) / 2 = 72,5; Spiren too few
    assert day["gennemsnit"] == "72,8 %"
    assert "(sidste år 72,5 %)" in day["tekst"] and "fra 65,5 % til 80,0 %" in day["tekst"]
    assert "1 med for få besvarelser er ikke vist" in day["tekst"]
    assert [(r["virksomhed"], r["vaerdi"], r["sidste_aar"], r["note"]) for r in day["raekker"]] == [
        ("Mælkebøtten", "80,0 %", "70,0 %", ""),
        ("Solsikken", "65,5 %", "75,0 %", ""),
        ("Spiren", "–", "–", "For få besvarelser"),
    ]
    chart = charts[0]
    assert chart.labels == ("Mælkebøtten", "Solsikken") and chart.reference == 72.8
    assert "Kommunens gennemsnit er 72,8 %" in chart.alt
    assert "Solsikken: 65,5 % (sidste år 75,0 %)" in chart.alt
    assert render_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_committees_memo_compares_its_own_institutions_only() -> None:
    ctx = comparison_context(master(), 2027, "SSU")
    assert [s["titel"] for s in ctx["sammenligninger"]] == [f"{IND} — Plejecenter"]
    assert [r["virksomhed"] for r in ctx["sammenligning_raekker"]] == ["Åhaven"]
    assert comparison_context(Master(), 2027)["sammenligninger"] == []
