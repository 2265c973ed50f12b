"""The ``PROJECT`` stream (MS-OVBA 2.3.1): the project's properties as text lines.

Lines end in CRLF and the text is in the project's code page.  A project without
protection and without a password gets CMG = no protection state bits, DPB = a single
0x00 byte (no password) and GC = 0xFF (visible), each encrypted as in 2.4.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.vba.format.encryption import encrypt
from toolkit.vba.format.records import encoding_for

HOST_EXTENDER_VBE = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
"""The one host extender every Office VBA project lists."""

VERSION_COMPATIBLE_32 = "393222000"

_NOT_PROTECTED = bytes(4)  # ProjectProtectionState: no bits set
_NO_PASSWORD = bytes(1)  # ProjectPassword: a single 0x00 byte
_VISIBLE = bytes([0xFF])  # ProjectVisibilityState: visible


@dataclass(frozen=True)
class ProjectEntry:
    """A module as listed in ``PROJECT``: its name and its kind of line."""

    name: str
    kind: str
    """``"Document"``, ``"Module"`` or ``"Class"``."""


def project_stream(
    *,
    project_id: str,
    entries: Sequence[ProjectEntry],
    name: str,
    code_page: int,
    seeds: tuple[int, int, int],
) -> bytes:
    """Build ``PROJECT``.  ``project_id`` is ``{GUID}`` in upper case, with braces.

    ``seeds`` are the seed bytes for CMG, DPB and GC.
    """
    lines = [f'ID="{project_id}"']
    for entry in entries:
        if entry.kind == "Document":
            lines.append(f"Document={entry.name}/&H00000000")
        elif entry.kind in ("Module", "Class"):
            lines.append(f"{entry.kind}={entry.name}")
        else:
            raise ValueError(f"Unknown module kind in PROJECT: {entry.kind!r}.")
    lines += [
        f'Name="{name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{VERSION_COMPATIBLE_32}"',
        f'CMG="{encrypt(_NOT_PROTECTED, project_id, seeds[0])}"',
        f'DPB="{encrypt(_NO_PASSWORD, project_id, seeds[1])}"',
        f'GC="{encrypt(_VISIBLE, project_id, seeds[2])}"',
        "",
        "[Host Extender Info]",
        HOST_EXTENDER_VBE,
        "",
        "[Workspace]",
    ]
    lines += [f"{entry.name}=0, 0, 0, 0, C" for entry in entries]
    text = "".join(line + "\r\n" for line in lines)
    return text.encode(encoding_for(code_page))
