"""The workbook commands of ``kontrakt``: opret (make the institutions' workbooks) and
valider (check filled-in workbooks).

``toolkit/cli/app.py`` registers them first, so ``kontrakt --help`` lists them first.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from toolkit.documents.formatting import antal, sekunder, tal
from toolkit.reading.inputs import focus_problems, read_focus_areas, read_register
from toolkit.workbook.batch import (
    BuildJob,
    FileResult,
    build_many,
    expand_paths,
    summarize,
    validate_many,
)
from toolkit.workbook.build import WorkbookInput

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PHASES = ("forslag", "resultater")


def _phase(value: str) -> str:
    v = value.strip().lower()
    if v not in PHASES:
        raise typer.BadParameter("skal være 'forslag' eller 'resultater'")
    return v


def opret(
    year: Annotated[int, typer.Option("--aar", help="Kontraktåret, fx 2027.")],
    register: Annotated[Path, typer.Option("--register", help="Virksomhedsregistret (.xlsx).")],
    indsatsomraader: Annotated[
        Path, typer.Option("--indsatsomraader", help="De politiske indsatsområder (.xlsx).")
    ],
    ud: Annotated[Path, typer.Option("--ud", help="Mappen, arbejdsbøgerne lægges i.")],
    phase: Annotated[
        str, typer.Option("--fase", help="forslag eller resultater.", callback=_phase)
    ] = "forslag",
    kun: Annotated[
        str | None, typer.Option("--kun", help="Kun disse virksomheds-id'er, kommasepareret.")
    ] = None,
    xlsm: Annotated[
        bool,
        typer.Option("--xlsm", help="Makroaktiverede arbejdsbøger (.xlsm) med knappen Valider."),
    ] = False,
    master: Annotated[
        Path | None,
        typer.Option(
            "--master", help="Med --fase resultater: skriv årets kontraktmål fra masteren ind."
        ),
    ] = None,
    opfyldt: Annotated[
        float | None,
        typer.Option(
            "--opfyldt",
            help="Andel af vejen fra udgangspunkt til målværdi, der tæller som opfyldt i "
            "arket Resultater (fx 0.9 = 90 %). Standard: masterens (med --master), ellers 1.",
        ),
    ] = None,
    delvist: Annotated[
        float | None,
        typer.Option(
            "--delvist",
            help="Andel, der tæller som delvist opfyldt (standard: masterens, ellers 0.5).",
        ),
    ] = None,
) -> None:
    """Lav én arbejdsbog pr. virksomhed i registret, klar til at sende ud."""
    t0 = time.perf_counter()
    reg = read_register(register)
    areas = read_focus_areas(indsatsomraader)
    for p in reg.problems + areas.problems + focus_problems(reg, areas):
        err.print(f"[yellow]Advarsel:[/] {p}")
    wanted = {x.strip() for x in kun.split(",")} if kun else None
    created = datetime.now().replace(microsecond=0)
    from toolkit.rules.attainment import RuleOverride, rule_from_settings

    given = RuleOverride(opfyldt, delvist)
    rule = rule_from_settings({}, override=given)  # a bad threshold is a UserError
    goals: dict[str, object] = {}
    if master is not None:
        from dataclasses import replace

        from toolkit.master.carryover import results_phase_inputs
        from toolkit.master.grading import master_rule
        from toolkit.master.model import read_master_rows

        settings, rows = read_master_rows(master)
        rule = master_rule(settings, given)  # the master's rule, the options in its place
        goals = {
            str(i.institution["id"]): i.filling
            for i in results_phase_inputs(rows, reg, areas, year, rule=rule)
        }
    from toolkit.rules.cycle import later_waves_text, split_waves

    covered, later = split_waves(reg.institutions, year)
    if wanted:
        later = [i for i in later if i.id in wanted]
    if later:
        console.print(f"[yellow]{later_waves_text(later, year)}[/]")
    jobs = []
    for inst in covered:
        if wanted and inst.id not in wanted:
            continue
        titles = areas.titles(inst.udvalg, year)
        if not titles:
            err.print(
                f"[yellow]Advarsel:[/] {inst.udvalg} har ingen indsatsområder for {year} ({inst.navn})."
            )
        inp = WorkbookInput(
            inst.as_dict(), year, reg.kommune, titles, phase, reg.register_id, created,
            xlsm=xlsm, rule=rule,
        )  # fmt: skip
        if goals.get(inst.id) is not None:
            inp = replace(inp, filling=goals[inst.id])  # type: ignore[arg-type]
        jobs.append(BuildJob(ud, inp))
    paths = build_many(jobs)
    console.print(
        f"[green]{antal(len(paths), 'arbejdsbog', 'arbejdsbøger')}[/] lavet i {ud} på "
        f"{sekunder(time.perf_counter() - t0)}."
    )


def valider(
    filer: Annotated[
        list[Path], typer.Argument(help="Arbejdsbøger eller mapper med arbejdsbøger.")
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON.")] = False,
    kun_fejl: Annotated[bool, typer.Option("--kun-fejl", help="Vis ikke advarsler.")] = False,
) -> None:
    """Tjek arbejdsbøger. Afslutter med kode 1, hvis der er mindst én fejl."""
    paths = list(expand_paths(filer))
    if not paths:
        err.print("[red]Fejl:[/] ingen Excel-filer fundet.")
        raise typer.Exit(2)
    results = validate_many(paths)
    findings = [f for r in results for f in r.findings if not (kun_fejl and f.severity != "fejl")]
    if json_out:
        sys.stdout.write(
            json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"
        )
    else:
        _print_findings(results, kun_fejl)
    raise typer.Exit(1 if any(f.severity == "fejl" for f in findings) else 0)


def _print_findings(results: list[FileResult], kun_fejl: bool) -> None:
    for r in results:
        shown = [f for f in r.findings if not (kun_fejl and f.severity != "fejl")]
        title = f"{r.path.name}" + (f" — {r.institution}" if r.institution else "")
        if not shown:
            console.print(f"[green]✓[/] {title}: ingen fejl")
            continue
        t = Table(title=title, title_justify="left", show_lines=False, expand=False)
        t.add_column("Alvor")
        t.add_column("Ark")
        t.add_column("Celle")
        t.add_column("Besked", overflow="fold")
        for f in shown:
            style = "red" if f.severity == "fejl" else "yellow"
            t.add_row(f"[{style}]{f.severity}[/]", f.sheet, f.cell, f.message)
        console.print(t)
    s = summarize(results)
    console.print(
        f"\n{antal(s['filer'], 'fil', 'filer')}: {tal(s['uden_fejl'])} uden fejl, "
        f"{antal(s['fejl'], 'fejl', 'fejl')} og {antal(s['advarsler'], 'advarsel', 'advarsler')} i alt."
    )
