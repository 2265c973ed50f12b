"""Saving the master safely: one run at a time, lock detection, permissions, backups,
atomic replace, run log."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import socket
import stat
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import UserError
from toolkit.files import write_atomic
from toolkit.reading.inputs import InputError

F = TypeVar("F", bound=Callable[..., Any])
MASTER_SUFFIXES = (".xlsx", ".xlsm")
STALE_AFTER = 2 * 3600  # seconds: a lock from another computer older than this is abandoned

BACKUP_DIR = "Sikkerhedskopier"


class MasterLocked(UserError):
    """The master is open in Excel/LibreOffice (Danish message); nothing was changed."""


class KonsoliderRunning(MasterLocked):
    """Another Konsolider is running on the same master (Danish message); nothing changed."""


class MasterRefused(InputError):
    """The file given as the master cannot be used as one (Danish message); nothing changed."""


# ----------------------------------------------------------------- one Konsolider at a time


def run_lock_path(master: Path) -> Path:
    return master.with_name(f"{master.name}.konsolider.lock")


def _current_user() -> str:
    for var in ("USERNAME", "USER", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    return "ukendt"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    if os.path.isdir(f"/proc/{pid}"):  # a zombie is not running
        with (
            contextlib.suppress(OSError),
            open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh,
        ):
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    return True


def _lock_info(lock: Path) -> dict[str, Any] | None:
    """The lock's owner record; {} when unreadable (e.g. half written); None when gone."""
    try:
        text = lock.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        return {}
    try:
        info = json.loads(text)
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def _is_stale(info: dict[str, Any], lock: Path, now: float) -> bool:
    started = info.get("startet_epoch")
    if not isinstance(started, int | float):
        try:  # unreadable record: judge by the file's age
            started = lock.stat().st_mtime
        except OSError:
            return True
    if info.get("vaert") == socket.gethostname() and isinstance(info.get("pid"), int):
        return not _pid_alive(info["pid"])
    return now - float(started) > STALE_AFTER


def _describe(info: dict[str, Any]) -> str:
    who = info.get("bruger") or "en anden"
    host = info.get("vaert") or "en anden computer"
    when = info.get("startet") or "et ukendt tidspunkt"
    return f"{who} på {host} (startet {when})"


@contextlib.contextmanager
def run_lock(master: Path) -> Iterator[Path]:
    """Hold the Konsolider lock beside the master for the length of a run.

    The lock is a small file created atomically (O_EXCL, which also works on network
    drives) holding who, where, which process and when. A lock whose process is gone
    (same computer) or that is older than two hours (another computer) is abandoned and
    taken over; any other lock makes this run stop with a Danish message before it has
    read or changed anything.
    """
    lock = run_lock_path(master)
    record = {
        "bruger": _current_user(),
        "vaert": socket.gethostname(),
        "pid": os.getpid(),
        "startet": datetime.now().replace(microsecond=0).isoformat(sep=" "),
        "startet_epoch": time.time(),
    }
    for _attempt in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            info = _lock_info(lock)
            if info is None:
                continue  # released meanwhile: try again
            if not _is_stale(info, lock, time.time()):
                raise KonsoliderRunning(
                    f"Konsolider kører allerede på {master.name}: {_describe(info)}. Vent, til "
                    "den kørsel er færdig, og prøv igen. Intet er ændret. (Hvis ingen kører "
                    f"Konsolider, kan låsefilen {lock.name} slettes.)"
                ) from None
            _break_stale(lock, info)
            continue
        except OSError as exc:
            raise MasterRefused(
                f"Konsolider kan ikke oprette sin låsefil i {master.parent} "
                f"({'adgang nægtet' if isinstance(exc, PermissionError) else 'fejl i filsystemet'}). "
                "Intet er ændret."
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False)
        break
    else:
        raise KonsoliderRunning(
            f"Konsolider kører allerede på {master.name}. Vent lidt, og prøv igen. Intet er ændret."
        )
    try:
        yield lock
    finally:
        if _lock_info(lock) == record:  # never remove a lock someone else took over
            lock.unlink(missing_ok=True)


def _break_stale(lock: Path, seen: dict[str, Any]) -> None:
    """Move an abandoned lock aside; if what was moved is not the lock judged abandoned (a
    new run took it meanwhile), put it back."""
    aside = lock.with_name(f"{lock.name}.{os.getpid()}.{time.monotonic_ns()}")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    if _lock_info(aside) in (seen, {}):
        aside.unlink(missing_ok=True)
        return
    with contextlib.suppress(OSError):
        os.link(aside, lock)  # fails if yet another run holds it: then both stay out
    aside.unlink(missing_ok=True)


