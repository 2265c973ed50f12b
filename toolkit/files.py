"""File helpers shared by every writer: atomic writes and the workbooks' file names.

A file is written to a temporary file beside the target and moved into place, so a crash
never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def current_umask() -> int:
    """The process's umask (from /proc where possible: setting it is not thread-safe)."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as fh,
    ):
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    The file gets the mode of the file it replaces, or for a new file what the umask
    allows (as any program's would) — not the temporary file's private 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(prefix=".~tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def workbook_filename(inst: Mapping[str, Any], year: int) -> str:
    """A file name a person recognises: 'Kontrakt 2027 - V001 Avedøre Skole.xlsx'."""
    name = "".join(ch for ch in str(inst.get("navn", "")) if ch not in '<>:"/\\|?*').strip()
    return f"Kontrakt {year} - {inst.get('id')} {name}.xlsx"
