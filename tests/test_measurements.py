"""Survey import: reading exports (Danish CSV and xlsx) and the indicator per institution,
against figures computed by hand."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from toolkit.master.measurements.compute import answer, compute, round1
from toolkit.master.measurements.survey import Mapping, SurveyError, load_mapping, read_export
from toolkit.reading.inputs import Institution
from toolkit.rules.indicators import default_library

REGISTER = [
    Institution("DAG-01", "Børnehuset Mælkebøtten", "Daginstitution", "BUU", "L", "l@x.dk"),
    Institution("DAG-02", "Skovtrolden", "Daginstitution", "BUU", "M", "m@x.dk"),
    Institution("PLE-01", "Plejecenter Åhaven", "Plejecenter", "SSU", "N", "n@x.dk"),
]
Q1 = "Hvor tilfreds er du samlet set med institutionen?"
Q2 = "Trives dit barn?"
HEADER = ["Respondent", "Institution", Q1, Q2, "Kommentar"]
# Mælkebøtten: scores 4,5 | 3 ("ved ikke" missing) | 4,5 ("4,5", Q2 blank) | 2 | 3,5 |
# no valid answer (not a respondent) | 5 (the 7 is off the scale): 7 responses, 6
# respondents, satisfied (score >= 4): 3 of 6 = 50,0 %; mean 22,5 / 6 = 3,75 -> 3,8;
# 8 invited -> response rate 7 / 8 = 87,5 %.
ROWS = [
    ["1", "Børnehuset Mælkebøtten", "5", "4", "Godt, men maden kunne være bedre; især fredag"],
    ["2", "børnehuset  mælkebøtten", "3", "Ved ikke", ""],
    ["3", "Børnehuset Mælkebøtten", "4,5", "", ""],
    ["4", "DAG-01", "2", "2", "Personalet har travlt"],
    ["5", "Børnehuset Mælkebøtten", "4", "3", ""],
    ["6", "Børnehuset Mælkebøtten", "ved ikke", "", ""],
    ["7", "Børnehuset Mælkebøtten", "7", "5", ""],
    # Skovtrolden by id in another case: 3 respondents, under the threshold of 5
    ["8", "dag-02", "5", "5", ""],
    ["9", "DAG-02", "4", "4", ""],
    ["10", "Skovtrolden", "1", "2", ""],
    # not in the register
    ["11", "Solsikken", "5", "5", ""],
    ["12", "Solsikken", "4", "4", ""],
]
MAPPING = """
indikator = "{ind}"
institutionskolonne = "institution"
skalakolonner = ["{q1}", "{q2}"]
[population]
"Børnehuset Mælkebøtten" = 8
"DAG-02" = 10
"""


def write_csv(path: Path, *, bom: bool = True, encoding: str = "utf-8") -> Path:
    lines = [";".join(f'"{c}"' if ";" in c else c for c in r) for r in [HEADER, *ROWS]]
    data = "\r\n".join(lines).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    for r in ROWS:  # numbers as numbers, like a survey tool's Excel export
        ws.append([answer(c) if i in (2, 3) and answer(c) is not None else c
                   for i, c in enumerate(r)])  # fmt: skip
    wb.save(path)
    return path


def mapping(tmp_path: Path, ind: str) -> Mapping:
    p = tmp_path / f"{ind}.toml"
    p.write_text(MAPPING.format(ind=ind, q1=Q1.upper(), q2=Q2), encoding="utf-8")
    return load_mapping(p)


@pytest.mark.parametrize("kind", ["csv-bom", "csv-cp1252", "xlsx"])
def test_share_satisfied_by_hand(tmp_path: Path, kind: str) -> None:
    if kind == "xlsx":
        path = write_xlsx(tmp_path / "eksport.xlsx")
    elif kind == "csv-bom":
        path = write_csv(tmp_path / "eksport.csv")
    else:
        path = write_csv(tmp_path / "eksport.csv", bom=False, encoding="cp1252")
    export = read_export(path)
    assert export.headers[2] == Q1  # æøå and the BOM read right
    res = compute(export, mapping(tmp_path, "brugertilfredshed_andel"), default_library(),
                  REGISTER)  # fmt: skip
    by = {m.id: m for m in res.measurements}
    m = by["DAG-01"]
    assert (m.besvarelser, m.respondenter, m.inviterede) == (7, 6, 8)
    assert (m.vaerdi, m.svarprocent, m.for_faa) == (50.0, 87.5, False)
    small = by["DAG-02"]
    assert (small.respondenter, small.vaerdi, small.for_faa) == (3, None, True)
    assert small.svarprocent == 30.0
    assert "PLE-01" not in by  # no responses
    text = "\n".join(res.problems)
    assert "'Solsikken' (2 besvarelser) findes ikke i virksomhedsregistret" in text
    assert "Skovtrolden: kun 3 besvarelser — under anonymitetsgrænsen på 5" in text
    assert "1 svar lå uden for skalaen 1–5" in text


def test_mean_satisfaction_and_response_rate_by_hand(tmp_path: Path) -> None:
    export = read_export(write_csv(tmp_path / "eksport.csv"))
    lib = default_library()
    mean = compute(export, mapping(tmp_path, "brugertilfredshed_gennemsnit"), lib, REGISTER)
    assert [(m.id, m.vaerdi) for m in mean.measurements] == [("DAG-01", 3.8), ("DAG-02", None)]
    rate = compute(export, mapping(tmp_path, "svarprocent"), lib, REGISTER)
    # the response rate counts every response (7 and 3); 3 is still under the threshold
    assert [(m.id, m.vaerdi) for m in rate.measurements] == [("DAG-01", 87.5), ("DAG-02", None)]


def test_a_lower_threshold_uses_the_small_institution(tmp_path: Path) -> None:
    export = read_export(write_csv(tmp_path / "eksport.csv"))
    m = mapping(tmp_path, "brugertilfredshed_andel")
    m = Mapping(m.indikator, m.institution, m.scale, m.population, anonymity=3)
    res = compute(export, m, default_library(), REGISTER)
    # Skovtrolden: scores 5, 4, 1,5 -> 2 of 3 satisfied = 66,7 %
    assert {x.id: x.vaerdi for x in res.measurements}["DAG-02"] == 66.7


def test_answers_and_rounding() -> None:
    assert [answer(v) for v in ("4", " 4,5 ", 3, "Ved ikke", "", None, "godt", "1.000,5")] == [
        4.0, 4.5, 3.0, None, None, None, None, None,
    ]  # fmt: skip
    assert (round1(3.75), round1(66.66666), round1(0.05)) == (3.8, 66.7, 0.1)


def test_a_missing_column_or_a_non_survey_indicator_is_said_in_danish(tmp_path: Path) -> None:
    export = read_export(write_csv(tmp_path / "eksport.csv"))
    bad = Mapping("brugertilfredshed_andel", "Virksomhed", (Q1,))
    with pytest.raises(SurveyError, match="kolonnen 'Virksomhed' findes ikke"):
        compute(export, bad, default_library(), REGISTER)
    with pytest.raises(SurveyError, match="måles ikke med et spørgeskema"):
        compute(export, Mapping("sygefravaer", "Institution", (Q1,)), default_library(), REGISTER)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(SurveyError, match=r"en \.xlsx- eller \.csv-fil"):
        read_export(tmp_path / "x.pdf")
