"""Hypothesis strategies: realistic fillings of the institution workbook.

A drawn :class:`conftest.Filling` is what a contract group might plausibly leave in the
workbook — complete, half done, or wrong in the ways people get it wrong: numbers typed
as Danish text ("12,5", "1.234,5", " 80 "), "ca. 80", yes/no in odd case, dates outside
their period or typed as text ("1/3-2027"), a role that is not in the list, a title used
twice, every goal an "Eget forslag". The values go straight into the cells through the
builder (as if pasted), so the validations that would stop a person typing them do not
interfere; that is the point: the check sheet and the Python rules must judge the same
cells the same way.

Text is kept to a realistic alphabet — Danish letters, digits, plain spaces and common
punctuation — with no tabs, no control characters and no whitespace other than plain
spaces at the ends (only long-text fields may hold a line break, typed with Alt+Enter,
and never at the ends). That is deliberate, not an oversight: Excel's TRIM removes only
plain spaces while Python's ``str.strip`` removes every kind of whitespace, and the
reader drops control characters with its own finding (``celle_kontroltegn``, not an
in-sheet rule). Such input is a matter for the reader's own tests (test_bad_input.py); a
person typing in Excel does not produce it, and letting it in here would only make the
differential test report that known, documented difference over and over.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from conftest import FOCUS, YEAR, Filling, good_filling
from hypothesis import strategies as st

from toolkit.rules.indicators import default_library
from toolkit.spec.workbook import default_spec

SPEC = default_spec()
LISTS = SPEC.lists
FY = YEAR - 1  # the preparation year (forberedelsesår): the dialogue's year

LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü"
PUNCT = ".,-/()'!?:;&+%"
ALPHABET = LETTERS + "0123456789" + " " + PUNCT

WORDS = (
    "Sprog", "trivsel", "mad", "kost", "bevægelse", "forældre", "børn", "medarbejdere",
    "tilfredshed", "læsning", "fællesskab", "Ågård", "Østergaard", "Ærø", "møde", "plan",
    "udtræk", "referat", "måling", "pædagog", "SU", "2027", "fx", "ca.", "–", "og", "i",
)  # fmt: skip


def _text_from_alphabet(max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=ALPHABET, min_size=1, max_size=max_size).filter(
        lambda s: s.strip(" ") != ""
    )


def words(max_words: int = 5) -> st.SearchStrategy[str]:
    """A short, readable phrase of Danish words."""
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=max_words).map(" ".join)


def text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Free text a person would type (mostly words, sometimes any realistic characters)."""
    return st.one_of(words(), _text_from_alphabet(max_size))


def long_text() -> st.SearchStrategy[str]:
    """Long text; may contain line breaks inside (Alt+Enter), never at the ends."""
    return st.one_of(
        text(60),
        st.tuples(words(6), words(6)).map(lambda t: f"{t[0]}\n{t[1]}"),
    )


BLANKS: tuple[Any, ...] = (None, "", "   ")  # a cell left empty, or cleared with spaces


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The strategy's value, or a blank cell."""
    return st.one_of(st.sampled_from(BLANKS), strategy)


