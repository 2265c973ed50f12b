"""Reading a survey export and its mapping: one row per respondent, Danish headers.

An export comes from the municipality's survey tool as .xlsx or .csv. CSV files from Danish
tools are semicolon-separated with decimal commas and often start with a byte-order mark;
older tools write Windows-1252. Headers are matched after Unicode normalisation, ignoring
case and repeated spaces, so "Hvor tilfreds er du  samlet set?" finds its column.

The mapping (TOML) names the indicator (an id in the library), the institution column, the
scale columns and, for the response rate, the number invited per institution::

    indikator = "brugertilfredshed_andel"
    institutionskolonne = "Institution"
    skalakolonner = ["Hvor tilfreds er du samlet set med dit barns institution?"]
    anonymitetsgraense = 5          # færre besvarelser end dette bruges ikke
    [population]                    # inviterede pr. virksomhed (id eller navn)
    "Børnehuset Mælkebøtten" = 42
"""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from toolkit.errors import UserError

#: Fewer respondents than this at one institution: the figure is not used (anonymity).
DEFAULT_ANONYMITY = 5


class SurveyError(UserError, ValueError):
    """The export or the mapping cannot be used (reported in Danish)."""


def header_key(text: Any) -> str:
    """How headers and institution names are compared: NFKC, case-folded, spaces collapsed."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return " ".join(s.replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class Mapping:
    indikator: str
    institution: str
    scale: tuple[str, ...] = ()
    population: dict[str, int] = field(default_factory=dict)
    anonymity: int = DEFAULT_ANONYMITY


def load_mapping(path: Path) -> Mapping:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SurveyError(f"Kortlægningen {path.name} kan ikke læses: {exc}") from None
    try:
        ind, inst = str(raw["indikator"]), str(raw["institutionskolonne"])
    except KeyError as exc:
        raise SurveyError(f"Kortlægningen {path.name} mangler feltet {exc}.") from None
    scale = raw.get("skalakolonner", [])
    pop = raw.get("population", {})
    anon = raw.get("anonymitetsgraense", DEFAULT_ANONYMITY)
    if not isinstance(scale, list) or not all(isinstance(s, str) for s in scale):
        raise SurveyError(f"{path.name}: skalakolonner skal være en liste af kolonneoverskrifter.")
    if not isinstance(pop, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in pop.values()
    ):
        raise SurveyError(f"{path.name}: population skal give et positivt helt tal pr. virksomhed.")
    if not isinstance(anon, int) or isinstance(anon, bool) or anon < 1:
        raise SurveyError(f"{path.name}: anonymitetsgraense skal være et helt tal, mindst 1.")
    return Mapping(ind, inst, tuple(scale), {str(k): v for k, v in pop.items()}, anon)


@dataclass(frozen=True)
class Export:
    """The export's header row and data rows (cells as read: text, numbers or None)."""

    path: Path
    headers: tuple[str, ...]
    rows: list[list[Any]]

    def column(self, header: str) -> int:
        want = header_key(header)
        for i, h in enumerate(self.headers):
            if header_key(h) == want:
                return i
        shown = ", ".join(f"'{h}'" for h in self.headers if h)
        raise SurveyError(
            f"{self.path.name}: kolonnen '{header}' findes ikke. Kolonnerne hedder: {shown}."
        )


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # older Danish Excel/survey tools


def _read_csv(path: Path) -> list[list[Any]]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[list[Any]]:
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        return list(wb.get_sheet_by_index(0).to_python(skip_empty_area=True))
    except Exception as exc:  # calamine raises its own types for damaged files
        raise SurveyError(f"{path.name} kan ikke læses som Excel-projektmappe ({exc}).") from None


def read_export(path: Path) -> Export:
    """Read an export (.csv or .xlsx); the first non-empty row is the header row."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise SurveyError(f"{path}: filen findes ikke.")
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    else:
        raise SurveyError(f"{path.name}: en undersøgelse skal være en .xlsx- eller .csv-fil.")
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise SurveyError(f"{path.name}: filen er tom.")
    headers = tuple("" if h is None else str(h).strip() for h in rows[0])
    return Export(path, headers, rows[1:])
