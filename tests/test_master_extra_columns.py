"""People's own columns in the master (issue 10 part 2): a column Kontraktservice adds by
hand — "Sagsnr." on Kontraktmål, "Noter" on Oversigt and Kontraktgrupper — survives every
Konsolider on the row it was typed on; typed and saved through LibreOffice."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import INSTITUTION, good_filling
from cycle import EXTRA_GOAL, OTHER, YEAR, Kommune
from uno_harness import session as lo

from toolkit.master.extra import EXTRA, ExtraValuesAmbiguous, carry_extras
from toolkit.master.guard import TypedValuesAtRisk, check_nothing_lost
from toolkit.master.model import HEADER_ROW
from toolkit.master.tables import BY_KEY
from toolkit.spec.layout import cell_ref


def goals() -> list[dict]:
    return copy.deepcopy(good_filling().maal)


def _own_column(master: Path, table: str, header: str, values: dict[int, str]) -> list[dict]:
    """UNO jobs: a new column right of the table, its header and values by row index."""
    t = BY_KEY[table]
    c = len(t.cols)
    jobs = [{"op": "type", "sheet": t.sheet, "cell": cell_ref(HEADER_ROW, c), "text": header}]
    for i, text in values.items():
        jobs.append({"op": "type", "sheet": t.sheet, "cell": cell_ref(HEADER_ROW + 1 + i, c),
                     "text": text})  # fmt: skip
    return jobs


def _save_in_libreoffice(k: Kommune, jobs: list[dict]) -> None:
    out = k.root / "gemt.xlsx"
    res = lo.run_uno([{"op": "open", "path": str(k.master)}, *jobs,
                      {"op": "save", "path": str(out), "filter": "Calc MS Excel 2007 XML"},
                      {"op": "close"}])  # fmt: skip
    assert not [r for r in res if isinstance(r, dict) and "error" in r], res
    out.replace(k.master)


@pytest.mark.libreoffice
def test_own_columns_follow_their_rows_through_konsolider(tmp_path: Path) -> None:
    if not lo.uno_available():
        pytest.skip(f"LibreOffice/UNO er ikke tilgængelig: {lo.unavailable_reason()}")
    k = Kommune(tmp_path)
    k.submit(INSTITUTION, goals())
    k.submit(OTHER, goals())
    k.consolidate()
    rows = k.rows()
    sagsnr = {g["noegle"]: f"SAG-{i:03d}" for i, g in enumerate(rows["maal"])}
    noter = {o["virksomhed_id"]: f"Ring til {o['navn']}" for o in rows["oversigt"]}
    gruppe = rows["gruppe"]
    jobs = [
        *_own_column(k.master, "maal", "Sagsnr.", dict(enumerate(sagsnr.values()))),
        *_own_column(k.master, "oversigt", "Noter", dict(enumerate(noter.values()))),
        *_own_column(k.master, "gruppe", "Noter", {0: "Formand siden 2020"}),
        # and the goals sorted by title, descending: rows change places
        {"op": "edit", "sheet": "Kontraktmål", "sort_by": 7, "header_row": HEADER_ROW},
    ]
    _save_in_libreoffice(k, jobs)
    g = goals()
    k.submit(INSTITUTION, [g[1], g[0], g[2]])  # swaps goals 1 and 2
    k.submit(OTHER, [g[0], g[1], copy.deepcopy(EXTRA_GOAL)])  # replaces goal 3
    k.consolidate()
    k.consolidate()  # and once more: nothing drifts

    after = k.rows()
    kept = {g["noegle"]: g[EXTRA]["Sagsnr."] for g in after["maal"]}
    gone = [key for key in sagsnr if key not in kept]
    assert len(gone) == 1  # OTHER's third goal
    assert {key: v for key, v in kept.items() if key in sagsnr} == {
        key: v for key, v in sagsnr.items() if key != gone[0]
    }
    new_goal = next(g for g in after["maal"] if g["titel"] == EXTRA_GOAL["titel"])
    assert new_goal[EXTRA]["Sagsnr."] is None
    orphan = next(o for o in after["foraeldede"] if o["noegle"] == gone[0])
    assert json.loads(orphan["data"])[EXTRA]["Sagsnr."] == sagsnr[gone[0]]
    assert {o["virksomhed_id"]: o[EXTRA]["Noter"] for o in after["oversigt"]} == noter
    first = gruppe[0]
    hit = next(r for r in after["gruppe"] if (r["virksomhed_id"], r["navn"]) ==
               (first["virksomhed_id"], first["navn"]))  # fmt: skip
    assert hit[EXTRA]["Noter"] == "Formand siden 2020"
    assert sum(1 for r in after["gruppe"] if (r.get(EXTRA) or {}).get("Noter")) == 1
    # the person's header stands after the table's own columns
    header = _header_row(k.master, "Kontraktmål")
    assert header[: len(BY_KEY["maal"].cols)] == [c.header for c in BY_KEY["maal"].cols]
    assert header[len(BY_KEY["maal"].cols)] == "Sagsnr."


def _header_row(path: Path, sheet: str) -> list[str]:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return [str(h) for h in wb.get_sheet_by_name(sheet).to_python()[HEADER_ROW] if h != ""]


def test_rows_that_cannot_be_told_apart_stop_the_run() -> None:
    row = {c.key: None for c in BY_KEY["dialog"].cols} | {"virksomhed_id": "V1", "aar": YEAR}
    old = [dict(row, **{EXTRA: {"Noter": "a"}}), dict(row, **{EXTRA: {"Noter": "b"}})]
    with pytest.raises(ExtraValuesAmbiguous, match="Dialog"):
        carry_extras("dialog", [dict(row), dict(row)], old)
    # told apart by their own values: each keeps its note
    old = [dict(old[0], tema="Kost"), dict(old[1], tema="Leg")]
    new = [dict(row, tema="Leg"), dict(row, tema="Kost")]
    assert carry_extras("dialog", new, old) == []
    assert [r[EXTRA]["Noter"] for r in new] == ["b", "a"]


def test_a_lost_own_value_stops_the_run(tmp_path: Path) -> None:
    over = {"virksomhed_id": "V1", "aar": YEAR, EXTRA: {"Sagsnr.": "17/123"}}
    with pytest.raises(TypedValuesAtRisk, match=r"'Sagsnr\.' = '17/123'"):
        check_nothing_lost(tmp_path / "M.xlsx", {"oversigt": [over]}, {"oversigt": [{}]})
    check_nothing_lost(tmp_path / "M.xlsx", {"oversigt": [over]}, {"oversigt": [dict(over)]})


def test_a_vanished_row_keeps_its_values_in_foraeldede(tmp_path: Path) -> None:
    from toolkit.master.guard import carry_all_extras

    over = {"virksomhed_id": "V9", "aar": YEAR, EXTRA: {"Noter": "Lukker"}}
    new: dict[str, list[dict]] = {"oversigt": [], "foraeldede": []}
    carry_all_extras(tmp_path / "M.xlsx", {"oversigt": [over]}, new, datetime(2027, 1, 1))
    (o,) = new["foraeldede"]
    assert o["tabel"] == "Oversigt" and json.loads(o["data"])[EXTRA] == {"Noter": "Lukker"}
    check_nothing_lost(tmp_path / "M.xlsx", {"oversigt": [over]}, new)


@pytest.mark.libreoffice
def test_backups_never_rotate_away_the_only_copy_of_a_typed_value(tmp_path: Path) -> None:
    """A comment typed into the master, then deleted by a person: after 12 more runs the
    oldest backup holding it is still there (beyond the 10 newest), and the log says so."""
    if not lo.uno_available():
        pytest.skip(f"LibreOffice/UNO er ikke tilgængelig: {lo.unavailable_reason()}")
    from cycle import type_into_master

    from toolkit.master.guard import typed_in_file
    from toolkit.master.save import backups_of

    k = Kommune(tmp_path)
    k.submit(INSTITUTION, goals())
    k.consolidate()
    key = k.rows()["maal"][0]["noegle"]
    type_into_master(k.master, "maal", {key: {"kommentar": "Aftalt på mødet 3. maj"}})
    k.consolidate()  # backup 1 holds the comment; so does the master
    type_into_master(k.master, "maal", {key: {"kommentar": ""}})  # a person deletes it
    for _ in range(12):
        k.consolidate()
    copies = backups_of(k.master)
    typed = (key, "kommentar", "aftalt på mødet 3. maj")
    holders = [p for p in copies if typed in typed_in_file(p)]
    assert len(holders) == 1 and holders[0] == copies[0]  # the oldest, and the only one
    assert len(copies) == 11  # the 10 newest and the one kept for its value
    assert typed not in typed_in_file(k.master)
    notes = [json.loads(line) for line in k.master.with_suffix(".log").read_text().splitlines()]
    assert holders[0].name in notes[-1]["bevarede_sikkerhedskopier"]
    assert "bevaret" in notes[-1]["besked"]
