"""xlwings Lite: the Python Valider stored in every institution workbook.

- :mod:`toolkit.excel.lite` — the Valider script as xlwings Lite runs it (``xw.Book``).
- :mod:`toolkit.workbook.lite.bundle` — builds the workbook's ``main.py`` from toolkit's own modules.
- :mod:`toolkit.workbook.lite.addin` — writes the add-in's parts into the workbook package.

This package's ``__init__`` is bundled into ``main.py``: it imports nothing.
"""
