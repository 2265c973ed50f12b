"""Master in, Word (and PDF) documents out: contracts, committee memos, the overall report.

Each function reads the master once, prepares every context in this process (cheap, plain
dicts), renders the documents — contracts in worker processes, in chunks, each process
loading a template once — writes them atomically and, with ``pdf=True``, converts all of
them in ONE LibreOffice process. The .docx files are made even when the PDFs cannot be:
then :class:`PdfFejl` says why and lists the documents that were made.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.documents.charts import Chart, Picture, draw, preload
from toolkit.documents.context import Fase, contract_context, memo_context, report_context
from toolkit.documents.data import Context, Institution, MasterData
from toolkit.documents.formatting import filnavn
from toolkit.documents.render import check_template, os_replace, render_to_file, template_path
from toolkit.documents.shared import require_results
from toolkit.errors import UserError
from toolkit.master.model import Master, read_master
from toolkit.workbook.batch import chunked
from toolkit.workbook.batch import workers as n_workers

MasterSource = str | os.PathLike[str] | Master | MasterData
MEMO_TITLES = {"forslag": "forslag", "maalopfyldelse": "målopfyldelse"}
#: LibreOffice's Writer PDF export as tagged PDF/A-2 (accessible under the
#: webtilgængelighedslov, archivable in the ESDH system), with bookmarks from the headings.
PDF_EXPORT = "pdf:writer_pdf_Export:" + json.dumps(
    {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "SelectPdfVersion": {"type": "long", "value": "2"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
    },
    separators=(",", ":"),
)


class PdfFejl(UserError, RuntimeError):
    """The Word documents were made, the PDFs were not (all or some)."""

    def __init__(self, message: str, documents: Sequence[Path], pdfs: Sequence[Path] = ()) -> None:
        super().__init__(message)
        self.documents = list(documents)
        self.pdfs = list(pdfs)


def load(master: MasterSource) -> MasterData:
    """A master file, a :class:`Master` or prepared :class:`MasterData` -> :class:`MasterData`."""
    if isinstance(master, MasterData):
        return master
    if isinstance(master, Master):
        return MasterData(master)
    path = Path(master)
    if not path.is_file():
        raise FileNotFoundError(f"Masterfilen '{path}' findes ikke.")
    return MasterData(read_master(path))


# --------------------------------------------------------------------------- rendering many


@dataclass(frozen=True)
class Job:
    template: Path
    context: Context
    out: Path
    title: str


def _render(job: Job) -> Path:
    return render_to_file(job.template, job.context, job.out, title=job.title)


def _render_chunk(jobs: list[Job]) -> list[Path]:
    return [_render(j) for j in jobs]


def render_jobs(jobs: Sequence[Job], workers: int | None = None) -> list[Path]:
    """Render ``jobs`` in order; over ``workers`` processes (default: all cores) in chunks."""
    if not jobs:
        return []
    # Check every template once here, so an edited template fails before any work is done.
    for template in dict.fromkeys(j.template for j in jobs):
        check_template(template, next(j.context for j in jobs if j.template == template))
    n = min(n_workers(workers), len(jobs))
    if n == 1:
        return _render_chunk(list(jobs))
    charts = list(dict.fromkeys(c for j in jobs for c in _charts(j.context)))
    if charts and multiprocessing.get_start_method() == "fork":
        preload()  # the forked workers inherit matplotlib, imported and warm, from here
    # Many small jobs (contracts) go in a few chunks per process; few big ones (memos) one by one.
    parts = chunked(list(jobs), n * 4) if len(jobs) >= 8 * n else [[j] for j in jobs]
    with ProcessPoolExecutor(max_workers=n) as pool:
        if charts:  # the charts first, one task each, so a committee with many is shared out too
            drawn = dict(zip(charts, pool.map(draw, charts), strict=True))
            parts = [[_with_pictures(j, drawn) for j in part] for part in parts]
        return [p for part in pool.map(_render_chunk, parts) for p in part]


def _charts(context: Context) -> list[Chart]:
    found: list[Chart] = []
    for v in context.values():
        if isinstance(v, Chart):
            found.append(v)
        elif isinstance(v, list):
            found.extend(c for c in v if isinstance(c, Chart))
    return found


def _with_pictures(job: Job, drawn: dict[Chart, Picture]) -> Job:
    def swap(v: Any) -> Any:
        if isinstance(v, Chart):
            return drawn[v]
        if isinstance(v, list) and v and isinstance(v[0], Chart):
            return [drawn[c] for c in v]
        return v

    return dataclasses.replace(job, context={k: swap(v) for k, v in job.context.items()})


def _unique(names: Sequence[str]) -> list[str]:
    """Make file names unique (case-insensitively, as on Windows) with " (2)", " (3)" …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{stem} ({seen[key]}){dot}{ext}"
        else:
            seen[key] = 1
        out.append(name)
    return out


