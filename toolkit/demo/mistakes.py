"""The deliberate mistakes of a generated filling: which, and how they are made."""

from __future__ import annotations

from datetime import date

from toolkit.demo import names
from toolkit.demo.filling_base import (
    STAFF_SIDE,
    USER_SIDE,
    WRONG_MONTHS,
    CleanGoal,
    GeneratedFilling,
    by_date,
    fmt_int,
    fmt_num,
    weekday,
)
from toolkit.demo.municipality import (
    FastRandom,
)
from toolkit.rules.indicators import default_library

# Rule ids of the deliberate mistakes (see the brief of the checks).
MISTAKES: tuple[str, ...] = (
    "maal_antal",
    "gruppe_leder",
    "gruppe_medarbejder",
    "dialog_brugere",
    "dialog_medarbejdere",
    "maal_felt_mangler",
    "maal_uaendret",
    "maal_retning",
    "celle_decimalkomma",
    "celle_dato_tekst",
    "celle_tekst_i_tal",
)
# How often each mistake is made, relative to the others.
_MISTAKE_WEIGHTS: tuple[float, ...] = (0.8, 0.6, 1.0, 1.0, 0.8, 1.5, 1.0, 0.8, 1.0, 1.0, 1.0)
# Mistakes that need a goal with a numeric value of its own.
_NUMERIC_MISTAKES = ("maal_uaendret", "maal_retning", "celle_decimalkomma", "celle_tekst_i_tal")
_OTHER_GOAL_MISTAKES = ("maal_felt_mangler", "celle_dato_tekst")
FORGOTTEN_FIELDS = ("maalemetode", "dokumentationskrav", "indikator", "ansvarlig", "frist")

# --------------------------------------------------------------------------- mistakes


def pick_mistakes(rng: FastRandom, mistake_rate: float) -> list[str]:
    if rng.random() >= mistake_rate:
        return []
    k = 1 if rng.random() < 0.7 else 2
    return rng.take_weighted(MISTAKES, _MISTAKE_WEIGHTS, k)


def _date_as_text(rng: FastRandom, d: date) -> str:
    style = rng.between(0, 3)
    if style == 0:
        return f"{d.day}/{d.month}-{d.year}"
    if style == 1:
        return f"{d.day}.{d.month}.{d.year}"
    if style == 2:
        return f"{d.day}. {names.MONTHS_DA[d.month - 1]} {d.year}"
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _number_as_text(rng: FastRandom, v: int | float, enhed: str, year: int) -> str:
    s = fmt_num(v)
    options = [f"ca. {s}", f"omkring {s}", f"{s} (skøn)", f"{s} i {year - 1}"]
    if enhed == names.PCT:
        options += [f"{s} %", f"{s} pct."]
    elif enhed == names.DG:
        options.append(f"{s} dage")
    elif enhed == names.KR:
        options.append(f"{fmt_int(int(v))} kr.")
    return rng.pick(options)


def _with_decimal_comma(v: int | float, decimaler: int, enhed: str) -> str:
    if isinstance(v, float):
        return f"{v:.{max(1, decimaler)}f}".replace(".", ",")
    if enhed == names.KR:
        return f"{v},00"
    return f"{v},5"  # e.g. 78 -> "78,5": still on the same side of the target


def apply_mistakes(
    rng: FastRandom,
    mistakes: list[str],
    filling: GeneratedFilling,
    clean: list[CleanGoal],
    year: int,
) -> None:
    gruppe, dialog, maal = filling.gruppe, filling.dialog, filling.maal
    if "gruppe_leder" in mistakes:
        if rng.random() < 0.5:
            for row in gruppe:
                if row["rolle"] == names.LEDER:
                    row["rolle"] = names.ANDET
        else:
            gruppe[:] = [r for r in gruppe if r["rolle"] != names.LEDER]
    if "gruppe_medarbejder" in mistakes:
        if rng.random() < 0.5:
            for row in gruppe:
                if row["rolle"] == names.MEDARBEJDER:
                    row["rolle"] = names.ANDET
        else:
            gruppe[:] = [r for r in gruppe if r["rolle"] != names.MEDARBEJDER]
    for mistake, side in (("dialog_brugere", USER_SIDE), ("dialog_medarbejdere", STAFF_SIDE)):
        if mistake not in mistakes:
            continue
        if rng.random() < 0.5:
            dialog[:] = [r for r in dialog if r["med_hvem"] not in side]
        else:  # held too early or too late: March or September of the preparation year
            for row in dialog:
                if row["med_hvem"] in side:
                    row["dato"] = weekday(rng, year, WRONG_MONTHS)
            dialog.sort(key=by_date)

    # Goal mistakes each take their own goal; numeric ones need a numeric goal.
    numeric = [i for i, c in enumerate(clean) if c.retning != names.JN]
    rng.mix(numeric)
    taken: list[int] = []
    for mistake in _NUMERIC_MISTAKES:
        if mistake not in mistakes:
            continue
        free = [i for i in numeric if i not in taken and clean[i].enhed != names.KR]
        if not free:
            free = [i for i in numeric if i not in taken]
        i = free[0]
        taken.append(i)
        row, c = maal[i], clean[i]
        if mistake == "maal_uaendret":
            row["maalvaerdi"] = row["baseline"]
        elif mistake == "maal_retning":
            # a library indicator fixes the direction: flipping it would be a second mistake
            if row["retning"] == names.L and default_library().by_name(row["indikator"]) is None:
                row["retning"] = names.H  # "fewer falls" marked as higher-is-better
            else:
                row["baseline"], row["maalvaerdi"] = row["maalvaerdi"], row["baseline"]
        elif mistake == "celle_decimalkomma":
            assert isinstance(c.baseline, int | float)
            row["baseline"] = _with_decimal_comma(c.baseline, c.decimaler, c.enhed)
        else:  # celle_tekst_i_tal
            assert isinstance(c.baseline, int | float)
            row["baseline"] = _number_as_text(rng, c.baseline, c.enhed, year + 1)
    for mistake in _OTHER_GOAL_MISTAKES:
        if mistake not in mistakes:
            continue
        free = [i for i in range(len(maal)) if i not in taken]
        i = rng.pick(free)
        taken.append(i)
        if mistake == "maal_felt_mangler":
            maal[i][rng.pick(FORGOTTEN_FIELDS)] = None
        else:  # celle_dato_tekst
            maal[i]["frist"] = _date_as_text(rng, clean[i].frist)
