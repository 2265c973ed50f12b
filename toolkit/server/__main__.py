"""``python -m toolkit.server``: start the add-in server (see docs/xlwings-server.md)."""

from toolkit.server.run import main

main()
