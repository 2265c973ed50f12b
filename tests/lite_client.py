"""Run a workbook's xlwings Lite ``main.py`` in real Pyodide under Node (tests and bench).

The runtime is the npm package ``pyodide`` pinned in ``tests/pyodide/package.json`` (the
version the workbooks ask xlwings Lite for) and the pure xlwings wheel at the project's
pin, installed offline into Pyodide. Both are fetched on first use with the ordinary
clients (``npm ci``, ``pip download``) into folders git ignores; .ci/run does the same.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from toolkit.workbook.lite.addin import XLWINGS_VERSION

HERE = Path(__file__).resolve().parent / "pyodide"
CACHE = HERE / ".cache"
WHEEL = CACHE / f"xlwings-{XLWINGS_VERSION}-py3-none-any.whl"
RUNNER = HERE / "run_lite.mjs"


class RuntimeMissing(RuntimeError):
    """Node/npm or the downloads are not available."""


def ensure_runtime() -> Path:
    """Node with the pinned Pyodide, and the xlwings wheel; returns the wheel's path."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise RuntimeMissing("node and npm are needed for the xlwings Lite tests (apt: nodejs npm)")
    if not (HERE / "node_modules" / "pyodide" / "package.json").is_file():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    if not WHEEL.is_file():
        CACHE.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"xlwings=={XLWINGS_VERSION}", "--no-deps",
             "--only-binary=:all:", "--platform", "any", "--python-version", "3.12",
             "-d", str(CACHE), "-q"],
            check=True,
        )  # fmt: skip
    return WHEEL


def pyodide_version() -> str:
    data = json.loads((HERE / "node_modules" / "pyodide" / "package.json").read_text())
    return str(data["version"])


def run_main_py(main_py: str, payloads: dict[str, dict[str, Any]], *, script: str = "valider",
                repeat: int = 1, runtime: str = "pyodide") -> dict[str, Any]:  # fmt: skip
    """Run ``script`` of ``main_py`` on each payload; the runner's JSON answer.

    ``runtime="pyodide"``: in Pyodide under Node, as xlwings Lite does. ``"cpython"``: the
    same runner (``run_lite.py``) in this Python, as a separate process (the baseline).
    """
    wheel = ensure_runtime() if runtime == "pyodide" else None
    with tempfile.TemporaryDirectory(prefix="lite-") as tmp:
        main = Path(tmp) / "main.py"
        main.write_text(main_py, encoding="utf-8")
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({
            "wheel": str(wheel), "main_py": str(main), "main_dir": tmp, "script": script,
            "repeat": repeat, "payloads": [{"name": k, "payload": v} for k, v in payloads.items()],
        }), encoding="utf-8")  # fmt: skip
        if runtime == "pyodide":
            cmd = [shutil.which("node") or "node", str(RUNNER), str(job)]
        else:
            cmd = [sys.executable, str(HERE / "run_lite.py"), str(job)]
        proc = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"{runtime} run failed:\n{proc.stderr[-6000:]}")
    return dict(json.loads(proc.stdout))
