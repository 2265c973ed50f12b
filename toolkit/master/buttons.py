"""Kontraktservice's buttons on Overblik, and the VBA project behind them (the master as .xlsm).

:func:`add_buttons` puts the buttons on the sheet Overblik (where
:data:`toolkit.master.layout.OVERBLIK_LAYOUT` says) and the VBA project
(``macros/Master.bas`` + ``PythonTjek.bas`` + xlwings' standalone modules, see
:mod:`toolkit.vba`) into a :class:`~toolkit.master.write.MasterWriter` workbook;
``master_bytes(..., xlsm=True)`` calls it. Each button runs a macro of ``Master.bas``, which
calls ``toolkit.excel.<function>()`` through xlwings' RunPython (see :mod:`toolkit.excel`).
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from toolkit.master.layout import OVERBLIK_LAYOUT

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
BUTTON_ROW = OVERBLIK_LAYOUT.button_row  # zero-based: beside the key figures on Overblik
BUTTON_COL = OVERBLIK_LAYOUT.button_col  # column I, right of the charts
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
