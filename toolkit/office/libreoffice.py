"""Driving LibreOffice from the product: finding soffice and converting files (PDF).

Every soffice process gets its own throw-away profile (``-env:UserInstallation``), so any
number of them can run side by side (pytest-xdist, threads). The profile is set up for
the Danish locale by default (:mod:`toolkit.office.profile`).

Public API::

    find_soffice() -> Path | None
    convert(paths, "pdf", outdir, timeout=600) -> list[Path]

The UNO automation used by the tests (open, type, recalculate, read, save) lives in
``tests/uno_harness/``; it reuses :func:`find_soffice` and the errors defined here.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import UserError
from toolkit.office.profile import write_profile_settings

__all__ = [
    "ConversionError",
    "LibreOfficeError",
    "LibreOfficeMissing",
    "LibreOfficeTimeout",
    "convert",
    "find_soffice",
]


# --------------------------------------------------------------------------------------
# Errors (messages are Danish: they may reach a user)
# --------------------------------------------------------------------------------------


class LibreOfficeError(UserError, RuntimeError):
    """Base class for everything that goes wrong while driving LibreOffice."""


class LibreOfficeMissing(LibreOfficeError):
    """LibreOffice (or a Python with UNO) is not installed."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "LibreOffice blev ikke fundet. Installér LibreOffice for at lave PDF'er "
            "og genberegne regneark (https://da.libreoffice.org), eller angiv stien "
            "til soffice i miljøvariablen KONTRAKT_SOFFICE."
        )
        super().__init__(f"{message} {detail}".strip())


class LibreOfficeTimeout(LibreOfficeError, TimeoutError):
    """LibreOffice did not finish in time; its processes were killed."""


class ConversionError(LibreOfficeError):
    """``convert`` could not produce some of the files."""

    def __init__(self, message: str, failed: list[Path], produced: list[Path]) -> None:
        super().__init__(message)
        self.failed = failed
        self.produced = produced


# --------------------------------------------------------------------------------------
# Finding LibreOffice
# --------------------------------------------------------------------------------------


def _candidates() -> list[str]:
    found: list[str] = []
    env = os.environ.get("KONTRAKT_SOFFICE")
    if env:
        found.append(env)
    for name in ("soffice", "libreoffice"):
        hit = shutil.which(name)
        if hit:
            found.append(hit)
    found += [
        "/usr/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/usr/local/bin/soffice",
        "/snap/bin/libreoffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ]
    found += sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        base = os.environ.get(var)
        if base:
            found.append(os.path.join(base, "LibreOffice", "program", "soffice.exe"))
    return found


def find_soffice() -> Path | None:
    """Return the soffice executable, or ``None`` when LibreOffice is not installed.

    ``$KONTRAKT_SOFFICE`` wins, then ``PATH``, then the usual install locations on
    Linux, macOS and Windows.
    """
    for candidate in _candidates():
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def _require_soffice() -> Path:
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing()
    return soffice


# --------------------------------------------------------------------------------------
# Process helpers
# --------------------------------------------------------------------------------------


def _popen_group_kwargs() -> dict[str, Any]:
    """Start a child in its own process group so the whole tree can be killed."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """Kill *proc* and everything it started (soffice included)."""
    if proc.poll() is None or os.name != "nt":
        if os.name == "nt":
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                capture_output=True,
                check=False,
            )
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _profile_url(profile: Path) -> str:
    return profile.resolve().as_uri()


# --------------------------------------------------------------------------------------
# convert: one soffice --convert-to for a whole batch
# --------------------------------------------------------------------------------------


def convert(
    paths: Sequence[Path], fmt: str, outdir: Path, *, timeout: float = 600, locale: str = "da-DK"
) -> list[Path]:
    """Convert all *paths* with ONE ``soffice --headless --convert-to FMT`` process.

    *fmt* is what ``--convert-to`` takes: ``"pdf"``, ``"xlsx"``,
    ``"pdf:calc_pdf_Export"`` … The produced files (``outdir/<stem>.<ext>``) are returned
    in the order of *paths*. Raises :class:`ConversionError` naming the files that were
    not produced, :class:`LibreOfficeTimeout` after *timeout* seconds (soffice is killed)
    and :class:`LibreOfficeMissing` when LibreOffice is not installed.
    """
    soffice = _require_soffice()
    sources = [Path(p).resolve() for p in paths]
    if not sources:
        return []
    missing = [p for p in sources if not p.is_file()]
    if missing:
        raise FileNotFoundError("Filerne findes ikke: " + ", ".join(str(p) for p in missing))
    ext = fmt.split(":", 1)[0].strip().lower()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{src.stem}.{ext}" for src in sources]
    seen: dict[Path, Path] = {}
    for src, target in zip(sources, targets, strict=True):
        if target in seen:
            raise ValueError(
                f"'{seen[target].name}' og '{src.name}' ville begge blive til "
                f"'{target.name}'. Konvertér dem i hver sin mappe."
            )
        seen[target] = src
    overwritten = [t for t in targets if t in sources]
    if overwritten:
        raise ValueError(
            f"'{overwritten[0].name}' ville blive overskrevet af sin egen konvertering. "
            "Vælg en anden mappe til resultatet."
        )
    for target in targets:
        if target.exists():
            target.unlink()

    with tempfile.TemporaryDirectory(prefix="kontrakt-convert-") as tmp:
        profile = Path(tmp) / "profile"
        write_profile_settings(str(profile), locale)
        args = [
            str(soffice),
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={_profile_url(profile)}",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *(str(s) for s in sources),
        ]
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=tmp,
            **_popen_group_kwargs(),
        )
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise LibreOfficeTimeout(
                f"LibreOffice blev ikke færdig med at konvertere {len(sources)} fil(er) "
                f"inden for {timeout:.0f} sekunder og blev stoppet."
            ) from None
        finally:
            if proc.poll() is None:
                _kill_group(proc)
    text = "\n".join(
        line
        for line in output.decode("utf-8", errors="replace").splitlines()
        if line.strip() and "javaldx" not in line  # harmless Java notice on Linux
    )
    produced = [t for t in targets if t.is_file() and t.stat().st_size > 0]
    failed = [s for s, t in zip(sources, targets, strict=True) if t not in produced]
    if failed:
        names = ", ".join(p.name for p in failed)
        raise ConversionError(
            f"LibreOffice kunne ikke konvertere til {ext.upper()}: {names}."
            + (f"\nLibreOffice skrev: {text[-1500:]}" if text else ""),
            failed=failed,
            produced=produced,
        )
    return targets
