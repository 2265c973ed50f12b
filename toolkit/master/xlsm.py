"""The master workbook as a macro-enabled .xlsm with Kontraktservice's buttons.

:func:`add_buttons` puts the four buttons on the sheet Overblik and the VBA project
(``macros/Master.bas`` + ``PythonTjek.bas`` + xlwings' standalone modules, see
:mod:`toolkit.vba`) into a :class:`~toolkit.master.write.MasterWriter` workbook;
``master_bytes(..., xlsm=True)`` calls it, and Konsolider writes an .xlsm whenever the
master's file name ends in .xlsm. :func:`to_xlsm` turns an existing master (.xlsx) into
one, keeping every row — Kontraktservice's own columns included.

Each button runs a macro of ``Master.bas``, which calls ``toolkit.excel.<function>()``
through xlwings' RunPython (see :mod:`toolkit.excel`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

#: (VBA macro in Master.bas, caption, what it does) in the order shown.
BUTTONS = (
    ("Konsolider", "Konsolider", "Saml alle indsendte arbejdsbøger i denne masterarbejdsbog."),
    ("LavKontrakter", "Lav kontrakter", "Lav en Word-kontrakt pr. virksomhed."),
    ("LavUdvalgsnotater", "Lav udvalgsnotater", "Lav et udvalgsnotat pr. fagudvalg."),
    ("NytKontraktaar", "Nyt kontraktår", "Start næste kontraktår."),
    (
        "Paamind",
        "Påmindelser",
        "Lav e-mailkladder til dem, der mangler, er forsinket eller har fejl.",
    ),
)
BUTTON_ROW = 2  # zero-based: beside the key figures on Overblik
BUTTON_COL = 8  # column I, right of the charts
BUTTON_WIDTH, BUTTON_HEIGHT, BUTTON_GAP = 170, 32, 10
SHEET_CODENAME = "Overblik"


def add_buttons(workbook: Workbook, overview: Worksheet) -> bytes:
    """Put the buttons on ``overview`` and the VBA project into ``workbook``.

    Call after the last ``add_worksheet``; returns the ``vbaProject.bin`` bytes.
    """
    from toolkit.vba import add_vba_to_workbook, macro_modules, xlwings_modules
    from toolkit.vba.macros import MASTER_MODULES

    note = workbook.add_format({"italic": True, "font_color": "#595959", "font_size": 9})
    overview.write_string(BUTTON_ROW - 1, BUTTON_COL, "Knapperne kræver Python med xlwings.", note)
    for i, (macro, caption, description) in enumerate(BUTTONS):
        overview.insert_button(BUTTON_ROW, BUTTON_COL, {
            "macro": macro, "caption": caption, "description": description,
            "width": BUTTON_WIDTH, "height": BUTTON_HEIGHT,
            "x_offset": 4, "y_offset": 4 + i * (BUTTON_HEIGHT + BUTTON_GAP),
        })  # fmt: skip
    modules = [*macro_modules(*MASTER_MODULES), *xlwings_modules()]
    return add_vba_to_workbook(workbook, modules, {overview.name: SHEET_CODENAME})


def _matrix(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The focus-area matrix (its columns are the focus areas) as the master holds it."""
    import python_calamine

    from toolkit.master.write import MATRIX_SHEET

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    if MATRIX_SHEET not in wb.sheet_names:
        return [], []
    rows = wb.get_sheet_by_name(MATRIX_SHEET).to_python(skip_empty_area=False)
    header_i = next((i for i, r in enumerate(rows[:10]) if r and str(r[0]).strip() == "Id"), None)
    if header_i is None:
        return [], []
    header = [str(h).strip() for h in rows[header_i]]
    areas = [h for h in header[3:] if h]
    keys = ["virksomhed_id", "navn", "udvalg", *areas]
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
    import python_calamine

    from toolkit.master.write import OVERBLIK

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    if OVERBLIK not in wb.sheet_names:
        return {"info": "", "kpis": []}
    rows = wb.get_sheet_by_name(OVERBLIK).to_python(skip_empty_area=False)
    info = str(rows[1][0]) if len(rows) > 1 and rows[1] else ""
    kpis = []
    if len(rows) > 4:
        for value, label in zip(rows[3], rows[4], strict=False):
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
    from toolkit.files import write_atomic
    from toolkit.master.model import read_master_rows
    from toolkit.master.save import check_not_locked
    from toolkit.master.tables import TABLES
    from toolkit.master.write import master_bytes

    master = Path(master)
    target = Path(target) if target else master.with_suffix(".xlsm")
    if target.suffix.lower() != ".xlsm":
        raise ValueError(f"Målfilen skal hedde .xlsm, ikke {target.name}.")
    check_not_locked(target)
    settings, rows = read_master_rows(master)
    tables = {t.key: rows.get(t.key, []) for t in TABLES}
    data = master_bytes(settings, tables, _matrix(master), _stats(master), xlsm=True)
    write_atomic(target, data)
    return target
