"""Many workbooks at once: build and validate in parallel worker processes.

Work is split into one chunk per worker (builds grouped by committee, so each worker makes
the base workbook of a committee once); results come back as plain data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from toolkit.build import WorkbookInput, build_workbook, workbook_filename
from toolkit.model import Finding
from toolkit.read import WorkbookError, read_workbook
from toolkit.rules import validate

T = TypeVar("T")
R = TypeVar("R")

EXCEL_GLOBS = ("*.xlsx", "*.xlsm")


def workers(n: int | None = None) -> int:
    return max(1, n if n is not None else (os.cpu_count() or 1))


def chunked(items: Sequence[T], n: int) -> list[list[T]]:
    size = max(1, -(-len(items) // n))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _run_chunk(args: tuple[Callable[[T], R], list[T]]) -> list[R]:
    func, chunk = args
    return [func(x) for x in chunk]


def parallel_map(
    func: Callable[[T], R], items: Sequence[T], n_workers: int | None = None
) -> list[R]:
    """``[func(x) for x in items]`` over worker processes, in order; serial for small jobs."""
    n = workers(n_workers)
    if n == 1 or len(items) < 8:
        return [func(x) for x in items]
    chunks = chunked(items, n * 2)
    with ProcessPoolExecutor(max_workers=n) as pool:
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
    except WorkbookError as exc:
        return FileResult(path, [exc.finding], ok=False)
    return FileResult(path, validate(book), book.meta.virksomhed_id, book.virksomhed.navn)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders searched for .xlsx/.xlsm, skipping Excel's lock and temp files."""
    for p in paths:
        if p.is_dir():
            found = sorted({f for g in EXCEL_GLOBS for f in p.rglob(g)})
            for f in found:
                if not is_temp_file(f):
                    yield f
        else:
            yield p


def is_temp_file(p: Path) -> bool:
    """Excel's lock files (~$name.xlsx) and temporary files (.~tmp, ~WRL1234.tmp)."""
    name = p.name
    return name.startswith(("~$", ".~", "~")) or name.endswith((".tmp", ".TMP"))


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
