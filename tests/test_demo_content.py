"""The demo municipality generator: determinism, sizes, spec conformance, mistake ground truth."""

from __future__ import annotations

import re
import time
import tomllib
from collections import Counter
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest

from toolkit.demo import names
from toolkit.demo.filling import (
    MISTAKES,
    REQUIRED_GOAL_FIELDS,
    GeneratedFilling,
    generate_all,
    generate_filling,
)
from toolkit.demo.municipality import Municipality, generate_municipality
from toolkit.spec.workbook import OWN_PROPOSAL

SPEC_PATH = Path(__file__).resolve().parent.parent / "workbook" / "kontraktbog.toml"
AAR = 2027

# Denmark's 98 municipalities: none may be used as the demo municipality or one of its places.
REAL_MUNICIPALITIES = set(
    [
        "Albertslund",
        "Allerød",
        "Assens",
        "Ballerup",
        "Billund",
        "Bornholm",
        "Brøndby",
        "Brønderslev",
        "Dragør",
        "Egedal",
        "Esbjerg",
        "Fanø",
        "Favrskov",
        "Faxe",
        "Fredensborg",
        "Fredericia",
        "Frederiksberg",
        "Frederikshavn",
        "Frederikssund",
        "Furesø",
        "Faaborg-Midtfyn",
        "Gentofte",
        "Gladsaxe",
        "Glostrup",
        "Greve",
        "Gribskov",
        "Guldborgsund",
        "Haderslev",
        "Halsnæs",
        "Hedensted",
        "Helsingør",
        "Herlev",
        "Herning",
        "Hillerød",
        "Hjørring",
        "Holbæk",
        "Holstebro",
        "Horsens",
        "Hvidovre",
        "Høje-Taastrup",
        "Hørsholm",
        "Ikast-Brande",
        "Ishøj",
        "Jammerbugt",
        "Kalundborg",
        "Kerteminde",
        "Kolding",
        "København",
        "Køge",
        "Langeland",
        "Lejre",
        "Lemvig",
        "Lolland",
        "Lyngby-Taarbæk",
        "Læsø",
        "Mariagerfjord",
        "Middelfart",
        "Morsø",
        "Norddjurs",
        "Nordfyns",
        "Nyborg",
        "Næstved",
        "Odder",
        "Odense",
        "Odsherred",
        "Randers",
        "Rebild",
        "Ringkøbing-Skjern",
        "Ringsted",
        "Roskilde",
        "Rudersdal",
        "Rødovre",
        "Samsø",
        "Silkeborg",
        "Skanderborg",
        "Skive",
        "Slagelse",
        "Solrød",
        "Sorø",
        "Stevns",
        "Struer",
        "Svendborg",
        "Syddjurs",
        "Sønderborg",
        "Thisted",
        "Tønder",
        "Tårnby",
        "Vallensbæk",
        "Varde",
        "Vejen",
        "Vejle",
        "Vesthimmerland",
        "Viborg",
        "Vordingborg",
        "Ærø",
        "Aabenraa",
        "Aalborg",
        "Aarhus",
        "Lyngby",
    ]
)


# --------------------------------------------------------------------------- spec helpers


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    with SPEC_PATH.open("rb") as fh:
        return tomllib.load(fh)


def _sheet(spec: dict[str, Any], key: str) -> dict[str, Any]:
    return next(a for a in spec["ark"] if a["key"] == key)


def _input_keys(items: list[dict[str, Any]]) -> set[str]:
    """Keys the institution types in (no kilde, or kilde = input)."""
    return {c["key"] for c in items if c.get("kilde", "input") == "input"}


def _column_lists(spec: dict[str, Any], sheet: str) -> dict[str, list[str]]:
    lists = spec["lister"]
    return {c["key"]: lists[c["liste"]] for c in _sheet(spec, sheet)["kolonner"] if "liste" in c}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def muni() -> Municipality:
    return generate_municipality()


