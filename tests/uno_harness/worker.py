"""LibreOffice UNO worker: runs under the Python that can ``import uno``.

This file is started by ``tests/uno_harness/session.py`` as a separate process, normally
``/usr/bin/python3 tests/uno_harness/worker.py --soffice ... --locale da-DK --workdir ...``.
It must not be imported for its UNO parts inside the project's venv: ``uno`` is only
imported inside :func:`main`. The profile settings come from ``toolkit/office/profile.py``
(standard library only; the repository root is put on ``sys.path`` for it).

Protocol
--------
stdin carries one JSON object per line (a *request*)::

    {"jobs": [{"op": "open", "path": "/x.xlsx"}, ...], "timeout": 290}

and for each request exactly one JSON line is written to the original stdout::

    {"ok": true, "results": [...], "timings": {"startup": 1.4, "jobs": [0.2, ...]}}
    {"ok": false, "error": "...", "traceback": "..."}

Everything else (LibreOffice's own chatter, prints) goes to stderr. The worker ends at
EOF on stdin; it always terminates soffice (killing it when it does not stop) and
removes its private profile.

The file is kept compatible with Python 3.8 because LibreOffice's bundled Python on
Windows/macOS can be that old.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from typing import IO, Any, ClassVar

# --------------------------------------------------------------------------------------
# Profile settings: one source, toolkit/office/profile.py (standard library only)
# --------------------------------------------------------------------------------------

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)
from toolkit.office.profile import write_profile_settings  # noqa: E402


def prime_profile(soffice: str, profile_dir: str, timeout: float = 120.0) -> None:
    """Let soffice create *profile_dir* completely before anyone connects to it.

    On a new profile soffice.bin initialises it and then exits with code 81 so that the
    ``soffice`` launcher restarts it. A UNO connection made to that first process is
    disposed a moment later ("Binary URP bridge disposed"), and a job then comes back as
    an error — rarely on an idle machine, more often under load, where the window is
    wider. ``--terminate_after_init`` finishes the first start (restart included) and exits;
    the profile then starts at once, and our settings in registrymodifications.xcu stay.
    """
    from pathlib import Path

    args = [
        soffice,
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--terminate_after_init",
        "-env:UserInstallation=" + Path(profile_dir).resolve().as_uri(),
    ]
    kwargs: dict[str, Any] = {}
    if os.name == "posix":
        kwargs["start_new_session"] = True
    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        **kwargs,
    )  # fmt: skip
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc, [])
        raise TimeoutError(
            f"LibreOffice kunne ikke oprette sin profil inden for {timeout:.0f} s."
        ) from None


# --------------------------------------------------------------------------------------
# Process helpers
# --------------------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    """Map pid -> child pids (Linux /proc, else ``ps``; empty on failure)."""
    result: dict[int, list[int]] = {}
    if os.path.isdir("/proc/self"):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as fh:
                    stat = fh.read()
                ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            result.setdefault(ppid, []).append(int(entry))
        return result
    if os.name == "posix":
        try:
            out = subprocess.run(
                ["ps", "-A", "-o", "pid=,ppid="],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return result
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                result.setdefault(int(parts[1]), []).append(int(parts[0]))
    return result


def _descendants(pid: int) -> list[int]:
    tree = _children_map()
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in tree.get(stack.pop(), []):
            if child not in found:
                found.append(child)
                stack.append(child)
    return found


def _kill_tree(proc: subprocess.Popen[bytes], extra_pids: list[int]) -> None:
    """Kill *proc* and all its descendants (plus *extra_pids* seen earlier)."""
    if os.name == "nt":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            capture_output=True,
            check=False,
        )
    else:
        pids = _descendants(proc.pid)
        pids += [p for p in extra_pids if p != proc.pid and p not in pids and _pid_alive(p)]
        for pid in [proc.pid, *pids]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


class Watchdog:
    """Calls *on_timeout* from a timer thread when a guarded block overruns."""

    def __init__(self, seconds: float, on_timeout: Callable[[], None]) -> None:
        self.seconds = max(0.1, seconds)
        self.fired = False
        self._on_timeout = on_timeout
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        try:
            self._on_timeout()
        except Exception:
            traceback.print_exc()

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


class JobTimeout(Exception):
    """A job overran its guard; soffice was killed."""


# --------------------------------------------------------------------------------------
# Small converters (no UNO needed)
# --------------------------------------------------------------------------------------

_MAXCOL = 16383
_MAXROW = 1048575

_CF_OPERATORS = {
    0: "EQUAL",
    1: "UNEQUAL",
    2: "GREATER",
    3: "GREATER_EQUAL",
    4: "LESS",
    5: "LESS_EQUAL",
    6: "BETWEEN",
    7: "NOT_BETWEEN",
    8: "DUPLICATE",
    9: "UNIQUE",
    10: "TOP_N_ELEMENTS",
    11: "BOTTOM_N_ELEMENTS",
    12: "TOP_N_PERCENT",
    13: "BOTTOM_N_PERCENT",
    14: "ABOVE_AVERAGE",
    15: "BELOW_AVERAGE",
    16: "ABOVE_EQUAL_AVERAGE",
    17: "BELOW_EQUAL_AVERAGE",
    18: "ERROR",
    19: "NO_ERROR",
    20: "BEGINS_WITH",
    21: "ENDS_WITH",
    22: "CONTAINS",
    23: "NOT_CONTAINS",
    24: "EXPRESSION",
}
_CF_ENTRY_TYPES = {0: "condition", 1: "colorscale", 2: "databar", 3: "iconset", 4: "date"}
_MODULE_TYPES = {0: "unknown", 1: "normal", 2: "class", 3: "form", 4: "document"}
_SHOW_LIST = {0: "INVISIBLE", 1: "UNSORTED", 2: "SORTEDASCENDING"}
# (name, width, height) in 1/100 mm, portrait.
_PAPERS = [
    ("A3", 29700, 42000),
    ("A4", 21000, 29700),
    ("A5", 14800, 21000),
    ("Letter", 21590, 27940),
    ("Legal", 21590, 35560),
]


def col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def cell_name(col: int, row: int) -> str:
    return f"{col_name(col)}{row + 1}"


def range_name(sc: int, sr: int, ec: int, er: int) -> str:
    if sc == ec and sr == er:
        return cell_name(sc, sr)
    return f"{cell_name(sc, sr)}:{cell_name(ec, er)}"


def addr_name(addr: Any) -> str:
    """CellRangeAddress -> ``"B2:C5"`` (no sheet)."""
    return range_name(addr.StartColumn, addr.StartRow, addr.EndColumn, addr.EndRow)


def enum_value(value: Any) -> Any:
    """uno.Enum -> its name; other values unchanged."""
    return getattr(value, "value", value)


def paper_name(width: int, height: int) -> str | None:
    short, long_ = sorted((width, height))
    for name, w, h in _PAPERS:
        if abs(short - w) <= 100 and abs(long_ - h) <= 100:
            return name
    return None


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "value") and hasattr(value, "typeName"):  # uno.Enum
        return value.value
    return str(value)


# --------------------------------------------------------------------------------------
# The office process
# --------------------------------------------------------------------------------------


class Office:
    """One soffice process with a private profile, reached over a named pipe."""

    def __init__(self, soffice: str, locale: str, workdir: str, start_timeout: float) -> None:
        self.soffice = soffice
        self.locale = locale
        self.workdir = workdir
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.profile = ""
        self.log_path = ""
        self.known_pids: list[int] = []
        self.desktop: Any = None
        self.ctx: Any = None
        self.startup_seconds = 0.0

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        import uno

        t0 = time.monotonic()
        self.profile = tempfile.mkdtemp(prefix="profile-", dir=self.workdir)
        write_profile_settings(self.profile, self.locale)
        prime_profile(self.soffice, self.profile, self.start_timeout)
        pipe = f"kontrakt_{os.getpid()}_{uuid.uuid4().hex}"
        self.log_path = os.path.join(self.workdir, f"soffice-{uuid.uuid4().hex[:8]}.log")
        args = [
            self.soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(self.profile),
        ]
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed below, child keeps its copy
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        finally:
            log.close()
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
        # a resolve() that blocks on a half-started soffice is ended by killing it
        with Watchdog(self.start_timeout + 10, self.kill):
            self._connect(resolver, url, t0)
        self.desktop = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx
        )
        assert self.proc is not None
        self.known_pids = _descendants(self.proc.pid)
        self.startup_seconds = time.monotonic() - t0

    def _connect(self, resolver: Any, url: str, t0: float) -> None:
        assert self.proc is not None
        deadline = t0 + self.start_timeout
        last_error: Exception | None = None
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"soffice stoppede under opstart (kode {self.proc.returncode}): "
                    + self.log_tail()
                )
            try:
                self.ctx = resolver.resolve(url)
                break
            except Exception as exc:  # NoConnectException while starting
                last_error = exc
            if time.monotonic() > deadline:
                self.kill()
                raise TimeoutError(
                    f"Kunne ikke forbinde til LibreOffice inden for {self.start_timeout:.0f} s "
                    f"({last_error}). {self.log_tail()}"
                )
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, limit: int = 2000) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as fh:
                return fh.read()[-limit:].strip()
        except OSError:
            return ""

    def kill(self) -> None:
        if self.proc is not None:
            _kill_tree(self.proc, self.known_pids)

    def stop(self, grace: float = 15.0) -> None:
        """Terminate soffice politely, kill it if needed, remove the profile."""
        if self.proc is not None and self.proc.poll() is None:
            with Watchdog(grace, self.kill):
                # the bridge goes away while terminating: an exception is expected
                with contextlib.suppress(Exception):
                    self.desktop.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=grace)
        if self.proc is not None and (
            self.proc.poll() is None or any(_pid_alive(p) for p in self.known_pids)
        ):
            self.kill()
        self.desktop = None
        self.ctx = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = ""


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":
        return False
    proc_cmd = f"/proc/{pid}/cmdline"
    if os.path.isdir("/proc/self"):
        try:
            with open(proc_cmd, "rb") as fh:
                return b"soffice" in fh.read()
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


# --------------------------------------------------------------------------------------
# The worker: runs jobs on one document at a time
# --------------------------------------------------------------------------------------


class NoDocument(RuntimeError):
    pass


class Worker:
    def __init__(self, soffice: str, locale: str, workdir: str, start_timeout: float) -> None:
        self.soffice = soffice
        self.locale = locale
        self.workdir = workdir
        self.start_timeout = start_timeout
        self.office: Office | None = None
        self.doc: Any = None
        self.macros_enabled = False
        self.startups: list[float] = []

    # -- infrastructure -------------------------------------------------------------
    def ensure_office(self) -> Office:
        if self.office is None or not self.office.alive():
            if self.office is not None:
                self.office.stop(grace=2)
            self.doc = None
            office = Office(self.soffice, self.locale, self.workdir, self.start_timeout)
            self.office = office
            office.start()
            self.startups.append(office.startup_seconds)
        return self.office

    def shutdown(self) -> None:
        if self.doc is not None:
            self._close_doc()
        if self.office is not None:
            self.office.stop()
            self.office = None

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        jobs = request.get("jobs")
        if not isinstance(jobs, list):
            raise ValueError("Forespørgslen mangler en liste 'jobs'.")
        total = float(request.get("timeout", 300))
        default_job_timeout = float(request.get("job_timeout", total))
        deadline = time.monotonic() + total
        self.startups = []
        t0 = time.monotonic()
        self.ensure_office()
        results: list[Any] = []
        timings: list[float] = []
        for job in jobs:
            started = time.monotonic()
            remaining = deadline - started
            if remaining <= 0:
                results.append(
                    {"error": "TimeoutError: Tiden for hele kørslen var opbrugt før denne opgave."}
                )
                timings.append(0.0)
                continue
            limit = min(float(job.get("timeout", default_job_timeout)), remaining)
            results.append(self.run_job(job, limit))
            timings.append(round(time.monotonic() - started, 4))
        return {
            "ok": True,
            "results": results,
            "timings": {
                "startup": round(sum(self.startups), 4) if self.startups else None,
                "restarts": max(0, len(self.startups) - 1),
                "jobs": timings,
                "total": round(time.monotonic() - t0, 4),
            },
        }

    def run_job(self, job: Any, limit: float) -> Any:
        if not isinstance(job, dict) or not isinstance(job.get("op"), str):
            return {"error": "ValueError: En opgave skal være et objekt med 'op'."}
        op = job["op"]
        method = getattr(self, "op_" + op, None)
        if method is None:
            return {"error": f"ValueError: Ukendt opgave '{op}'."}
        watchdog = Watchdog(limit, self._on_timeout)
        try:
            with watchdog:
                if op == "open":
                    # (re)starts soffice under this job's guard if it was killed earlier
                    self.ensure_office()
                return jsonable(method(job))
        except Exception as exc:
            if watchdog.fired:
                self.doc = None
                return {
                    "error": f"TimeoutError: Opgaven '{op}' tog mere end {limit:.3g} s; "
                    "LibreOffice blev stoppet."
                }
            traceback.print_exc()
            if self.office is not None and not self.office.alive():
                self.doc = None
            return {"error": f"{_exc_name(exc)}: {_exc_message(exc)}"}

    def _on_timeout(self) -> None:
        if self.office is not None:
            self.office.kill()

    # -- helpers ----------------------------------------------------------------------
    def need_doc(self) -> Any:
        if self.doc is None:
            raise NoDocument("Intet dokument er åbent (brug først 'open').")
        return self.doc

    def sheet(self, job: dict[str, Any]) -> Any:
        doc = self.need_doc()
        if not hasattr(doc, "Sheets"):
            raise TypeError("Dokumentet er ikke et regneark.")
        ref = job.get("sheet")
        sheets = doc.Sheets
        if ref is None:
            return self._active_sheet(doc)
        if isinstance(ref, int):
            return sheets.getByIndex(ref)
        if not sheets.hasByName(ref):
            raise KeyError(f"Arket '{ref}' findes ikke.")
        return sheets.getByName(ref)

    @staticmethod
    def _active_sheet(doc: Any) -> Any:
        ctl = doc.getCurrentController()
        if ctl is not None:
            return ctl.getActiveSheet()
        return doc.Sheets.getByIndex(0)

    @staticmethod
    def _props(**kw: Any) -> tuple[Any, ...]:
        from com.sun.star.beans import PropertyValue

        out = []
        for name, value in kw.items():
            pv = PropertyValue()
            pv.Name = name
            pv.Value = value
            out.append(pv)
        return tuple(out)

    @staticmethod
    def _url(path: str) -> str:
        import uno

        return uno.systemPathToFileUrl(os.path.abspath(path))

    def _close_doc(self) -> None:
        doc, self.doc = self.doc, None
        if doc is None:
            return
        try:
            doc.close(True)
        except Exception:
            with contextlib.suppress(Exception):
                doc.dispose()

    @staticmethod
    def _used_end(sheet: Any) -> tuple[int, int]:
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        addr = cursor.getRangeAddress()
        return addr.EndColumn, addr.EndRow

    # -- jobs ---------------------------------------------------------------------------
    def op_open(self, job: dict[str, Any]) -> Any:
        path = job["path"]
        if not os.path.isfile(path):
            raise FileNotFoundError(f"Filen findes ikke: {path}")
        if self.doc is not None:
            self._close_doc()
        office = self.ensure_office()
        macros = bool(job.get("macros", False))
        # Hidden=False is the default on purpose: soffice runs --headless, so no window
        # shows either way, but a document loaded with Hidden=True loses its frozen panes
        # when it is stored as xlsx (LibreOffice 7.4).
        props: dict[str, Any] = {
            "Hidden": bool(job.get("hidden", False)),
            "MacroExecutionMode": 4 if macros else 0,  # ALWAYS_EXECUTE_NO_WARN / NEVER
            "UpdateDocMode": 0,  # NO_UPDATE: never fetch external links
            "ReadOnly": bool(job.get("read_only", False)),
        }
        if job.get("filter"):
            props["FilterName"] = job["filter"]
        if job.get("password"):
            props["Password"] = job["password"]
        doc = office.desktop.loadComponentFromURL(
            self._url(path), "_blank", 0, self._props(**props)
        )
        if doc is None:
            raise OSError(f"LibreOffice kunne ikke åbne filen: {path}")
        self.doc = doc
        self.macros_enabled = macros
        if not hasattr(doc, "Sheets"):
            return {"sheets": [], "hidden": {}, "kind": "text"}
        names = list(doc.Sheets.getElementNames())
        hidden = {}
        for name in names:
            if not doc.Sheets.getByName(name).IsVisible:
                hidden[name] = "hidden"
        return {"sheets": names, "hidden": hidden}

    def op_close(self, job: dict[str, Any]) -> Any:
        self._close_doc()
        return {"ok": True}

    def op_recalc(self, job: dict[str, Any]) -> Any:
        self.need_doc().calculateAll()
        return {"ok": True}

    # typing ---------------------------------------------------------------------------
    def _type_cell(self, sheet: Any, address: str, text: str, validate: bool) -> dict[str, Any]:
        cell = sheet.getCellRangeByName(address)
        if sheet.isProtected() and cell.CellProtection.IsLocked:
            return {"error": "protected"}
        validation = cell.Validation
        check = validate and enum_value(validation.Type) != "ANY"
        previous = (cell.getFormula(), cell.NumberFormat) if check else None
        # FormulaLocal is what the input line does: parse with the profile's locale
        # ("12,5" -> 12.5 under da-DK, "15-05-2026" -> a date). setFormula() would parse
        # as en-US and would also write into protected cells.
        cell.setPropertyValue("FormulaLocal", text)
        invalid = check and self._is_invalid(sheet, cell)
        alert = enum_value(validation.ErrorAlertStyle) if validation.ShowErrorMessage else None
        if invalid and alert == "STOP" and previous is not None:
            formula, number_format = previous
            if formula == "":
                cell.setString("")
            else:
                cell.setFormula(formula)
            cell.NumberFormat = number_format
            return {
                "error": "invalid",
                "title": validation.ErrorTitle,
                "message": validation.ErrorMessage,
            }
        info = self._cell_info(cell)
        if invalid:
            info["invalid"] = True
            info["alert"] = alert
        return info

    @staticmethod
    def _is_invalid(sheet: Any, cell: Any) -> bool:
        """Ask LibreOffice's own validity check (Detective > Mark Invalid Data)."""
        target = cell.getCellAddress()
        sheet.showInvalid()
        try:
            page = sheet.DrawPage
            for i in range(page.getCount()):
                shape = page.getByIndex(i)
                if shape.ShapeType != "com.sun.star.drawing.EllipseShape":
                    continue
                anchor = shape.Anchor
                if anchor is None or not hasattr(anchor, "getCellAddress"):
                    continue
                a = anchor.getCellAddress()
                if a.Column == target.Column and a.Row == target.Row:
                    return True
            return False
        finally:
            sheet.clearArrows()

    def op_type(self, job: dict[str, Any]) -> Any:
        sheet = self.sheet(job)
        return self._type_cell(sheet, job["cell"], str(job["text"]), job.get("validate", True))

    def op_type_many(self, job: dict[str, Any]) -> Any:
        sheet = self.sheet(job)
        validate = job.get("validate", True)
        return {
            address: self._type_cell(sheet, address, str(text), validate)
            for address, text in job["cells"].items()
        }

    def op_edit(self, job: dict[str, Any]) -> Any:
        """What people do to a sheet's structure: ``rename`` it, ``insert_rows`` /
        ``insert_columns`` ([first 0-based index, count]), ``sort_by`` (0-based column,
        descending) over the used area below ``header_row``."""
        sheet = self.sheet(job)
        if "insert_rows" in job:
            first, n = job["insert_rows"]
            sheet.getRows().insertByIndex(int(first), int(n))
        if "insert_columns" in job:
            first, n = job["insert_columns"]
            sheet.getColumns().insertByIndex(int(first), int(n))
        if "sort_by" in job:
            cur = sheet.createCursor()
            cur.gotoEndOfUsedArea(False)
            end = cur.getRangeAddress()
            header = int(job.get("header_row", 0))
            rng = sheet.getCellRangeByPosition(0, header + 1, end.EndColumn, end.EndRow)
            from com.sun.star.table import TableSortField

            f = TableSortField()
            f.Field = int(job["sort_by"])
            f.IsAscending = False
            props = self._props(SortFields=(f,), ContainsHeader=False)
            rng.sort(props)
        if "rename" in job:
            sheet.setName(str(job["rename"]))
        return {"ok": True, "name": sheet.getName()}

    # reading --------------------------------------------------------------------------
    @staticmethod
    def _cell_info(cell: Any) -> dict[str, Any]:
        kind = enum_value(cell.getType())
        if kind == "EMPTY":
            return {"v": None, "t": "empty", "f": None, "s": ""}
        if kind == "VALUE":
            return {"v": cell.getValue(), "t": "num", "f": None, "s": cell.getString()}
        if kind == "TEXT":
            s = cell.getString()
            return {"v": s, "t": "text", "f": None, "s": s}
        s = cell.getString()
        formula = cell.getFormula()
        if cell.getError() != 0:
            return {"v": s, "t": "error", "f": formula, "s": s}
        value: Any = cell.getValue()
        if cell.FormulaResultType2 == 2:  # com.sun.star.sheet.FormulaResult.STRING
            value = s
        return {"v": value, "t": "formula", "f": formula, "s": s}

    def op_read(self, job: dict[str, Any]) -> Any:
        sheet = self.sheet(job)
        if job.get("range"):
            rng = sheet.getCellRangeByName(job["range"])
        else:
            end_col, end_row = self._used_end(sheet)
            rng = sheet.getCellRangeByPosition(0, 0, end_col, end_row)
        a = rng.getRangeAddress()
        rows = a.EndRow - a.StartRow + 1
        cols = a.EndColumn - a.StartColumn + 1
        if rows * cols > 2_000_000:
            raise ValueError(f"Området er for stort til 'read' ({rows} x {cols} celler).")
        from com.sun.star.sheet.CellFlags import DATETIME, FORMULA, STRING, VALUE
        from com.sun.star.sheet.FormulaResult import ERROR

        data = rng.getDataArray()
        formulas = rng.getFormulaArray()

        def mask(ranges: Any) -> set[tuple[int, int]]:
            out: set[tuple[int, int]] = set()
            for r in ranges.getRangeAddresses():
                for row in range(r.StartRow, r.EndRow + 1):
                    for col in range(r.StartColumn, r.EndColumn + 1):
                        out.add((row - a.StartRow, col - a.StartColumn))
            return out

        formula_cells = mask(rng.queryContentCells(FORMULA))
        error_cells = mask(rng.queryFormulaCells(ERROR)) if formula_cells else set()
        text_cells = mask(rng.queryContentCells(STRING))
        number_cells = mask(rng.queryContentCells(VALUE | DATETIME))
        grid: list[list[dict[str, Any]]] = []
        for r in range(rows):
            line: list[dict[str, Any]] = []
            for c in range(cols):
                key = (r, c)
                value = data[r][c]
                if key in formula_cells:
                    s = rng.getCellByPosition(c, r).getString()
                    if key in error_cells:
                        line.append({"v": s, "t": "error", "f": formulas[r][c], "s": s})
                    else:
                        line.append({"v": value, "t": "formula", "f": formulas[r][c], "s": s})
                elif key in number_cells:
                    s = rng.getCellByPosition(c, r).getString()
                    line.append({"v": value, "t": "num", "f": None, "s": s})
                elif key in text_cells:
                    line.append({"v": value, "t": "text", "f": None, "s": value})
                else:
                    line.append({"v": None, "t": "empty", "f": None, "s": ""})
            grid.append(line)
        return grid

    # saving ---------------------------------------------------------------------------
    _FILTERS: ClassVar[dict[str, str]] = {
        ".xlsx": "Calc MS Excel 2007 XML",
        ".xlsm": "Calc MS Excel 2007 VBA XML",
        ".ods": "calc8",
        ".csv": "Text - txt - csv (StarCalc)",
        ".pdf": "calc_pdf_Export",
    }
    _TEXT_FILTERS: ClassVar[dict[str, str]] = {
        ".pdf": "writer_pdf_Export",
        ".docx": "MS Word 2007 XML",
        ".odt": "writer8",
    }

    def op_save(self, job: dict[str, Any]) -> Any:
        import uno

        doc = self.need_doc()
        path = os.path.abspath(job["path"])
        ext = os.path.splitext(path)[1].lower()
        is_calc = hasattr(doc, "Sheets")
        table = self._FILTERS if is_calc else self._TEXT_FILTERS
        filter_name = job.get("filter") or table.get(ext)
        if not filter_name:
            raise ValueError(f"Kender ikke et filter til '{ext}'; angiv 'filter'.")
        props: dict[str, Any] = {"FilterName": filter_name, "Overwrite": True}
        if job.get("filter_options"):
            props["FilterOptions"] = job["filter_options"]
        filter_data: dict[str, Any] = dict(job.get("filter_data") or {})
        if is_calc and (job.get("sheet") is not None or job.get("selection")):
            sheet = self.sheet(job)
            selection = job.get("selection")
            filter_data["Selection"] = sheet.getCellRangeByName(selection) if selection else sheet
        if filter_data:
            props["FilterData"] = uno.Any(
                "[]com.sun.star.beans.PropertyValue", self._props(**filter_data)
            )
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        doc.storeToURL(self._url(path), self._props(**props))
        return {"path": path, "bytes": os.path.getsize(path)}

    # inspection -------------------------------------------------------------------------
    def op_validations(self, job: dict[str, Any]) -> Any:
        sheet = self.sheet(job)
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        formats = sheet.getUniqueCellFormatRanges()
        for i in range(formats.getCount()):
            ranges = formats.getByIndex(i)
            v = ranges.getByIndex(0).Validation
            vtype = enum_value(v.Type)
            has_prompt = v.ShowInputMessage and (v.InputTitle or v.InputMessage)
            if vtype == "ANY" and not has_prompt:
                continue
            item = {
                "type": vtype,
                "operator": enum_value(v.getOperator()),
                "formula1": v.getFormula1(),
                "formula2": v.getFormula2(),
                "ShowList": _SHOW_LIST.get(v.ShowList, v.ShowList),
                "ErrorAlertStyle": enum_value(v.ErrorAlertStyle),
                "ShowErrorMessage": bool(v.ShowErrorMessage),
                "ErrorTitle": v.ErrorTitle,
                "ErrorMessage": v.ErrorMessage,
                "ShowInputMessage": bool(v.ShowInputMessage),
                "InputTitle": v.InputTitle,
                "InputMessage": v.InputMessage,
                "IgnoreBlankCells": bool(v.IgnoreBlankCells),
            }
            key = tuple(item.values())
            group = groups.setdefault(key, {"range": "", **item, "_ranges": []})
            group["_ranges"].extend(addr_name(r) for r in ranges.getRangeAddresses())
        out = []
        for group in groups.values():
            group["range"] = " ".join(group.pop("_ranges"))
            out.append(group)
        return out

    def op_protection(self, job: dict[str, Any]) -> Any:
        sheet = self.sheet(job)
        end_col, end_row = self._used_end(sheet)
        unlocked: list[tuple[int, int, int, int]] = []
        formats = sheet.getUniqueCellFormatRanges()
        for i in range(formats.getCount()):
            ranges = formats.getByIndex(i)
            if ranges.getByIndex(0).CellProtection.IsLocked:
                continue
            for r in ranges.getRangeAddresses():
                unlocked.append((r.StartColumn, r.StartRow, r.EndColumn, r.EndRow))
        clipped: list[tuple[int, int, int, int]] = []
        for sc, sr, ec, er in unlocked:
            # whole rows/columns (formats set on a column) are cut at the used area
            if ec >= _MAXCOL:
                ec = max(end_col, sc) if sc <= end_col else -1
            if er >= _MAXROW:
                er = max(end_row, sr) if sr <= end_row else -1
            if ec >= sc and er >= sr:
                clipped.append((sc, sr, ec, er))
        clipped.sort(key=lambda t: (t[1], t[0]))
        cells: list[str] = []
        limit = int(job.get("limit", 100_000))
        for sc, sr, ec, er in clipped:
            for row in range(sr, er + 1):
                for col in range(sc, ec + 1):
                    if len(cells) < limit:
                        cells.append(cell_name(col, row))
        cells.sort(key=_cell_sort_key)
        return {
            "protected": bool(sheet.isProtected()),
            "unlocked_cells": cells,
            "unlocked_ranges": [range_name(*t) for t in clipped],
        }

    def op_conditional_formats(self, job: dict[str, Any]) -> Any:
        sheet = self.sheet(job)
        out = []
        for fmt in sheet.ConditionalFormats.getConditionalFormats():
            entries = []
            conditions = []
            for i in range(fmt.getCount()):
                entry = fmt.getByIndex(i)
                etype = _CF_ENTRY_TYPES.get(entry.Type, str(entry.Type))
                detail: dict[str, Any] = {"type": etype}
                if etype == "condition":
                    op = _CF_OPERATORS.get(entry.Operator, str(entry.Operator))
                    detail.update(
                        operator=op,
                        formula1=entry.Formula1,
                        formula2=entry.Formula2,
                        style=entry.StyleName,
                    )
                    conditions.append(entry.Formula1)
                    if op in ("BETWEEN", "NOT_BETWEEN"):
                        conditions.append(entry.Formula2)
                elif etype == "date":
                    detail.update(date_type=entry.DateType, style=entry.StyleName)
                    conditions.append(f"date:{entry.DateType}")
                else:
                    conditions.append(etype)
                entries.append(detail)
            rng = " ".join(addr_name(r) for r in fmt.Range.getRangeAddresses())
            out.append({"range": rng, "conditions": conditions, "entries": entries})
        return out

    def op_named_ranges(self, job: dict[str, Any]) -> Any:
        doc = self.need_doc()
        names = self.sheet(job).NamedRanges if job.get("sheet") is not None else doc.NamedRanges
        return {name: names.getByName(name).getContent() for name in names.getElementNames()}

    def op_database_ranges(self, job: dict[str, Any]) -> Any:
        doc = self.need_doc()
        sheet_names = list(doc.Sheets.getElementNames())
        out = []
        ranges = doc.DatabaseRanges
        for name in ranges.getElementNames():
            db = ranges.getByName(name)
            a = db.getDataArea()
            out.append(
                {
                    "name": name,
                    "sheet": sheet_names[a.Sheet],
                    "range": addr_name(a),
                    "header": bool(db.ContainsHeader),
                    "totals": bool(db.TotalsRow),
                    "autofilter": bool(db.AutoFilter),
                }
            )
        return out

    def op_sheet_props(self, job: dict[str, Any]) -> Any:
        doc = self.need_doc()
        sheet = self.sheet(job)
        name = sheet.getName()
        style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
        width, height = style.Width, style.Height
        visible = bool(sheet.IsVisible)
        return {
            "name": name,
            "visible": visible,
            # LibreOffice 7.4 has no "very hidden": both Excel states read as hidden
            "visibility": "visible" if visible else "hidden",
            "protected": bool(sheet.isProtected()),
            "page_style": sheet.PageStyle,
            "paper": paper_name(width, height),
            "paper_size_mm": [round(width / 100), round(height / 100)],
            "orientation": "landscape" if style.IsLandscape else "portrait",
            "scale": style.PageScale,
            "scale_to_pages": [style.ScaleToPagesX, style.ScaleToPagesY],
            "print_areas": [addr_name(a) for a in sheet.getPrintAreas()],
            "tab_color": None if sheet.TabColor in (-1, 0xFFFFFFFF) else sheet.TabColor,
            "frozen": self._frozen(doc, name),
        }

    # macros ---------------------------------------------------------------------------
    def op_macro(self, job: dict[str, Any]) -> Any:
        """Run a script URL through the document's script provider.

        Open the document with ``"macros": true`` first, e.g. ``vnd.sun.star.script:
        VBAProject.Module1.Main?language=Basic&location=document``.
        """
        doc = self.need_doc()
        if not self.macros_enabled:
            # LibreOffice itself would let the API call through; a person could not
            raise PermissionError("Makroer er slået fra i dokumentet (åbn med 'macros': true).")
        script = doc.getScriptProvider().getScript(job["name"])
        value, _, _ = script.invoke(tuple(job.get("args", ())), (), ())
        controller = doc.getCurrentController()
        active = controller.getActiveSheet().Name if controller is not None else None
        return {"value": jsonable(value), "active_sheet": active}

    def op_basic_libraries(self, job: dict[str, Any]) -> Any:
        """The document's Basic libraries; sources and types of the VBAProject modules."""
        libraries = self.need_doc().BasicLibraries
        result: dict[str, Any] = {
            "libraries": list(libraries.getElementNames()),
            "vba_compatibility_mode": bool(libraries.VBACompatibilityMode),
            "modules": {},
        }
        name = job.get("library", "VBAProject")
        if libraries.hasByName(name):
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            for module in library.getElementNames():
                kind = "unknown"
                with contextlib.suppress(Exception):
                    kind = _MODULE_TYPES.get(library.getModuleInfo(module).ModuleType, kind)
                result["modules"][module] = {"source": library.getByName(module), "type": kind}
        return result

    def op_controls(self, job: dict[str, Any]) -> Any:
        """Form controls on a sheet with their script event bindings, and its code name."""
        sheet = self.sheet(job)
        found = []
        forms = sheet.DrawPage.Forms
        for form_index in range(forms.getCount()):
            form = forms.getByIndex(form_index)
            for index in range(form.getCount()):
                model = form.getByIndex(index)
                found.append(
                    {
                        "name": model.Name,
                        "label": getattr(model, "Label", None),
                        "service": model.ImplementationName,
                        "events": [
                            {
                                "listener": e.ListenerType,
                                "method": e.EventMethod,
                                "script_type": e.ScriptType,
                                "script": e.ScriptCode,
                            }
                            for e in form.getScriptEvents(index)
                        ],
                    }
                )
        return {"codename": sheet.CodeName, "controls": found}

    @staticmethod
    def _frozen(doc: Any, name: str) -> dict[str, int] | None:
        """Frozen panes from the document's view data; None when there is no view."""
        try:
            view_data = doc.getViewData()
        except Exception:
            view_data = None
        if view_data is None or view_data.getCount() == 0:
            return None
        settings = {p.Name: p.Value for p in view_data.getByIndex(0)}
        tables = settings.get("Tables")
        if tables is None or not tables.hasByName(name):
            return None
        table = {p.Name: p.Value for p in tables.getByName(name)}
        # SplitMode 2 = frozen; then the "Twips" position is a column/row count
        cols = table.get("HorizontalSplitPositionTwips", 0)
        rows = table.get("VerticalSplitPositionTwips", 0)
        cols = cols if table.get("HorizontalSplitMode") == 2 else 0
        rows = rows if table.get("VerticalSplitMode") == 2 else 0
        return {"columns": int(cols), "rows": int(rows)}


