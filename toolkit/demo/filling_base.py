"""The pieces a generated filling is made of: the filling itself, a goal's clean values,
Danish number formats, weekdays in the dialogue months, and the sizes of things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter

from toolkit.demo import names
from toolkit.demo.municipality import (
    FastRandom,
    cumulative,
)

USER_SIDE = (names.MED_BRUGERE, names.MED_BEGGE)
STAFF_SIDE = (names.MED_MEDARBEJDERE, names.MED_BEGGE)

# (month, weight) for dialogue in April-August (little happens in the July holiday), and for
# dialogue held too early or too late (a mistake).
DIALOG_MONTHS = ((4, 6), (5, 8), (6, 6), (7, 1), (8, 5))
WRONG_MONTHS = ((3, 1), (9, 2), (10, 1))

# (values, cumulative weights) for the sizes of things.
N_OTHER = ((0, 1, 2), cumulative((4, 4, 1)))
N_STAFF = ((1, 2, 3), cumulative((3, 4, 2)))
N_USERS = ((0, 1, 2, 3), cumulative((2, 4, 3, 1)))
N_COMMON_GOALS = ((0, 1, 2), cumulative((3, 5, 2)))
N_GOALS = ((3, 4, 5), cumulative((3, 5, 2)))
N_DIALOG_ONE_SIDE = ((1, 2, 3), cumulative((3, 4, 2)))
N_DIALOG_BOTH = ((0, 1, 2), cumulative((4, 4, 1)))


@dataclass
class GeneratedFilling:
    """A generated institution's input to its workbook, with the mistakes made on purpose
    (see the module docstring for conventions). Not :class:`toolkit.workbook.build.Filling`,
    the values a workbook is built with."""

    virksomhed: dict[str, object]
    gruppe: list[dict[str, object]]
    dialog: list[dict[str, object]]
    maal: list[dict[str, object]]
    resultater: list[dict[str, object]] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CleanGoal:
    """A goal's values before any mistake was made (the results are measured against these)."""

    retning: str
    baseline: int | float | str
    target: int | float | str
    decimaler: int
    enhed: str
    maalemetode: str
    gruppe: str  # "bruger", "medarbejder", "kompetence" or "*" (see names.FORKLARINGER)
    frist: date


# --------------------------------------------------------------------------- small helpers


def fmt_int(n: int) -> str:
    """Danish thousands separator: 12500 -> "12.500"."""
    return f"{n:,}".replace(",", ".")


def fmt_num(v: int | float) -> str:
    """A number as a Dane writes it: 3.5 -> "3,5"."""
    return str(v).replace(".", ",")


def round_to(x: float, decimaler: int) -> int | float:
    if decimaler <= 0:
        return int(round(x, decimaler))
    return round(x, decimaler)


_WEEKDAY_POOLS: dict[tuple[int, tuple[tuple[int, int], ...]], tuple[date, ...]] = {}


def weekday(rng: FastRandom, year: int, months: tuple[tuple[int, int], ...]) -> date:
    """A weekday (Monday-Friday) in one of ``months`` of ``year``, by month weight."""
    key = (year, months)
    pool = _WEEKDAY_POOLS.get(key)
    if pool is None:
        days: list[date] = []
        for month, weight in months:
            d = date(year, month, 1)
            while d.month == month:
                if d.weekday() < 5:
                    days.extend([d] * weight)
                d += timedelta(days=1)
        pool = _WEEKDAY_POOLS[key] = tuple(days)
    return rng.pick(pool)


by_date = itemgetter("dato")
