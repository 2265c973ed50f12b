"""Paths confined to one folder: what the add-in server lets a workbook point at.

On the server, the paths in a workbook's settings (Indbakke, Virksomhedsregister,
Dokumentmappe …) and the workbook's own name come from whoever sends the request. With a
root set (:func:`set_root`), every such path must lie inside that one folder:

* no ``..`` part, with either separator (``../`` and Windows' ``..\\``), also not
  URL-encoded (``%2e%2e%2f``), and no NUL;
* absolute, or relative to a folder that is itself inside the root;
* no symbolic link (or Windows junction) on the way from the root to the path — the path
  itself included: a symlinked file inside the root is refused too.

A refused path raises :class:`UdenforMappen` with a Danish message naming the setting. The
core (command line, VBA buttons) sets no root, and nothing is checked there.

The check is made when the path is used; the root folder itself should be writable only
by Kontraktservice and the server's service account, so no one can put a link in between.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import UserError

_root: Path | None = None


class UdenforMappen(UserError):
    """A path the server may not use; the message is Danish and shown as it is."""


def set_root(root: Path | None) -> Path | None:
    """Confine every path to ``root`` (None: no confinement). Returns the resolved root."""
    global _root
    if root is None:
        _root = None
        return None
    resolved = Path(root).expanduser().resolve(strict=True)
    if not resolved.is_dir():
        raise NotADirectoryError(f"{root} er ikke en mappe.")
    _root = resolved
    return resolved


def current_root() -> Path | None:
    return _root


def _is_link(path: Path) -> bool:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode):
        return True
    is_junction = getattr(os.path, "isjunction", None)  # Windows junctions (Python 3.12+)
    return bool(is_junction and is_junction(path))


def has_parent_part(text: str) -> bool:
    """``..`` as a part of ``text`` (or of it URL-decoded), with / or \\ as separator."""
    from urllib.parse import unquote

    return any(".." in t.replace("\\", "/").split("/") for t in (text, unquote(text)))


def confine(path: Path | str, label: str) -> Path:
    """``path`` if it may be used under the root (always, when no root is set)."""
    if _root is None:
        return Path(path)
    root = _root
    text = str(path)
    if "\x00" in text:
        raise UdenforMappen(f"{label} indeholder et ugyldigt tegn (NUL). Skriv stien igen.")
    if has_parent_part(text):
        raise UdenforMappen(f"{label} ({text}) må ikke indeholde '..'. Skriv den fulde sti "
                            f"til en mappe i {root}.")  # fmt: skip
    candidate = Path(text)
    if not candidate.is_absolute():
        raise UdenforMappen(f"{label} ({text}) skal være en fuld sti til en mappe i {root}.")
    candidate = Path(os.path.abspath(candidate))  # drops "." and doubled separators
    try:
        rel = candidate.relative_to(root)
    except ValueError:
        raise UdenforMappen(
            f"{label} ({text}) ligger uden for den mappe, serveren må bruge ({root})."
        ) from None
    here = root
    for part in rel.parts:
        here = here / part
        if _is_link(here):
            raise UdenforMappen(
                f"{label} ({text}) går gennem en genvej (symbolsk link): {here}. Serveren følger "
                "ikke genveje; brug den rigtige mappe eller fil."
            )
    return candidate


def links_below(folder: Path) -> Iterator[Path]:
    """Symbolic links (files or folders) anywhere below ``folder``, not followed."""
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            p = Path(top) / name
            if _is_link(p):
                yield p


def confine_tree(folder: Path, label: str) -> Path:
    """``folder`` confined, and no link below it (a folder the core will walk)."""
    folder = confine(folder, label)
    if _root is not None and folder.is_dir():
        for link in links_below(folder):
            raise UdenforMappen(
                f"{label} ({folder}) indeholder en genvej (symbolsk link), som serveren ikke "
                f"følger: {link.relative_to(folder)}. Læg den rigtige fil i mappen, og prøv igen."
            )
    return folder
