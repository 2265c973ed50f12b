"""The master's buttons that make files: contracts, committee memos, next year's workbooks,
reminders — from the master open in Excel (what is typed counts, saved or not)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.excel.buttons import (
    ExcelFejl,
    alert,
    caller,
    document_folder,
    setting_path,
    user_errors,
    year_of,
)
from toolkit.excel.masterbook import master_from_book, read_master_book, write_setting

if TYPE_CHECKING:
    import xlwings as xw


def _documents() -> Any:
    try:
        import toolkit.documents as documents
    except ImportError as exc:
        raise ExcelFejl(
            "Kontrakter og udvalgsnotater kan ikke laves på denne computer: dokumentdelen "
            f"af værktøjet mangler ({exc.name or exc}). Installér kontraktstyring igen."
        ) from exc
    return documents


def lav_kontrakter(book: xw.Book | None = None) -> list[Path] | None:
    """One Word contract per institution, from the open master (decisions typed count)."""
    book = caller(book)
    with user_errors(book, "Lav kontrakter"):
        documents = _documents()
        master = master_from_book(book)
        year = year_of(master.settings)
        out = document_folder(book, master.settings, f"Kontrakter {year}")
        paths: list[Path] = documents.make_contracts(master, out)
        if not paths:
            raise ExcelFejl(
                f"Ingen virksomheder har kontraktmål for {year} endnu: der er ingen kontrakter at lave."
            )
        alert(book, f"{len(paths)} kontrakter er lavet i {out}.", "Lav kontrakter")
        return paths
    return None


def lav_udvalgsnotater(book: xw.Book | None = None) -> list[Path] | None:
    """One memo per committee: proposals (fase Forslag) or goal attainment (Resultater)."""
    book = caller(book)
    with user_errors(book, "Lav udvalgsnotater"):
        documents = _documents()
        master = master_from_book(book)
        year = year_of(master.settings)
        phase = (
            "maalopfyldelse"
            if str(master.settings.get("fase") or "").strip().lower() == "resultater"
            else "forslag"
        )
        out = document_folder(book, master.settings, f"Udvalgsnotater {year}")
        paths: list[Path] = documents.make_memos(master, out, phase=phase)
        what = "målopfyldelse" if phase == "maalopfyldelse" else "forslag"
        alert(book, f"{len(paths)} udvalgsnotater ({what}) er lavet i {out}.", "Lav udvalgsnotater")
        return paths
    return None


def nyt_kontraktaar(book: xw.Book | None = None) -> list[Path] | None:
    """Next year's workbooks from the open master: last year's goals and results carried over.

    Reads Virksomhedsregister and Indsatsområder from Indstillinger, writes the workbooks to
    "Udsendt <år>" beside the master (or in the Dokumentmappe), and moves the master's
    Kontraktår one year on, phase Forslag. The workbooks grade by the master's attainment rule.
    """
    book = caller(book)
    with user_errors(book, "Nyt kontraktår"):
        from toolkit.master.carryover import next_year_inputs
        from toolkit.master.grading import master_rule
        from toolkit.reading.inputs import read_focus_areas, read_register
        from toolkit.workbook.batch import BuildJob, build_many

        mb = read_master_book(book)
        if "maal" not in mb.places or "resultater" not in mb.places:
            raise ExcelFejl("Det ser ikke ud til at være en masterarbejdsbog: arkene Kontraktmål og "
                            "Resultater mangler. Åbn masterarbejdsbogen, og prøv igen.")  # fmt: skip
        master = master_from_book(book)
        settings = master.settings
        new_year = year_of(settings) + 1
        rule = master_rule(settings)  # the master's attainment rule goes into the workbooks
        register = read_register(setting_path(settings, "register", "Virksomhedsregister", book))
        areas = read_focus_areas(setting_path(settings, "indsatsomraader", "Indsatsområder", book))
        rows = {key: df.to_dict("records") for key, df in master.tables.items()}
        out = document_folder(
            book, settings, f"Udsendt {new_year}", beside="",
            unsaved="Gem masterarbejdsbogen først, eller skriv en Dokumentmappe på arket Indstillinger.",
        )  # fmt: skip
        paths = build_many(
            [
                BuildJob(out, inp)
                for inp in next_year_inputs(rows, register, areas, new_year, rule=rule)
            ]
        )
        write_setting(book, mb, "aar", new_year)
        write_setting(book, mb, "fase", "Forslag")
        alert(book, f"{len(paths)} arbejdsbøger til kontraktår {new_year} er lavet i {out}. "
                     f"Kontraktår på arket Indstillinger er nu {new_year}. Husk at gemme.", "Nyt kontraktår")  # fmt: skip
        return paths
    return None


def paamind(book: xw.Book | None = None) -> list[Path] | None:
    """Button Påmindelser: one e-mail draft (.eml) per institution that is missing, late or
    has errors, and a summary list, in "Påmindelser <år>" (Dokumentmappe, else beside the
    master). The blank workbooks in *Udsendte arbejdsbøger* (Indstillinger) are attached.
    Nothing is sent."""
    from toolkit.master.reminders import SUMMARY_NAME, write_reminders
    from toolkit.reading.inputs import read_register

    book = caller(book)
    with user_errors(book, "Påmindelser"):
        master = master_from_book(book)
        settings = master.settings
        year = year_of(settings)
        register = read_register(setting_path(settings, "register", "Virksomhedsregister", book))
        blank = None
        if str(settings.get("udsendt") or "").strip():
            blank = setting_path(settings, "udsendt", "Udsendte arbejdsbøger", book, folder=True)
        rows = {key: df.to_dict("records") for key, df in master.tables.items()}
        out = document_folder(book, settings, f"Påmindelser {year}")
        made = write_reminders(settings, rows, register, out, date.today(), blank)
        alert(book, f"{len(made)} e-mailkladder er lagt i {out} (oversigt: {SUMMARY_NAME}). "
                        "Intet er sendt: åbn dem i Outlook, læs dem igennem, og send dem.",
                  "Påmindelser")  # fmt: skip
        return [r.path for r in made if r.path is not None]
    return None
