"""Put a VBA project built from text into an XlsxWriter workbook."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from xlsxwriter.chartsheet import Chartsheet
from xlsxwriter.workbook import Workbook

from toolkit.vba.module import Module, ModuleError
from toolkit.vba.project import build_vba_project


def add_vba_to_workbook(
    workbook: Workbook,
    modules: Iterable[Module],
    sheet_codenames: Mapping[str, str] | None = None,
    *,
    workbook_codename: str = "ThisWorkbook",
) -> bytes:
    """Build the project and add it to ``workbook``; return the ``vbaProject.bin`` bytes.

    Call this after the last ``add_worksheet``.  ``sheet_codenames`` maps sheet names to
    VBA code names; other sheets keep a code name set with ``set_vba_name`` or get
    ``Sheet1``, ``Sheet2`` ... by position, as XlsxWriter would.  The workbook's file
    name must end in ``.xlsm``.
    """
    sheet_codenames = dict(sheet_codenames or {})
    sheets = workbook.worksheets()
    unknown = set(sheet_codenames) - {sheet.name for sheet in sheets}
    if unknown:
        raise ModuleError(f"Kodenavne for ark, der ikke findes: {', '.join(sorted(unknown))}.")
    codenames: list[str] = []
    for index, sheet in enumerate(sheets):
        if isinstance(sheet, Chartsheet):
            raise ModuleError(f"Diagramark understøttes ikke i et VBA-projekt: {sheet.name!r}.")
        codename = sheet_codenames.get(sheet.name) or sheet.vba_codename or f"Sheet{index + 1}"
        sheet.set_vba_name(codename)
        codenames.append(codename)
    workbook.set_vba_name(workbook_codename)
    data = build_vba_project(modules, document_modules=(workbook_codename, *codenames))
    workbook.add_vba_project(io.BytesIO(data), is_stream=True)
    return data