@pytest.fixture(scope="module")
def fillings(muni: Municipality) -> dict[str, GeneratedFilling | None]:
    return generate_all(muni, phase="resultater")


@pytest.fixture(scope="module")
def big() -> tuple[Municipality, dict[str, GeneratedFilling | None]]:
    m = generate_municipality(seed=7, n=3000)
    return m, generate_all(m, phase="resultater", seed=11)


@pytest.fixture(scope="module")
def all_wrong(muni: Municipality) -> dict[str, GeneratedFilling | None]:
    """Every institution makes mistakes: covers all combinations often."""
    out: dict[str, GeneratedFilling | None] = {}
    for seed in range(12):
        for k, v in generate_all(muni, seed=seed, mistake_rate=1.0, missing_rate=0).items():
            out[f"{seed}:{k}"] = v
    return out


def _present(fillings: dict[str, GeneratedFilling | None]) -> list[GeneratedFilling]:
    return [f for f in fillings.values() if f is not None]


def _rows(rows: list[dict[str, object]]) -> list[dict[str, Any]]:
    """The rows, typed loosely for comparisons in the tests."""
    return cast(list[dict[str, Any]], rows)


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_output(muni: Municipality) -> None:
    assert generate_municipality() == muni
    a = generate_all(muni, phase="resultater", seed=3)
    b = generate_all(generate_municipality(), phase="resultater", seed=3)
    assert {k: v and asdict(v) for k, v in a.items()} == {k: v and asdict(v) for k, v in b.items()}


def test_different_seeds_differ(muni: Municipality) -> None:
    other = generate_municipality(seed=2028)
    assert [i.navn for i in other.institutions] != [i.navn for i in muni.institutions]
    assert other.focus_areas != muni.focus_areas
    a = generate_all(muni, seed=1)
    b = generate_all(muni, seed=2)
    assert a != b


def test_proposal_identical_in_both_phases(muni: Municipality) -> None:
    forslag = generate_all(muni, phase="forslag", seed=5)
    resultater = generate_all(muni, phase="resultater", seed=5)
    assert forslag.keys() == resultater.keys()
    for key, f in forslag.items():
        r = resultater[key]
        if f is None:
            assert r is None
            continue
        assert r is not None
        assert f.resultater == []
        assert len(r.resultater) == len(r.maal)
        assert (f.virksomhed, f.gruppe, f.dialog, f.maal, f.mistakes) == (
            r.virksomhed,
            r.gruppe,
            r.dialog,
            r.maal,
            r.mistakes,
        )


# --------------------------------------------------------------------------- register


def test_sizes(muni: Municipality) -> None:
    assert len(muni.institutions) == 120
    assert 4 <= len(muni.committees) <= 5
    assert {i.udvalg for i in muni.institutions} == set(muni.committees)
    for udvalg in muni.committees:
        for aar in (AAR - 1, AAR):
            areas = muni.focus_areas_for(udvalg, aar)
            assert 3 <= len(areas) <= 5
            assert [fa.nr for fa in areas] == list(range(1, len(areas) + 1))
            assert all(fa.beskrivelse for fa in areas)
            assert muni.indsatsomraader(udvalg, aar)[-1] == OWN_PROPOSAL
    # Carry-over: each committee keeps at least one focus area from last year.
    for udvalg in muni.committees:
        last = {fa.titel for fa in muni.focus_areas_for(udvalg, AAR - 1)}
        this = {fa.titel for fa in muni.focus_areas_for(udvalg, AAR)}
        assert last & this


def test_proportions_and_committees(muni: Municipality) -> None:
    types = Counter(i.type for i in muni.institutions)
    assert types["Daginstitution"] > types["Skole"] > types["Bibliotek"] >= 1
    assert types["Daginstitution"] >= 30 and types["Skole"] >= 12
    assert len(types) >= 15
    for inst in muni.institutions:
        assert names.TYPES_BY_NAME[inst.type].udvalg == inst.udvalg


