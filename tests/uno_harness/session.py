"""The tests' LibreOffice client: UNO automation in a child process.

Nothing here imports ``uno``. UNO work happens in ``worker.py`` next to this file, started
by path as a child process under a Python that can ``import uno`` (Debian's
``/usr/bin/python3`` with ``python3-uno``, or the Python bundled with LibreOffice on
Windows/macOS). soffice is found by :func:`toolkit.office.libreoffice.find_soffice` (looked up at
call time, so a test may replace it); its errors are the package's LibreOffice errors.

API::

    find_uno_python() -> Path | None
    uno_available() -> bool            (cached; unavailable_reason() says why not)
    run_uno(jobs, timeout=300, locale="da-DK") -> list[Any]
    run_uno_report(jobs, ...) -> UnoReport           (results + timings)
    UnoSession(locale="da-DK")                         (one soffice for many calls)
    recalculate_and_save(src, dst)

The job operations and their results are listed in the docstring of :func:`run_uno`.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from toolkit.office import libreoffice as lo
from toolkit.office.libreoffice import LibreOfficeError, LibreOfficeMissing, LibreOfficeTimeout

__all__ = [
    "UnoJobError",
    "UnoReport",
    "UnoSession",
    "UnoWorkerError",
    "find_uno_python",
    "recalculate_and_save",
    "run_uno",
    "run_uno_report",
    "unavailable_reason",
    "uno_available",
]

WORKER = Path(__file__).resolve().with_name("worker.py")
XLSX_FILTER = "Calc MS Excel 2007 XML"


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class UnoWorkerError(LibreOfficeError):
    """The UNO worker failed as a whole; the message carries its traceback."""


class UnoJobError(LibreOfficeError):
    """A job came back as ``{"error": ...}`` where the caller needed it to succeed."""


# --------------------------------------------------------------------------------------
# Finding a Python with UNO
# --------------------------------------------------------------------------------------


def _program_dir(soffice: Path) -> Path:
    return soffice.resolve().parent


def find_uno_python() -> Path | None:
    """Return a Python that can ``import uno`` (not verified; see :func:`uno_available`).

    ``$KONTRAKT_UNO_PYTHON`` wins; then Debian/Ubuntu's ``/usr/bin/python3`` (package
    python3-uno); then the Python bundled with LibreOffice (Windows, macOS, tarballs).
    """
    env = os.environ.get("KONTRAKT_UNO_PYTHON")
    if env:
        return Path(env)
    candidates: list[Path] = []
    if sys.platform.startswith("linux"):
        candidates.append(Path("/usr/bin/python3"))
    soffice = lo.find_soffice()
    if soffice is not None:
        program = _program_dir(soffice)
        candidates += [
            program / "python.exe",
            program / "python",
            program.parent / "Resources" / "python",  # macOS: Contents/Resources/python
        ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    # The venv's paths must not leak into a different Python.
    for key in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH"):
        env.pop(key, None)
    return env


@functools.cache
def uno_available() -> bool:
    """True when soffice is found and a Python with ``import uno`` works (cached)."""
    return _uno_problem() is None


@functools.cache
def _uno_problem() -> str | None:
    """Why UNO cannot be used (Danish), or None. Cached like :func:`uno_available`."""
    if lo.find_soffice() is None:
        return "soffice findes ikke."
    python = find_uno_python()
    if python is None:
        return "Ingen Python med UNO (pakken python3-uno) blev fundet."
    try:
        done = subprocess.run(
            [str(python), "-c", "import uno"],
            capture_output=True,
            text=True,
            timeout=60,
            env=_worker_env(),
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{python} kunne ikke startes: {exc}"
    if done.returncode != 0:
        return f"'{python} -c \"import uno\"' fejlede: {done.stderr.strip()[-300:]}"
    return None


def unavailable_reason() -> str | None:
    """Danish reason why :func:`uno_available` is False (None when it is True)."""
    return _uno_problem()


# --------------------------------------------------------------------------------------
# UNO: the worker process
# --------------------------------------------------------------------------------------


@dataclass
class UnoReport:
    """Results of one worker request plus where the time went (seconds)."""

    results: list[Any]
    startup_seconds: float | None
    """soffice start + connect during this request (None: soffice was already running)."""
    restarts: int
    job_seconds: list[float] = field(default_factory=list)
    worker_seconds: float = 0.0
    wall_seconds: float = 0.0


_EOF = object()


class UnoSession:
    """One UNO worker (and soffice) that serves several :meth:`run` calls.

    Use it when many workbooks are processed in a row: soffice starts once (about 1–2 s)
    instead of once per call. Not for concurrent use from several threads at once
    (calls are serialised by a lock); start one session per thread instead::

        with UnoSession() as session:
            for path in paths:
                session.run([{"op": "open", "path": str(path)}, {"op": "recalc"}, ...])
    """

    def __init__(self, *, locale: str = "da-DK", start_timeout: float = 90.0) -> None:
        problem = _uno_problem()
        if problem is not None:
            raise LibreOfficeMissing(problem)
        soffice = lo._require_soffice()
        python = find_uno_python()
        assert python is not None  # _uno_problem() checked it
        self.locale = locale
        self._lock = threading.Lock()
        self._workdir = Path(tempfile.mkdtemp(prefix="kontrakt-lo-"))
        self._stderr: collections.deque[str] = collections.deque(maxlen=400)
        self._lines: queue.Queue[object] = queue.Queue()
        args = [
            str(python),
            str(WORKER),
            "--soffice",
            str(soffice),
            "--locale",
            locale,
            "--workdir",
            str(self._workdir),
            "--start-timeout",
            str(start_timeout),
        ]
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_worker_env(),
            cwd=str(self._workdir),
            **lo._popen_group_kwargs(),
        )
        assert self._proc.stdout is not None and self._proc.stderr is not None
        threading.Thread(target=self._pump_stdout, args=(self._proc.stdout,), daemon=True).start()
        threading.Thread(target=self._pump_stderr, args=(self._proc.stderr,), daemon=True).start()

    # -- plumbing -----------------------------------------------------------------------
    def _pump_stdout(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._lines.put(raw)
        self._lines.put(_EOF)

    def _pump_stderr(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._stderr.append(raw.decode("utf-8", errors="replace").rstrip("\n"))

    def stderr_tail(self, lines: int = 60) -> str:
        """The worker's (and soffice's) last stderr lines, for error messages."""
        return "\n".join(list(self._stderr)[-lines:])

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> UnoSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # last resort; normal code calls close()
        with contextlib.suppress(Exception):
            if self._proc is not None and self._proc.poll() is None:
                lo._kill_group(self._proc)

    def kill(self) -> None:
        """Kill the worker and soffice at once."""
        if self._proc is not None:
            lo._kill_group(self._proc)
            self._proc = None
        shutil.rmtree(self._workdir, ignore_errors=True)

    def close(self, timeout: float = 30.0) -> None:
        """Let the worker close its document and terminate soffice; kill on overrun."""
        proc = self._proc
        if proc is None:
            return
        with contextlib.suppress(OSError):
            assert proc.stdin is not None
            proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=timeout)
        lo._kill_group(proc)  # also sweeps up anything left in the process group
        self._proc = None
        shutil.rmtree(self._workdir, ignore_errors=True)

    # -- requests -----------------------------------------------------------------------
    def run(self, jobs: list[dict[str, Any]], *, timeout: float = 300) -> list[Any]:
        """Run *jobs* in order; see :func:`run_uno`."""
        return self.run_report(jobs, timeout=timeout).results

    def run_report(self, jobs: list[dict[str, Any]], *, timeout: float = 300) -> UnoReport:
        """Like :meth:`run`, but also returns the timings."""
        with self._lock:
            return self._request(jobs, timeout)

    def _request(self, jobs: list[dict[str, Any]], timeout: float) -> UnoReport:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            raise UnoWorkerError(
                "LibreOffice-arbejderen kører ikke (den er lukket eller gået ned).\n"
                + self.stderr_tail()
            )
        t0 = time.monotonic()
        # the worker stops itself a little before we give up on it
        grace = min(5.0, 1.0 + timeout * 0.05)
        worker_timeout = max(timeout - grace, timeout * 0.8)
        payload = json.dumps({"jobs": jobs, "timeout": worker_timeout}) + "\n"
        assert proc.stdin is not None
        try:
            proc.stdin.write(payload.encode("ascii"))
            proc.stdin.flush()
        except OSError as exc:
            self.kill()
            raise UnoWorkerError(
                f"Kunne ikke sende opgaver til LibreOffice-arbejderen: {exc}\n" + self.stderr_tail()
            ) from exc
        try:
            line = self._lines.get(timeout=timeout + grace)
        except queue.Empty:
            self.kill()
            raise LibreOfficeTimeout(
                f"LibreOffice svarede ikke inden for {timeout:.0f} sekunder og blev stoppet.\n"
                + self.stderr_tail()
            ) from None
        if line is _EOF:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            code = proc.returncode
            self.kill()
            raise UnoWorkerError(
                f"LibreOffice-arbejderen stoppede uventet (kode {code}).\n" + self.stderr_tail()
            )
        assert isinstance(line, bytes)
        try:
            response = json.loads(line)
        except ValueError as exc:
            self.kill()
            raise UnoWorkerError(
                f"Uforståeligt svar fra LibreOffice-arbejderen: {line[:300]!r}"
            ) from exc
        if not response.get("ok"):
            raise UnoWorkerError(
                f"LibreOffice-arbejderen fejlede: {response.get('error')}\n"
                f"{response.get('traceback', '')}".rstrip()
            )
        timings = response.get("timings") or {}
        results = response["results"]
        if len(results) != len(jobs):  # pragma: no cover - protocol guard
            raise UnoWorkerError("LibreOffice-arbejderen returnerede et forkert antal svar.")
        return UnoReport(
            results=results,
            startup_seconds=timings.get("startup"),
            restarts=int(timings.get("restarts", 0)),
            job_seconds=list(timings.get("jobs", [])),
            worker_seconds=float(timings.get("total", 0.0)),
            wall_seconds=time.monotonic() - t0,
        )


def run_uno_report(
    jobs: list[dict[str, Any]], *, timeout: float = 300, locale: str = "da-DK"
) -> UnoReport:
    """:func:`run_uno` that also returns timings (start-up, per job, wall time)."""
    t0 = time.monotonic()
    session = UnoSession(locale=locale)
    try:
        report = session.run_report(jobs, timeout=timeout)
    finally:
        session.close()
    report.wall_seconds = time.monotonic() - t0
    return report


def run_uno(
    jobs: list[dict[str, Any]], *, timeout: float = 300, locale: str = "da-DK"
) -> list[Any]:
    """Run UNO *jobs* in a fresh soffice (own profile and pipe) and return one result each.

    The worker runs the jobs in order on one document at a time. A job that fails comes
    back as ``{"error": "<Type>: <message>"}`` and the following jobs still run; a
    failure of the worker itself raises :class:`UnoWorkerError` with its traceback;
    :class:`LibreOfficeTimeout` after *timeout* seconds (everything is killed).

    Jobs (``sheet`` is a name or a 0-based index; cells/ranges in A1 notation):

    ``{"op": "open", "path": p, "macros": False}``
        → ``{"sheets": [names], "hidden": {name: "hidden"}}`` (hidden sheets only;
        LibreOffice 7.4 cannot tell Excel's veryHidden from hidden). Optional
        ``"read_only"``, ``"filter"``, ``"password"``, ``"hidden"`` (load property;
        default False because Hidden=True loses frozen panes on xlsx export).
        A non-spreadsheet document gives ``{"sheets": [], "hidden": {}, "kind": "text"}``.
    ``{"op": "type", "sheet": s, "cell": "B5", "text": "15-05-2026"}``
        → the cell as in ``read`` (``{"v", "t", "f", "s"}``), after parsing *text* the
        way a person's typing is parsed under the locale; ``{"error": "protected"}`` for
        a locked cell on a protected sheet; ``{"error": "invalid", "title", "message"}``
        when the cell's data validation rejects it (error alert "Stop"; the old content
        is restored). Accepted but invalid input (alert Warning/Information, or no error
        alert) adds ``"invalid": True, "alert": style``. ``"validate": False`` skips the
        check.
    ``{"op": "type_many", "sheet": s, "cells": {"B5": "x", ...}}``
        → ``{"B5": <as for type>, ...}``
    ``{"op": "recalc"}`` → ``{"ok": True}``
    ``{"op": "read", "sheet": s, "range": "A1:H40"}``
        → rows of ``{"v": value, "t": "num"|"text"|"empty"|"formula"|"error",
        "f": formula or None, "s": display string}``; without ``range`` the used area
        from A1. Formulas are in LibreOffice's API syntax (``=SUM(A1;2)``); dates are
        serial numbers in ``v`` and formatted in ``s``.
    ``{"op": "save", "path": p, "filter": "Calc MS Excel 2007 XML"}``
        → ``{"path": p, "bytes": n}``; the filter defaults from the extension (xlsx,
        xlsm, ods, csv, pdf); for PDF ``"sheet"`` and/or ``"selection": "A1:H40"``
        limit the export; ``"filter_data"`` passes more export options.
    ``{"op": "validations", "sheet": s}``
        → ``[{"range": "B1 D4:D9", "type": "LIST"|"DATE"|"DECIMAL"|"WHOLE"|"TEXT_LEN"|
        "CUSTOM"|"TIME"|"ANY", "operator", "formula1", "formula2", "ShowList",
        "ErrorAlertStyle", "ShowErrorMessage", "ErrorTitle", "ErrorMessage",
        "ShowInputMessage", "InputTitle", "InputMessage", "IgnoreBlankCells"}]``
    ``{"op": "protection", "sheet": s}``
        → ``{"protected": bool, "unlocked_cells": ["B1", ...],
        "unlocked_ranges": ["B1:B3", ...]}`` (whole unlocked rows/columns are cut at the
        used area)
    ``{"op": "conditional_formats", "sheet": s}``
        → ``[{"range": "A1:A4", "conditions": [formula, ...], "entries": [{"type",
        "operator", "formula1", "formula2", "style"}]}]``
    ``{"op": "named_ranges"}`` → ``{name: content}`` (``"sheet"`` for sheet-local names)
    ``{"op": "database_ranges"}``
        → ``[{"name", "sheet", "range", "header", "totals", "autofilter"}]``
    ``{"op": "sheet_props", "sheet": s}``
        → ``{"name", "visible", "visibility", "protected", "page_style", "paper",
        "paper_size_mm", "orientation", "scale", "scale_to_pages", "print_areas",
        "tab_color", "frozen": {"columns", "rows"} or None}``
    ``{"op": "macro", "name": "vnd.sun.star.script:...", "args": []}``
        → ``{"value": return value, "active_sheet": name}`` (open with ``"macros": True``)
    ``{"op": "basic_libraries"}``
        → ``{"libraries": [...], "vba_compatibility_mode": bool,
        "modules": {name: {"source", "type"}}}`` (modules of ``"library"``, default
        VBAProject)
    ``{"op": "controls", "sheet": s}``
        → ``{"codename": str, "controls": [{"name", "label", "service", "events":
        [{"listener", "method", "script_type", "script"}]}]}``
    ``{"op": "close"}`` → ``{"ok": True}``

    Any job may carry ``"timeout"`` (seconds) for its own guard.
    """
    return run_uno_report(jobs, timeout=timeout, locale=locale).results


def _check(results: list[Any], what: str) -> None:
    for result in results:
        if isinstance(result, dict) and "error" in result:
            raise UnoJobError(f"{what}: {result['error']}")


def recalculate_and_save(
    src: Path, dst: Path, *, timeout: float = 300, locale: str = "da-DK"
) -> None:
    """Open *src* in LibreOffice, recalculate everything and store it as xlsx at *dst*."""
    src = Path(src).resolve()
    dst = Path(dst).resolve()
    dst.parent.mkdir(parents=True, exist_ok=True)
    results = run_uno(
        [
            {"op": "open", "path": str(src)},
            {"op": "recalc"},
            {"op": "save", "path": str(dst), "filter": XLSX_FILTER},
            {"op": "close"},
        ],
        timeout=timeout,
        locale=locale,
    )
    _check(results, f"Genberegning af {src.name} mislykkedes")
