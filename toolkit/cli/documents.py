"""The document commands of ``kontrakt``: kontrakter, notater, rapport.

``toolkit/cli/app.py`` registers them::

    from toolkit.cli.documents import kontrakter, notater, rapport

    app.command()(kontrakter)
    app.command()(notater)
    app.command()(rapport)

Exit codes: 0 all made; 1 the Word files were made but not (all) the PDFs; 2 nothing was
made (missing master, broken template).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from toolkit.documents.formatting import antal

# The document machinery (docxtpl, python-docx, matplotlib) is imported inside the commands:
# every `kontrakt` command imports this module, and most of them never make a document.
FASER = ("forslag", "maalopfyldelse")

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)
T = TypeVar("T")

MasterOpt = Annotated[Path, typer.Option("--master", help="Masterfilen (.xlsx).")]
UdOpt = Annotated[Path, typer.Option("--ud", help="Mappen, dokumenterne lægges i.")]
PdfOpt = Annotated[bool, typer.Option("--pdf", help="Lav også PDF'er (kræver LibreOffice).")]
TemplatesOpt = Annotated[
    Path | None, typer.Option("--skabeloner", help="Mappe med egne, rettede skabeloner.")
]


def _run(what: Callable[[], T]) -> tuple[T | None, int]:
    """Run ``what``; print Danish errors. Returns (result, exit code).

    A :class:`~toolkit.documents.make.PdfFejl` is a warning here (the Word files exist: exit
    code 1); other user errors reach :class:`~toolkit.cli.dansk.DanskKommando` (exit code 2).
    """
    from toolkit.documents.make import PdfFejl

    try:
        return what(), 0
    except PdfFejl as exc:
        err.print(f"[yellow]Advarsel:[/] {exc}")
        return None, 1
    except (FileNotFoundError, PermissionError, KeyError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        err.print(f"[red]Fejl:[/] {message}")
        raise typer.Exit(2) from None


def _seconds(t0: float) -> str:
    from toolkit.documents.formatting import sekunder

    return sekunder(time.perf_counter() - t0)


def kontrakter(
    master: MasterOpt,
    ud: UdOpt,
    pdf: PdfOpt = False,
    skabeloner: TemplatesOpt = None,
    processer: Annotated[
        int | None, typer.Option("--processer", help="Antal processer (standard: alle kerner).")
    ] = None,
) -> None:
    """Lav en Word-kontrakt pr. virksomhed ud fra masterfilen."""
    from toolkit.documents.make import contract_plan, load, make_contracts

    t0 = time.perf_counter()
    data, _ = _run(lambda: load(master))
    assert data is not None
    _make, skipped = contract_plan(data)
    paths, code = _run(
        lambda: make_contracts(data, ud, pdf=pdf, workers=processer, templates=skabeloner)
    )
    n = len(paths) if paths is not None else len(_make)
    console.print(f"[green]{antal(n, 'kontrakt', 'kontrakter')}[/] lavet i {ud} på {_seconds(t0)}.")
    for inst, why in skipped:
        console.print(f"  Ingen kontrakt til {inst.id} {inst.navn}: {why}.")
    raise typer.Exit(code)


def notater(
    master: MasterOpt,
    phase: Annotated[str, typer.Option("--fase", help="forslag eller maalopfyldelse.")],
    ud: UdOpt,
    pdf: PdfOpt = False,
    skabeloner: TemplatesOpt = None,
) -> None:
    """Lav et udvalgsnotat pr. fagudvalg: forslag (sept./okt.) eller målopfyldelse (marts)."""
    from toolkit.documents.context import Fase
    from toolkit.documents.make import make_memos

    valg = phase.strip().lower().replace("å", "aa")
    if valg not in FASER:
        raise typer.BadParameter("skal være 'forslag' eller 'maalopfyldelse'", param_hint="--fase")
    chosen: Fase = "forslag" if valg == "forslag" else "maalopfyldelse"
    t0 = time.perf_counter()
    paths, code = _run(lambda: make_memos(master, ud, phase=chosen, pdf=pdf, templates=skabeloner))
    if paths is not None:
        made = antal(len(paths), "udvalgsnotat", "udvalgsnotater")
        console.print(f"[green]{made}[/] lavet i {ud} på {_seconds(t0)}.")
    raise typer.Exit(code)


def rapport(
    master: MasterOpt, ud: UdOpt, pdf: PdfOpt = False, skabeloner: TemplatesOpt = None
) -> None:
    """Lav den samlede rapport om målopfyldelsen til Økonomiudvalget og Kommunalbestyrelsen."""
    from toolkit.documents.make import make_report

    t0 = time.perf_counter()
    path, code = _run(lambda: make_report(master, ud, pdf=pdf, templates=skabeloner))
    if path is not None:
        console.print(f"[green]Samlet rapport[/] lavet: {path} ({_seconds(t0)}).")
    raise typer.Exit(code)
