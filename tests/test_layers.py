"""The package reads like the cycle: wings stacked bottom to top, imports only downward.

``spec`` (and the independent ``vba`` and ``office``) at the bottom, then ``reading``,
``rules``, ``workbook``, ``master``, ``documents``, ``excel``, ``demo`` and the command line
``cli`` at the top. A module may import its own wing and the wings below it — never one
above, not even inside a function. The few modules directly in ``toolkit/`` (the version, the
error base, file helpers) are below everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "toolkit"
WINGS = ("spec", "reading", "rules", "workbook", "master", "documents", "excel", "demo", "cli")
#: wings that stand beside the spec and import nothing above the bottom
BESIDE_SPEC = ("vba", "office")
BASE = ("toolkit", "toolkit.errors", "toolkit.files")


def level(module: str) -> int:
    if module in BASE:
        return -1
    wing = module.split(".")[1]
    if wing in BESIDE_SPEC:
        return 0
    assert wing in WINGS, f"{module}: toolkit/{wing} is no wing (add it to WINGS or move it)"
    return WINGS.index(wing)


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def toolkit_imports(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("toolkit")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "toolkit":
                found += [(node.lineno, f"toolkit.{a.name}") for a in node.names]
            elif node.module.startswith("toolkit."):
                found.append((node.lineno, node.module))
    return found


def resolve(name: str) -> str:
    """``toolkit.x.y`` as imported → the module (or package) it names."""
    parts = name.split(".")
    while len(parts) > 1:
        rel = Path(*parts[1:])
        if (PKG / rel).is_dir() or (PKG / rel).with_suffix(".py").is_file():
            return ".".join(parts)
        parts.pop()
    return "toolkit"


MODULES = sorted(p for p in PKG.rglob("*.py") if "_data" not in p.parts)


def test_every_module_sits_in_a_wing() -> None:
    loose = [p.name for p in PKG.glob("*.py") if module_name(p) not in BASE]
    assert loose == [], f"moduler direkte i toolkit/ uden for en fløj: {loose}"
    for p in MODULES:
        level(module_name(p))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_go_only_downward(path: Path) -> None:
    me = module_name(path)
    mine = level(me)
    up = []
    for line, name in toolkit_imports(ast.parse(path.read_text(encoding="utf-8"))):
        target = resolve(name)
        if level(target) > mine:
            up.append(f"{path.relative_to(PKG)}:{line} imports {target}")
    assert up == []


def test_the_check_catches_an_upward_import() -> None:
    tree = ast.parse("def f():\n    from toolkit.master.model import Master\n")
    ((_line, name),) = toolkit_imports(tree)
    assert level(resolve(name)) > level("toolkit.reading.workbook")
