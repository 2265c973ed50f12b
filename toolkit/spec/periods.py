"""The dates of the yearly cycle (årshjulet), relative to the contract year."""

from __future__ import annotations

from datetime import date


def period(kind: str, year: int) -> tuple[date, date]:
    """First and last allowed date for a date field with ``periode = kind``."""
    if kind == "forberedelsesaar":  # dialogue and proposals: the year before
        return date(year - 1, 1, 1), date(year - 1, 12, 31)
    if kind == "kontraktaar":
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "resultatperiode":  # results are measured by the end of March next year
        return date(year, 1, 1), date(year + 1, 3, 31)
    raise ValueError(kind)


def dialog_window(year: int) -> tuple[date, date]:
    """Dialogue with users and employees happens April–August before the contract year."""
    return date(year - 1, 4, 1), date(year - 1, 8, 31)
