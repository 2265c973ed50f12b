"""Build Excel VBA projects (``vbaProject.bin``) from VBA source text.

Public API::

    Module(name: str, kind: ModuleKind, source: str = "")
    ModuleKind.STANDARD | ModuleKind.CLASS | ModuleKind.DOCUMENT
    load_module(path: str | Path, kind: ModuleKind | None = None) -> Module
    build_vba_project(
        modules: Iterable[Module], *,
        document_modules: Sequence[str] = ("ThisWorkbook", "Sheet1"),
        project_name: str = "VBAProject", syskind: SysKind = SysKind.WIN64,
        lcid: int = 0x0409, code_page: int = 1252,
    ) -> bytes
    add_vba_to_workbook(
        workbook: xlsxwriter.Workbook, modules: Iterable[Module],
        sheet_codenames: Mapping[str, str] | None = None, *,
        workbook_codename: str = "ThisWorkbook",
    ) -> bytes
    xlwings_modules() -> list[Module]          # [xlwings, Dictionary], version-checked
    macro_modules(*names: str) -> list[Module]  # modules from the project's macros/ folder
    stream_text(module, *, base=None) -> str    # the text stored in the module's stream

Example::

    wb = xlsxwriter.Workbook("kontraktbog.xlsm")
    ark = wb.add_worksheet("Kontrakter")
    ark.insert_button("B2", {"macro": "Valider", "caption": "Valider"})
    add_vba_to_workbook(wb, [*macro_modules("Kontraktbog", "PythonTjek"), *xlwings_modules()])
    wb.close()

Layers: ``toolkit.vba.format`` holds the file formats and knows nothing about Excel
(``compression``: MS-OVBA 2.4.1; ``records``: the ``dir``, ``_VBA_PROJECT`` and
``PROJECTwm`` streams; ``project_stream`` and ``encryption``: the ``PROJECT`` stream;
``cfb``: the compound file).  ``module``, ``project``, ``workbook`` and ``xlwings_vba``
are the API above it.  Nothing binary is stored in the repository: the project is
built from text every time.
"""

from __future__ import annotations

from toolkit.vba.format.records import SysKind
from toolkit.vba.macros import macro_modules
from toolkit.vba.module import Module, ModuleError, ModuleKind, load_module, stream_text
from toolkit.vba.project import build_vba_project
from toolkit.vba.workbook import add_vba_to_workbook
from toolkit.vba.xlwings_vba import PINNED_XLWINGS_VERSION, XlwingsVersionError, xlwings_modules

__all__ = [
    "PINNED_XLWINGS_VERSION",
    "Module",
    "ModuleError",
    "ModuleKind",
    "SysKind",
    "XlwingsVersionError",
    "add_vba_to_workbook",
    "build_vba_project",
    "load_module",
    "macro_modules",
    "stream_text",
    "xlwings_modules",
]
