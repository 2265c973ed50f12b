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
        row(2027, "P2", "Bøgely", 86.0, "Plejecenter", "SSU"),
        row(2027, "T1", "Tandplejen", 99.0, "Tandpleje", "BUU"),  # alone of its type
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
    assert [r["virksomhed"] for r in ctx["sammenligning_raekker"]] == ["Bøgely", "Åhaven"]
    assert comparison_context(Master(), 2027)["sammenligninger"] == []


def test_involvement_per_committee_and_year_by_hand() -> None:
    from datetime import date

    from toolkit.documents.involvement import involvement, involvement_context
    from toolkit.master.tables import DIALOG, GRUPPE, OVERSIGT

    over = [
        {"virksomhed_id": "V1", "aar": 2027, "udvalg": "BUU", "status": "Modtaget",
         "su_orienteret": date(2026, 8, 20)},
        {"virksomhed_id": "V2", "aar": 2027, "udvalg": "BUU", "status": "Fejl"},
        {"virksomhed_id": "V3", "aar": 2027, "udvalg": "BUU", "status": "Mangler"},
        {"virksomhed_id": "V1", "aar": 2026, "udvalg": "BUU", "status": "Godkendt"},
    ]  # fmt: skip
    group = [
        {"virksomhed_id": "V1", "aar": 2027, "udvalg": "BUU", "rolle": "Leder/formand"},
        {"virksomhed_id": "V1", "aar": 2027, "udvalg": "BUU", "rolle": "Medarbejderrepræsentant"},
        {"virksomhed_id": "V2", "aar": 2027, "udvalg": "BUU", "rolle": " medarbejderrepræsentant"},
        {"virksomhed_id": "V2", "aar": 2027, "udvalg": "BUU", "rolle": "Bruger/pårørende"},
        {"virksomhed_id": "V1", "aar": 2026, "udvalg": "BUU", "rolle": "Leder/formand"},
    ]  # fmt: skip
    dialog = [
        {"virksomhed_id": "V1", "aar": 2027, "udvalg": "BUU", "med_hvem": "Begge", "deltagere": 30},
        {"virksomhed_id": "V1", "aar": 2027, "udvalg": "BUU", "med_hvem": "Medarbejdere",
         "deltagere": 12},
        {"virksomhed_id": "V2", "aar": 2027, "udvalg": "BUU", "med_hvem": "Brugere/pårørende",
         "deltagere": None},
        {"virksomhed_id": "V1", "aar": 2028, "udvalg": "BUU", "med_hvem": "Begge", "deltagere": 9},
    ]  # fmt: skip
    m = Master(tables={
        "oversigt": pd.DataFrame(over, columns=OVERSIGT.keys),
        "gruppe": pd.DataFrame(group, columns=GRUPPE.keys),
        "dialog": pd.DataFrame(dialog, columns=DIALOG.keys),
    })  # fmt: skip
    rows = involvement(m, 2027)
    assert [(r["aar"], r["virksomheder"], r["medlemmer"], r["medarbejderrep"], r["brugere"],
             r["dialog_brugere"], r["dialog_medarbejdere"], r["deltagere"], r["su_orienteret"])
            for r in rows] == [
        (2026, "1", "1", "0", "0", "0", "0", "0", "0"),
        (2027, "2", "4", "2", "1", "2", "2", "42", "1"),
    ]  # fmt: skip
    text = involvement_context(m, 2027)["inddragelse_tekst"]
    assert "2 medarbejderrepræsentanter og 1 brugere eller pårørende" in text
    assert "1 af virksomhederne har skrevet, hvornår samarbejdsudvalget (SU)" in text
