"""The command line: ``kontrakt``. Every command is a thin layer over the package's functions."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from toolkit.cli.dansk import DanskGruppe, DanskKommando
from toolkit.cli.maaling import maaling
from toolkit.cli.workbooks import opret, valider
from toolkit.documents.formatting import antal, sekunder, tal
from toolkit.reading.inputs import read_register
from toolkit.spec.vocabulary import FEJL, FORSINKET, MANGLER

app = typer.Typer(
    name="kontrakt",
    help="Dialogbaseret kontraktstyring: arbejdsbøger, validering, konsolidering og dokumenter.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    cls=DanskGruppe,
)
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

# The commands in the order ``kontrakt --help`` lists them (the årshjul's order).
app.command(cls=DanskKommando)(opret)
app.command(cls=DanskKommando)(valider)


@app.command(cls=DanskKommando)
def konsolider(
    indbakke: Annotated[
        list[Path], typer.Argument(help="Mappen (eller mapperne) med virksomhedernes arbejdsbøger.")
    ],
    master: Annotated[
        Path,
        typer.Option("--master", help="Masterarbejdsbogen, der opdateres (.xlsx eller .xlsm)."),
    ],
    register: Annotated[Path, typer.Option("--register", help="Virksomhedsregistret (.xlsx).")],
    year: Annotated[
        int | None, typer.Option("--aar", help="Kontraktåret (standard: masterens).")
    ] = None,
    eksport: Annotated[
        Path | None, typer.Option("--eksport", help="Mappe til CSV- og Parquet-filer.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Skriv et resumé som JSON.")] = False,
    opfyldt: Annotated[
        float | None,
        typer.Option(
            "--opfyldt",
            help="Andel af vejen fra udgangspunkt til målværdi, der tæller som opfyldt (fx 0.9 "
            "= 90 %). Standard: masterens Opfyldt ved (%) på Indstillinger. Angivet: bruges og "
            "skrives på Indstillinger, så knappen Konsolider bedømmer ens næste gang.",
        ),
    ] = None,
    delvist: Annotated[
        float | None,
        typer.Option(
            "--delvist",
            help="Andel, der tæller som delvist opfyldt (fx 0.5). Standard: masterens Delvist "
            "opfyldt ved (%); angivet: bruges og skrives på Indstillinger.",
        ),
    ] = None,
    indsatsomraader: Annotated[
        Path | None,
        typer.Option("--indsatsomraader", help="De politiske indsatsområder (.xlsx) at tjekke."),
    ] = None,
) -> None:
    """Saml alle virksomheders arbejdsbøger i masterarbejdsbogen (Konsolider)."""
    from toolkit.master.consolidate import run
    from toolkit.rules.attainment import RuleOverride

    given = None if opfyldt is None and delvist is None else RuleOverride(opfyldt, delvist)
    result = run(  # a locked or unreadable master is a UserError: said by DanskKommando
        indbakke,
        master,
        register,
        year,
        export_dir=eksport,
        rule=given,  # a bad threshold (given or on Indstillinger) is a UserError
        focus_path=indsatsomraader,
    )
    s = result.summary()
    for w in result.warnings:
        err.print(f"[yellow]Advarsel:[/] {w}")
    if json_out:
        sys.stdout.write(json.dumps(s, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(f"[green]Masterarbejdsbogen er opdateret:[/] {result.master}")
    console.print(f"  {antal(s['filer'], 'fil', 'filer')} læst på {sekunder(s['sekunder'])}; "
                  f"{tal(s['brugt'])} brugt, {tal(s['afvist'])} afvist, "
                  f"{tal(s['erstattet'])} erstattet af nyere filer.")  # fmt: skip
    console.print(
        f"  {antal(s['mangler'], 'virksomhed', 'virksomheder')} mangler, {tal(s['med_fejl'])} "
        f"har fejl; {tal(s['maal'])} kontraktmål; {tal(s['fund'])} fund."
    )
    if result.backup:
        console.print(f"  Sikkerhedskopi af den forrige: {result.backup}")
    if result.exported:
        console.print(f"  Eksport: {antal(len(result.exported), 'fil', 'filer')} i {eksport}")


app.command("maaling", cls=DanskKommando)(maaling)


@app.command(cls=DanskKommando)
def nytaar(
    master: Annotated[
        Path, typer.Option("--master", help="Masterarbejdsbogen med årets mål og resultater.")
    ],
    register: Annotated[Path, typer.Option("--register", help="Virksomhedsregistret (.xlsx).")],
    indsatsomraader: Annotated[
        Path, typer.Option("--indsatsomraader", help="Næste års indsatsområder (.xlsx).")
    ],
    ud: Annotated[Path, typer.Option("--ud", help="Mappen, næste års arbejdsbøger lægges i.")],
    year: Annotated[
        int | None, typer.Option("--aar", help="Det nye kontraktår (standard: masterens + 1).")
    ] = None,
) -> None:
    """Nyt kontraktår: næste års arbejdsbøger med sidste års mål og resultater som udgangspunkt."""
    from toolkit.master.carryover import make_next_year
    from toolkit.master.model import read_master_rows
    from toolkit.rules.cycle import later_waves_text, split_waves

    t0 = time.perf_counter()
    try:
        paths = make_next_year(master, register, indsatsomraader, ud, year)
        new_year = year or int(read_master_rows(master)[0].get("aar") or datetime.now().year) + 1
        later = split_waves(read_register(register).institutions, new_year)[1]
    except FileNotFoundError as exc:
        err.print(f"[red]Fejl:[/] {exc}")
        raise typer.Exit(2) from None
    if later:
        console.print(f"[yellow]{later_waves_text(later, new_year)}[/]")
    console.print(
        f"[green]{antal(len(paths), 'arbejdsbog', 'arbejdsbøger')}[/] til det nye kontraktår "
        f"lavet i {ud} på {sekunder(time.perf_counter() - t0)}."
    )


@app.command(cls=DanskKommando)
def paamind(
    master: Annotated[
        Path, typer.Option("--master", help="Masterarbejdsbogen (efter Konsolider).")
    ],
    register: Annotated[Path, typer.Option("--register", help="Virksomhedsregistret (.xlsx).")],
    ud: Annotated[Path, typer.Option("--ud", help="Mappen, e-mailkladderne lægges i.")],
    udsendt: Annotated[
        Path | None,
        typer.Option("--udsendt", help="Mappen med de tomme arbejdsbøger fra opret (vedhæftes)."),
    ] = None,
    dato: Annotated[
        str | None, typer.Option("--dato", help="Dagens dato (dd-mm-åååå); standard: i dag.")
    ] = None,
) -> None:
    """Påmindelser: én e-mailkladde (.eml) pr. virksomhed, der mangler, er forsinket eller har fejl."""
    from toolkit.master.reminders import SUMMARY_NAME, make_reminders
    from toolkit.rules.cycle import as_date

    today = as_date(dato) if dato else None
    if dato and today is None:
        err.print(f"[red]Fejl:[/] --dato '{dato}' er ikke en dato (skriv fx 02-09-2026).")
        raise typer.Exit(2)
    if not master.is_file():
        err.print(f"[red]Fejl:[/] {master} findes ikke.")
        raise typer.Exit(2)
    made = make_reminders(master, register, ud, blank_folder=udsendt, today=today)
    why = Counter(r.reason for r in made)
    attached = sum(1 for r in made if r.attachment is not None)
    console.print(f"[green]{len(made)} e-mailkladder[/] i {ud}: {why.get(MANGLER, 0)} mangler, "
                  f"{why.get(FORSINKET, 0)} forsinket, {why.get(FEJL, 0)} med fejl; "
                  f"{attached} med arbejdsbogen vedhæftet. Oversigt: {ud / SUMMARY_NAME}")  # fmt: skip
    console.print("  Intet er sendt: åbn kladderne i Outlook, læs dem igennem, og send dem.")
    if udsendt is None and any(r.reason != FEJL for r in made):
        console.print("  Tip: --udsendt <mappe fra opret> vedhæfter den tomme arbejdsbog.")


@app.command(cls=DanskKommando)
def demo(
    mappe: Annotated[Path, typer.Argument(help="Mappen, demokommunen bygges i.")] = Path("demo"),
    antal: Annotated[int, typer.Option("--antal", help="Antal virksomheder.")] = 120,
    year: Annotated[int, typer.Option("--aar", help="Kontraktåret.")] = 2027,
    seed: Annotated[
        int, typer.Option("--seed", help="Startværdi for den tilfældige generator.")
    ] = 2027,
) -> None:
    """Byg en demokommune og kør hele årshjulet to gange: forslag, rettelser, beslutninger,
    kontrakter, næste års forslag, resultater, målopfyldelse og samlet rapport."""
    from toolkit.demo.pipeline import run_demo

    run_demo(mappe, antal=antal, year=year, seed=seed, console=console, cycle=True)


@app.command("xlsm", cls=DanskKommando)
def xlsm_master(
    master: Annotated[Path, typer.Argument(help="Masterarbejdsbogen (.xlsx).")],
    ud: Annotated[
        Path | None, typer.Option("--ud", help="Den nye fil (standard: samme navn med .xlsm).")
    ] = None,
) -> None:
    """Lav masterarbejdsbogen som .xlsm med knapperne Konsolider, Lav kontrakter, Lav udvalgsnotater og Nyt kontraktår."""
    from toolkit.master.xlsm import to_xlsm

    if not master.is_file():
        err.print(f"[red]Fejl:[/] {master} findes ikke.")
        raise typer.Exit(2)
    try:
        target = to_xlsm(master, ud)
    except ValueError as exc:  # (a locked master is a UserError: said by DanskKommando)
        err.print(f"[red]Fejl:[/] {exc}")
        raise typer.Exit(2) from None
    console.print(f"[green]Masterarbejdsbogen med knapper:[/] {target}")
    console.print("  Knapperne kræver Python med xlwings på computeren (se README: Knapperne).")


@app.command(cls=DanskKommando)
def server(
    port: Annotated[int, typer.Option("--port", help="Porten, serveren lytter på.")] = 8000,
    vaert: Annotated[
        str, typer.Option("--vaert", help="Netværksadressen, der lyttes på (0.0.0.0: alle).")
    ] = "127.0.0.1",
    url: Annotated[
        str,
        typer.Option(
            "--url", help="Adressen, Excel når serveren på, fx https://kontrakt.kommune.dk."
        ),
    ] = "",
    cert: Annotated[Path | None, typer.Option("--cert", help="TLS-certifikat (PEM).")] = None,
    noegle: Annotated[Path | None, typer.Option("--noegle", help="TLS-nøgle (PEM).")] = None,
    mappe: Annotated[
        Path | None,
        typer.Option(
            "--mappe", help="Den ene mappe, alle stier i arbejdsbøgerne skal ligge i (påkrævet)."
        ),
    ] = None,
    xlwings_js: Annotated[
        str,
        typer.Option(
            "--xlwings-js", help="Adressen på xlwings.min.js (standard: CDN, samme version)."
        ),
    ] = "",
    entra_tenant: Annotated[
        list[str] | None,
        typer.Option("--entra-tenant", help="Tilladt tenant-id i Entra ID (kan gentages)."),
    ] = None,
    entra_klient: Annotated[
        list[str] | None,
        typer.Option("--entra-klient", help="Tilføjelsesprogrammets klient-id eller api://-URI."),
    ] = None,
    entra_jwks: Annotated[
        str, typer.Option("--entra-jwks", help="Entra ID's nøgler: JSON-fil eller https-adresse.")
    ] = "",
) -> None:
    """Start xlwings Server: knapperne som tilføjelsesprogram i Excel (se docs/xlwings-server.md).

    Login er slået til: Entra ID (--entra-…) og/eller en delt hemmelighed i miljøvariablen
    KONTRAKT_HEMMELIGHED (alle knapper) / KONTRAKT_HEMMELIGHED_VALIDER (kun Valider).
    """
    from toolkit.excel.server import KonfigurationsFejl, config_from, serve

    config = config_from(mappe=mappe, vaert=vaert, port=port, url=url, cert=cert, noegle=noegle,
                         xlwings_js=xlwings_js, entra_tenant=entra_tenant or [],
                         entra_klient=entra_klient or [], entra_jwks=entra_jwks)  # fmt: skip
    try:
        serve(config)
    except KonfigurationsFejl as exc:
        console.print(f"[red]Serveren starter ikke:[/] {exc}")
        raise typer.Exit(2) from None


from toolkit.cli.documents import kontrakter, notater, rapport  # noqa: E402

app.command(cls=DanskKommando)(kontrakter)
app.command(cls=DanskKommando)(notater)
app.command(cls=DanskKommando)(rapport)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
