"""Numbers as Danish people type them: decimal comma, thousands dot, percent.

The conventions (the reader, the check sheet's formulas and the documents follow them):

* **Procent is stored in percentage points**: 72 % is the number 72, never 0.72. A cell a
  person typed "72%" into holds 0.72 with a percent number format; the reader turns it into
  72 (:func:`percent_points`). Text "72%" / "72 %" is read as 72 as well.
* **Text with a decimal comma** ("12,5", "1.234,5", " 80 ") is read like Excel's
  ``NUMBERVALUE(text, ",", ".")``: spaces ignored, dots before the comma group thousands.
* **A dot without a comma is ambiguous** in a Danish workbook: "3.1" may mean 3,1 or 31
  (and "1.234" 1,234 or 1234). Such text is *not* read as a number; the reader says so in
  a finding naming what was typed (:func:`ambiguous_dot`), and the value is kept as typed.
* **A share typed in a Procent goal** ("0,72") is read as it stands, 0,72 %, with a warning
  that says so (rule ``maal_procent_andel``): the institution may have meant 72 %.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _parts(s: str) -> tuple[str, bool] | None:
    """The text without spaces and one trailing percent sign, and whether it had one."""
    t = s.replace(" ", "")
    pct = t.endswith("%")
    if pct:
        t = t[:-1]
    if not t or "%" in t or "e" in t.lower():
        return None
    return t, pct


def ambiguous_dot(s: str) -> bool:
    """Digits with a dot and no decimal comma ("3.1", "12.5", "1.234"): 3,1 or 31?"""
    p = _parts(s)
    return p is not None and "." in p[0] and "," not in p[0] and any(c.isdigit() for c in p[0])


def parse_number_text(s: str) -> float | None:
    """A number typed as text with Danish separators ("12,5", "1.234,5", " 80 ", "72 %").

    Mirrors the check sheet's ``NUMBERVALUE(text, ",", ".")`` (see ``toolkit.rules.checks.num``):
    spaces are ignored, dots before the decimal comma are thousands separators, one trailing
    percent sign is allowed and the number is then in percentage points ("72 %" → 72).
    Exponents are not accepted, nor is a dot without a comma (:func:`ambiguous_dot`).
    """
    p = _parts(s)
    if p is None:
        return None
    t = p[0]
    head, comma, tail = t.partition(",")
    if not comma and "." in head:
        return None
    if comma and ("," in tail or "." in tail):
        return None
    text = head.replace(".", "") + ("." + tail if comma else "")
    if not _NUMBER.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None  # 400 digits: not a number to keep


def percent_points(x: float) -> float:
    """A share as percentage points, exactly as shown: 0.72 → 72, 0.064 → 6.4, 0.07 → 7."""
    return float(Decimal(repr(float(x))) * 100)