def choice(list_key: str, *, wrong: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """A value from one of the workbook's lists: mostly right, sometimes not.

    "Wrong" means what people do: another case ("leder/formand"), spaces around it, or a
    word of their own.
    """
    values = LISTS[list_key] if list_key != "indsatsomraader" else (*FOCUS, "Eget forslag")
    if list_key == "indikatorer":  # filled from the indicator library
        values = default_library().workbook_lists()[list_key]
    right = st.sampled_from(values)
    variants = right.flatmap(
        lambda v: st.sampled_from([v.lower(), v.upper(), f" {v}", f"{v} ", v.replace(" ", "  ")])
    )
    options = [right, right, variants]
    if wrong:
        options.append(st.sampled_from(wrong))
    return st.one_of(*options)


# ------------------------------------------------------------------ numbers and values


def _danish(x: float) -> str:
    """12.5 → "12,5"; 1234.5 → "1.234,5"."""
    whole, _, frac = f"{x:.1f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped if frac == "0" else f"{grouped},{frac}"


def _spaced(x: float) -> str:
    """1234.5 → "1 234,5" (a space as thousands separator, common in Danish)."""
    return _danish(x).replace(".", " ")


number_text = st.one_of(
    st.integers(0, 150).map(str),
    st.integers(0, 20000).map(lambda n: _danish(n / 10)),
    st.integers(1000, 20000).map(lambda n: _spaced(n / 10)),
    st.integers(0, 150).map(lambda n: f" {n} "),
    st.integers(0, 1500).map(lambda n: f"{n / 10:.1f}"),  # English decimal point: "12.5"
    st.sampled_from(
        ["-5", "+3", "12,50", "5,", ",5", "0,0", "1.234", "1.2.3", "5.00", "1.234.567,8"]
    ),
    # anything made of the characters people type numbers with
    st.text(alphabet="0123456789.,- +", min_size=1, max_size=8).filter(lambda s: s.strip(" ")),
)
# "..." and "-" are what people write for "not known yet"
JUNK = (
    "ca. 80", "80 %", "høj", "1,234.5", "-", "...", "?", "n/a", "5-10", "ingen", "3e2", "ja tak",
)  # fmt: skip
numbers = st.one_of(st.integers(0, 150), st.integers(0, 2000).map(lambda n: n / 10))
yes_no = st.sampled_from(["Ja", "Nej", "ja", "nej", "JA", " Ja ", "Nej "])


def goal_value() -> st.SearchStrategy[Any]:
    """Baseline, target or result: a number, Danish number text, Ja/Nej, junk or blank."""
    return maybe(st.one_of(numbers, number_text, yes_no, st.sampled_from(JUNK)))


def whole_number() -> st.SearchStrategy[Any]:
    """What people put in "Antal ..." cells."""
    return maybe(
        st.one_of(
            st.integers(0, 500),
            st.integers(0, 5000).map(lambda n: n / 10),
            number_text,
            st.sampled_from(("ca. 20", "20-25", "mange", "Ja", "...")),
        )
    )


# ------------------------------------------------------------------ dates


def _days(a: date, b: date) -> st.SearchStrategy[date]:
    return st.integers(0, (b - a).days).map(lambda n: a + timedelta(days=n))


DATE_TEXT = ("1/3-2027", "15.5.2026", "maj 2026", "15-05-26 kl. 10", "efterår", "3/6")


def _with_time(d: date) -> st.SearchStrategy[datetime]:
    """The date at some time of day (pasted from a system that keeps times)."""
    return st.sampled_from([6, 12, 23]).map(lambda h: datetime(d.year, d.month, d.day, h, 30))


def a_date(inside: tuple[date, date]) -> st.SearchStrategy[Any]:
    """A date in the period, just outside it, in another year, or typed as text."""
    lo, hi = inside
    edges = [lo, hi, lo - timedelta(days=1), hi + timedelta(days=1)]
    return st.one_of(
        _days(lo, hi),
        _days(lo, hi),
        st.sampled_from(edges),
        st.sampled_from(edges).flatmap(_with_time),
        _days(date(YEAR - 3, 1, 1), date(YEAR + 2, 12, 31)),
        st.sampled_from(DATE_TEXT),
    )


CONTRACT_YEAR = (date(YEAR, 1, 1), date(YEAR, 12, 31))
RESULT_PERIOD = (date(YEAR, 1, 1), date(YEAR + 1, 3, 31))
DIALOG_WINDOW = (date(FY, 4, 1), date(FY, 8, 31))


def dialog_date() -> st.SearchStrategy[Any]:
    """Mostly April–August of the preparation year; sometimes elsewhere in it, or wrong."""
    return st.one_of(
        _days(*DIALOG_WINDOW),
        st.sampled_from([date(FY, 3, 31), date(FY, 4, 1), date(FY, 8, 31), date(FY, 9, 1)]),
        st.sampled_from([date(FY, 3, 31), date(FY, 8, 31)]).flatmap(_with_time),
        _days(date(FY, 1, 1), date(FY, 12, 31)),
        a_date((date(FY, 1, 1), date(FY, 12, 31))),
    )


# ------------------------------------------------------------------ rows

TITLES = (
    "Bedre sprogudvikling",
    "Færre sygedage",
    "Handleplan for kost",
    "Mere bevægelse",
    "Tilfredse forældre",
)


def title() -> st.SearchStrategy[str]:
    """Titles from a small pool so that duplicates (also in another case) come up."""
    pool = st.sampled_from(TITLES)
    variant = pool.flatmap(lambda t: st.sampled_from([t.lower(), f"{t} ", t.upper()]))
    return st.one_of(pool, variant, text())


#: For each sheet, how a person might fill (or spoil) each input field.
FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "virksomhed": {
        "udfyldt_af": maybe(st.sampled_from(["Hanne Østergaard", "Leder"]) | text()),
        "telefon": maybe(st.sampled_from(["36 39 30 13", "+45 36393013", "3639 3013"])),
        "ansatte": whole_number(),
        "brugere": whole_number(),
        "beskrivelse": maybe(long_text()),
        "status_sidste_aar": maybe(long_text()),
        "su_orienteret": maybe(a_date((date(FY, 1, 1), date(FY, 12, 31)))),
    },
    "gruppe": {
        "navn": maybe(st.sampled_from(["Hanne Østergaard", "Søren Ågård", "Mette Lund"]) | text()),
        "rolle": maybe(choice("roller", wrong=("Formand", "Leder", "Medarbejder", "Forælder"))),
        "stilling": maybe(text()),
        "email": maybe(st.sampled_from(["hoe@demokommune.dk", "soren@example.dk"])),
    },
    "dialog": {
        "dato": maybe(dialog_date()),
        "med_hvem": maybe(choice("med_hvem", wrong=("Brugere", "Forældre", "Alle"))),
        "form": maybe(choice("dialogform", wrong=("Kaffemøde",))),
        "deltagere": whole_number(),
        "tema": maybe(text()),
        "udbytte": maybe(long_text()),
    },
    "maal": {
        "titel": maybe(title()),
        "beskrivelse": maybe(long_text()),
        "indsatsomraade": maybe(choice("indsatsomraader", wrong=("Andet område",))),
        "maaltype": maybe(choice("maaltyper", wrong=("Kvalitet",))),
        "indikator": maybe(text() | choice("indikatorer")),
        "maalemetode": maybe(choice("maalemetoder", wrong=("Spørgeskema",))),
        "enhed": maybe(choice("enheder", wrong=("Sider", "Stk."))),  # an open list
        "retning": maybe(choice("retninger", wrong=("Højere", "Op"))),
        "baseline": goal_value(),
        "maalvaerdi": goal_value(),
        "dokumentationskrav": maybe(long_text()),
        "ansvarlig": maybe(text()),
        "frist": maybe(a_date(CONTRACT_YEAR)),
    },
    "resultater": {
        "resultat": goal_value(),
        "maalt_dato": maybe(a_date(RESULT_PERIOD)),
        "dokumentation": maybe(long_text()),
        "forklaring": maybe(long_text()),
    },
}

