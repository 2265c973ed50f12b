"""JSON text kept in a master cell: *Forældede mål*'s "Manuelle data (JSON)" and a goal's
*Beslutningsgrundlag*. One reader and one writer, so every cell is read and written alike."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _plain(v: Any) -> Any:  # dates, datetimes and times as ISO text; anything else as text
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def json_cell(text: Any) -> dict[str, Any] | None:
    """The dict a cell's JSON text holds; None when the cell is blank, is not JSON, or holds
    something other than a JSON object (a person may have typed over it)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        data = json.loads(str(text))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def to_json_cell(data: Mapping[str, Any]) -> str:
    """``data`` as the cell's JSON text: Danish letters as they are, dates as ISO text."""
    return json.dumps(dict(data), ensure_ascii=False, default=_plain)
