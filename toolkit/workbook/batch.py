"""Many workbooks at once: build and validate in parallel worker processes.

Work is split into one chunk per worker (builds grouped by committee, so each worker makes
the base workbook of a committee once); results come back as plain data.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from toolkit.reading.workbook import FOREIGN_FORMATS, WorkbookError, read_workbook
from toolkit.rules.validate import validate
from toolkit.spec.model import Finding
from toolkit.workbook.build import WorkbookInput, build_workbook, workbook_filename

T = TypeVar("T")
R = TypeVar("R")

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
# Files other programs leave in shared folders: never anyone's submission.
IGNORED_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", ".localized"})


def workers(n: int | None = None) -> int:
    return max(1, n if n is not None else (os.cpu_count() or 1))


def chunked(items: Sequence[T], n: int) -> list[list[T]]:
    size = max(1, -(-len(items) // n))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _run_chunk(args: tuple[Callable[[T], R], list[T]]) -> list[R]:
    func, chunk = args
    return [func(x) for x in chunk]


def _die_with_parent(parent: int) -> None:
    """Pool initializer: a worker ends as soon as the process that started it is gone.

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); a
    watcher thread covers other systems and the moment before prctl took effect.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            threading.Event().wait(0.5)

    threading.Thread(target=watch, name="forælder-vagt", daemon=True).start()


def parallel_map(
    func: Callable[[T], R], items: Sequence[T], n_workers: int | None = None
) -> list[R]:
    """``[func(x) for x in items]`` over worker processes, in order; serial for small jobs."""
    n = workers(n_workers)
    if n == 1 or len(items) < 8:
        return [func(x) for x in items]
    chunks = chunked(items, n * 2)
    with ProcessPoolExecutor(
        max_workers=n, initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        out: list[R] = []
        for part in pool.map(_run_chunk, [(func, c) for c in chunks]):
            out.extend(part)
    return out


@dataclass(frozen=True)
class BuildJob:
    out_dir: Path
    inp: WorkbookInput

    @property
    def path(self) -> Path:
        return self.out_dir / workbook_filename(self.inp.institution, self.inp.year)


def _build(job: BuildJob) -> Path:
    return build_workbook(job.path, job.inp)


def build_many(jobs: Sequence[BuildJob], n_workers: int | None = None) -> list[Path]:
    ordered = sorted(
        jobs, key=lambda j: (str(j.inp.institution.get("udvalg")), str(j.inp.institution.get("id")))
    )
    return parallel_map(_build, ordered, n_workers)


@dataclass
class FileResult:
    path: Path
    findings: list[Finding]
    institution_id: str | None = None
    institution: str | None = None
    ok: bool = True  # False when the file could not be read at all


def validate_file(path: Path) -> FileResult:
    try:
        book = read_workbook(path)
        return FileResult(path, validate(book), book.meta.virksomhed_id, book.virksomhed.navn)
    except WorkbookError as exc:
        return FileResult(path, [exc.finding], ok=False)
    except Exception as exc:  # one file never stops the run
        return FileResult(path, [unexpected_finding(path, exc)], ok=False)


def unexpected_finding(path: Path, exc: BaseException) -> Finding:
    """The finding for a file that failed in a way nobody foresaw (named, never raised)."""
    return Finding(str(path), "", "", "fejl", "fil_laest",
                   f"Filen kunne ikke læses ({type(exc).__name__}). Gem den igen i Excel, og send "
                   "den på ny. Kontakt Kontraktservice, hvis fejlen bliver ved.")  # fmt: skip


def expand_paths(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files as given; folders searched for workbooks (the extension in any case).

    Excel's lock and temp files and other programs' litter (``._x.xlsx``, ``.DS_Store``)
    are skipped; files saved in another format (.xls, .ods, .csv) are included so that
    reading them names the mistake. ``exclude`` lists files and folders never to search
    (the master and its backups when the master sits in its own inbox).
    """
    skip = [e.resolve() for e in exclude]
    wanted = (*EXCEL_SUFFIXES, *FOREIGN_FORMATS)
    for p in paths:
        if not p.is_dir():
            yield p
            continue
        found = []
        for f in p.rglob("*"):
            if f.suffix.lower() not in wanted or is_temp_file(f) or not f.is_file():
                continue
            r = f.resolve()
            if any(r == e or e in r.parents for e in skip):
                continue
            found.append(f)
        yield from sorted(found)


def is_temp_file(p: Path) -> bool:
    """Excel's lock files (~$name.xlsx), temporary files (.~tmp, ~WRL1234.tmp), macOS
    resource forks (._name.xlsx) and folder litter (.DS_Store, Thumbs.db)."""
    name = p.name
    return (
        name.startswith(("~$", ".~", "~", "._"))
        or name.lower().endswith(".tmp")
        or name.lower() in IGNORED_NAMES
    )


def validate_many(paths: Sequence[Path], n_workers: int | None = None) -> list[FileResult]:
    return parallel_map(validate_file, list(paths), n_workers)


def summarize(results: Sequence[FileResult]) -> dict[str, Any]:
    errors = sum(1 for r in results for f in r.findings if f.severity == "fejl")
    warnings = sum(1 for r in results for f in r.findings if f.severity == "advarsel")
    return {
        "filer": len(results),
        "uden_fejl": sum(
            1 for r in results if r.ok and not any(f.severity == "fejl" for f in r.findings)
        ),
        "fejl": errors,
        "advarsler": warnings,
    }