def _finish(jobs: list[Job], out_dir: Path, pdf: bool, workers: int | None) -> list[Path]:
    """Render all ``jobs`` into a hidden folder first and move them into place only when
    every one succeeded: a template that fails on the 40th document leaves no document."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".dokumenter-", dir=out_dir) as tmp:
        staged = [dataclasses.replace(j, out=Path(tmp) / j.out.name) for j in jobs]
        made = render_jobs(staged, workers)
        docs = []
        for path, job in zip(made, jobs, strict=True):
            os_replace(path, job.out)
            docs.append(job.out)
    if pdf:
        make_pdfs(docs, out_dir)
    return docs


def make_pdfs(docs: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert ``docs`` to PDF in ONE LibreOffice process; the PDFs land in ``out_dir``.

    Each PDF is written to a temporary folder first and moved into place, so a reader never
    sees half a file. Raises :class:`PdfFejl` (Danish) when LibreOffice is missing or fails.
    """
    from toolkit.office import libreoffice

    if not docs:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    what = f"{len(docs)} Word-dokument{'er' if len(docs) != 1 else ''} er lavet i {out_dir}"
    failed: libreoffice.ConversionError | None = None
    try:
        with tempfile.TemporaryDirectory(prefix=".pdf-", dir=out_dir) as tmp:
            try:
                produced = libreoffice.convert(list(docs), PDF_EXPORT, Path(tmp))
            except libreoffice.ConversionError as exc:  # keep the PDFs that were made
                produced, failed = exc.produced, exc
            pdfs = []
            for p in produced:
                os_replace(p, out_dir / p.name)
                pdfs.append(out_dir / p.name)
    except libreoffice.LibreOfficeMissing as exc:
        raise PdfFejl(f"{what}, men der er ikke lavet PDF'er: {exc}", docs) from exc
    except libreoffice.LibreOfficeError as exc:
        raise PdfFejl(f"{what}, men PDF'erne kunne ikke laves: {exc}", docs) from exc
    if failed is not None:
        raise PdfFejl(f"{what}, men ikke alle blev til PDF. {failed}", docs, pdfs) from failed
    return pdfs


# --------------------------------------------------------------------------- contracts


def contract_plan(
    d: MasterData, year: int | None = None
) -> tuple[list[Institution], list[tuple[Institution, str]]]:
    """The institutions that get a contract, and those that do not, with the reason (Danish)."""
    year = year or d.year
    make, skip = [], []
    for inst in sorted(d.institutions.values(), key=lambda i: i.id):
        goals, _proposals, _undecided = d.contract_goals(inst.id, year)
        if goals:
            make.append(inst)
        elif d.goals_of(inst.id, year):
            skip.append((inst, f"ingen af forslagene for {year} er godkendt"))
        else:
            skip.append((inst, f"har ingen kontraktmål for {year}"))
    return make, skip


