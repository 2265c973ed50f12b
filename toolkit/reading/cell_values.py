"""One cell of an institution workbook, converted: the raw value a :class:`~toolkit.reading.xlsx.CellSource`
gives becomes the field's Python value (:func:`convert`), and whatever is wrong with it a
Danish :class:`~toolkit.spec.model.Finding` naming sheet, cell and label (:class:`Loc`).

:mod:`toolkit.reading.workbook` walks the workbook's fields and tables and calls this for
every cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from toolkit.reading.numbers import ambiguous_dot, parse_number_text, percent_points
from toolkit.reading.xlsx import RawCell, serial_to_date, serial_to_datetime
from toolkit.spec import catalog as C
from toolkit.spec.model import Finding
from toolkit.spec.workbook import Field, Spec

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CTRL_ALL = re.compile(r"[\x00-\x1f]")
EXCEL_CELL_LIMIT = 32767  # characters in a cell, counted in UTF-16 code units as Excel does


def utf16_len(text: str) -> int:
    """A text's length as Excel counts it (UTF-16 code units: an emoji counts 2)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def is_blank_text(s: str) -> bool:
    """Excel's LEN(TRIM(CLEAN(s)))=0."""
    return _CTRL_ALL.sub("", s).strip(" ") == ""


@dataclass
class Loc:
    file: str
    sheet: str
    cell: str
    label: str
    where: str | None  # "Mål 2", "Dialog, række 3" — None for single fields

    def finding(self, rule: str, message: str) -> Finding:
        return Finding(self.file, self.sheet, self.cell, C.severity(rule), rule, message)


@dataclass
class Converted:
    value: Any = None
    present: bool = False
    findings: list[Finding] = field(default_factory=list)


def _number_as_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(x).replace(".", ",")


def convert(raw: RawCell | None, f: Field, spec: Spec, loc: Loc) -> Converted:
    """Turn one raw cell into the field's Python value, with what was wrong about it."""
    out = Converted()
    if raw is None or raw.kind == "blank":
        return out
    if raw.formula and f.is_input:
        out.findings.append(
            loc.finding(
                "celle_formel",
                f"{_pre(loc)}{f.label} indeholder en formel. Skriv værdien direkte i cellen.",
            )
        )
    if raw.kind == "e":
        out.present = True
        out.findings.append(
            loc.finding(
                "celle_fejlvaerdi",
                f"{_pre(loc)}{f.label} indeholder fejlværdien {raw.value}. Ret cellen.",
            )
        )
        return out
    if raw.kind == "b":
        text: str | None = "Ja" if raw.value else "Nej"
        number: float | None = None
    elif raw.kind == "n":
        number = float(raw.value)  # type: ignore[arg-type]
        if raw.percent_style and f.type in ("heltal", "tal", "vaerdi"):
            number = percent_points(number)  # "72%" typed: the cell holds 0.72
        text = None
    else:
        s = str(raw.value)
        if _CTRL.search(s):
            s = _CTRL.sub("", s)
            out.findings.append(
                loc.finding(
                    "celle_kontroltegn",
                    f"{_pre(loc)}{f.label} indeholdt usynlige kontroltegn, som er fjernet.",
                )
            )
        if is_blank_text(s):
            return out
        text, number = s.strip(), None
    out.present = True

    if f.type == "dato":
        if number is None:
            out.findings.append(
                loc.finding("celle_dato_tekst", C.msg_date_text(f.label, loc.where))
            )
            return out
        try:
            out.value = serial_to_date(number)
        except (OverflowError, ValueError):
            out.findings.append(
                loc.finding("celle_dato_tekst", C.msg_date_text(f.label, loc.where))
            )
        return out

    if f.type in ("heltal", "tal", "vaerdi"):
        if number is None:
            assert text is not None
            if f.type == "vaerdi" and text.lower() in ("ja", "nej"):
                out.value = text.capitalize()
                return out
            parsed = parse_number_text(text)
            if parsed is None and ambiguous_dot(text):
                out.findings.append(
                    loc.finding(
                        "celle_tal_tvetydigt", C.msg_ambiguous_dot(f.label, loc.where, text)
                    )
                )
            if parsed is None:
                if f.type == "vaerdi":
                    out.value = text  # the rules say what is wrong with it
                else:
                    out.findings.append(
                        loc.finding("celle_tekst_i_tal", C.msg_text_in_number(f.label, loc.where))
                    )
                return out
            out.findings.append(
                loc.finding("celle_decimalkomma", C.msg_decimal_comma(f.label, loc.where))
            )
            number = parsed
        if f.type == "heltal":
            if not number.is_integer():
                out.findings.append(
                    loc.finding("celle_heltal", C.msg_not_integer(f.label, loc.where))
                )
                out.value = number
            else:
                out.value = int(number)
        else:
            out.value = (
                int(number)
                if number.is_integer() and f.type == "vaerdi" and abs(number) < 1e15
                else number
            )
        return out

    # text-like fields
    if text is None:
        assert number is not None
        text = (
            serial_to_datetime(number).strftime("%d-%m-%Y")
            if raw.date_style
            else _number_as_text(number)
        )
    limit = spec.max_length(f)
    length = utf16_len(text)
    if length > EXCEL_CELL_LIMIT:  # cannot come from Excel; a cell holds no more
        out.findings.append(
            loc.finding(
                "celle_for_lang_excel",
                f"{_pre(loc)}{f.label} er {length} tegn; en Excel-celle kan højst rumme "
                f"{EXCEL_CELL_LIMIT}. Teksten er ikke brugt — gem arbejdsbogen igen i Excel.",
            )
        )
        return out
    if limit and length > limit:
        out.findings.append(
            loc.finding(
                "celle_for_lang",
                f"{_pre(loc)}{f.label} er {length} tegn; højst {limit} tegn er tilladt.",
            )
        )
    out.value = text
    return out


def _pre(loc: Loc) -> str:
    return f"{loc.where}: " if loc.where else ""
