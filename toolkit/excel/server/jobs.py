"""Where the buttons run: two pools of worker processes, so Valider never waits.

Valider runs in the *short* pool; Konsolider, Lav kontrakter, Lav udvalgsnotater and Nyt
kontraktår in the *long* pool, each with its own number of processes and its own bound on
waiting calls (more get :class:`Optaget`, answered 503). A process runs one workbook at a
time, so xlwings' remote engine (which keeps its books in a global list) is never shared;
a process that dies (out of memory) takes only its own call with it, and the pool is
started again. Every worker confines paths to the server's root and ends when the server
process ends, however that ends.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

Job = Callable[[str, dict[str, Any]], dict[str, Any]]


class Optaget(Exception):
    """Too many calls are waiting for this pool."""


class JobStoppet(Exception):
    """The worker process running the call died."""


def run_script(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The default job: the button ``name`` on the workbook ``payload`` (in a worker)."""
    from toolkit.excel.server.scripts import run_script as run

    return run(name, payload)


def _die_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover  (not a worker)
        return

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])
        os._exit(3)

    threading.Thread(target=watch, name="vent-paa-server", daemon=True).start()


def _init_worker(root: str | None) -> None:
    _die_with_parent()
    from toolkit.excel.confine import set_root

    set_root(Path(root) if root else None)
    import toolkit.excel.server.scripts  # noqa: F401  (load xlwings and the toolkit once)


class Pool:
    """One pool of worker processes with a bound on calls in it (running or waiting)."""

    def __init__(self, name: str, workers: int, queue: int, root: Path | None) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.limit = self.workers + max(0, queue)
        self.root = root
        self.busy = 0  # changed on the event loop only
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(str(self.root) if self.root else None,),
        )

    async def run(self, job: Job, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        if self.busy >= self.limit:
            raise Optaget(self.name)
        self.busy += 1
        executor = self._executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, job, name, payload)
        except BrokenProcessPool:
            if self._executor is executor:  # start a fresh pool for the next calls
                self._executor = self._new()
                executor.shutdown(wait=False, cancel_futures=True)
            raise JobStoppet(self.name) from None
        finally:
            self.busy -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class JobPools:
    """The short and the long pool, and which button runs where."""

    def __init__(
        self,
        root: Path | None,
        *,
        short_workers: int = 2,
        long_workers: int = 1,
        queue: int = 8,
        job: Job = run_script,
    ) -> None:
        self.job = job
        self.short = Pool("kort", short_workers, queue, root)
        self.long = Pool("lang", long_workers, queue, root)

    async def run(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        from toolkit.excel.server.scripts import LONG

        pool = self.long if name in LONG else self.short
        return await pool.run(self.job, name, payload)

    def shutdown(self) -> None:
        self.short.shutdown()
        self.long.shutdown()
