"""The buttons as xlwings Server scripts, and who may press which.

The scripts are the same functions of :mod:`toolkit.excel` as the VBA buttons, run on
``xw.Book(json=payload)``; the answer is ``book.json()``, the actions the client applies.
They run in the server's worker processes (:mod:`toolkit.excel.server.jobs`), one book per
process at a time.

xlwings' remote engine and ``xlwings.server`` are licensed under PolyForm Noncommercial
1.0.0, which permits use by public institutions such as a municipality. Unless the
environment variable ``XLWINGS_LICENSE_KEY`` holds another key, :func:`ensure_remote_engine`
sets it to ``noncommercial`` before xlwings is imported. The rest of the project does not
need it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from toolkit.excel.server.config import KONTRAKTSERVICE

LICENSE_ENV = "XLWINGS_LICENSE_KEY"


def ensure_remote_engine() -> None:
    """Make xlwings' remote engine (``xw.Book(json=...)``) available.

    Sets ``XLWINGS_LICENSE_KEY=noncommercial`` when no key is set (PolyForm
    Noncommercial: permitted for public institutions) and registers the engine even if
    xlwings was imported before the key was there.
    """
    os.environ.setdefault(LICENSE_ENV, "noncommercial")
    import xlwings

    if "remote" not in [e.name for e in xlwings.engines]:
        from xlwings.pro import _xlremote  # checks the licence key

        xlwings.engines.add(xlwings.Engine(impl=_xlremote.engine))


ensure_remote_engine()

import xlwings as xw  # noqa: E402  (after the licence key is set)
from xlwings.server import custom_scripts_call, script  # noqa: E402

from toolkit import excel  # noqa: E402
from toolkit.errors import UserError  # noqa: E402


@script(name="Valider")
def valider(book: xw.Book) -> None:
    """Tjek arbejdsbogen, og marker fejl og mangler."""
    excel.valider(book)


@script(name="Konsolider")
def konsolider(book: xw.Book) -> None:
    """Saml alle indsendte arbejdsbøger i den åbne masterarbejdsbog."""
    excel.konsolider(book)


@script(name="Lav kontrakter")
def lav_kontrakter(book: xw.Book) -> None:
    """Lav en Word-kontrakt pr. virksomhed."""
    excel.lav_kontrakter(book)


@script(name="Lav udvalgsnotater")
def lav_udvalgsnotater(book: xw.Book) -> None:
    """Lav et udvalgsnotat pr. fagudvalg."""
    excel.lav_udvalgsnotater(book)


@script(name="Nyt kontraktår")
def nyt_kontraktaar(book: xw.Book) -> None:
    """Start næste kontraktår: næste års arbejdsbøger med sidste års mål og resultater."""
    excel.nyt_kontraktaar(book)


@script(name="Påmindelser")
def paamind(book: xw.Book) -> None:
    """Én e-mailkladde pr. virksomhed, der mangler, er forsinket eller har fejl."""
    excel.paamind(book)


SCRIPTS = (
    "valider",
    "konsolider",
    "lav_kontrakter",
    "lav_udvalgsnotater",
    "nyt_kontraktaar",
    "paamind",
)

#: The role each button needs (None: everyone who is signed in).
ROLE: dict[str, str | None] = {
    "valider": None,
    "konsolider": KONTRAKTSERVICE,
    "lav_kontrakter": KONTRAKTSERVICE,
    "lav_udvalgsnotater": KONTRAKTSERVICE,
    "nyt_kontraktaar": KONTRAKTSERVICE,
    "paamind": KONTRAKTSERVICE,
}

#: Buttons that may take minutes: they run in their own pool, so Valider never waits.
LONG = frozenset(
    {"konsolider", "lav_kontrakter", "lav_udvalgsnotater", "nyt_kontraktaar", "paamind"}
)


def run_script(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one script on the workbook ``payload``; return the actions for the client.

    A mistake the user can fix (:class:`toolkit.errors.UserError`) comes back as a Danish
    alert instead of an HTTP error.
    """
    if name not in SCRIPTS:
        raise KeyError(name)
    module = sys.modules[__name__]
    book = xw.Book(json=payload)
    try:
        try:
            done = asyncio.run(custom_scripts_call(module, name, typehint_to_value={xw.Book: book}))
            return dict(done.json())
        except UserError as exc:
            fresh = xw.Book(json=payload)
            try:
                fresh.app.alert(str(exc), title="Kontraktstyring", buttons="ok", mode="critical")
                return dict(fresh.json())
            finally:
                fresh.close()
    finally:
        book.close()
