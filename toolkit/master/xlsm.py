"""The master workbook as a macro-enabled .xlsm with Kontraktservice's buttons.

Konsolider writes an .xlsm whenever the master's file name ends in .xlsm
(``master_bytes(..., xlsm=True)``, which puts in the buttons of :mod:`toolkit.master.buttons`).
:func:`to_xlsm` turns an existing master (.xlsx) into one, keeping every row —
Kontraktservice's own columns included. This module imports the writer, never the other way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import python_calamine

from toolkit.files import write_atomic
from toolkit.master.buttons import BUTTON_COL, BUTTON_ROW, BUTTONS, SHEET_CODENAME, add_buttons
from toolkit.master.layout import LAYOUT, MATRIX_FIXED, MATRIX_SHEET, OVERBLIK
from toolkit.master.model import read_master_rows
from toolkit.master.overblik import KPI_LABELS
from toolkit.master.save import check_not_locked
from toolkit.master.write import master_bytes

#: Also importable from here, as before the buttons had their own module.
__all__ = ["BUTTONS", "BUTTON_COL", "BUTTON_ROW", "SHEET_CODENAME", "add_buttons", "to_xlsm"]


def _matrix(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The focus-area matrix (its columns are the focus areas) as the master holds it."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    if MATRIX_SHEET not in wb.sheet_names:
        return [], []
    rows = wb.get_sheet_by_name(MATRIX_SHEET).to_python(skip_empty_area=False)
    first = MATRIX_FIXED[0].headers
    header_i = next((i for i, r in enumerate(rows[:10]) if r and str(r[0]).strip() in first), None)
    if header_i is None:
        return [], []
    fixed = len(MATRIX_FIXED)
    header = [str(h).strip() for h in rows[header_i]]
    areas = [h for h in header[fixed:] if h]
    keys = [*(c.key for c in MATRIX_FIXED), *areas]
    out = []
    for r in rows[header_i + 1 :]:
        if not any(x not in (None, "") for x in r):
            continue
        rec = dict(zip(keys, (None if x == "" else x for x in r), strict=False))
        for a in areas:
            v = rec.get(a)
            rec[a] = int(v) if isinstance(v, float) and v.is_integer() else v
        out.append(rec)
    return areas, out


def _stats(path: Path) -> dict[str, Any]:
    """Overblik's info line and key figures, as they stand."""
    at = LAYOUT.overblik
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    if OVERBLIK not in wb.sheet_names:
        return {"info": "", "kpis": []}
    rows = wb.get_sheet_by_name(OVERBLIK).to_python(skip_empty_area=False)
    info = str(rows[at.info_row][0]) if len(rows) > at.info_row and rows[at.info_row] else ""
    kpis = []
    if len(rows) > at.kpi_label_row:
        span = slice(at.kpi_col, at.kpi_col + len(KPI_LABELS))  # not the charts' table beside
        values, labels = rows[at.kpi_row][span], rows[at.kpi_label_row][span]
        for value, label in zip(values, labels, strict=False):
            if label not in (None, ""):
                v = int(value) if isinstance(value, float) and value.is_integer() else value
                kpis.append((str(label), v))
    return {"info": info, "kpis": kpis}


def to_xlsm(master: Path, target: Path | None = None) -> Path:
    """Write ``master`` (an .xlsx master) as an .xlsm with the buttons; returns its path.

    Everything the master holds is kept: the settings, every table's rows (also the
    manual columns and the log) and the focus-area matrix. Default target: the same name
    with the suffix .xlsm. The target is written atomically; an existing one is replaced.
    """
    master = Path(master)
    target = Path(target) if target else master.with_suffix(".xlsm")
    if target.suffix.lower() != ".xlsm":
        raise ValueError(f"Målfilen skal hedde .xlsm, ikke {target.name}.")
    check_not_locked(target)
    settings, rows = read_master_rows(master)
    tables = {t.key: rows.get(t.key, []) for t in LAYOUT.tables}
    data = master_bytes(settings, tables, _matrix(master), _stats(master), xlsm=True)
    write_atomic(target, data)
    return target