def test_unique_ids_names_emails(muni: Municipality) -> None:
    insts = muni.institutions
    for attr in ("id", "navn", "email", "leder"):
        values = [getattr(i, attr) for i in insts]
        assert len(set(values)) == len(values), attr
    assert [i.id for i in insts] == [f"V{n:03d}" for n in range(1, 121)]
    for inst in insts:
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)*@demokommune\.dk", inst.email), inst.email
        assert len(inst.leder.split()) >= 2
        assert not re.search(r"\d", inst.navn), "no numbered names in a normal-size municipality"


def test_first_contract_years(muni: Municipality) -> None:
    years = Counter(i.foerste_kontraktaar for i in muni.institutions)
    assert all(2003 <= y <= AAR for y in years)
    assert 5 <= years[2003] <= 15  # the pilot
    assert sum(years[y] for y in (2006, 2007, 2008)) >= 90  # the rollout
    assert 1 <= sum(n for y, n in years.items() if y > 2008) <= 12  # a few new ones


def test_no_real_municipality_names(muni: Municipality) -> None:
    assert muni.kommune not in REAL_MUNICIPALITIES
    assert not REAL_MUNICIPALITIES & set(names.PLACES)
    for inst in muni.institutions:
        assert not REAL_MUNICIPALITIES & set(re.split(r"[\s,]+", inst.navn)), inst.navn


def test_large_municipality_stays_unique() -> None:
    """n=10000 works, stays unique, and is quick (timings printed, not asserted: see -s)."""

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(t: tuple[float, float]) -> str:
        wall, cpu = clock()
        return f"{wall - t[0]:.2f} s (CPU {cpu - t[1]:.2f} s)"

    t = clock()
    m = generate_municipality(n=10000)
    t_muni = since(t)
    assert len(m.institutions) == 10000
    for attr in ("id", "navn", "email", "leder"):
        assert len({getattr(i, attr) for i in m.institutions}) == 10000, attr
    t = clock()
    fills = generate_all(m, phase="forslag")
    t_fill = since(t)
    t = clock()
    generate_all(m, phase="resultater")
    t_res = since(t)
    print(
        f"\ngenerate_municipality(n=10000): {t_muni}; generate_all({len(_present(fills))} "
        f"fillings) forslag: {t_fill}; resultater: {t_res}"
    )


# --------------------------------------------------------------------------- spec conformance


def test_keys_match_spec(
    spec: dict[str, Any], fillings: dict[str, GeneratedFilling | None]
) -> None:
    virk = _input_keys(_sheet(spec, "virksomhed")["felter"])
    cols = {s: _input_keys(_sheet(spec, s)["kolonner"]) for s in ("gruppe", "dialog", "maal")}
    res_cols = _input_keys(_sheet(spec, "resultater")["kolonner"])
    for f in _present(fillings):
        assert set(f.virksomhed) == virk
        assert all(set(r) == cols["gruppe"] for r in f.gruppe)
        assert all(set(r) == cols["dialog"] for r in f.dialog)
        assert all(set(r) == cols["maal"] for r in f.maal)
        assert all(set(r) == res_cols for r in f.resultater)
        assert len(f.gruppe) <= _sheet(spec, "gruppe")["raekker"]
        assert len(f.dialog) <= _sheet(spec, "dialog")["raekker"]
        assert len(f.maal) <= _sheet(spec, "maal")["raekker"]
        for key in ("udfyldt_af", "beskrivelse"):  # paakraevet = "altid"
            assert f.virksomhed[key]
        users = [r["stilling"] for r in f.gruppe if r["rolle"] == "Bruger/pårørende"]
        assert len(users) == len(set(users))  # e.g. never two chairs of the same council
        names_in_group = [r["navn"] for r in f.gruppe]
        assert len(names_in_group) == len(set(names_in_group))
        assert isinstance(f.virksomhed["ansatte"], int)


