"""``python -m toolkit.excel.server``: start the add-in server (see docs/xlwings-server.md)."""

from toolkit.excel.server.run import main

main()
