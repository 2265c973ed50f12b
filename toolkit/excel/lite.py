"""Valider as the xlwings Lite add-in runs it, inside Excel (Pyodide): no Python on the PC.

The same steps as the VBA/RunPython button (:func:`toolkit.excel.valider`): read the open
workbook through the ``xw.Book`` API with the reader's own code, run the rules, write the
findings list on Tjek (with a link to each cell) and colour the cells, giving the cells the
previous run coloured their own colour back. xlwings Lite shows no message boxes, so the
short Danish verdict goes to the status cell above the list and to the add-in's output.

Excel does not let an add-in write into a locked cell of a protected sheet (the write fails
quietly, xlwings issue 1845): the list goes only into Tjek's unlocked columns H:L, and the
workbook's sheets allow formatting, so the colours can be set (tests/test_lite.py checks
every cell the script touches against the workbook's protection).

Everything here is bundled into the workbook's ``main.py`` (:mod:`toolkit.workbook.lite.bundle`) and
must stay importable with only the standard library and xlwings.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

from toolkit.errors import UserError
from toolkit.excel.book import BookSource, read_book
from toolkit.excel.findings import findings_area, verdict, write_findings
from toolkit.rules.validate import validate
from toolkit.spec.workbook import default_spec

if TYPE_CHECKING:
    import xlwings as xw

    from toolkit.spec.model import Finding


def local_now() -> datetime:
    """The time on the user's clock (Pyodide's own clock runs in UTC)."""
    if sys.platform == "emscripten":  # inside the add-in (and the Pyodide tests)
        import js  # type: ignore[import-not-found]

        d = js.Date.new()
        return datetime(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(),
                        d.getMinutes(), d.getSeconds())  # fmt: skip
    return datetime.now().replace(microsecond=0)


def valider(book: xw.Book, now: datetime | None = None) -> list[Finding] | None:
    """Check the open institution workbook; list and mark what is wrong. None: not one."""
    spec = default_spec()
    try:
        model = read_book(book, spec)
    except UserError as exc:  # the workbook cannot be read: said in Danish
        print(f"Valider: {exc}")
        return None
    findings = validate(model, spec)
    errors = sum(1 for f in findings if f.severity == "fejl")
    text = verdict(errors, len(findings) - errors)
    area = findings_area(BookSource(book))
    if area is None:  # a workbook without the findings area: only tell
        print(text)
        for f in findings:
            print(f"• {f.sheet}!{f.cell}: {f.message}" if f.sheet and f.cell else f"• {f.message}")
        return findings
    write_findings(book, area, findings, model, spec, now or local_now())
    if findings:
        book.sheets[area.sheet].activate()
    print(text)
    return findings
