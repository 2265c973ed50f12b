"""What the contexts share: the header values, goals as dicts, attainment tallies, lists.

Tallies count every result in exactly one category — the four levels or "Ikke vurderet"
(a result without a level) — so every total a document prints is the sum of its parts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from toolkit.documents.charts import CATEGORIES, Counts
from toolkit.documents.data import Context, MasterData, Row, level
from toolkit.documents.formatting import Antal, andel, dato, tekst, vaerdi
from toolkit.errors import UserError
from toolkit.rules.attainment import LEVELS

NOT_ASSESSED = CATEGORIES[-1]  # "Ikke vurderet"
COUNT_KEYS = ("opfyldt", "delvist", "ikke_opfyldt", "ikke_maalt", "ikke_vurderet")


class IngenResultater(UserError, ValueError):
    """The master has no results for the year: an attainment document would be all zeros."""


def require_results(d: MasterData, year: int, what: str) -> None:
    """Refuse (Danish) to make ``what`` when no result for ``year`` is entered."""
    if not d.has_results(year):
        raise IngenResultater(
            f"Masterfilen har ingen resultater for {year}: ingen virksomhed har indtastet et "
            f"resultat eller fået en målopfyldelse. {what} laves derfor ikke. Konsolidér "
            f"arbejdsbøgerne med resultaterne (fase Resultater) og prøv igen."
        )


def common(d: MasterData, year: int, today: date | None) -> Context:
    return {
        "kommune": tekst(d.kommune) or "Kommunen",
        "aar": year,
        "forrige_aar": year - 1,
        "naeste_aar": year + 1,
        "dato": dato(today or date.today()),
    }


def category(row: Row) -> str:
    """The one category of a result: its level, or "Ikke vurderet"."""
    return level(row) or NOT_ASSESSED


def tally(rows: list[Row]) -> Context:
    """Counts per category (``opfyldt`` … ``ikke_vurderet``), the total and the share met."""
    c = Counter(category(r) for r in rows)
    counts = {k: Antal(c[cat]) for k, cat in zip(COUNT_KEYS, CATEGORIES, strict=True)}
    return {"maal": Antal(len(rows)), **counts, "andel_opfyldt": andel(c[LEVELS[0]], len(rows))}


def counts(t: Context) -> Counts:
    """A tally as the tuple a chart takes (in :data:`CATEGORIES` order)."""
    return tuple(int(t[k]) for k in COUNT_KEYS)


def distribution(t: Context) -> list[Context]:
    """A tally as rows (category, count, share); "Ikke vurderet" only when there are any."""
    total = int(t["maal"])
    return [
        {"navn": cat, "antal": t[k], "andel": andel(int(t[k]), total)}
        for k, cat in zip(COUNT_KEYS, CATEGORIES, strict=True)
        if k != "ikke_vurderet" or int(t[k])
    ]


def goal(g: Row) -> Context:
    enhed = g.get("enhed")
    return {
        "nr": g.get("nr") or "",
        "titel": tekst(g.get("titel")),
        "beskrivelse": tekst(g.get("beskrivelse")),
        "indsatsomraade": tekst(g.get("indsatsomraade")),
        "maaltype": tekst(g.get("maaltype")),
        "indikator": tekst(g.get("indikator")),
        "maalemetode": tekst(g.get("maalemetode")),
        "enhed": tekst(enhed),
        "retning": tekst(g.get("retning")),
        "udgangspunkt": vaerdi(g.get("baseline"), enhed),
        "maalvaerdi": vaerdi(g.get("maalvaerdi"), enhed),
        "dokumentationskrav": tekst(g.get("dokumentationskrav")),
        "ansvarlig": tekst(g.get("ansvarlig")),
        "frist": dato(g.get("frist")),
        "beslutning": tekst(g.get("beslutning")),
        "kommentar": tekst(g.get("kommentar")),
    }


def points(items: list[str]) -> list[str]:
    """Numbered recommendation points: "…," each, "…, og" before the last, "…." at the end."""
    out = []
    for i, item in enumerate(items):
        end = "." if i == len(items) - 1 else (", og" if i == len(items) - 2 else ",")
        out.append(item.rstrip(",. ") + end)
    return out


def levels_sentence(t: Context, verb: str = "blev") -> str:
    """ "12 mål blev opfyldt (60 %), 3 blev delvist opfyldt, … og 1 er ikke vurderet." """
    parts = [
        f"{t['opfyldt']} mål {verb} opfyldt ({t['andel_opfyldt']})",
        f"{t['delvist']} {verb} delvist opfyldt",
        f"{t['ikke_opfyldt']} {verb} ikke opfyldt",
        f"{t['ikke_maalt']} {verb} ikke målt",
    ]
    if int(t["ikke_vurderet"]):
        parts.append(f"{t['ikke_vurderet']} er ikke vurderet")
    return ", ".join(parts[:-1]) + " og " + parts[-1] + "."
