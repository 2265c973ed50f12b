"""A job for the server's worker processes in tests: the real button, or one held open.

A payload with the key ``"_test_hold"`` (a folder; the real client never sends this key)
stands for a long Konsolider: the worker writes ``started`` there and waits until the
test writes ``release`` (at most two minutes), then writes ``done``. Every other payload
runs the real button (:func:`toolkit.excel.server.scripts.run_script`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def job(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    hold = payload.get("_test_hold")
    if hold:
        folder = Path(hold)
        (folder / f"started-{name}-{payload['_test_n']}").touch()
        deadline = time.monotonic() + 120
        while not (folder / "release").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        (folder / f"done-{name}-{payload['_test_n']}").touch()
        return {"actions": []}
    from toolkit.excel.server.scripts import run_script

    return run_script(name, payload)


def pid(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The worker's process id (to see that workers end with the server)."""
    import os

    return {"pid": os.getpid()}
