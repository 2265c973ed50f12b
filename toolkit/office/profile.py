"""LibreOffice profile settings: the Danish locale, no lock files, no auto recovery.

Used by :func:`toolkit.office.libreoffice.convert` and, through its path, by the tests' UNO worker
(``tests/uno_harness/worker.py``), which runs under LibreOffice's Python. Therefore this
module uses the standard library only and stays compatible with Python 3.8 (the Python
bundled with LibreOffice on Windows/macOS can be that old).
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

__all__ = ["write_profile_settings"]


_XCU_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def _xcu_item(path: str, name: str, value: str) -> str:
    return (
        f'<item oor:path="{escape(path)}"><prop oor:name="{escape(name)}" oor:op="fuse">'
        f"<value>{escape(value)}</value></prop></item>\n"
    )


def write_profile_settings(profile_dir: str, locale: str) -> None:
    """Write ``user/registrymodifications.xcu`` into a fresh LibreOffice profile.

    * ``ooSetupSystemLocale`` = *locale*: how typed numbers/dates are parsed and how
      "General" numbers are shown ("12,5" is 12.5 under da-DK).
    * ``DefaultLocale``: the default document language.
    * no lock files: several processes may open the same workbook at once, and a stale
      ``.~lock.*#`` from a killed process would otherwise make loading fail silently.
    * no auto recovery / auto save.
    """
    user = os.path.join(profile_dir, "user")
    os.makedirs(user, exist_ok=True)
    items = [
        _xcu_item("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", locale),
        _xcu_item("/org.openoffice.Office.Linguistic/General", "DefaultLocale", locale),
        _xcu_item("/org.openoffice.Office.Common/Misc", "UseDocumentOOoLockFile", "false"),
        _xcu_item("/org.openoffice.Office.Common/Misc", "UseDocumentSystemFileLocking", "false"),
        _xcu_item("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
        _xcu_item("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
        _xcu_item("/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"),
        _xcu_item("/org.openoffice.Office.Common/Save/Document", "WarnAlienFormat", "false"),
    ]
    with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as fh:
        fh.write(_XCU_HEAD + "".join(items) + "</oor:items>\n")
