"""Where the project's data folders (workbook/, templates/, macros/) live.

In a source checkout (and an editable install) they sit beside the package; in a wheel
they are copied into ``toolkit/_data``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent  # toolkit/


def data_dir(name: str) -> Path:
    """Return the folder ``workbook``, ``templates`` or ``macros``."""
    for candidate in (_PKG.parent / name, _PKG / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Mappen '{name}' findes ikke ved siden af pakken toolkit.")
