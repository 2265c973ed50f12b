"""The indicator library, loaded from ``workbook/indikatorer.toml`` and checked against the spec.

Kontraktservice edits the file; this module refuses a library that contradicts the workbook
spec (an unknown unit, direction or method) with a message naming the indicator. The
workbook carries the library as four parallel lists on its hidden Lister sheet (names, units,
directions, methods), so the check sheet and the Python rules compare a goal with its
indicator from the workbook itself, without the library file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.errors import UserError
from toolkit.rules.checks import INDICATOR_ATTRIBUTES, INDICATOR_NAMES, SURVEY
from toolkit.spec.paths import data_dir
from toolkit.spec.workbook import Spec, default_spec

#: The dropdown's last entry: a goal with an indicator of its own (free text is allowed too).
OWN_INDICATOR = "Egen indikator"

#: The workbook's list keys (spec ``[lister]``) the library fills, in Lister-sheet order.
NAMES = INDICATOR_NAMES
UNITS, DIRECTIONS, METHODS = (list_key for _, list_key in INDICATOR_ATTRIBUTES)
COMPUTATIONS = {"andel_mindst", "gennemsnit"}
MAX_NAME = 100
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class LibraryError(UserError, ValueError):
    """The indicator library contradicts itself or the spec (reported in Danish)."""


@dataclass(frozen=True)
class Indicator:
    id: str
    navn: str
    definition: str
    enhed: str
    retning: str
    metode: str
    dokumentation: str
    #: the register's institution types the indicator suits; empty: all
    institutionstyper: tuple[str, ...] = ()
    #: survey indicators: "andel_mindst" (share of answers >= graense) or "gennemsnit"
    beregning: str | None = None
    graense: float | None = None
    skala: tuple[float, float] | None = None

    def suits(self, institution_type: str | None) -> bool:
        return not self.institutionstyper or institution_type in self.institutionstyper


@dataclass(frozen=True)
class Library:
    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise LibraryError(f"Indikatoren '{indicator_id}' findes ikke i biblioteket ({known}).")

    def by_name(self, name: object) -> Indicator | None:
        """The indicator a goal's Indikator cell names (Excel's case-insensitive TRIM match)."""
        text = " ".join(str(name or "").split()).lower()
        for ind in self.indicators:
            if ind.navn.lower() == text:
                return ind
        return None

    def workbook_lists(self) -> dict[str, tuple[str, ...]]:
        """The four parallel Lister-sheet lists; the names end with "Egen indikator"."""
        inds = self.indicators
        return {
            NAMES: (*(i.navn for i in inds), OWN_INDICATOR),
            UNITS: tuple(i.enhed for i in inds),
            DIRECTIONS: tuple(i.retning for i in inds),
            METHODS: tuple(i.metode for i in inds),
        }


def _text(raw: dict[str, object], key: str, where: str) -> str:
    v = raw.get(key)
    if not isinstance(v, str) or not v.strip():
        raise LibraryError(f"{where}: feltet '{key}' mangler eller er tomt.")
    return v.strip()


def _indicator(raw: dict[str, object], spec: Spec, n: int) -> Indicator:
    where = f"Indikator nr. {n}"
    ident = _text(raw, "id", where)
    where = f"Indikatoren '{ident}'"
    if not _ID.match(ident):
        raise LibraryError(f"{where}: id må kun have små bogstaver a-z, tal og _.")
    fields = {k: _text(raw, k, where) for k in ("navn", "definition", "enhed", "retning",
                                                 "metode", "dokumentation")}  # fmt: skip
    if len(fields["navn"]) > MAX_NAME:
        raise LibraryError(f"{where}: navnet er længere end {MAX_NAME} tegn.")
    if fields["navn"].lower() == OWN_INDICATOR.lower():
        raise LibraryError(f"{where}: navnet '{OWN_INDICATOR}' er reserveret.")
    for key, list_key in (("enhed", "enheder"), ("retning", "retninger"),
                          ("metode", "maalemetoder")):  # fmt: skip
        allowed = spec.lists.get(list_key, ())
        if fields[key] not in allowed:
            raise LibraryError(
                f"{where}: {key} '{fields[key]}' findes ikke i arbejdsbogens liste "
                f"({', '.join(allowed)})."
            )
    types = raw.get("institutionstyper", [])
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise LibraryError(f"{where}: institutionstyper skal være en liste af tekster.")
    comp = raw.get("beregning")
    limit = raw.get("graense")
    scale = raw.get("skala")
    if comp is not None:
        if comp not in COMPUTATIONS:
            raise LibraryError(f"{where}: beregning skal være en af {sorted(COMPUTATIONS)}.")
        if fields["metode"] != SURVEY:
            raise LibraryError(f"{where}: kun spørgeskemaindikatorer har en beregning.")
        if not (isinstance(scale, list) and len(scale) == 2 and scale[0] < scale[1]):
            raise LibraryError(f"{where}: skala skal være [laveste, højeste].")
        if comp == "andel_mindst" and not (
            isinstance(limit, int | float) and scale[0] <= limit <= scale[1]
        ):
            raise LibraryError(f"{where}: andel_mindst kræver en graense inden for skalaen.")
    return Indicator(
        id=ident,
        **fields,
        institutionstyper=tuple(types),
        beregning=comp if isinstance(comp, str) else None,
        graense=float(limit) if isinstance(limit, int | float) else None,
        skala=(float(scale[0]), float(scale[1])) if isinstance(scale, list) and comp else None,
    )


def load_library(path: Path | None = None, spec: Spec | None = None) -> Library:
    """Load and check the library (default: ``workbook/indikatorer.toml``)."""
    path = path or data_dir("workbook") / "indikatorer.toml"
    spec = spec or default_spec()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LibraryError(f"Indikatorbiblioteket {path.name} kan ikke læses: {exc}") from None
    entries = raw.get("indikator", [])
    if not isinstance(entries, list) or not entries:
        raise LibraryError(f"{path.name}: der er ingen [[indikator]] i biblioteket.")
    inds = tuple(_indicator(e, spec, n) for n, e in enumerate(entries, start=1))
    for attr in ("id", "navn"):
        seen = [getattr(i, attr).lower() for i in inds]
        dup = sorted({s for s in seen if seen.count(s) > 1})
        if dup:
            raise LibraryError(
                f"{path.name}: {attr} bruges af flere indikatorer: {', '.join(dup)}."
            )
    return Library(inds)


@cache
def default_library() -> Library:
    return load_library()
