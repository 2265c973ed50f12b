"""xlwings Server for Kontraktservice: the buttons as an Office.js add-in, without VBA.

Start it with ``kontrakt server --mappe D:\\Kontraktstyring --url https://…`` or
``python -m toolkit.excel.server``; see ``docs/xlwings-server.md``. It runs on Starlette and
uvicorn (the ``server`` extra) and is split into:

* :mod:`.config` — the settings (root folder, sign-in, limits);
* :mod:`.auth` — the Authorization header: Entra ID tokens or a shared secret, roles;
* :mod:`.app` — the routes, Origin/CORS, body limits and deadlines;
* :mod:`.jobs` — the worker processes (a short pool for Valider, a long one for the rest);
* :mod:`.scripts` — the buttons as xlwings scripts (xlwings' remote engine);
* :mod:`.pages` — the task pane, manifest, icons and alert dialog;
* :mod:`.run` — uvicorn and the command line.

Every path a workbook names — and the workbook's own name — is confined to the one root
folder (:mod:`toolkit.excel.confine`).
"""

from __future__ import annotations

from toolkit.excel.server.config import EntraConfig, KonfigurationsFejl, ServerConfig
from toolkit.excel.server.run import Running, config_from, main, serve, start
from toolkit.excel.server.scripts import ROLE, SCRIPTS, ensure_remote_engine, run_script

__all__ = [
    "ROLE",
    "SCRIPTS",
    "EntraConfig",
    "KonfigurationsFejl",
    "Running",
    "ServerConfig",
    "config_from",
    "ensure_remote_engine",
    "main",
    "run_script",
    "serve",
    "start",
]
