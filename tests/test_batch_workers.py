"""Worker processes die with their parent: kill -9 the parent, no orphan is left."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = """
import os, sys, time
from pathlib import Path
from toolkit.workbook.batch import parallel_map
folder = Path(sys.argv[1])

def work(i):
    (folder / f"{os.getpid()}.pid").write_text(str(os.getpid()))
    time.sleep(600)
    return i

parallel_map(work, list(range(16)), 2)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux-only")
def test_workers_die_when_the_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path)])
    try:
        for _ in range(600):  # wait (bounded) until both workers are busy
            if len(list(tmp_path.glob("*.pid"))) >= 2:
                break
            time.sleep(0.1)
        workers = [int(p.stem) for p in tmp_path.glob("*.pid")]
        assert len(workers) >= 2 and all(_alive(w) for w in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        for _ in range(100):  # a short bounded wait: 10 s at most
            if not any(_alive(w) for w in workers):
                break
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
        assert not left, f"orphaned workers: {left}"
    finally:
        for p in tmp_path.glob("*.pid"):
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(p.stem), signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
