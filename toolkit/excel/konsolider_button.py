"""The Konsolider button: the open master in, the pure core, the new tables back into the book.

The open file cannot be replaced while Excel holds it, so nothing is written to it: the
button reads the open book's settings and tables — Kontraktservice's own columns included,
saved or not — into a :class:`~toolkit.master.consolidation.MasterState`, gathers the inbox
from disk, lets the core (:func:`toolkit.master.consolidation.consolidate`, the same as the
command line's, grading by the rule on Indstillinger) compute the new master, and writes the outcome's tables and key figures into
the open book as values. The file on disk is copied to ``Sikkerhedskopier/`` first and the
run is logged beside it (desktop Excel, where the file is known); the user saves the book.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from toolkit.excel.book import saved_file
from toolkit.excel.buttons import (
    ExcelFejl,
    alert,
    caller,
    inboxes_of,
    setting_path,
    user_errors,
    year_of,
)
from toolkit.excel.masterbook import (
    BY_TABLE,
    MasterBook,
    read_master_book,
    write_overview,
    write_setting,
    write_table,
)
from toolkit.master.layout import matrix_cols

if TYPE_CHECKING:
    from pathlib import Path

    import xlwings as xw

    from toolkit.master.consolidation import Outcome
    from toolkit.master.intake import Intake


def konsolider(
    book: xw.Book | None = None, *, now: datetime | None = None
) -> dict[str, Any] | None:
    """Konsolider into the master open in Excel, in place; the run's counts (None: a
    message told the user what to put right)."""
    book = caller(book)
    with user_errors(book, "Konsolider"):
        path = saved_file(book)  # the server: a book name outside its folder is refused first
        now = now or datetime.now().replace(microsecond=0)
        mb = read_master_book(book)
        missing = [
            BY_TABLE[k].sheet for k in ("oversigt", "maal", "resultater") if k not in mb.places
        ]
        if missing:
            raise ExcelFejl(f"Det ser ikke ud til at være en masterarbejdsbog: arket {missing[0]} mangler. "
                            "Åbn masteren, og klik Konsolider der.")  # fmt: skip
        year = year_of(mb.settings)
        inboxes = inboxes_of(mb.settings, book)
        register_path = setting_path(mb.settings, "register", "Virksomhedsregister", book)
        intake, outcome = consolidate_book(book, mb, inboxes, register_path, year, now, path)
        write_outcome(book, mb, outcome)
        summary = _log(path, intake, outcome)
        alert(book, _summary_text(summary), "Konsolider")
        return summary
    return None


def consolidate_book(
    book: xw.Book,
    mb: MasterBook,
    inboxes: list[Path],
    register_path: Path,
    year: int,
    now: datetime,
    path: Path | None = None,
) -> tuple[Intake, Outcome]:
    """The inbox and the open master's rows (``mb``) through the core: nothing is written."""
    from toolkit.master.consolidate import current_user, inbox_text, master_and_copies
    from toolkit.master.consolidation import MasterState, check_state, consolidate
    from toolkit.master.intake import gather
    from toolkit.reading.inputs import read_register

    t0 = time.perf_counter()
    register = read_register(register_path)
    old = MasterState(mb.settings, mb.rows, path.name if path else str(book.name))
    check_state(old)  # before the inbox is read (tables found, a usable rule)
    intake = gather(inboxes, register, year, exclude=master_and_copies(path) if path else ())
    outcome = consolidate(old, intake, register, year, now, user=current_user(),
                          inbox=inbox_text(inboxes), sources={"register": str(register_path)})  # fmt: skip
    outcome.entry["varighed"] = round(time.perf_counter() - t0, 2)
    return intake, outcome


def write_outcome(book: xw.Book, mb: MasterBook, outcome: Outcome) -> None:
    """The new tables, Kommune and Kontraktår, and Overblik's key figures, into the open book."""
    tables = outcome.tables
    for key, place in mb.places.items():
        if key == "matrix":
            write_table(book, place, matrix_cols(outcome.areas), outcome.matrix, header=True)
        elif key in tables:
            write_table(book, place, BY_TABLE[key].cols, tables[key])
    for key in ("kommune", "aar"):
        write_setting(book, mb, key, outcome.settings.get(key))
    write_overview(book, outcome.settings, outcome.stats, tables)


def _log(path: Path | None, intake: Intake, outcome: Outcome) -> dict[str, Any]:
    from toolkit.master.consolidate import log_line
    from toolkit.master.consolidation import tally
    from toolkit.master.save import append_log, backup, prune_backups

    summary: dict[str, Any] = {**tally(intake, outcome.tables, outcome.year), "backup": None}
    if path is not None:
        try:  # the last saved version; Excel lets others read the file it has open
            copy = backup(path, prune=False)
            summary["backup"] = str(copy) if copy else None
            kept = prune_backups(path)
        except OSError:
            kept = []
        append_log(path, log_line(path, outcome.entry, kept, i_excel=True))
    return summary


def _summary_text(s: dict[str, Any]) -> str:
    text = (f"Masterarbejdsbogen er opdateret: {s['filer']} filer læst, {s['brugt']} brugt, "
            f"{s['afvist']} afvist. {s['mangler']} virksomheder mangler, {s['med_fejl']} har fejl; "
            f"{s['maal']} kontraktmål, {s['fund']} fund.\n"
            "Jeres egne kolonner er bevaret. Husk at gemme arbejdsbogen.")  # fmt: skip
    if s.get("backup"):
        text += f"\nDen gemte udgave er kopieret til {s['backup']}."
    return text
