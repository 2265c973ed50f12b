"""A deterministic, fictional Danish municipality: institutions, committees and focus areas.

``generate_municipality(seed)`` always returns the same municipality for the same arguments:
all randomness comes from one seeded ``FastRandom`` (a ``random.Random``), and nothing
depends on set or dict iteration order or on the clock.

For ``n`` far beyond the name lists (e.g. 10,000 for a benchmark) names get a number suffix
("Egebjerg Skole 7") and stay unique, as do e-mails and leaders.
"""

from __future__ import annotations

import bisect
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from toolkit.demo import names
from toolkit.demo.names import TypeSpec
from toolkit.documents.formatting import danish_sort_key
from toolkit.reading.inputs import FocusArea, Institution  # the same records Kontraktservice keeps
from toolkit.spec.workbook import OWN_PROPOSAL

__all__ = ["FocusArea", "Institution", "Municipality", "generate_municipality"]

T = TypeVar("T")

PILOT_YEAR = 2003
ROLLOUT_YEARS = (2006, 2007, 2008)
FIRST_LATE_YEAR = 2009


@dataclass
class Municipality:
    """The register of a municipality for one contract year."""

    kommune: str
    year: int
    institutions: list[Institution]
    focus_areas: list[FocusArea]
    committees: list[str]
    _focus_index: dict[tuple[str, int], list[FocusArea]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def domain(self) -> str:
        """The municipality's e-mail domain, e.g. ``demokommune.dk``."""
        return slug(self.kommune) + ".dk"

    def institution(self, inst_id: str) -> Institution:
        for inst in self.institutions:
            if inst.id == inst_id:
                return inst
        raise KeyError(inst_id)

    def focus_areas_for(self, udvalg: str, year: int | None = None) -> list[FocusArea]:
        """The committee's focus areas for ``year`` (default: the contract year), by number."""
        key = (udvalg, self.year if year is None else year)
        if not self._focus_index:
            for fa in self.focus_areas:
                self._focus_index.setdefault((fa.udvalg, fa.aar), []).append(fa)
        return self._focus_index.get(key, [])

    def indsatsomraader(self, udvalg: str, year: int | None = None) -> list[str]:
        """The workbook's list "indsatsomraader": the focus-area titles + "Eget forslag"."""
        return [fa.titel for fa in self.focus_areas_for(udvalg, year)] + [OWN_PROPOSAL]

    def institutions_by_committee(self) -> dict[str, list[Institution]]:
        result: dict[str, list[Institution]] = {c: [] for c in self.committees}
        for inst in self.institutions:
            result[inst.udvalg].append(inst)
        return result


# --------------------------------------------------------------------------- helpers


class FastRandom(random.Random):
    """``random.Random`` with quick helpers built only on ``random()``.

    The standard ``choice``/``randint``/``sample`` go through ``_randbelow`` and are several
    times slower; these helpers make 10,000 fillings take about a second.  Same seed, same
    sequence, on every platform.
    """

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """An int in [lo, hi], both included."""
        return lo + int(self.random() * (hi - lo + 1))

    def weighted(self, seq: Sequence[T], cum_weights: Sequence[float]) -> T:
        """One item, by cumulative weights (see ``cumulative``)."""
        return seq[bisect.bisect(cum_weights, self.random() * cum_weights[-1])]

    def take(self, seq: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items in random order (a partial Fisher-Yates shuffle)."""
        pool = list(seq)
        n = len(pool)
        k = min(k, n)
        for i in range(k):
            j = i + int(self.random() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def take_weighted(self, seq: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
        """``k`` distinct items (at most all), each drawn by its weight among those left."""
        pool, left = list(seq), list(weights)
        out: list[T] = []
        for _ in range(min(k, len(pool))):
            x = self.random() * sum(left)
            i = 0
            while i < len(left) - 1 and x >= left[i]:
                x -= left[i]
                i += 1
            out.append(pool.pop(i))
            left.pop(i)
        return out

    def mix(self, items: list[T]) -> None:
        """Shuffle ``items`` in place."""
        for i in range(len(items) - 1, 0, -1):
            j = int(self.random() * (i + 1))
            items[i], items[j] = items[j], items[i]


def cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    total = 0.0
    out: list[float] = []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Lower-case ASCII with dots: "Børnehuset Mælkebøtten" -> "boernehuset.maelkeboetten"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLIT))
    out: list[str] = []
    dot = False
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dot = False
        elif not unicodedata.combining(ch) and out and not dot:
            out.append(".")
            dot = True
    return "".join(out).strip(".")


def person(rng: FastRandom, female_share: float = 0.6) -> tuple[str, str, str]:
    """A Danish full name (sometimes with a middle name), its first name and its surname."""
    first = rng.pick(names.FIRST_NAMES_F if rng.random() < female_share else names.FIRST_NAMES_M)
    last = rng.pick(names.SURNAMES)
    if rng.random() < 0.22:
        middle = rng.pick(names.MIDDLE_NAMES)
        if middle != last:
            return f"{first} {middle} {last}", first, last
    return f"{first} {last}", first, last


def person_name(rng: FastRandom, female_share: float = 0.6) -> str:
    """A Danish full name, sometimes with a middle name."""
    return person(rng, female_share)[0]


def _allocate(n: int) -> list[tuple[TypeSpec, int]]:
    """Split ``n`` institutions over the types by weight (largest remainder, stable ties)."""
    total = sum(t.weight for t in names.TYPES)
    exact = [t.weight * n / total for t in names.TYPES]
    counts = [int(x) for x in exact]
    rest = n - sum(counts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[:rest]:
        counts[i] += 1
    return list(zip(names.TYPES, counts, strict=True))


class _NamePools:
    """The word pools the name patterns refer to."""

    def __init__(self, kommune: str) -> None:
        compound = tuple(p for p in names.PLACES if not p.endswith("en"))
        self.pools: dict[str, tuple[str, ...]] = {
            "place": names.PLACES,
            "place_c": compound,
            "nature": names.NATURE_NAMES,
            "care": names.CARE_HOME_NAMES,
            "residence": names.RESIDENCE_NAMES,
            "culture": names.CULTURE_NAMES,
            "street": names.STREETS,
            "district": names.DISTRICTS,
            "job": names.JOB_DEPARTMENTS,
            "kommune": (kommune,),
        }


def _institution_name(
    rng: FastRandom,
    spec: TypeSpec,
    pools: _NamePools,
    used: set[str],
    used_parts: set[str],
    next_number: dict[str, int],
    exhausted: set[str],
) -> str:
    """A new name for an institution of kind ``spec``; never one already in ``used``.

    First try names whose pool word is still unused (so not both "Børnehuset Spiren" and
    "Vuggestuen Spiren"), then any unused name, then append a number.  Once a type has run out of names (large
    municipalities) it only tries a few times before numbering.
    """
    candidate = ""
    for attempt in range(4 if spec.type in exhausted else 60):
        template, pool = rng.pick(spec.patterns)
        part = rng.pick(pools.pools[pool]) if pool else ""
        candidate = template.format(part) if pool else template
        if candidate in used:
            continue
        key = f"{pool}:{part}"
        if pool and key in used_parts and attempt < 30:
            continue
        used_parts.add(key)
        used.add(candidate)
        return candidate
    exhausted.add(spec.type)
    number = next_number.get(candidate, 2)
    while f"{candidate} {number}" in used:
        number += 1
    next_number[candidate] = number + 1
    candidate = f"{candidate} {number}"
    used.add(candidate)
    return candidate


def _unique_person(rng: FastRandom, used: set[str]) -> str:
    for _ in range(50):
        name = person_name(rng, female_share=0.68)
        if name not in used:
            used.add(name)
            return name
    # Very large municipalities: add a middle name until the name is new.
    base = person_name(rng, female_share=0.68)
    first, _, last = base.partition(" ")
    for middle in names.MIDDLE_NAMES + names.SURNAMES:
        name = f"{first} {middle} {last.split(' ')[-1]}"
        if name not in used:
            used.add(name)
            return name
    number = 2
    while f"{base} {number}" in used:
        number += 1
    used.add(f"{base} {number}")
    return f"{base} {number}"


def unique_email(local: str, domain: str, used: set[str]) -> str:
    """``local@domain``, numbered (``local2@…``) when taken; recorded in ``used``."""
    email = f"{local}@{domain}"
    number = 2
    while email in used:
        email = f"{local}{number}@{domain}"
        number += 1
    used.add(email)
    return email


def _first_years(rng: FastRandom, n: int, year: int) -> list[int]:
    """First contract year per institution: pilot 2003, rollout 2006-08, a few later."""
    pilot = max(1, round(n * 9 / 120)) if n >= 3 else 1
    late = round(n * 0.05) if year >= FIRST_LATE_YEAR else 0
    order = list(range(n))
    rng.mix(order)
    years = [0] * n
    for k, idx in enumerate(order):
        if k < pilot:
            first = PILOT_YEAR
        elif k < pilot + late:
            first = rng.between(FIRST_LATE_YEAR, year)
        else:
            first = ROLLOUT_YEARS[(k - pilot - late) % len(ROLLOUT_YEARS)]
        years[idx] = min(first, year)
    return years


def _focus_areas(rng: FastRandom, year: int) -> list[FocusArea]:
    """3-5 focus areas per committee for year-1 and year; year keeps some of year-1's."""
    previous: list[FocusArea] = []
    current: list[FocusArea] = []
    for udvalg in names.COMMITTEES:
        pool = names.FOCUS_POOL[udvalg]
        idx = list(range(len(pool)))
        rng.mix(idx)
        k_prev = rng.between(3, 5)
        k_cur = rng.between(3, 5)
        keep = rng.between(1, min(k_prev, k_cur - 1))
        prev_idx = idx[:k_prev]
        cur_idx = prev_idx[:keep] + idx[k_prev : k_prev + k_cur - keep]
        for nr, i in enumerate(prev_idx, 1):
            previous.append(FocusArea(udvalg, year - 1, nr, pool[i].titel, pool[i].beskrivelse))
        for nr, i in enumerate(cur_idx, 1):
            current.append(FocusArea(udvalg, year, nr, pool[i].titel, pool[i].beskrivelse))
    return previous + current


# --------------------------------------------------------------------------- public API


def generate_municipality(
    seed: int = 2027, n: int = 120, year: int = 2027, kommune: str = "Demokommune"
) -> Municipality:
    """Generate a fictional municipality with ``n`` institutions for contract year ``year``."""
    if n < 1:
        raise ValueError("n skal være mindst 1")
    if year <= PILOT_YEAR:
        raise ValueError(f"kontraktåret skal være efter {PILOT_YEAR}")
    rng = FastRandom(seed)
    pools = _NamePools(kommune)
    domain = slug(kommune) + ".dk"

    used_names: set[str] = set()
    used_parts: set[str] = set()
    next_number: dict[str, int] = {}
    exhausted: set[str] = set()
    raw: list[tuple[int, int, str, TypeSpec]] = []
    committee_pos = {c: i for i, c in enumerate(names.COMMITTEES)}
    for type_pos, (spec, count) in enumerate(_allocate(n)):
        for _ in range(count):
            navn = _institution_name(
                rng, spec, pools, used_names, used_parts, next_number, exhausted
            )
            raw.append((committee_pos[spec.udvalg], type_pos, navn, spec))
    # Register order: committee, type, name (Danish alphabet).
    raw.sort(key=lambda r: (r[0], r[1], danish_sort_key(r[2]), r[2]))

    years = _first_years(rng, n, year)
    width = max(3, len(str(n)))
    used_leaders: set[str] = set()
    used_emails: set[str] = set()
    institutions: list[Institution] = []
    for i, (_, _, navn, spec) in enumerate(raw):
        institutions.append(
            Institution(
                id=f"V{i + 1:0{width}d}",
                navn=navn,
                type=spec.type,
                udvalg=spec.udvalg,
                leder=_unique_person(rng, used_leaders),
                email=unique_email(slug(navn), domain, used_emails),
                foerste_kontraktaar=years[i],
            )
        )
    return Municipality(
        kommune=kommune,
        year=year,
        institutions=institutions,
        focus_areas=_focus_areas(rng, year),
        committees=list(names.COMMITTEES),
    )


def type_spec(inst: Institution) -> TypeSpec:
    """The type description behind an institution's ``type``."""
    return names.TYPES_BY_NAME[inst.type]
