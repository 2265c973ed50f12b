"""The catalogue of validation rules: ids, severities, Danish titles and message texts.

Both implementations of a rule — the Python rule over the model (:mod:`toolkit.rules.validate`) and
the in-sheet check formula (:mod:`toolkit.rules.checks`) — take their severity and message from
here, so the check sheet and ``kontrakt valider`` say exactly the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.spec.model import Severity

MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def dansk_dato(d: date) -> str:
    """23. november 2026"""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    in_sheet: bool  # also implemented as a formula on the check sheet


_RULES = [
    # file and cell level (the reader)
    Rule("fil_type", "fejl", "Filen er ikke en Excel-projektmappe", False),
    Rule("fil_laest", "fejl", "Filen kan ikke åbnes", False),
    Rule("fil_adgangskode", "fejl", "Filen er beskyttet med adgangskode", False),
    Rule("fil_fremmed", "fejl", "Filen er ikke en kontraktarbejdsbog", False),
    Rule("fil_version", "fejl", "Arbejdsbogen har en anden skabelonversion", False),
    Rule("fil_struktur", "fejl", "Ark eller navne mangler i arbejdsbogen", False),
    Rule("fil_dublet", "advarsel", "Flere filer fra samme virksomhed", False),
    Rule("fil_register", "advarsel", "Arbejdsbogen er lavet fra et andet register", False),
    Rule("fil_maal_ukendt", "fejl", "Resultat for et mål, kontrakten ikke har", False),
    Rule(
        "fil_maalvaerdi_aendret", "advarsel", "Målværdien er ændret i resultatarbejdsbogen", False
    ),
    Rule("maaling_afviger", "advarsel", "Resultatet er ikke målingens", False),
    Rule("celle_fejlvaerdi", "fejl", "Fejlværdi i en celle", False),
    Rule("celle_formel", "advarsel", "Formel i en indtastningscelle", False),
    Rule("celle_kontroltegn", "advarsel", "Usynlige kontroltegn fjernet", False),
    Rule("celle_for_lang", "advarsel", "Meget lang tekst", False),
    Rule("celle_for_lang_excel", "fejl", "Længere tekst end en Excel-celle kan rumme", False),
    Rule("celle_tekst_i_tal", "fejl", "Tekst hvor der skal stå et tal", True),
    Rule("celle_decimalkomma", "advarsel", "Tal skrevet som tekst", True),
    Rule("celle_heltal", "fejl", "Skal være et helt tal", True),
    Rule("celle_tal_tvetydigt", "fejl", "Tal med punktum kan læses på to måder", False),
    Rule("celle_dato_tekst", "fejl", "Dato skrevet som tekst", True),
    Rule("celle_liste", "fejl", "Værdi findes ikke i listen", True),
    Rule("dato_periode", "fejl", "Dato uden for perioden", True),
    # the workbook's content
    Rule("felt_mangler", "fejl", "Påkrævet felt mangler", True),
    Rule("gruppe_leder", "fejl", "Lederen er formand for kontraktgruppen", True),
    Rule("gruppe_medarbejder", "fejl", "Medarbejderrepræsentant i kontraktgruppen", True),
    Rule("gruppe_felt_mangler", "fejl", "Kontraktgruppe: felt mangler", True),
    Rule("dialog_brugere", "fejl", "Dialog med brugere i april–august", True),
    Rule("dialog_medarbejdere", "fejl", "Dialog med medarbejdere i april–august", True),
    Rule("dialog_periode", "advarsel", "Dialog uden for april–august", True),
    Rule("dialog_felt_mangler", "fejl", "Dialog: felt mangler", True),
    Rule("su_orienteret", "advarsel", "SU orienteret om forslagene", True),
    Rule("maal_antal", "fejl", "3–5 kontraktmål", True),
    Rule("maal_felt_mangler", "fejl", "Kontraktmål: felt mangler", True),
    Rule("maal_vaerdi_type", "fejl", "Udgangspunkt/målværdi passer til retningen", True),
    Rule("maal_uaendret", "fejl", "Målværdien er forskellig fra udgangspunktet", True),
    Rule("maal_retning", "fejl", "Målværdien går i målets retning", True),
    Rule("maal_procent_andel", "advarsel", "Procent skrevet som andel (0,72 for 72 %)", False),
    Rule("maal_dublet", "advarsel", "To mål med samme overskrift", True),
    Rule("maal_indsatsomraade", "advarsel", "Mindst ét mål under et politisk indsatsområde", True),
    Rule("maal_indikator", "fejl", "Målet passer til indikatoren fra biblioteket", True),
    Rule("resultat_mangler", "fejl", "Resultat eller forklaring", True),
    Rule("resultat_felt_mangler", "fejl", "Resultater: felt mangler", True),
    Rule("resultat_vaerdi_type", "fejl", "Resultatet passer til retningen", True),
    Rule("resultat_forklaring", "advarsel", "Forklaring når målet ikke er nået", True),
    Rule("resultat_uden_maal", "advarsel", "Resultat uden kontraktmål", True),
]
RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def severity(rule_id: str) -> Severity:
    return RULES[rule_id].severity


# ---------------------------------------------------------------- message texts
# Each function is the one place its Danish text is written.


def where_row(sheet_key: str, row: int, nr: int | None = None) -> str:
    """How a table row is named in messages: 'Mål 2', 'Kontraktgruppe, række 3'."""
    if sheet_key == "maal":
        return f"Mål {nr if nr is not None else row + 1}"
    if sheet_key == "resultater":
        return f"Resultat for mål {nr if nr is not None else row + 1}"
    name = {"gruppe": "Kontraktgruppe", "dialog": "Dialog"}.get(sheet_key, sheet_key)
    return f"{name}, række {row + 1}"


def msg_missing(label: str, where: str | None = None) -> str:
    return f"{where}: {label} mangler." if where else f"{label} mangler."


def msg_text_in_number(label: str, where: str | None) -> str:
    pre = f"{where}: " if where else ""
    return f"{pre}{label} skal være et tal. Skriv kun tallet."


def msg_decimal_comma(label: str, where: str | None) -> str:
    pre = f"{where}: " if where else ""
    return (
        f"{pre}{label} er skrevet som tekst. Det er læst som et tal; skriv det som et tal i cellen."
    )


def msg_ambiguous_dot(label: str, where: str | None, typed: str) -> str:
    """ "3.1" in a Danish workbook: 3,1 or 31? Say what was typed and how to write it."""
    pre = f"{where}: " if where else ""
    t = typed.strip()
    head, _, tail = t.replace(" ", "").partition(".")
    guess = ""
    if "." not in tail and head and tail:
        guess = f" Mente I {head},{tail} eller {head}{tail}?"
    return (
        f'{pre}{label} er skrevet "{t}" med punktum. I en dansk arbejdsbog kan punktum både være '
        f"decimaltegn og tusindtalsskilletegn, så det er ikke læst som et tal.{guess} "
        "Skriv decimaler med komma, fx 3,1."
    )


def msg_percent_share(label: str, where: str | None, value: str) -> str:
    pre = f"{where}: " if where else ""
    return (
        f"{pre}{label} er læst som {value} %. Procent skrives i procentpoint: 72 % skrives 72 "
        "eller 72 %, ikke 0,72. Ret tallet, hvis I mente noget andet."
    )


def msg_not_integer(label: str, where: str | None) -> str:
    pre = f"{where}: " if where else ""
    return f"{pre}{label} skal være et helt tal."


def msg_date_text(label: str, where: str | None) -> str:
    pre = f"{where}: " if where else ""
    return f"{pre}{label} er skrevet som tekst. Skriv datoen som en dato, fx 01-03-2027."


def msg_not_in_list(label: str, where: str | None) -> str:
    pre = f"{where}: " if where else ""
    return f"{pre}{label} skal vælges i listen (pilen i cellen)."


def msg_date_period(label: str, where: str | None, start: date, end: date) -> str:
    pre = f"{where}: " if where else ""
    return f"{pre}{label} skal ligge mellem {dansk_dato(start)} og {dansk_dato(end)}."


def msg_leader() -> str:
    return "Kontraktgruppen skal have præcis én med rollen Leder/formand."


def msg_employee_rep() -> str:
    return "Kontraktgruppen skal have mindst én medarbejderrepræsentant."


def msg_dialog(with_whom: str, year: int) -> str:
    return f"Der mangler dialog med {with_whom} i april–august {year}."


def msg_dialog_period(where: str, year: int) -> str:
    return f"{where}: datoen ligger uden for april–august {year}."


def msg_works_council(label: str) -> str:
    return (
        f"{label}: datoen mangler. Samarbejdsudvalget (SU) skal orienteres om og høres om "
        "forslagene; skriv datoen for SU-mødet."
    )


def msg_goal_count() -> str:
    return "Der skal være 3–5 kontraktmål."


def msg_value_type(label: str, where: str) -> str:
    return f"{where}: {label} skal være et tal — eller Ja/Nej, når retningen er Ja/Nej."


def msg_unchanged(where: str) -> str:
    return f"{where}: målværdien er den samme som udgangspunktet."


def msg_direction(where: str) -> str:
    return f"{where}: målværdien går den forkerte vej i forhold til retningen."


def msg_duplicate(where: str) -> str:
    return f"{where}: et andet mål har samme overskrift."


def msg_indicator(label: str, where: str) -> str:
    return (
        f"{where}: {label} er ikke den valgte indikators. En indikator fra kommunens "
        f"indikatorbibliotek har fast enhed, retning og målemetode: ret {label.lower()}, "
        "eller vælg 'Egen indikator'."
    )


def msg_focus_area() -> str:
    return "Ingen af målene hører under fagudvalgets politiske indsatsområder."


def msg_result_missing(where: str) -> str:
    return (
        f"{where}: resultatet mangler. Skriv resultatet, eller forklar hvorfor målet ikke er målt."
    )


def msg_result_explanation(where: str) -> str:
    return f"{where}: målet er ikke nået. Skriv en forklaring."


def msg_result_without_goal(where: str) -> str:
    return f"{where}: der er skrevet et resultat, men der er intet kontraktmål med dette nummer."
