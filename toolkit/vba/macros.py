"""The project's own VBA modules, kept as text in the ``macros/`` folder."""

from __future__ import annotations

from toolkit.spec.paths import data_dir
from toolkit.vba.module import Module, ModuleError, load_module

INSTITUTION_MODULES = ("Kontraktbog", "PythonTjek")
"""Modules of the institution workbook (besides xlwings')."""

MASTER_MODULES = ("Master", "PythonTjek")
"""Modules of the master workbook (besides xlwings')."""


def macro_modules(*names: str) -> list[Module]:
    """Load ``macros/<name>.bas`` or ``.cls`` for each name, in the given order."""
    folder = data_dir("macros")
    modules = []
    for name in names:
        candidates = [folder / f"{name}.bas", folder / f"{name}.cls"]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise ModuleError(f"Makromodulet {name!r} findes ikke i {folder}.")
        modules.append(load_module(path))
    return modules
