"""Realistic survey exports for the demo municipality, as a central survey tool writes them.

Three user-satisfaction surveys (parents in daycare, parents at schools, relatives at care
homes) and an employee well-being survey for every institution. One row per respondent;
1–5 scales with "Ved ikke" and skipped questions; a free-text comment; the institution by
name (sometimes in another case or with a stray space, as people pick it in the tool) — and
a few answers from an institution the register doesn't know. CSV is written the way Danish
tools do: semicolons, a BOM, CRLF. Each survey comes with its mapping (``.toml``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.reading.inputs import Institution

COMMENTS = (
    "", "", "", "Meget tilfreds med personalet.", "Maden kunne være bedre.",
    "God kommunikation, men for lidt tid til den enkelte.", "Tak for en god hverdag!",
    "Vi savner flere udflugter.", "Svært at få fat på lederen.", "Dejlige rammer — æ, ø og å.",
)  # fmt: skip


@dataclass(frozen=True)
class Survey:
    key: str
    title: str
    indicator: str
    types: tuple[str, ...]  # empty: all institutions
    questions: tuple[str, ...]
    #: respondents per institution (min, max) and the share invited who answer
    size: tuple[int, int]
    mean: float  # the typical answer on the 1–5 scale


SURVEYS = (
    Survey("foraeldre_dagtilbud", "Forældretilfredshed i dagtilbud", "brugertilfredshed_andel",
           ("Daginstitution",), ("Hvor tilfreds er du samlet set med dit barns dagtilbud?",
                                  "Hvor tilfreds er du med samarbejdet med personalet?"),
           (12, 60), 4.0),
    Survey("foraeldre_skole", "Forældretilfredshed i skolen", "brugertilfredshed_andel",
           ("Skole",), ("Hvor tilfreds er du samlet set med dit barns skole?",),
           (40, 220), 3.8),
    Survey("paaroerende_pleje", "Pårørendetilfredshed på plejecentre", "brugertilfredshed_andel",
           ("Plejecenter",), ("Hvor tilfreds er du samlet set med plejen af din pårørende?",
                               "Hvor tilfreds er du med informationen fra plejecentret?"),
           (3, 30), 3.9),
    Survey("trivsel", "Trivselsmåling for medarbejdere", "medarbejdertrivsel", (),
           ("Hvordan trives du samlet set på din arbejdsplads?",), (3, 45), 3.9),
)  # fmt: skip


def _answer(rng: random.Random, mean: float) -> str:
    r = rng.random()
    if r < 0.04:
        return "Ved ikke"
    if r < 0.07:
        return ""
    v = round(rng.gauss(mean, 0.9))
    return str(min(5, max(1, v)))


def _name(rng: random.Random, inst: Institution) -> str:
    r = rng.random()
    if r < 0.05:
        return inst.navn.upper()
    if r < 0.1:
        return f" {inst.navn} "
    return inst.navn


def survey_rows(survey: Survey, institutions: Sequence[Institution], seed: int,
                n: int | None = None) -> tuple[list[list[str]], dict[str, int]]:  # fmt: skip
    """Header + respondent rows, and the number invited per institution. ``n``: about that
    many respondents in all (a benchmark's size); otherwise each institution's own size."""
    rng = random.Random(f"{survey.key}:{seed}")
    insts = [i for i in institutions if not survey.types or i.type in survey.types]
    header = ["Respondent-id", "Institution", *survey.questions, "Kommentar"]
    rows: list[list[str]] = [header]
    invited: dict[str, int] = {}
    per, extra = divmod(n, max(1, len(insts))) if n else (0, 0)
    rid = 1000
    for k, inst in enumerate(insts):
        count = per + (k < extra) if n else rng.randint(*survey.size)
        mean = min(4.8, max(2.6, rng.gauss(survey.mean, 0.35)))
        invited[inst.navn] = int(count / rng.uniform(0.45, 0.85)) + 1
        for _ in range(count):
            rid += 1
            rows.append([str(rid), _name(rng, inst), *(_answer(rng, mean) for _ in survey.questions),
                         rng.choice(COMMENTS)])  # fmt: skip
    for _ in range(3):  # answers from an institution the register doesn't know
        rows.append([str(rid := rid + 1), "Den lukkede børnehave Regnbuen",
                     *("4" for _ in survey.questions), ""])  # fmt: skip
    return rows, invited


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    def cell(v: str) -> str:
        return f'"{v}"' if any(c in v for c in ';"\n') else v

    text = "\r\n".join(";".join(cell(v) for v in r) for r in rows) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def write_mapping(path: Path, survey: Survey, invited: dict[str, int]) -> Path:
    def s(v: str) -> str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [f"# {survey.title}", f"indikator = {s(survey.indicator)}",
             f"institutionskolonne = {s('Institution')}",
             f"skalakolonner = [{', '.join(s(q) for q in survey.questions)}]",
             "anonymitetsgraense = 5", "", "[population]"]  # fmt: skip
    lines += [f"{s(k)} = {v}" for k, v in sorted(invited.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_surveys(
    folder: Path, institutions: Sequence[Institution], year: int, seed: int
) -> list[tuple[Path, Path]]:
    """Every survey's export (.csv) and mapping (.toml) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for survey in SURVEYS:
        rows, invited = survey_rows(survey, institutions, seed + year)
        if len(rows) <= 4:
            continue  # no institution of the survey's types
        export = write_csv(folder / f"{survey.title} {year}.csv", rows)
        out.append((export, write_mapping(folder / f"{survey.title} {year}.toml", survey, invited)))
    return out