def _cell_sort_key(address: str) -> tuple[int, int]:
    letters = address.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(address[len(letters) :]), col


def _exc_name(exc: BaseException) -> str:
    name = type(exc).__name__
    # pyuno exceptions are named e.g. "com.sun.star.lang.IllegalArgumentException"
    return name.rsplit(".", 1)[-1]


def _exc_message(exc: BaseException) -> str:
    message = getattr(exc, "Message", None)
    if isinstance(message, str) and message:
        return message.strip()
    text = str(exc)
    if isinstance(exc, KeyError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        text = exc.args[0]
    return text.strip()


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------


def _watch_parent(worker: Worker, workdir: str) -> None:
    """Stop everything when the parent process disappears (we got re-parented)."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            if worker.office is not None:
                worker.office.kill()
            shutil.rmtree(workdir, ignore_errors=True)
            os._exit(3)


def _emit(stream: IO[str], payload: dict[str, Any]) -> None:
    stream.write(json.dumps(payload, ensure_ascii=True, default=str) + "\n")
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--locale", default="da-DK")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--start-timeout", type=float, default=90.0)
    args = parser.parse_args(argv)

    # Keep the protocol stream clean: fd 1 (inherited by soffice and used by any C
    # library) now points at stderr; our JSON goes to a private duplicate.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    workdir = args.workdir or tempfile.mkdtemp(prefix="kontrakt-lo-")
    os.makedirs(workdir, exist_ok=True)
    worker = Worker(args.soffice, args.locale, workdir, args.start_timeout)

    def _on_term(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _on_term)
    threading.Thread(target=_watch_parent, args=(worker, workdir), daemon=True).start()
    try:
        try:
            import uno  # noqa: F401
        except ImportError as exc:
            _emit(
                protocol,
                {
                    "ok": False,
                    "error": f"ImportError: {exc}",
                    "traceback": traceback.format_exc(),
                },
            )
            return 2
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8").strip()
            if not line:
                continue
            try:
                response = worker.handle(json.loads(line))
            except Exception as exc:
                response = {
                    "ok": False,
                    "error": f"{_exc_name(exc)}: {_exc_message(exc)}",
                    "traceback": traceback.format_exc(),
                }
            _emit(protocol, response)
        return 0
    finally:
        try:
            worker.shutdown()
        finally:
            # the parent removes it as well; doing it here covers a parent that died
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
