"""Docstrings point somewhere (issue 12, item 4): every Sphinx-style reference to a
``toolkit.…`` name — ``:mod:``, ``:func:``, ``:class:``, ``:data:``, ``:meth:``, ``:attr:``,
``:exc:`` — in the package's sources and in README.md names a module or attribute that
exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import toolkit

PACKAGE = Path(toolkit.__file__).parent
ROOT = PACKAGE.parent
REFERENCE = re.compile(r":(?:mod|func|class|data|meth|attr|exc):`~?(toolkit(?:\.\w+)*)(?:\(\))?`")


def _references() -> list[tuple[str, str]]:
    found = []
    for path in [*sorted(PACKAGE.rglob("*.py")), ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for m in REFERENCE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append((f"{path.relative_to(ROOT)}:{line}", m.group(1)))
    return found


def resolves(dotted: str) -> bool:
    """Import the longest module prefix of ``dotted``, then look the rest up as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_resolver_rejects_what_does_not_exist() -> None:
    assert resolves("toolkit.spec.vocabulary.normalize")
    assert resolves("toolkit.reading")
    assert not resolves("toolkit.migrate")
    assert not resolves("toolkit.master.read")
    assert not resolves("toolkit.spec.vocabulary.no_such_word")


def test_there_are_references_to_check() -> None:
    assert len(_references()) > 20


@pytest.mark.parametrize(("where", "target"), _references())
def test_reference_resolves(where: str, target: str) -> None:
    assert resolves(target), f"{where}: {target} does not exist"