def test_list_values_are_spec_values(
    spec: dict[str, Any],
    muni: Municipality,
    fillings: dict[str, GeneratedFilling | None],
    all_wrong: dict[str, GeneratedFilling | None],
) -> None:
    lists = {s: _column_lists(spec, s) for s in ("gruppe", "dialog", "maal")}
    spec_indsats = spec["lister"]["indsatsomraader"]
    assert lists["maal"]["indsatsomraade"] == spec_indsats
    by_id = {i.id: i for i in muni.institutions}
    combined = {**fillings, **all_wrong}
    for key, f in combined.items():
        if f is None:
            continue
        inst = by_id[key.split(":")[-1]]
        allowed_focus = set(muni.indsatsomraader(inst.udvalg, AAR)) | set(spec_indsats)
        for sheet, rows in (("gruppe", f.gruppe), ("dialog", f.dialog), ("maal", f.maal)):
            for row in rows:
                for col, allowed in lists[sheet].items():
                    if col in ("indsatsomraade", "indikator"):  # indikator: an open list
                        continue
                    value = row[col]
                    if value is None:  # only a forgotten required field may be empty
                        assert "maal_felt_mangler" in f.mistakes
                        continue
                    assert value in allowed, (sheet, col, value)
        for row in f.maal:
            assert row["indsatsomraade"] in allowed_focus


def test_focus_areas_fit_the_institution(muni: Municipality, big: Any) -> None:
    m, fills = big
    templates = {(udvalg, ft.titel): ft for udvalg, pool in names.FOCUS_POOL.items() for ft in pool}
    used: Counter[bool] = Counter()
    by_id = {i.id: i for i in m.institutions}
    for key, f in fills.items():
        if f is None:
            continue
        inst = by_id[key]
        family = names.TYPES_BY_NAME[inst.type].family
        for row in f.maal:
            used[row["indsatsomraade"] == OWN_PROPOSAL] += 1
            if row["indsatsomraade"] != OWN_PROPOSAL:
                ft = templates[(inst.udvalg, row["indsatsomraade"])]
                assert not ft.families or family in ft.families
    # Most goals are tied to a focus area, some are own proposals.
    assert 0.1 < used[True] / sum(used.values()) < 0.6


def test_goals_plausible_for_type(
    muni: Municipality, fillings: dict[str, GeneratedFilling | None]
) -> None:
    common = {t for g in names.COMMON_GOALS for t in g.titler}
    for inst in muni.institutions:
        f = fillings[inst.id]
        if f is None:
            continue
        family = names.TYPES_BY_NAME[inst.type].family
        own = {t for g in names.GOALS[family] for t in g.titler}
        titles = [r["titel"] for r in f.maal]
        assert len(set(titles)) == len(titles)
        assert all(t in own | common for t in titles), (inst.type, titles)
        assert sum(t in own for t in titles) >= 1
        assert sum(r["retning"] == "Ja/Nej" for r in f.maal) <= 1


def test_goal_values(fillings: dict[str, GeneratedFilling | None]) -> None:
    for f in _present(fillings):
        if f.mistakes:
            continue
        for row in _rows(f.maal):
            b, t = row["baseline"], row["maalvaerdi"]
            if row["retning"] == "Ja/Nej":
                assert row["enhed"] == "Ja/Nej"
                assert (b, t) == ("Nej", "Ja")
                continue
            assert type(b) in (int, float) and type(t) in (int, float)
            assert b != t
            assert (t > b) if row["retning"] == "Højere er bedre" else (t < b)
            assert b >= 0 and t >= 0
            if row["enhed"] == "Procent":
                assert t <= 100
            if row["enhed"] == "Point (skala 1-5)":
                assert 1 <= b <= 5 and 1 <= t <= 5


def test_goal_counts(big: Any) -> None:
    _, fills = big
    counts: Counter[int] = Counter()
    for f in _present(fills):
        if "maal_antal" in f.mistakes:
            assert len(f.maal) == 2
        else:
            assert 3 <= len(f.maal) <= 5
            counts[len(f.maal)] += 1
    assert set(counts) == {3, 4, 5}


