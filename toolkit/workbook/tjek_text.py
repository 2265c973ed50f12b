"""The Tjek sheet's own layout and its status texts, in words and as formulas.

The builder (:mod:`toolkit.workbook.render_base`) writes them as formulas; the stamping
(:mod:`toolkit.workbook.build`) caches their results for each institution's values.
"""

from __future__ import annotations

# The check sheet's own layout (zero-based rows; TJEK_STATUS_ROW is in toolkit.spec.layout): the
# status, then the first failing checks ("Det skal rettes"), then every check.
TJEK_TOP_HEADER_ROW = 8
TJEK_TOP_ROWS = 10
TJEK_HEADER_ROW = TJEK_TOP_HEADER_ROW + TJEK_TOP_ROWS + 4
TJEK_RANK_COL = 6  # column G (hidden): the running number of each failing check
TJEK_COLUMNS = ("Status", "Ark", "Celle", "Besked", "Kontrol", "Regel")
TJEK_WIDTHS = (11, 15, 8, 80, 40, 20)
# The Python findings area beside the formula rows (TJEK_PY_* in toolkit.spec.layout): filled in
# by Valider (toolkit.excel.valider, and the xlwings Lite add-in: toolkit.workbook.lite).
TJEK_PY_WIDTHS = (10, 15, 8, 70, 20)


#: Sheets written in from the master and locked in the results phase, with their intro there.
FROZEN_INTRO = {
    "maal": "Kontraktens mål, som fagudvalget har godkendt dem. De kan ikke ændres her: "
    "skriv resultaterne på arket Resultater.",
    "gruppe": "Kontraktgruppen, som I indsendte den med forslagene (kun til orientering).",
    "dialog": "Dialogen, som I indsendte den med forslagene (kun til orientering).",
}
#: What a passed check's message cell says (its fault text only shows while it fails).
PASSED = "I orden"
VEJLEDNING_WIDTH = 88  # column A: fits a portrait A4 page
VEJLEDNING_CHARS_PER_LINE = 72  # at that width; LibreOffice's fonts run wider than Excel's


def status_text(n_err: int, n_warn: int, where: str) -> str:
    """The check status in words, singular and plural right ("ret den ene fejl")."""
    if n_err:
        what = "den ene fejl" if n_err == 1 else f"de {n_err} fejl"
        return f"IKKE KLAR — ret {what} {where}"
    if n_warn:
        what = "advarslen" if n_warn == 1 else "advarslerne"
        return f"KLAR — men se {what} {where}"
    return "KLAR til indsendelse"


NOTHING_TO_FIX = "Der er ingen fejl eller advarsler."


def more_text(n: int) -> str:
    """The line under "Det skal rettes": how many more are in the full list."""
    if n == 0:
        return NOTHING_TO_FIX
    if n > TJEK_TOP_ROWS:
        extra = n - TJEK_TOP_ROWS
        return f"… og {extra} {'anden' if extra == 1 else 'andre'} i listen nedenfor."
    return ""


def more_formula(n: str) -> str:
    """:func:`more_text` as a formula over the count ``n``."""
    k = TJEK_TOP_ROWS
    return (
        f'IF({n}=0,"{NOTHING_TO_FIX}",IF({n}={k + 1},"… og 1 anden i listen nedenfor.",'
        f'IF({n}>{k},"… og "&({n}-{k})&" andre i listen nedenfor.","")))'
    )


def status_formula(errors: str, warnings: str, where: str) -> str:
    """:func:`status_text` as a formula over the cells that count errors and warnings."""
    return (
        f'IF({errors}=1,"IKKE KLAR — ret den ene fejl {where}",'
        f'IF({errors}>1,"IKKE KLAR — ret de "&{errors}&" fejl {where}",'
        f'IF({warnings}=1,"KLAR — men se advarslen {where}",'
        f'IF({warnings}>1,"KLAR — men se advarslerne {where}","KLAR til indsendelse"))))'
    )
