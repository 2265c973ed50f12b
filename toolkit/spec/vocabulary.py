"""The committee's decisions on proposed goals: the words, how typed words are read, and
what a decision means for the contract.

Kontraktservice types one of three words in the master's *Beslutning* column (a dropdown
offers them):

* **Godkendt** — approved as proposed;
* **Ændret** — approved with changes: the changed title and/or target go in the columns
  *Ændret kontraktmål* / *Ændret målværdi*, and that is what the contract holds and the
  result is graded against;
* **Afvist** — rejected: not a contract goal; the institution proposes a replacement.

Typed words are matched without regard to case, spaces and the spelling "Aendret", so
"godkendt " is Godkendt. Anything else is kept exactly as typed (never lost) and the goal's
status says the word is unknown.

This module is the one place the master's words live: the decisions above, an institution's
status (:data:`STATUSES`: has its workbook come in, and is it usable?) and the attainment
levels (:data:`ATTAINMENT`, the spec's list ``maalopfyldelse``; a test keeps the two equal).
"""

from __future__ import annotations

import re
from typing import Any

GODKENDT = "Godkendt"
AENDRET = "Ændret"
AFVIST = "Afvist"
DECISIONS = (GODKENDT, AENDRET, AFVIST)
APPROVED = frozenset({GODKENDT, AENDRET})

# A goal's status in the master (column *Status* on Kontraktmål).
AFVENTER = "Afventer beslutning"
AENDRET_EFTER = "Ændret efter beslutning"
UKENDT = "Ukendt beslutning"

# An institution's status in the master (column *Status* on Virksomheder).
MANGLER = "Mangler"
FEJL = "Fejl"
MODTAGET = "Modtaget"
FORSINKET = "Forsinket"
#: The statuses the master's *Status* column offers (Forsinket is computed from the deadline).
STATUSES = (MANGLER, FEJL, MODTAGET, GODKENDT)

# A goal's attainment (målopfyldelse), see :mod:`toolkit.rules.attainment`.
OPFYLDT = "Opfyldt"
DELVIST = "Delvist opfyldt"
IKKE_OPFYLDT = "Ikke opfyldt"
IKKE_MAALT = "Ikke målt"
#: The attainment levels, best first (the spec's list ``maalopfyldelse``).
ATTAINMENT = (OPFYLDT, DELVIST, IKKE_OPFYLDT, IKKE_MAALT)

_SPACES = re.compile(r"\s+")
_BY_FOLDED = {d.lower(): d for d in DECISIONS} | {"aendret": AENDRET}


def normalize(value: Any) -> str | None:
    """The canonical decision word for what was typed; None for blank; the typed text
    (trimmed) when it is not a decision word."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    folded = text.lower().rstrip(".!")
    return _BY_FOLDED.get(folded, text)


def is_known(value: Any) -> bool:
    """A known decision word was typed (an unknown word is kept, but is no decision)."""
    return normalize(value) in DECISIONS


def is_approved(value: Any) -> bool:
    return normalize(value) in APPROVED


def is_rejected(value: Any) -> bool:
    return normalize(value) == AFVIST


def help_text() -> str:
    """The decision words, as the master's input message and the README show them."""
    return "Godkendt, Ændret (skriv ændringen i de to næste kolonner) eller Afvist."
