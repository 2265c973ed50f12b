"""``kontrakt maaling``: import a survey export (user satisfaction, well-being) into the master."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from toolkit.documents.formatting import tal

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def maaling(
    eksport: Annotated[Path, typer.Argument(help="Undersøgelsens eksport (.xlsx eller .csv).")],
    kortlaegning: Annotated[
        Path,
        typer.Option("--kortlaegning", help="Kortlægningen (.toml): indikator og kolonner."),
    ],
    master: Annotated[Path, typer.Option("--master", help="Masterarbejdsbogen.")],
    register: Annotated[Path, typer.Option("--register", help="Virksomhedsregistret (.xlsx).")],
    year: Annotated[
        int | None, typer.Option("--aar", help="Kontraktåret (standard: masterens).")
    ] = None,
    indbakke: Annotated[
        list[Path] | None,
        typer.Option("--indbakke", help="Arbejdsbøgernes mappe (standard: masterens)."),
    ] = None,
) -> None:
    """Læs en undersøgelse, beregn indikatoren pr. virksomhed og før den ind i masteren."""
    from toolkit.master.measurements.importer import import_survey

    # a locked or unreadable master is a UserError: said in Danish by DanskKommando
    done = import_survey(eksport, kortlaegning, master, register, inbox=indbakke, year=year)
    res = done.result
    table = Table(title=f"{res.indicator.navn} ({res.indicator.enhed}), {done.year}")
    for col in ("Virksomhed", "Værdi", "Respondenter", "Svarprocent"):
        table.add_column(col)
    for m in res.measurements:
        value = "for få" if m.for_faa else ("" if m.vaerdi is None else tal(m.vaerdi, 1))
        rate = "" if m.svarprocent is None else f"{tal(m.svarprocent, 1)} %"
        table.add_row(m.navn, value, str(m.respondenter), rate)
    console.print(table)
    for p in res.problems:
        err.print(f"[yellow]Advarsel:[/] {p}")
    console.print(f"[green]Målingen er ført ind i masterarbejdsbogen:[/] {done.run.master}")
