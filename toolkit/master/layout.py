"""The master workbook's layout, in one object: its tables and their columns, its sheet and
table names, the settings sheet and where everything sits on Overblik.

:data:`LAYOUT` (a :class:`MasterLayout`) is what the writer (:mod:`toolkit.master.write`),
the reader (:mod:`toolkit.master.model`), the export and the Excel adapter ask. The tables
are declared in :mod:`toolkit.master.tables` — the columns that carry an institution's field
taken from the spec (:func:`~toolkit.master.columns.from_spec`) — and re-exported here under
their old names (``TABLES``, ``BY_KEY``, ``Col``, ``TableDef``), so a module switches to the
layout by changing one import line. Rows and columns are zero-based, as in XlsxWriter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from toolkit.master.columns import KIND_OF_TYPE, Col, TableDef, from_spec
from toolkit.master.tables import (
    ATTAINMENT,
    BY_KEY,
    DIALOG,
    FORAELDEDE,
    FUND,
    GRUPPE,
    KOERSLER,
    MAAL,
    MAALINGER,
    OVERSIGT,
    RESULTATER,
    STATUSES,
    TABLES,
    UDVALG,
    goal_key,
)
from toolkit.rules.attainment import RULE_SETTINGS
from toolkit.rules.cycle import CYCLE_SETTINGS
from toolkit.spec.layout import col_letter

OVERBLIK = "Overblik"
SETTINGS_SHEET = "Indstillinger"
MATRIX_SHEET = "Indsatsområder"
MATRIX_TABLE = "tblIndsatsomraader"
MATRIX_TITLE = "Indsatsområder × virksomheder (antal mål)"

#: Every table sheet: the title, an info line below it, the header two rows down.
TITLE_ROW = 0
INFO_ROW = 1
HEADER_ROW = 2  # data starts on the row below

#: The settings Kontraktservice keeps in the master (key, Danish label, help); each value
#: is in column B of the settings sheet, from SETTINGS_ROW down, and has the defined name
#: ``indstilling_<key>``.
SETTINGS = (
    ("kommune", "Kommune", "Kommunens navn, som det står i dokumenterne."),
    ("aar", "Kontraktår", "Det kontraktår, der konsolideres."),
    ("fase", "Fase", "Forslag eller Resultater."),
    ("indbakke", "Indbakke", "Mappen, hvor virksomhedernes arbejdsbøger ligger."),
    ("register", "Virksomhedsregister", "Registret (.xlsx)."),
    ("indsatsomraader", "Indsatsområder", "De politiske indsatsområder (.xlsx)."),
    ("udmappe", "Dokumentmappe", "Mappen, hvor kontrakter og udvalgsnotater lægges."),
    *CYCLE_SETTINGS,
    *RULE_SETTINGS,
)
SETTINGS_ROW = 3
SETTING_NAME = "indstilling_{key}"

#: The focus-area matrix's first columns; a column per focus area follows.
MATRIX_FIXED = (
    Col("virksomhed_id", "Id", width=7),
    Col("navn", "Virksomhed", width=28),
    Col("udvalg", "Fagudvalg", width=26),
)

#: Chart colours that also read in black and white (light → dark).
GREYSAFE = ("#2E7D32", "#F9A825", "#C62828", "#9E9E9E")


@dataclass(frozen=True)
class OverblikLayout:
    """Where things sit on the sheet Overblik (zero-based rows and columns)."""

    title_row: int = TITLE_ROW
    info_row: int = INFO_ROW
    #: the label "Vis kontraktår:" in column A, the year Overblik shows beside it
    year_row: int = 2
    year_col: int = 1
    #: the key figures from column A: values on this row, their labels on the row below
    kpi_row: int = 3
    kpi_col: int = 0
    #: the header of the charts' per-committee table; one row per committee below
    block_row: int = 2
    block_col: int = 12
    #: the years in the master (the year cell's dropdown), this many columns right of the block
    years_offset: int = 8
    years_max: int = 30
    #: the first chart's top row
    chart_row: int = 6
    #: Kontraktservice's buttons (the .xlsm), right of the key figures; a note on the row above
    button_row: int = 2
    button_col: int = 8
    #: the defined name of the year cell
    year_name: str = "overblik_aar"

    @property
    def kpi_label_row(self) -> int:
        return self.kpi_row + 1

    @property
    def years_col(self) -> int:
        return self.block_col + self.years_offset

    @property
    def year_cell(self) -> str:
        """The year cell as an absolute A1 reference (``$B$3``)."""
        return f"${col_letter(self.year_col)}${self.year_row + 1}"


OVERBLIK_LAYOUT = OverblikLayout()


def matrix_cols(areas: Sequence[str]) -> list[Col]:
    """The focus-area matrix's columns: :data:`MATRIX_FIXED`, then one per focus area (a
    focus area named like a fixed column gets " (2)")."""
    cols = list(MATRIX_FIXED)
    used = {c.header for c in cols}
    for a in areas:
        header = a if a not in used else f"{a} (2)"
        used.add(header)
        cols.append(Col(a, header, "int", 12))
    return cols


def matrix_table(areas: Sequence[str]) -> TableDef:
    return TableDef("matrix", MATRIX_SHEET, MATRIX_TABLE, MATRIX_TITLE, tuple(matrix_cols(areas)))


@dataclass(frozen=True)
class MasterLayout:
    """The master workbook's layout (see the module docstring)."""

    tables: tuple[TableDef, ...] = TABLES
    overblik: OverblikLayout = OVERBLIK_LAYOUT
    overblik_sheet: str = OVERBLIK
    settings_sheet: str = SETTINGS_SHEET
    settings: tuple[tuple[str, str, str], ...] = SETTINGS
    settings_row: int = SETTINGS_ROW
    matrix_sheet: str = MATRIX_SHEET
    matrix_table: str = MATRIX_TABLE
    title_row: int = TITLE_ROW
    info_row: int = INFO_ROW
    header_row: int = HEADER_ROW

    @cached_property
    def by_key(self) -> dict[str, TableDef]:
        return {t.key: t for t in self.tables}

    def table(self, key: str) -> TableDef:
        return self.by_key[key]

    def spec_cols(self) -> list[tuple[TableDef, Col]]:
        """Every column that carries a spec field, with its table."""
        return [(t, c) for t in self.tables for c in t.spec_cols]

    def setting_name(self, key: str) -> str:
        return SETTING_NAME.format(key=key)

    def setting_cell(self, key: str) -> str:
        """A setting's cell as a message names it: 'Opfyldt ved (%) (arket Indstillinger,
        celle B14)' (where the master as written has it; the reader finds it by its label)."""
        i, label = next((i, label) for i, (k, label, _) in enumerate(self.settings) if k == key)
        return f"{label} (arket {self.settings_sheet}, celle B{self.settings_row + i + 1})"

    def matrix_cols(self, areas: Sequence[str]) -> list[Col]:
        return matrix_cols(areas)


LAYOUT = MasterLayout()

__all__ = [
    "ATTAINMENT",
    "BY_KEY",
    "DIALOG",
    "FORAELDEDE",
    "FUND",
    "GREYSAFE",
    "GRUPPE",
    "HEADER_ROW",
    "INFO_ROW",
    "KIND_OF_TYPE",
    "KOERSLER",
    "LAYOUT",
    "MAAL",
    "MAALINGER",
    "MATRIX_FIXED",
    "MATRIX_SHEET",
    "MATRIX_TABLE",
    "OVERBLIK",
    "OVERBLIK_LAYOUT",
    "OVERSIGT",
    "RESULTATER",
    "SETTINGS",
    "SETTINGS_SHEET",
    "STATUSES",
    "TABLES",
    "TITLE_ROW",
    "UDVALG",
    "Col",
    "MasterLayout",
    "OverblikLayout",
    "TableDef",
    "from_spec",
    "goal_key",
    "matrix_cols",
]
