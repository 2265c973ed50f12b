"""Word contracts, committee memos and the overall report, from editable templates.

Public API::

    make_contracts(master_path, out_dir, *, pdf=False, workers=None) -> list[Path]
    make_memos(master_path, out_dir, *, fase="forslag"|"maalopfyldelse", pdf=False) -> list[Path]
    make_report(master_path, out_dir, *, pdf=False) -> Path

    contract_context(master, virksomhed_id) -> dict     (what kontrakt.docx receives)
    memo_context(master, udvalg, fase) -> dict          (udvalgsnotat_<fase>.docx)
    report_context(master) -> dict                      (samlet_rapport.docx)

``master_path`` is the master workbook or a :class:`~toolkit.master.model.Master`. The
templates live in ``templates/`` (made by ``templates/make_templates.py``; the variables
are documented for the template editors in ``docs/skabeloner.md``). Errors a user may see
are Danish: :class:`SkabelonFejl` (a template uses an unknown variable or has a broken
tag) and :class:`PdfFejl` (the .docx files were made, the PDFs were not).
"""

from toolkit.documents.context import contract_context, memo_context, report_context
from toolkit.documents.make import PdfFejl, contract_plan, make_contracts, make_memos, make_report
from toolkit.documents.render import SkabelonFejl

__all__ = [
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
