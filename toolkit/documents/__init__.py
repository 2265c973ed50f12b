"""Word contracts, committee memos and the overall report, from editable templates.

Public API::

    make_contracts(master_path, out_dir, *, pdf=False, workers=None) -> list[Path]
    make_memos(master_path, out_dir, *, phase="forslag"|"maalopfyldelse", pdf=False) -> list[Path]
    make_report(master_path, out_dir, *, pdf=False) -> Path

    contract_context(master, virksomhed_id) -> dict     (what kontrakt.docx receives)
    memo_context(master, udvalg, phase) -> dict         (udvalgsnotat_<fase>.docx)
    report_context(master) -> dict                      (samlet_rapport.docx)

``master_path`` is the master workbook or a :class:`~toolkit.master.model.Master`. The
templates live in ``templates/`` (made by ``templates/make_templates.py``; the variables
are documented for the template editors in ``docs/skabeloner.md``). Errors a user may see
are Danish: :class:`SkabelonFejl` (a template uses an unknown variable or has a broken
tag), :class:`PdfFejl` (the .docx files were made, the PDFs were not) and
:class:`IngenResultater` (an attainment document asked of a master without results).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.documents.context import contract_context, memo_context, report_context
    from toolkit.documents.make import (
        PdfFejl,
        contract_plan,
        make_contracts,
        make_memos,
        make_report,
    )
    from toolkit.documents.render import SkabelonFejl
    from toolkit.documents.shared import IngenResultater

# Imported on first use: docxtpl, python-docx and matplotlib are slow to import, and every
# `kontrakt` command (also Konsolider) passes through this package.
_WHERE = {
    "contract_context": "context", "memo_context": "context", "report_context": "context",
    "PdfFejl": "make", "contract_plan": "make", "make_contracts": "make", "make_memos": "make",
    "make_report": "make", "SkabelonFejl": "render", "IngenResultater": "shared",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"toolkit.documents.{_WHERE[name]}"), name)
    raise AttributeError(name)


__all__ = [
    "IngenResultater",
    "PdfFejl",
    "SkabelonFejl",
    "contract_context",
    "contract_plan",
    "make_contracts",
    "make_memos",
    "make_report",
    "memo_context",
    "report_context",
]
