"""The check sheet (Tjek): every rule that plain Excel formulas can express, one row each.

The rows are derived from the spec and the layout; the severity and message of each row
come from :mod:`toolkit.spec.catalog`, like the Python rules' findings. A row's formula is the
*violation* expression: TRUE when the rule is broken. The check sheet works with macros
disabled and in LibreOffice; a differential test recalculates it in LibreOffice and
compares it with :func:`toolkit.rules.validate.validate`.

Formulas use only functions both Excel (2013+) and LibreOffice have, English names and
comma separators as stored in the file; functions newer than Excel 2007 carry their
``_xlfn.`` prefix as Excel itself stores them (otherwise Excel shows #NAVN?).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toolkit.spec import catalog as C
from toolkit.spec.layout import Layout, TablePos, cell_ref, list_name, quote_sheet
from toolkit.spec.model import Severity
from toolkit.spec.periods import dialog_window, period
from toolkit.spec.workbook import OWN_PROPOSAL, Field, Spec

# Values of the spec's lists the rules name (tests/test_vocabulary.py keeps them in the lists).
LEADER = "Leder/formand"
EMPLOYEE_REP = "Medarbejderrepræsentant"
USER = "Bruger/pårørende"
USERS = "Brugere/pårørende"
EMPLOYEES = "Medarbejdere"
BOTH = "Begge"
YES_NO = "Ja/Nej"
PERCENT = "Procent"
SURVEY = "Spørgeskemaundersøgelse"
HIGHER = "Højere er bedre"
LOWER = "Lavere er bedre"
RESULTS_PHASE = "Resultater"
#: the Lister-sheet lists the indicator library fills (toolkit.rules.indicators)
INDICATOR_NAMES = "indikatorer"
INDICATOR_ATTRIBUTES = (
    ("enhed", "indikator_enheder"),
    ("retning", "indikator_retninger"),
    ("maalemetode", "indikator_metoder"),
)


@dataclass(frozen=True)
class Check:
    rule: str
    sheet: str
    cell: str
    severity: Severity
    message: str
    formula: str  # the violation expression, without a leading "="


# ------------------------------------------------------------ formula fragments


def q(text: str) -> str:
    """A string literal for a formula."""
    if len(text) > 255:
        raise ValueError("Excel string literals are limited to 255 characters")
    return '"' + text.replace('"', '""') + '"'


def xdate(d: date) -> str:
    return f"DATE({d.year},{d.month},{d.day})"


def blank(x: str) -> str:
    return f"LEN(TRIM(CLEAN({x})))=0"


def filled(x: str) -> str:
    return f"LEN(TRIM(CLEAN({x})))>0"


def any_filled(cells: list[str]) -> str:
    return f"LEN(TRIM(CLEAN({'&'.join(cells)})))>0"


def _unpercent(x: str) -> str:
    """The text of a cell without one trailing percent sign ("72 %" → "72 ")."""
    return f'IF(RIGHT(TRIM({x}))="%",LEFT(TRIM({x}),LEN(TRIM({x}))-1),{x})'


def is_num(x: str) -> str:
    """A number, or text that NUMBERVALUE reads with Danish separators (one trailing % allowed,
    no exponent, at least one digit: LibreOffice's NUMBERVALUE reads "." and "..." as 0; no
    dot without a comma: "3.1" may be 3,1 or 31). Mirrors ``toolkit.reading.numbers``."""
    p = _unpercent(x)
    return (
        f'OR(ISNUMBER({x}),AND(ISTEXT({x}),{filled(x)},ISERROR(FIND("%",{p})),'
        f'ISERROR(SEARCH("e",{x})),COUNT(FIND({{0,1,2,3,4,5,6,7,8,9}},{x}))>0,'
        f'OR(ISERROR(FIND(".",{x})),ISNUMBER(FIND(",",{x}))),'
        f'ISNUMBER(_xlfn.NUMBERVALUE({p},",","."))))'
    )


def num(x: str) -> str:
    """The number of a cell for which :func:`is_num` holds, Procent in percentage points: a
    cell shown as a percentage ("72%" typed, holding 0.72) counts as 72, text "72 %" too."""
    return (
        f'IF(ISNUMBER({x}),IF(LEFT(CELL("format",{x}))="P",{x}*100,{x}),'
        f'_xlfn.NUMBERVALUE({_unpercent(x)},",","."))'
    )


def is_yes_no(x: str) -> str:
    return f'OR(TRIM({x})="Ja",TRIM({x})="Nej")'


def eq(x: str, text: str) -> str:
    """Case-insensitive comparison of a trimmed cell with a text (Excel's "=")."""
    return f"TRIM({x})={q(text)}"


def count_exact(rng: str, text: str) -> str:
    return f"SUMPRODUCT(--EXACT(TRIM({rng}),{q(text)}))"


# ------------------------------------------------------------ the checks


class _Builder:
    def __init__(self, spec: Spec, lay: Layout, year: int) -> None:
        self.spec, self.lay, self.year = spec, lay, year
        self.out: list[Check] = []
        fase = lay.field("virksomhed", "fase")
        self.results_phase = eq(fase.abs_ref(), RESULTS_PHASE)

    def add(self, rule: str, sheet: str, cell: str, message: str, formula: str) -> None:
        self.out.append(Check(rule, sheet, cell, C.severity(rule), message, formula))

    # cell-level checks, shared by single fields and table cells
    def cell_checks(self, f: Field, sheet: str, cell: str, ref: str, where: str | None) -> None:
        if f.type in ("heltal", "tal", "vaerdi"):
            if f.type != "vaerdi":
                self.add(
                    "celle_tekst_i_tal", sheet, cell, C.msg_text_in_number(f.label, where),
                    f"AND(ISTEXT({ref}),{filled(ref)},NOT({is_num(ref)}))",
                )  # fmt: skip
            self.add(
                "celle_decimalkomma", sheet, cell, C.msg_decimal_comma(f.label, where),
                f"AND(ISTEXT({ref}),{is_num(ref)})",
            )  # fmt: skip
            if f.type == "heltal":
                self.add(
                    "celle_heltal", sheet, cell, C.msg_not_integer(f.label, where),
                    f"IF({is_num(ref)},{num(ref)}<>INT({num(ref)}),FALSE)",
                )  # fmt: skip
        elif f.type == "dato":
            self.add(
                "celle_dato_tekst", sheet, cell, C.msg_date_text(f.label, where),
                f"AND({filled(ref)},NOT(ISNUMBER({ref})))",
            )  # fmt: skip
            assert f.period is not None
            start, end = period(f.period, self.year)
            self.add(
                "dato_periode", sheet, cell, C.msg_date_period(f.label, where, start, end),
                f"AND(ISNUMBER({ref}),OR({ref}<{xdate(start)},{ref}>={xdate(end)}+1))",
            )  # fmt: skip
        elif f.type == "valg" and not f.open_list:
            assert f.list is not None
            self.add(
                "celle_liste", sheet, cell, C.msg_not_in_list(f.label, where),
                f"AND({filled(ref)},SUMPRODUCT(--EXACT(TRIM({ref}),{list_name(f.list)}))=0)",
            )  # fmt: skip

    def single_fields(self) -> None:
        sheet = self.spec.sheet("virksomhed")
        for f in sheet.input_fields:
            pos = self.lay.field(sheet.key, f.key)
            ref = pos.abs_ref()
            if f.required == "altid":
                self.add("felt_mangler", sheet.name, pos.ref, C.msg_missing(f.label), blank(ref))
            self.cell_checks(f, sheet.name, pos.ref, ref, None)

    def table_rows(self, key: str, rule_missing: str) -> None:
        t = self.lay.table(key)
        for i in range(t.n_rows):
            used = any_filled(t.input_row_range(i))
            where = C.where_row(key, i, i + 1)
            for f in t.sheet.input_fields:
                ref = t.qcell(i, f.key)
                if f.required == "altid":
                    self.add(
                        rule_missing, t.sheet.name, t.cell(i, f.key), C.msg_missing(f.label, where),
                        f"AND({used},{blank(ref)})",
                    )  # fmt: skip
                self.cell_checks(f, t.sheet.name, t.cell(i, f.key), ref, where)
            if key == "dialog":
                d = t.qcell(i, "dato")
                fy = self.year - 1
                lo, hi = dialog_window(self.year)
                self.add(
                    "dialog_periode", t.sheet.name, t.cell(i, "dato"), C.msg_dialog_period(where, fy),
                    f"AND(ISNUMBER({d}),{d}>={xdate(date(fy, 1, 1))},{d}<{xdate(date(fy + 1, 1, 1))},"
                    f"OR({d}<{xdate(lo)},{d}>={xdate(hi)}+1))",
                )  # fmt: skip

    def group(self) -> None:
        t = self.lay.table("gruppe")
        roles = t.column_range("rolle")
        first = t.cell(0, "rolle")
        name = t.sheet.name
        self.add("gruppe_leder", name, first, C.msg_leader(), f"{count_exact(roles, LEADER)}<>1")
        self.add(
            "gruppe_medarbejder", name, first, C.msg_employee_rep(),
            f"{count_exact(roles, EMPLOYEE_REP)}=0",
        )  # fmt: skip

    def dialog(self) -> None:
        t = self.lay.table("dialog")
        who, dates = t.column_range("med_hvem"), t.column_range("dato")
        lo, hi = dialog_window(self.year)
        in_window = f"ISNUMBER({dates})*({dates}>={xdate(lo)})*({dates}<{xdate(hi)}+1)"
        cell = t.cell(0, "med_hvem")
        for rule, target, label in (
            ("dialog_brugere", USERS, "brugere/pårørende"),
            ("dialog_medarbejdere", EMPLOYEES, "medarbejdere"),
        ):
            match = f"(EXACT(TRIM({who}),{q(target)})+EXACT(TRIM({who}),{q(BOTH)}))"
            self.add(
                rule, t.sheet.name, cell, C.msg_dialog(label, self.year - 1),
                f"SUMPRODUCT({match}*{in_window})=0",
            )  # fmt: skip

    def works_council(self) -> None:
        """The works council (SU) was informed of the proposals (not asked in the results
        phase: that workbook is about the year's results)."""
        f = self.spec.sheet("virksomhed").field("su_orienteret")
        pos = self.lay.field("virksomhed", f.key)
        self.add(
            "su_orienteret", self.spec.sheet("virksomhed").name, pos.ref,
            C.msg_works_council(f.label), f"AND(NOT({self.results_phase}),{blank(pos.abs_ref())})",
        )  # fmt: skip

    def goals(self) -> None:
        t = self.lay.table("maal")
        name = t.sheet.name
        used = [any_filled(t.input_row_range(i)) for i in range(t.n_rows)]
        n_used = "+".join(f"--({u})" for u in used)
        self.add(
            "maal_antal", name, t.cell(0, "titel"), C.msg_goal_count(),
            f"AND(NOT({self.results_phase}),OR(({n_used})<3,({n_used})>5))",
        )  # fmt: skip
        areas = t.column_range("indsatsomraade")
        tied = f"SUMPRODUCT((LEN(TRIM(CLEAN({areas})))>0)*(LOWER(TRIM({areas}))<>{q(OWN_PROPOSAL.lower())}))"
        self.add(
            "maal_indsatsomraade", name, t.cell(0, "indsatsomraade"), C.msg_focus_area(),
            f"AND(({n_used})>0,COUNTA({list_name('indsatsomraader')})>1,{tied}=0)",
        )  # fmt: skip
        for i in range(t.n_rows):
            where = C.where_row("maal", i, i + 1)
            self.indicator(t, i, where)
            ret = t.qcell(i, "retning")
            b, v = t.qcell(i, "baseline"), t.qcell(i, "maalvaerdi")
            for key in ("baseline", "maalvaerdi"):
                x = t.qcell(i, key)
                label = t.sheet.field(key).label
                self.add(
                    "maal_vaerdi_type", name, t.cell(i, key), C.msg_value_type(label, where),
                    f"AND({filled(x)},{filled(ret)},IF({eq(ret, YES_NO)},NOT({is_yes_no(x)}),NOT({is_num(x)})))",
                )  # fmt: skip
            self.add(
                "maal_uaendret", name, t.cell(i, "maalvaerdi"), C.msg_unchanged(where),
                f"AND({filled(b)},{filled(v)},IF(AND({is_num(b)},{is_num(v)}),{num(b)}={num(v)},TRIM({b})=TRIM({v})))",
            )  # fmt: skip
            self.add(
                "maal_retning", name, t.cell(i, "maalvaerdi"), C.msg_direction(where),
                f"IF(AND({is_num(b)},{is_num(v)}),OR(AND({eq(ret, HIGHER)},{num(v)}<{num(b)}),"
                f"AND({eq(ret, LOWER)},{num(v)}>{num(b)})),FALSE)",
            )  # fmt: skip
            if i > 0:
                title = t.qcell(i, "titel")
                c = t.col("titel")
                top, bottom = (
                    cell_ref(t.first_row, c, absolute=True),
                    cell_ref(t.first_row + i - 1, c, absolute=True),
                )
                prev = f"{quote_sheet(name)}!{top}:{bottom}"
                self.add(
                    "maal_dublet", name, t.cell(i, "titel"), C.msg_duplicate(where),
                    f"AND({filled(title)},SUMPRODUCT(--(LOWER(TRIM({prev}))=LOWER(TRIM({title}))))>0)",
                )  # fmt: skip

    def indicator(self, t: TablePos, i: int, where: str) -> None:
        """A goal naming a library indicator has the indicator's unit, direction and method.

        The library is on the Lister sheet as parallel lists (names, then one list per
        attribute; the names list ends with "Egen indikator", which has no attributes)."""
        names = list_name(INDICATOR_NAMES)
        ind = t.qcell(i, "indikator")
        pos = f"(SUMPRODUCT(({names}=TRIM({ind}))*ROW({names}))-ROW(INDEX({names},1))+1)"
        for key, list_key in INDICATOR_ATTRIBUTES:
            attr, x = list_name(list_key), t.qcell(i, key)
            label = t.sheet.field(key).label
            self.add(
                "maal_indikator", t.sheet.name, t.cell(i, key), C.msg_indicator(label, where),
                f"IF(AND({filled(ind)},{filled(x)},{pos}>=1,{pos}<=COUNTA({attr})),"
                f"TRIM(INDEX({attr},{pos}))<>TRIM({x}),FALSE)",
            )  # fmt: skip

    def results(self) -> None:
        t = self.lay.table("resultater")
        g = self.lay.table("maal")
        name = t.sheet.name
        for i in range(t.n_rows):
            where = C.where_row("resultater", i, i + 1)
            goal_used = any_filled(g.input_row_range(i))
            res, expl = t.qcell(i, "resultat"), t.qcell(i, "forklaring")
            ret, target = g.qcell(i, "retning"), g.qcell(i, "maalvaerdi")
            self.add(
                "resultat_mangler", name, t.cell(i, "resultat"), C.msg_result_missing(where),
                f"AND({self.results_phase},{goal_used},{blank(res)},{blank(expl)})",
            )  # fmt: skip
            for f in t.sheet.input_fields:
                ref = t.qcell(i, f.key)
                if f.required == "resultater" and f.key != "resultat":
                    self.add(
                        "resultat_felt_mangler", name, t.cell(i, f.key),
                        C.msg_missing(f.label, where),
                        f"AND({self.results_phase},{goal_used},{filled(res)},{blank(ref)})",
                    )  # fmt: skip
                self.cell_checks(f, name, t.cell(i, f.key), ref, where)
            self.add(
                "resultat_vaerdi_type", name, t.cell(i, "resultat"),
                C.msg_value_type(t.sheet.field("resultat").label, where),
                f"AND({filled(res)},{filled(ret)},IF({eq(ret, YES_NO)},NOT({is_yes_no(res)}),NOT({is_num(res)})))",
            )  # fmt: skip
            not_met = (
                f"IF({eq(ret, YES_NO)},AND({is_yes_no(res)},{is_yes_no(target)},TRIM({res})<>TRIM({target})),"
                f"IF(AND({is_num(res)},{is_num(target)}),IF({eq(ret, HIGHER)},{num(res)}<{num(target)},"
                f"IF({eq(ret, LOWER)},{num(res)}>{num(target)},FALSE)),FALSE))"
            )
            self.add(
                "resultat_forklaring", name, t.cell(i, "forklaring"),
                C.msg_result_explanation(where),
                f"AND({goal_used},{filled(res)},{blank(expl)},{not_met})",
            )  # fmt: skip
            self.add(
                "resultat_uden_maal", name, t.cell(i, "resultat"),
                C.msg_result_without_goal(where),
                f"AND(NOT({goal_used}),{any_filled(t.input_row_range(i))})",
            )  # fmt: skip


def sheet_checks(spec: Spec, lay: Layout, year: int) -> list[Check]:
    """All check-sheet rows for a workbook of the given contract year, in display order."""
    b = _Builder(spec, lay, year)
    b.group()
    b.dialog()
    b.works_council()
    b.goals()
    b.single_fields()
    b.table_rows("gruppe", "gruppe_felt_mangler")
    b.table_rows("dialog", "dialog_felt_mangler")
    b.table_rows("maal", "maal_felt_mangler")
    b.results()
    return b.out


def missing_format(t: TablePos, i: int, key: str) -> str:
    """Conditional-format formula (relative to the cell) for a required table cell left empty."""
    return f"AND({any_filled(t.input_row_range(i, qualified=False))},{blank(t.cell(i, key))})"
