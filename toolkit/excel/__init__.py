"""The buttons in Excel: what VBA's RunPython and the xlwings Server add-in call.

Public API (every function takes the workbook, or finds the calling one)::

    valider(book=None) -> list[Finding] | None          # institution workbook, button Valider
    konsolider(book=None, *, now=None) -> dict | None    # master, button Konsolider
    lav_kontrakter(book=None) -> list[Path] | None       # master, button Lav kontrakter
    lav_udvalgsnotater(book=None) -> list[Path] | None   # master, button Lav udvalgsnotater
    nyt_kontraktaar(book=None) -> list[Path] | None      # master, button Nyt kontraktår
    paamind(book=None) -> list[Path] | None              # master, button Påmindelser
    read_book(book) -> Kontraktbog      BookSource(book)      read_master_book(book)
    set_root(root)                      # the server: every path inside this folder

The VBA modules (``macros/*.bas``) call them by these names. They live in
:mod:`toolkit.excel.buttons` (what every button shares, and Valider),
:mod:`toolkit.excel.konsolider_button` (Konsolider: the open master through the pure core) and
:mod:`toolkit.excel.make` (the buttons that make files). Each reads the values that are in
Excel now (the file may be unsaved), runs the same core code as the command line, writes
back values only, and ends with a short Danish message (``book.app.alert``). A mistake the
user can fix (:class:`toolkit.errors.UserError`) becomes that message; nothing has been
written then.
"""

from __future__ import annotations

from toolkit.excel.book import BookSource, read_book
from toolkit.excel.buttons import ExcelFejl, IkkeLavetEndnu, set_root, valider
from toolkit.excel.konsolider_button import konsolider
from toolkit.excel.make import lav_kontrakter, lav_udvalgsnotater, nyt_kontraktaar, paamind
from toolkit.excel.masterbook import master_from_book, read_master_book

__all__ = [
    "BookSource",
    "ExcelFejl",
    "IkkeLavetEndnu",
    "konsolider",
    "lav_kontrakter",
    "lav_udvalgsnotater",
    "master_from_book",
    "nyt_kontraktaar",
    "paamind",
    "read_book",
    "read_master_book",
    "set_root",
    "valider",
]
