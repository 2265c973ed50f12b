#!/usr/bin/env python3
"""Set up and run kontraktstyring on a fresh machine — the two commands in README.md.

    python3 bootstrap.py demo [MAPPE]   # opsætning + hele årshjulet på demokommunen
    python3 bootstrap.py test           # opsætning + alle tests (ruff, mypy, pytest)

It makes a virtual environment in .venv (once), installs the project with its test
tools into it, and runs the job there. Works on Linux, macOS and Windows (py bootstrap.py …).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def sh(*args: str | Path, check: bool = True) -> int:
    print("$", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit("kontraktstyring kræver Python 3.11 eller nyere.")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    marker = (ROOT / "pyproject.toml").stat().st_mtime_ns
    if not STAMP.exists() or STAMP.read_text() != str(marker):
        sh(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
        sh(PY, "-m", "pip", "install", "-q", "-e", ".[test]")
        STAMP.write_text(str(marker))


def test(extra: list[str]) -> int:
    sh(PY, "-m", "ruff", "check", "toolkit", "tests", "bench")
    sh(PY, "-m", "ruff", "format", "--check", "toolkit", "tests", "bench")
    sh(PY, "-m", "mypy", "toolkit")
    code = sh(PY, "-m", "pytest", "-n", "2", "--durations=15", *extra, check=False)
    if code == 5:
        print("FEJL: pytest fandt ingen tests (exit 5).", file=sys.stderr)
        return 1
    return code


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "demo"
    setup()
    if cmd == "demo":
        folder = argv[1] if len(argv) > 1 else "demo"
        return sh(BIN / "kontrakt", "demo", folder, check=False)
    if cmd == "test":
        return test(argv[1:])
    if cmd == "setup":
        return 0
    sys.exit(f"Ukendt kommando {cmd!r}: brug 'demo' eller 'test'.")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
