"""xlwings' standalone VBA modules, taken from the installed (pinned) xlwings package.

``xlwings quickstart --standalone`` ships a workbook whose project holds the module
``xlwings`` (the file ``xlwings/xlwings.bas``) and the class ``Dictionary`` (the file
``xlwings/addin/Dictionary.cls``, needed on the Mac); ``xlwings release`` imports exactly
these two files unchanged.  Their VBA calls a Python package of the same version, so
the project pins xlwings exactly and this module refuses any other version.
"""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.vba.module import Module, ModuleError, load_module

PINNED_XLWINGS_VERSION = "0.37.8"
"""Must equal the ``xlwings==`` pin in pyproject.toml (a test checks this)."""

_VERSION_CONSTANT = re.compile(r'Public Const XLWINGS_VERSION As String = "([^"]+)"')


class XlwingsVersionError(RuntimeError):
    """Raised when the installed xlwings is not the pinned version (internal: a build error)."""


def xlwings_modules() -> list[Module]:
    """Return ``[xlwings, Dictionary]`` from the installed xlwings package."""
    try:
        import xlwings
    except ImportError as error:
        raise XlwingsVersionError(
            f"xlwings er ikke installeret; installér xlwings=={PINNED_XLWINGS_VERSION}."
        ) from error
    installed = getattr(xlwings, "__version__", "?")
    if installed != PINNED_XLWINGS_VERSION:
        raise XlwingsVersionError(
            f"xlwings {installed} er installeret, men projektet er låst til "
            f"xlwings=={PINNED_XLWINGS_VERSION}: VBA-modulet skal passe til Python-pakken."
        )
    package = Path(xlwings.__file__).resolve().parent
    modules = [
        load_module(package / "xlwings.bas"),
        load_module(package / "addin" / "Dictionary.cls"),
    ]
    match = _VERSION_CONSTANT.search(modules[0].source)
    if not match or match.group(1) != PINNED_XLWINGS_VERSION:
        raise XlwingsVersionError(
            f"xlwings.bas i {package} har ikke XLWINGS_VERSION = {PINNED_XLWINGS_VERSION}."
        )
    if [m.name for m in modules] != ["xlwings", "Dictionary"]:
        raise ModuleError("xlwings' VBA-filer har uventede modulnavne.")
    return modules