# --------------------------------------------------------------------------- dates


def test_dates_in_their_periods(big: Any) -> None:
    _, fills = big
    for f in _present(fills):
        dialog_mistake = {"dialog_brugere", "dialog_medarbejdere"} & set(f.mistakes)
        for row in _rows(f.dialog):
            d = row["dato"]
            assert isinstance(d, date) and d.year == AAR - 1
            assert d.weekday() < 5
            if not dialog_mistake:
                assert 4 <= d.month <= 8
        dates = [r["dato"] for r in _rows(f.dialog)]
        assert dates == sorted(dates)
        for row in f.maal:
            frist = row["frist"]
            if isinstance(frist, date):
                assert frist.year == AAR
            else:
                assert ("celle_dato_tekst" in f.mistakes and isinstance(frist, str)) or (
                    "maal_felt_mangler" in f.mistakes and frist is None
                )
        for row in _rows(f.resultater):
            d = row["maalt_dato"]
            if d is not None:
                assert date(AAR, 1, 1) <= d <= date(AAR + 1, 3, 31)


# --------------------------------------------------------------------------- mistakes


def _number(v: object) -> bool:
    return type(v) in (int, float)


def _observed_mistakes(f: GeneratedFilling, aar: int) -> set[str]:
    """Recompute, from the data alone, which rules a filling breaks."""
    found: set[str] = set()
    if not 3 <= len(f.maal) <= 5:
        found.add("maal_antal")
    roles = Counter(r["rolle"] for r in f.gruppe)
    if roles["Leder/formand"] == 0:
        found.add("gruppe_leder")
    if roles["Medarbejderrepræsentant"] == 0:
        found.add("gruppe_medarbejder")

    def in_window(d: object) -> bool:
        return isinstance(d, date) and d.year == aar - 1 and 4 <= d.month <= 8

    sides = {
        "dialog_brugere": ("Brugere/pårørende", "Begge"),
        "dialog_medarbejdere": ("Medarbejdere", "Begge"),
    }
    for rule, side in sides.items():
        if not any(r["med_hvem"] in side and in_window(r["dato"]) for r in f.dialog):
            found.add(rule)
    comma = re.compile(r"^\d+,\d+$")
    for row in _rows(f.maal):
        if any(row[k] is None or row[k] == "" for k in REQUIRED_GOAL_FIELDS):
            found.add("maal_felt_mangler")
        b, t = row["baseline"], row["maalvaerdi"]
        if _number(b) and _number(t):
            if b == t:
                found.add("maal_uaendret")
            if row["retning"] == "Højere er bedre" and t < b:
                found.add("maal_retning")
            if row["retning"] == "Lavere er bedre" and t > b:
                found.add("maal_retning")
        for v in (b, t):
            if isinstance(v, str) and v not in ("Ja", "Nej"):
                found.add("celle_decimalkomma" if comma.match(v) else "celle_tekst_i_tal")
        if isinstance(row["frist"], str):
            found.add("celle_dato_tekst")
    return found


def test_mistake_ground_truth(
    fillings: dict[str, GeneratedFilling | None],
    big: Any,
    all_wrong: dict[str, GeneratedFilling | None],
) -> None:
    combos: Counter[tuple[str, ...]] = Counter()
    for f in _present(fillings) + _present(big[1]) + _present(all_wrong):
        assert set(f.mistakes) <= set(MISTAKES)
        assert len(f.mistakes) == len(set(f.mistakes)) <= 2
        assert _observed_mistakes(f, AAR) == set(f.mistakes), f.mistakes
        combos[tuple(f.mistakes)] += 1
        roles = Counter(r["rolle"] for r in f.gruppe)
        if "gruppe_leder" not in f.mistakes:
            assert roles["Leder/formand"] == 1
    assert all((m,) in combos for m in MISTAKES)
    assert sum(len(c) == 2 for c in combos) > 20


