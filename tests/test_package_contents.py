"""The wheel ships the product, not the test machinery.

The UNO harness (``tests/uno_harness/``) and the sample master (``tests/sample_master.py``)
live under ``tests/``; the package keeps only PDF conversion (``toolkit/office/libreoffice.py``)
and the profile settings it shares with the UNO worker (``toolkit/office/profile.py``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.office import libreoffice

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolkit"
WORKER = ROOT / "tests" / "uno_harness" / "worker.py"
TEST_ONLY = {"uno", "unohelper", "uno_harness", "sample_master", "conftest", "pytest"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_no_package_module_imports_test_machinery() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_modules(path) & TEST_ONLY)
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_package_libreoffice_is_pdf_conversion_only() -> None:
    assert set(libreoffice.__all__) == {
        "ConversionError",
        "LibreOfficeError",
        "LibreOfficeMissing",
        "LibreOfficeTimeout",
        "convert",
        "find_soffice",
    }
    assert not (PACKAGE / "_uno_worker.py").exists()
    assert not (PACKAGE / "documents" / "sample.py").exists()


@pytest.mark.parametrize(
    "path",
    [
        PACKAGE / "office" / "profile.py",
        PACKAGE / "office" / "__init__.py",
        PACKAGE / "__init__.py",
        WORKER,
    ],
)
def test_worker_side_is_python_3_8_syntax(path: Path) -> None:
    """LibreOffice's bundled Python (Windows/macOS) can be 3.8; the worker runs under it."""
    ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 8))


def test_worker_starts_by_path_with_the_standard_library_only(tmp_path: Path) -> None:
    """``-S``: no site-packages, so the worker's import of toolkit.office.profile needs only the
    standard library; started from another directory, as the harness starts it by path."""
    done = subprocess.run(
        [sys.executable, "-S", str(WORKER), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--soffice" in done.stdout
