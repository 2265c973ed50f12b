"""Danish formatting for the documents: dates, numbers, percentages, values with units.

Everything returns a ``str`` ready to stand in a Word document::

    dato(date(2026, 11, 23))   -> "23. november 2026"
    tal(1234.5)                -> "1.234,5"
    procent(0.625, 1)          -> "62,5 %"      (non-breaking space before %)
    vaerdi(72, "Procent")      -> "72 %"
    antal(1, "fejl", "fejl")   -> "1 fejl"      (singular/plural: one helper for every sentence)

Text from the master goes through :func:`tekst`, which removes what cannot stand in a
.docx (XML-illegal control characters) and what docxtpl would turn into document
structure, so the text is shown literally.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from toolkit.spec.catalog import dansk_dato

NBSP = "\u00a0"

#: Characters that are illegal in XML 1.0 (all C0 controls except tab, newline and carriage
#: return; the non-characters U+FFFE/U+FFFF; lone surrogates). docxtpl turns \a and \f into
#: new paragraphs and page breaks, so they must not reach it either: both are C0 controls.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: docxtpl rewrites "{_{", "}_}", "{_%" and "%_}" to "{{" … after rendering; a word joiner
#: (invisible) after the first character keeps a user's text as it was typed.
_DOCXTPL_ESCAPES = re.compile(r"([{%}])(_[{%}])")
WORD_JOINER = "\u2060"


class Antal(int):
    """A count that prints the Danish way (``1.234``) but still compares and adds as an int.

    Templates can write ``{% if resume.mangler %}`` and ``{{ resume.mangler }}`` alike.
    """

    def __str__(self) -> str:
        return tal(int(self))

    def __repr__(self) -> str:
        return f"Antal({int(self)})"


def tekst(value: Any) -> str:
    """Text for a document: ``None`` -> "", line breaks kept (Word shows them as line breaks)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, datetime | date):
        return dato(value)
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int | float | Decimal):
        return tal(value)
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    s = _ILLEGAL.sub("", s)
    if "_" in s:
        s = _DOCXTPL_ESCAPES.sub(lambda m: m[1] + WORD_JOINER + m[2], s)
    return s.strip()


def _to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        s = value.strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    return None


def dato(value: Any) -> str:
    """``date(2026, 11, 23)`` -> "23. november 2026". Text that is not a date is kept as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    d = _to_date(value)
    if d is None:
        return tekst(value) if isinstance(value, str) else ""
    return dansk_dato(d)


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, numbers.Integral):  # also numpy's integers
        d = Decimal(int(value))
    elif isinstance(value, numbers.Real):  # also numpy's floats
        f = float(value)
        if not math.isfinite(f):
            return None
        d = Decimal(repr(f))
    else:
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            return None
    return d if d.is_finite() else None


def tal(value: Any, decimaler: int | None = None) -> str:
    """A number the Danish way: thousands dot, decimal comma. ``1234.5`` -> "1.234,5".

    ``decimaler=None`` shows up to two decimals and drops trailing zeros; a number of
    decimals fixes them (``tal(2, 1)`` -> "2,0"). Rounding is half up. Text is kept as text.
    """
    d = _decimal(value)
    if d is None:
        return tekst(value) if isinstance(value, str) else ""
    if decimaler is None:
        d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    else:
        d = d.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


def antal(n: int, ental: str, flertal: str) -> str:
    """A count with its noun in the right number: ``antal(1, "fejl", "fejl")`` -> "1 fejl",
    ``antal(2, "advarsel", "advarsler")`` -> "2 advarsler". Every generated sentence that
    puts a count before a noun goes through here (Danish: singular only for exactly 1)."""
    return f"{tal(n)} {ental if int(n) == 1 else flertal}"


def flertal(n: int, ental: str, flertal_: str) -> str:
    """The noun (or phrase) alone in the right number for ``n``: "den ene" / "de 2" …"""
    return ental if int(n) == 1 else flertal_


def procent(andel: float | None, decimaler: int = 0) -> str:
    """A share as a percentage: ``0.625`` -> "63 %" (``decimaler=1``: "62,5 %"); None -> "–"."""
    if andel is None or (isinstance(andel, float) and not math.isfinite(andel)):
        return "–"
    return f"{tal(Decimal(repr(float(andel))) * 100, decimaler)}{NBSP}%"


def andel(del_: int, helhed: int) -> str:
    """``andel(5, 8)`` -> "63 %"; "–" when there is nothing to divide by."""
    return procent(del_ / helhed) if helhed else "–"


_UNITS: dict[str, tuple[str, str]] = {
    # unit in the workbook -> (singular, plural) written after the number
    "Procent": ("%", "%"),
    "Kroner": ("kr.", "kr."),
    "Dage": ("dag", "dage"),
    "Timer": ("time", "timer"),
    "Point (skala 1-5)": ("point", "point"),
}


def vaerdi(value: Any, enhed: Any = None) -> str:
    """A baseline, target or result with its unit: "72 %", "12,5 dage", "1.200 kr.", "Ja"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return tekst(value)
    number = tal(value)
    if not number:
        return tekst(value)
    unit = _UNITS.get(str(enhed or "").strip())
    if unit is None:
        return number
    one = _decimal(value) == 1
    return f"{number}{NBSP}{unit[0] if one else unit[1]}"


_FILENAME_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def filnavn(text: str, max_len: int = 150) -> str:
    """A file name Windows, macOS and Linux all accept, recognisably close to ``text``."""
    name = _FILENAME_BAD.sub(" ", text.replace("\u2060", ""))
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    if len(name) > max_len:
        name = name[:max_len].rstrip(". ")
    return name or "dokument"


def sekunder(value: float) -> str:
    """A duration the Danish way: "1,9 s", "0,5 s" (one decimal, decimal comma)."""
    return f"{tal(value, 1)}{NBSP}s"


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def danish_sort_key(text: str) -> str:
    """Sort key that puts æ, ø, å after z, in that order."""
    return text.lower().translate(_DANISH_ORDER)