#: Correct results for good_filling()'s three goals (it has none of its own).
GOOD_RESULTS: tuple[dict[str, Any], ...] = (
    {
        "resultat": 81,
        "maalt_dato": date(YEAR, 12, 1),
        "dokumentation": "Udtræk fra Hjernen&Hjertet",
    },
    {"resultat": 9.5, "maalt_dato": date(YEAR + 1, 1, 10), "dokumentation": "Fraværsstatistik"},
    {"resultat": "Ja", "maalt_dato": date(YEAR, 6, 20), "dokumentation": "Referat"},
)


@st.composite
def mutated(
    draw: st.DrawFn, sheet_key: str, good: dict[str, Any], rate: int = 50
) -> dict[str, Any]:
    """A row (or the Virksomhed record) starting from a good one: each field is kept or,
    with a chance of ``rate`` %, replaced. Keeping is what shrinking goes back to."""
    out: dict[str, Any] = {}
    for key, strategy in FIELDS[sheet_key].items():
        value = good.get(key)
        if draw(st.integers(0, 99)) >= 100 - rate:
            value = draw(strategy)
        if value is not None:
            out[key] = value
    return out


@st.composite
def rows(
    draw: st.DrawFn, sheet_key: str, good: list[dict[str, Any]], max_rows: int, rate: int
) -> list[dict[str, Any]]:
    """0–max_rows rows, row i a variation of good row i (cycling: extra rows repeat the
    good ones, which also gives duplicated titles); sometimes one fully blank row."""
    n = draw(st.integers(0, max_rows).map(lambda k: (k + len(good)) % (max_rows + 1)))
    out = [draw(mutated(sheet_key, dict(good[i % len(good)]), rate)) for i in range(n)]
    if out and draw(st.integers(0, 3)) == 3:
        out[draw(st.integers(0, len(out) - 1))] = {}  # a gap a person left
    return out


