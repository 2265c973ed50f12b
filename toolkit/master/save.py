"""Saving the master safely: lock detection, backups, atomic replace, run log."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.build import write_atomic

BACKUP_DIR = "Sikkerhedskopier"


class MasterLocked(Exception):
    """The master is open in Excel/LibreOffice (Danish message); nothing was changed."""


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (~$name) and LibreOffice (.~lock.name#) leave beside an open file."""
    cands = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]),
        path.with_name(f".~lock.{path.name}#"),
    ]
    return [p for p in cands if p.exists()]


def check_not_locked(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        who = ""
        try:
            text = locks[0].read_bytes()[:200].decode("utf-8", "ignore").strip(",\x00 \n")
            who = f" (låst af {text.split(',')[1] if ',' in text else text[:40]})" if text else ""
        except OSError:
            pass
        raise MasterLocked(
            f"Masterarbejdsbogen {path.name} er åben i Excel eller LibreOffice{who}. "
            "Luk den, og kør Konsolider igen. Intet er ændret."
        )
    if path.exists() and os.name == "nt":  # pragma: no cover - Windows file locking
        try:
            fd = os.open(path, os.O_RDWR)
            os.close(fd)
        except PermissionError:
            raise MasterLocked(
                f"Masterarbejdsbogen {path.name} er låst af et andet program. Luk den, og prøv igen. Intet er ændret."
            ) from None


def backup(path: Path, keep: int = 10, now: datetime | None = None) -> Path | None:
    """Copy the current master into Sikkerhedskopier/ and keep the newest ``keep`` copies."""
    if not path.exists():
        return None
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H.%M.%S")
    target = folder / f"{path.stem} {stamp}{path.suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.stem} {stamp} ({n}){path.suffix}"
    shutil.copy2(path, target)
    copies = sorted(folder.glob(f"{path.stem} *{path.suffix}"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-keep] if keep > 0 else copies:
        old.unlink(missing_ok=True)
    return target


def save_master(path: Path, data: bytes, *, keep: int = 10) -> Path | None:
    """Back up the old master, then replace it atomically. Raises MasterLocked first if open."""
    check_not_locked(path)
    copy = backup(path, keep)
    write_atomic(path, data)
    return copy


def append_log(path: Path, entry: dict[str, Any]) -> Path:
    """One JSON line per run in ``<master>.log`` beside the master."""
    log = path.with_suffix(".log")
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return log
