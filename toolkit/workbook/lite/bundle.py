"""Build the workbook's ``main.py`` for xlwings Lite from toolkit's own modules.

xlwings Lite keeps one Python file, ``main.py``, in the workbook. It is generated here, at
build time, never kept by hand: the modules the Valider script needs (reader, rules,
catalogue, model, spec, the ``xw.Book`` reader and findings writer, found by following
their imports from :data:`ROOT`) and the spec file are embedded as text; when xlwings Lite
loads ``main.py``, it writes them to Pyodide's in-memory file system once and imports the
``toolkit`` package from there. So the add-in runs the very code the command line runs.

The bundle must run in Pyodide with only the standard library and xlwings:
:func:`bundle_files` refuses a bundled module that imports anything else at module level
(an import inside a function, used only on paths Valider never takes, is allowed, and so is
an import guarded by ``except ImportError``). A package whose ``__init__`` pulls in desktop
machinery is bundled as a bare package marker (:data:`MARKER_PACKAGES`).
"""

from __future__ import annotations

import ast
import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import toolkit
from toolkit.spec.paths import data_dir

#: The module the script runs; everything it imports (transitively) is bundled.
ROOT = "toolkit.excel.lite"
#: Packages whose ``__init__`` re-exports desktop-only code (pandas via the master's
#: buttons): in the bundle they are only package markers.
MARKER_PACKAGES = frozenset({"toolkit.excel"})
#: Data files the bundled modules read (relative to the project root).
DATA_FILES = ("workbook/kontraktbog.toml",)
#: Third-party packages a bundled module may import at module level.
ALLOWED = frozenset({"xlwings"})

_PKG_DIR = Path(toolkit.__file__).resolve().parent


class BundleError(Exception):
    """A module in the bundle would not import in xlwings Lite (Pyodide); internal: a build error."""


@dataclass(frozen=True)
class _Imports:
    toolkit: frozenset[str]  # toolkit modules (or names that may be modules)
    third_party: frozenset[str]  # top-level third-party imports at module level


def _source_path(module: str) -> Path | None:
    rel = Path(*module.split(".")[1:])
    for p in (_PKG_DIR / rel / "__init__.py", (_PKG_DIR / rel).with_suffix(".py")):
        if p.is_file():
            return p
    return None


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _guarded(node: ast.Try) -> bool:
    """A try whose handler catches ImportError: the import is optional."""
    for h in node.handlers:
        names = h.type.elts if isinstance(h.type, ast.Tuple) else [h.type]
        if any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError")
               for n in names):  # fmt: skip
            return True
    return False


def _imports(tree: ast.Module) -> _Imports:
    found: set[str] = set()
    third: set[str] = set()

    def visit(nodes: list[ast.stmt], module_level: bool, optional: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                visit(node.orelse, module_level, optional)
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif node.level:
                    raise BundleError("relative imports are not bundled")
                else:
                    base = node.module or ""
                    names = [base] + [f"{base}.{a.name}" for a in node.names]
                for n in names:
                    top = n.split(".")[0]
                    if top == "toolkit":
                        found.add(n)
                    elif module_level and not optional and top != "__future__":
                        third.add(top)
                continue
            inner_level = module_level and not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(node, ast.Try):
                visit(node.body, module_level, optional or _guarded(node))
                for h in node.handlers:
                    visit(h.body, module_level, optional)
                visit(node.orelse + node.finalbody, module_level, optional)
                continue
            for field in ("body", "orelse", "finalbody"):
                child = getattr(node, field, None)
                if isinstance(child, list) and child and isinstance(child[0], ast.stmt):
                    visit(child, inner_level, optional)

    visit(tree.body, True, False)
    return _Imports(frozenset(found), frozenset(third))


def _allowed(top: str) -> bool:
    return top in sys.stdlib_module_names or top in ALLOWED


def bundle_modules() -> dict[str, Path]:
    """Module name → source file, for every module the Valider script imports."""
    todo = [ROOT]
    out: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name in out:
            continue
        path = _source_path(name)
        if path is None:
            continue  # ``from toolkit.x import name``: a name, not a module
        out[name] = path
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        if name in MARKER_PACKAGES:
            continue
        found = _imports(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        bad = sorted(t for t in found.third_party if not _allowed(t))
        if bad:
            raise BundleError(
                f"{name} imports {', '.join(bad)}: that does not run in xlwings Lite (Pyodide)"
            )
        todo.extend(found.toolkit)
    return dict(sorted(out.items()))


def bundle_files() -> dict[str, str]:
    """Relative path → text of every file ``main.py`` carries."""
    files: dict[str, str] = {}
    for name, path in bundle_modules().items():
        rel = path.relative_to(_PKG_DIR.parent).as_posix()
        if name in MARKER_PACKAGES:
            files[rel] = f'"""{name}: package marker (the desktop buttons are not bundled)."""\n'
        else:
            files[rel] = path.read_text(encoding="utf-8")
    for rel in DATA_FILES:
        folder, _, file = rel.partition("/")
        files[rel] = (data_dir(folder) / file).read_text(encoding="utf-8")
    return files


def _literal(text: str) -> str:
    """``text`` as a parenthesised run of one string literal per source line."""
    lines = text.splitlines(keepends=True) or [""]
    body = "".join(f"        {line!r}\n" for line in lines)
    return f"(\n{body}    )"


_HEAD = '''"""Kontraktstyring: Valider i xlwings Lite.

Klik på Valider i xlwings Lite-ruden (eller tryk F5): Python tjekker arbejdsbogen, skriver
fejl og advarsler på arket Tjek (kolonne H-L) med et link til hver celle og farver cellerne.
Koden kører lokalt i Excel; intet sendes nogen steder hen.

GENERERET af kontraktstyring {version} (toolkit.workbook.lite.bundle, bundt {digest}) ud fra
værktøjets egne moduler. Ret ikke her: ændringer forsvinder, når arbejdsbøgerne bygges igen.
"""

import xlwings as xw
from xlwings import script


@script(name="Valider")
def valider(book: xw.Book):
    """Tjek arbejdsbogen, og marker fejl og mangler."""
    from toolkit.excel.lite import valider as run

    run(book)


def _install(files, digest):
    """Write the bundled package to Pyodide's file system once, and import it from there."""
    import os
    import sys
    import tempfile

    root = os.path.join(tempfile.gettempdir(), "kontraktstyring-" + digest)
    if not os.path.isdir(root):
        work = root + ".tmp-" + str(os.getpid())
        for rel, text in files.items():
            path = os.path.join(work, *rel.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        try:
            os.replace(work, root)
        except OSError:  # written meanwhile by another run
            pass
    loaded = sys.modules.get("toolkit")
    if loaded is not None and not str(getattr(loaded, "__file__", "")).startswith(root):
        for name in [n for n in sys.modules if n == "toolkit" or n.startswith("toolkit.")]:
            del sys.modules[name]
    if root not in sys.path:
        sys.path.insert(0, root)


_DIGEST = {digest!r}
_FILES = {{
'''


@lru_cache(maxsize=1)
def main_py() -> str:
    """The complete ``main.py`` text."""
    files = bundle_files()
    h = hashlib.sha256()
    for rel, text in files.items():
        h.update(rel.encode() + b"\0" + text.encode("utf-8") + b"\0")
    digest = h.hexdigest()[:16]
    parts = [_HEAD.format(version=toolkit.__version__, digest=digest)]
    for rel, text in files.items():
        parts.append(f"    {rel!r}: {_literal(text)},\n")
    parts.append("}\n\n_install(_FILES, _DIGEST)\n")
    return "".join(parts)