def holding_run_lock(func: F) -> F:
    """Decorator for the Konsolider run: ``master`` (2nd argument) is locked throughout."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        master = Path(kwargs["master"] if "master" in kwargs else args[1])
        check_master_target(master)
        with run_lock(master):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# ----------------------------------------------------------------- what may be replaced


def check_master_target(path: Path) -> None:
    """Refuse a master path that is not a workbook, or a master that is write-protected."""
    if path.suffix.lower() not in MASTER_SUFFIXES:
        raise MasterRefused(
            f"{path.name} kan ikke være masterarbejdsbogen: den skal hedde .xlsx eller .xlsm. "
            "Intet er ændret."
        )
    if path.is_dir():
        raise MasterRefused(f"{path} er en mappe, ikke en masterarbejdsbog. Intet er ændret.")
    if path.exists() and not stat.S_IMODE(path.stat().st_mode) & stat.S_IWUSR:
        raise MasterRefused(
            f"Masterarbejdsbogen {path.name} er skrivebeskyttet. Fjern skrivebeskyttelsen "
            "(Egenskaber > Skrivebeskyttet), og kør Konsolider igen. Intet er ændret."
        )


def refuse_non_master(path: Path, settings: dict[str, Any], tables: dict[str, Any]) -> None:
    """An existing file with neither the master's settings nor any of its tables is not a
    master (the register, an institution's workbook): it is never overwritten."""
    if not settings and not any(tables.values()):
        raise MasterRefused(
            f"{path.name} er ikke en masterarbejdsbog (den har hverken masterens Indstillinger "
            "eller dens tabeller), så den bliver ikke overskrevet. Angiv masterarbejdsbogen med "
            "--master, eller et nyt filnavn for at lave en ny. Intet er ændret."
        )


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


def backup(
    path: Path, keep: int = 10, now: datetime | None = None, *, prune: bool = True
) -> Path | None:
    """Copy the current master into Sikkerhedskopier/ and keep the newest ``keep`` copies
    (and older ones holding the only copy of a typed value, :func:`prune_backups`)."""
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
    if prune:
        prune_backups(path, keep)
    return target


def backups_of(path: Path) -> list[Path]:
    """The master's backups, oldest first."""
    folder = path.parent / BACKUP_DIR
    copies = folder.glob(f"{path.stem} *{path.suffix}") if folder.is_dir() else []
    return sorted(copies, key=lambda p: (p.stat().st_mtime_ns, p.name))


def prune_backups(path: Path, keep: int = 10) -> list[Path]:
    """Delete all but the newest ``keep`` backups — except a backup holding a typed value
    (Kontraktservice's columns, people's own columns, Forældede mål) that neither the
    master at ``path`` nor any newer backup holds: it is the only copy, and is kept.
    Returns the backups kept for that reason."""
    copies = backups_of(path)
    doomed = copies[:-keep] if keep > 0 else copies
    if not doomed:
        return []
    from toolkit.master.guard import typed_in_file

    index = _TypedIndex(path.parent / BACKUP_DIR / TYPED_INDEX)
    newer: set[tuple[str, str, str]] = set(typed_in_file(path)) if path.exists() else set()
    for p in copies[len(doomed) :]:
        newer |= index.get(p)
    kept: list[Path] = []
    for p in reversed(doomed):  # newest first: each is compared with all that are newer
        mine = index.get(p)
        if mine - newer:
            kept.append(p)
            newer |= mine
        else:
            p.unlink(missing_ok=True)
    index.save(copies)
    return kept[::-1]


TYPED_INDEX = ".typede-vaerdier.json"


class _TypedIndex:
    """The typed values of each backup, remembered beside them (by name, size and time), so
    a run reads only the backup it made, not all of them."""

    def __init__(self, file: Path) -> None:
        self.file = file
        try:
            raw = json.loads(file.read_text("utf-8"))
        except (OSError, ValueError):
            raw = {}
        self.entries: dict[str, Any] = raw if isinstance(raw, dict) else {}

    def get(self, p: Path) -> set[tuple[str, str, str]]:
        from toolkit.master.guard import typed_in_file

        st = p.stat()
        stamp = [st.st_size, st.st_mtime_ns]
        e = self.entries.get(p.name)
        if isinstance(e, dict) and e.get("stamp") == stamp and isinstance(e.get("typed"), list):
            return {(str(a), str(b), str(c)) for a, b, c in e["typed"]}
        typed = typed_in_file(p)
        self.entries[p.name] = {"stamp": stamp, "typed": sorted(typed)}
        return typed

    def save(self, copies: list[Path]) -> None:
        live = {p.name for p in copies if p.exists()}
        data = {k: v for k, v in self.entries.items() if k in live}
        with contextlib.suppress(OSError):  # only a speed-up: a run without it reads more
            write_atomic(self.file, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def save_master(
    path: Path, data: bytes, *, keep: int = 10, kept: list[Path] | None = None
) -> Path | None:
    """Back up the old master, then replace it atomically. Raises MasterLocked first if open.
    Old backups are pruned after the new master is written (so it counts as a copy); those
    kept because they hold the only copy of a typed value are added to ``kept``."""
    check_not_locked(path)
    copy = backup(path, keep, prune=False)
    write_atomic(path, data)
    with contextlib.suppress(OSError):  # a backup that cannot be pruned is kept
        saved = prune_backups(path, keep)
        if kept is not None:
            kept.extend(saved)
    return copy


def kept_backups_note(kept: list[Path]) -> dict[str, Any]:
    """The run log's note on old backups kept because they hold a typed value's only copy."""
    if not kept:
        return {}
    return {
        "bevarede_sikkerhedskopier": [p.name for p in kept],
        "besked": f"{len(kept)} ældre sikkerhedskopi(er) er bevaret ud over de nyeste, fordi de "
        "rummer en værdi skrevet i masterarbejdsbogen, som ikke findes i masteren eller i en nyere "
        "kopi.",
    }


def append_log(path: Path, entry: dict[str, Any]) -> Path:
    """One JSON line per run in ``<master>.log`` beside the master."""
    log = path.with_suffix(".log")
    with log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    return log