def contract_filename(year: int, inst: Institution) -> str:
    """'Kontrakt 2027 - V001 Avedøre Skole.docx'"""
    return filnavn(f"Kontrakt {year} - {inst.id} {inst.navn}") + ".docx"


def make_contracts(
    master_path: MasterSource,
    out_dir: str | os.PathLike[str],
    *,
    pdf: bool = False,
    workers: int | None = None,
    templates: str | os.PathLike[str] | None = None,
    today: date | None = None,
) -> list[Path]:
    """One Word contract per institution with contract goals; returns the .docx paths.

    ``master_path`` is the master workbook (or a :class:`Master`). ``templates`` is a folder
    with edited templates (default: the project's). With ``pdf=True`` the PDFs are made
    beside the .docx files (same name, .pdf). Institutions without goals to contract get
    no contract: see :func:`contract_plan`.
    """
    d = load(master_path)
    out = Path(out_dir)
    template = template_path("kontrakt", Path(templates) if templates else None)
    insts, _skipped = contract_plan(d)
    names = _unique([contract_filename(d.year, i) for i in insts])
    jobs = [
        Job(
            template,
            contract_context(d, i.id, today=today),
            out / name,
            f"Kontrakt {d.year} – {i.navn}",
        )
        for i, name in zip(insts, names, strict=True)
    ]
    return _finish(jobs, out, pdf, workers)


# --------------------------------------------------------------------------- memos and report


def memo_filename(year: int, phase: str, udvalg: str) -> str:
    """'Udvalgsnotat forslag 2027 - Børne- og Undervisningsudvalget.docx'"""
    return filnavn(f"Udvalgsnotat {MEMO_TITLES[phase]} {year} - {udvalg}") + ".docx"


def make_memos(
    master_path: MasterSource,
    out_dir: str | os.PathLike[str],
    *,
    phase: Fase,
    pdf: bool = False,
    workers: int | None = None,
    templates: str | os.PathLike[str] | None = None,
    today: date | None = None,
) -> list[Path]:
    """One committee memo per committee for ``phase`` ("forslag" or "maalopfyldelse")."""
    if phase not in MEMO_TITLES:
        raise ValueError(f"Ukendt fase '{phase}'. Brug 'forslag' eller 'maalopfyldelse'.")
    d = load(master_path)
    out = Path(out_dir)
    template = template_path(phase, Path(templates) if templates else None)
    committees = d.committees()
    if phase == "maalopfyldelse":  # no memo of zeros: committees without results get none
        require_results(d, d.year, "Udvalgsnotaterne om målopfyldelse")
        committees = [u for u in committees if d.has_results(d.year, u)]
    names = _unique([memo_filename(d.year, phase, u) for u in committees])
    title = f"Udvalgsnotat: {MEMO_TITLES[phase]} {d.year}"
    jobs = [
        Job(template, memo_context(d, u, phase, today=today), out / name, f"{title} – {u}")
        for u, name in zip(committees, names, strict=True)
    ]
    return _finish(jobs, out, pdf, workers)


def report_filename(year: int, kommune: str) -> str:
    """'Samlet rapport målopfyldelse 2027 - Hvidovre Kommune.docx'"""
    return filnavn(f"Samlet rapport målopfyldelse {year} - {kommune or 'kommunen'}") + ".docx"


def make_report(
    master_path: MasterSource,
    out_dir: str | os.PathLike[str],
    *,
    pdf: bool = False,
    templates: str | os.PathLike[str] | None = None,
    today: date | None = None,
) -> Path:
    """The overall attainment report for Økonomiudvalget and Kommunalbestyrelsen."""
    d = load(master_path)
    out = Path(out_dir)
    template = template_path("rapport", Path(templates) if templates else None)
    job = Job(template, report_context(d, today=today), out / report_filename(d.year, d.kommune),
              f"Målopfyldelse {d.year} – samlet rapport")  # fmt: skip
    return _finish([job], out, pdf, 1)[0]
