"""The typed domain model of one institution's workbook (en kontraktarbejdsbog).

Field names equal the spec's keys (``workbook/kontraktbog.toml``); a test keeps the two in
step. The reader fills these classes; rules, consolidation and documents read them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

#: A goal's baseline, target or result: a number, or "Ja"/"Nej" for yes/no goals.
Value = float | str | None
Severity = Literal["fejl", "advarsel"]
PHASES = ("forslag", "resultater")


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a workbook: where, how bad, and what to do, in Danish."""

    file: str
    sheet: str
    cell: str
    severity: Severity
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass
class Meta:
    skabelon: str | None = None
    version: str | None = None
    kommune: str | None = None
    virksomhed_id: str | None = None
    kontraktaar: int | None = None
    fase: str | None = None
    oprettet: str | None = None
    register_id: str | None = None


@dataclass
class Virksomhed:
    id: str | None = None
    navn: str | None = None
    type: str | None = None
    udvalg: str | None = None
    leder: str | None = None
    email: str | None = None
    kontraktaar: int | None = None
    fase: str | None = None
    udfyldt_af: str | None = None
    telefon: str | None = None
    ansatte: int | None = None
    brugere: int | None = None
    beskrivelse: str | None = None
    status_sidste_aar: str | None = None
    su_orienteret: date | None = None


@dataclass
class Medlem:
    raekke: int  # 0-based data row in the table
    navn: str | None = None
    rolle: str | None = None
    stilling: str | None = None
    email: str | None = None


@dataclass
class Dialogaktivitet:
    raekke: int
    dato: date | None = None
    med_hvem: str | None = None
    form: str | None = None
    deltagere: int | None = None
    tema: str | None = None
    udbytte: str | None = None


@dataclass
class Kontraktmaal:
    raekke: int
    nr: int | None = None
    titel: str | None = None
    beskrivelse: str | None = None
    indsatsomraade: str | None = None
    maaltype: str | None = None
    indikator: str | None = None
    maalemetode: str | None = None
    enhed: str | None = None
    retning: str | None = None
    baseline: Value = None
    maalvaerdi: Value = None
    dokumentationskrav: str | None = None
    ansvarlig: str | None = None
    frist: date | None = None
    #: the goal's stable id (minted by the master; blank in a new proposal)
    id: str | None = None
    #: the id of last year's goal this one continues
    forrige_id: str | None = None


@dataclass
class Resultat:
    raekke: int
    nr: int | None = None
    titel: str | None = None
    baseline: Value = None
    maalvaerdi: Value = None
    enhed: str | None = None
    resultat: Value = None
    maalt_dato: date | None = None
    dokumentation: str | None = None
    forklaring: str | None = None
    maalopfyldelse: str | None = None


#: Which model class holds each sheet of the spec.
ROW_CLASSES: dict[str, type] = {
    "gruppe": Medlem,
    "dialog": Dialogaktivitet,
    "maal": Kontraktmaal,
    "resultater": Resultat,
}
RECORD_CLASSES: dict[str, type] = {"virksomhed": Virksomhed, "meta": Meta}


@dataclass
class Kontraktbog:
    """Everything read from one institution's workbook."""

    path: Path
    meta: Meta
    virksomhed: Virksomhed
    gruppe: list[Medlem] = field(default_factory=list)
    dialog: list[Dialogaktivitet] = field(default_factory=list)
    maal: list[Kontraktmaal] = field(default_factory=list)
    resultater: list[Resultat] = field(default_factory=list)
    #: (sheet key, field key, data row or None) → (sheet name, cell) as found in the file
    cells: dict[tuple[str, str, int | None], tuple[str, str]] = field(default_factory=dict)
    #: problems met while reading (type errors, text parsed as numbers, ...)
    findings: list[Finding] = field(default_factory=list)
    #: input cells that hold anything (also values that could not be converted)
    present: set[tuple[str, str, int | None]] = field(default_factory=set)
    #: the workbook's own dropdown lists (e.g. its committee's focus areas)
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return self.meta.kontraktaar

    @property
    def phase(self) -> str:
        return (self.meta.fase or "forslag").lower()

    def where(self, sheet_key: str, field_key: str, row: int | None = None) -> tuple[str, str]:
        """(sheet name, cell) of a value; falls back to the sheet alone."""
        return self.cells.get((sheet_key, field_key, row), (sheet_key, ""))

    def has(self, sheet_key: str, field_key: str, row: int | None = None) -> bool:
        """Whether the input cell holds anything (Excel: LEN(TRIM(CLEAN(cell)))>0)."""
        return (sheet_key, field_key, row) in self.present

    def resultat_for(self, nr: int | None) -> Resultat | None:
        for r in self.resultater:
            if r.nr == nr:
                return r
        return None