def test_mistake_and_missing_rates(big: Any) -> None:
    m, fills = big
    n = len(m.institutions)
    missing = sum(f is None for f in fills.values())
    present = _present(fills)
    wrong = sum(bool(f.mistakes) for f in present)
    assert missing == round(n * 0.05)
    assert wrong == round(len(present) * 0.15)
    per_rule = Counter(x for f in present for x in f.mistakes)
    assert set(per_rule) == set(MISTAKES)


def test_mistakes_deterministic_per_institution(muni: Municipality) -> None:
    a = generate_all(muni, seed=9)
    b = generate_all(muni, seed=9)
    assert {k: v.mistakes for k, v in a.items() if v} == {k: v.mistakes for k, v in b.items() if v}
    assert [k for k, v in a.items() if v is None] == [k for k, v in b.items() if v is None]


def test_mistake_rate_of_single_fillings(muni: Municipality) -> None:
    """generate_filling on its own: about mistake_rate of the fillings have mistakes."""
    inst = muni.institutions[0]
    wrong = sum(bool(generate_filling(inst, muni, s).mistakes) for s in range(2000))
    assert 0.12 < wrong / 2000 < 0.18


def test_zero_rates(muni: Municipality) -> None:
    fills = generate_all(muni, mistake_rate=0.0, missing_rate=0.0)
    assert all(f is not None and not f.mistakes for f in fills.values())


# --------------------------------------------------------------------------- results


def _attainment(row: dict[str, Any], res: dict[str, Any]) -> str:
    r = res["resultat"]
    if r is None:
        return "Ikke målt"
    b, t = row["baseline"], row["maalvaerdi"]
    if row["retning"] == "Ja/Nej":
        return "Opfyldt" if r == t else "Ikke opfyldt"
    sign = 1 if row["retning"] == "Højere er bedre" else -1
    if sign * (r - t) >= 0:
        return "Opfyldt"
    if sign * (r - b) > 0:
        return "Delvist opfyldt"
    return "Ikke opfyldt"


def test_results_spread(big: Any) -> None:
    _, fills = big
    spread: Counter[str] = Counter()
    for f in _present(fills):
        assert len(f.resultater) == len(f.maal)
        if f.mistakes:
            continue
        for row, res in zip(_rows(f.maal), _rows(f.resultater), strict=True):
            status = _attainment(row, res)
            spread[status] += 1
            assert res["dokumentation"]
            if status == "Ikke målt":
                assert res["forklaring"] and res["maalt_dato"] is None
            else:
                assert isinstance(res["maalt_dato"], date)
                if row["retning"] == "Ja/Nej":
                    assert res["resultat"] in ("Ja", "Nej")
                else:
                    assert _number(res["resultat"]) and res["resultat"] >= 0
            if status in ("Delvist opfyldt", "Ikke opfyldt"):
                assert res["forklaring"]
    total = sum(spread.values())
    assert spread["Opfyldt"] / total > 0.5
    for status in ("Delvist opfyldt", "Ikke opfyldt", "Ikke målt"):
        assert 0.02 < spread[status] / total < 0.3, (status, spread)


# --------------------------------------------------------------------------- language


def test_danish_text(fillings: dict[str, GeneratedFilling | None], muni: Municipality) -> None:
    present = _present(fillings)
    blob = " ".join(
        str(v)
        for f in present
        for part in (f.virksomhed, *f.gruppe, *f.dialog, *f.maal, *f.resultater)
        for v in part.values()
        if isinstance(v, str)
    )
    for letter in "æøåÆØÅ":
        assert letter in blob + " ".join(i.navn for i in muni.institutions), letter
    with_letters = sum(
        bool(re.search("[æøå]", " ".join(str(v) for r in f.maal for v in r.values())))
        for f in present
    )
    assert with_letters / len(present) > 0.9
    # No mojibake, no placeholders left behind.
    assert "Ã" not in blob and "{" not in blob and "}" not in blob