def spelt_like(value: Any) -> st.SearchStrategy[Any]:
    """The same value written another way: 12.5 / "12,5" / " 12,5 ", "Ja" / "ja" …"""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return st.sampled_from([value, _danish(value), f" {_danish(value)} ", float(value)])
    if isinstance(value, str):
        return st.sampled_from([value, value.lower(), value.upper(), f" {value} "])
    return st.just(value)


def near(target: Any, baseline: Any) -> st.SearchStrategy[Any]:
    """A result around the target: reached, beyond it, short of it, or the other Ja/Nej."""
    if isinstance(target, int | float) and isinstance(baseline, int | float):
        step = (target - baseline) / 2 or 1
        return st.sampled_from([target, target + step, target - step, baseline]).flatmap(spelt_like)
    if isinstance(target, str) and target.strip().lower() in ("ja", "nej"):
        other = "Nej" if target.strip().lower() == "ja" else "Ja"
        return st.sampled_from([target, other]).flatmap(spelt_like)
    return goal_value()


PHASES = ("forslag", "resultater")


@st.composite
def fillings(draw: st.DrawFn) -> tuple[Filling, str]:
    """A realistic filling and its phase ("forslag" or "resultater").

    Starts from conftest's good_filling() (which no rule may fault) and varies it: rows
    are added, dropped or left blank, fields are kept, cleared or replaced — a few of
    them or many (the rate is drawn per filling). Some variations relate cells the rules
    compare: a target equal to the baseline in another spelling, results around their
    targets, every goal an "Eget forslag". Rows are positional (row i of a list is data
    row i of the table); results line up with the goals by row.
    """
    good = good_filling()
    phase = draw(st.sampled_from(PHASES))
    rate = draw(st.sampled_from([5, 20, 50]))
    goals = draw(rows("maal", good.maal, 5, rate))
    for g in goals:
        if "baseline" in g and draw(st.integers(0, 9)) == 9:  # target = baseline
            g["maalvaerdi"] = draw(spelt_like(g["baseline"]))
    if goals and draw(st.integers(0, 5)) == 5:  # no goal under a focus area
        own = st.sampled_from(["Eget forslag", "eget forslag", " Eget forslag", None])
        for g in goals:
            g["indsatsomraade"] = draw(own)
    results = draw(rows("resultater", list(GOOD_RESULTS), 5, rate))
    for g, r in zip(goals, results, strict=False):
        if "maalvaerdi" in g and draw(st.integers(0, 2)) == 2:
            r["resultat"] = draw(near(g["maalvaerdi"], g.get("baseline")))
    return (
        Filling(
            virksomhed=draw(mutated("virksomhed", good.virksomhed, rate)),
            gruppe=draw(rows("gruppe", good.gruppe, 5, rate)),
            dialog=draw(rows("dialog", good.dialog, 4, rate)),
            maal=goals,
            resultater=results,
        ),
        phase,
    )
