"""Python validation of a read workbook: every rule of DOMAIN.md and the obvious ones.

Rules marked ``in_sheet`` in :mod:`toolkit.spec.catalog` are also formulas on the check sheet
(:mod:`toolkit.rules.checks`); the two implementations must agree, and a differential test
recalculating the sheet in LibreOffice keeps them honest. Comparisons therefore follow
Excel's semantics: text compared with "=" ignores case, TRIM collapses spaces, EXACT does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from toolkit.rules.checks import (
    BOTH,
    EMPLOYEE_REP,
    EMPLOYEES,
    HIGHER,
    INDICATOR_ATTRIBUTES,
    INDICATOR_NAMES,
    LEADER,
    LOWER,
    PERCENT,
    RESULTS_PHASE,
    USERS,
    YES_NO,
)
from toolkit.spec import catalog as C
from toolkit.spec.model import Finding, Kontraktbog, Kontraktmaal, Value
from toolkit.spec.periods import dialog_window, period
from toolkit.spec.workbook import OWN_PROPOSAL, Spec, default_spec

_SPACES = re.compile(" +")


def trim(v: Any) -> str:
    """Excel's TRIM of a value's text."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return _SPACES.sub(" ", str(v).strip(" "))


def eq(v: Any, text: str) -> bool:
    """Excel's TRIM(v)="text" (case-insensitive)."""
    return trim(v).lower() == text.lower()


def older(version: str | None, than: str | None) -> bool:
    """Whether template ``version`` ("1.0") is older than ``than`` ("1.1")."""

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split(".") if x.isdigit())

    return version is not None and than is not None and parts(version) < parts(than)


def is_number(v: Value) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def is_yes_no(v: Value) -> bool:
    return isinstance(v, str) and trim(v).lower() in ("ja", "nej")


class _Rules:
    def __init__(self, book: Kontraktbog, spec: Spec) -> None:
        self.book, self.spec = book, spec
        self.out: list[Finding] = []
        self.year = book.year or book.virksomhed.kontraktaar or 0
        self.goal_rows = {g.raekke: g for g in book.maal}
        self.result_rows = {r.raekke: r for r in book.resultater}

    def add(self, rule: str, sheet_key: str, field_key: str, row: int | None, message: str) -> None:
        sheet, cell = self.book.where(sheet_key, field_key, row)
        self.out.append(Finding(str(self.book.path), sheet, cell, C.severity(rule), rule, message))

    def has(self, sheet_key: str, field_key: str, row: int | None = None) -> bool:
        return self.book.has(sheet_key, field_key, row)

    # ---------------------------------------------------------------- cells
    def cell_rules(self, sheet_key: str, row: int | None, values: Any, where: str | None) -> None:
        sheet = self.spec.sheet(sheet_key)
        for f in sheet.input_fields:
            v = getattr(values, f.key, None)
            if f.type == "dato" and isinstance(v, date) and f.period and self.year:
                start, end = period(f.period, self.year)
                if not start <= v <= end:
                    self.add(
                        "dato_periode",
                        sheet_key,
                        f.key,
                        row,
                        C.msg_date_period(f.label, where, start, end),
                    )
            elif (
                f.type == "valg" and not f.open_list and f.list and self.has(sheet_key, f.key, row)
            ):
                allowed = self.book.lists.get(f.list)
                if allowed is not None and trim(v) not in allowed:
                    self.add(
                        "celle_liste", sheet_key, f.key, row, C.msg_not_in_list(f.label, where)
                    )

    def required(self, sheet_key: str, rule: str, row: int | None, where: str | None) -> None:
        for f in self.spec.sheet(sheet_key).input_fields:
            if f.required == "altid" and not self.has(sheet_key, f.key, row):
                self.add(rule, sheet_key, f.key, row, C.msg_missing(f.label, where))

    # ---------------------------------------------------------------- sheets
    def virksomhed(self) -> None:
        f = self.spec.sheet("virksomhed").field("su_orienteret")
        if (
            not eq(self.book.virksomhed.fase, RESULTS_PHASE)
            and not older(self.book.meta.version, f.since)
            and not self.has("virksomhed", f.key)
        ):
            self.add("su_orienteret", "virksomhed", f.key, None, C.msg_works_council(f.label))
        self.required("virksomhed", "felt_mangler", None, None)
        self.cell_rules("virksomhed", None, self.book.virksomhed, None)

    def group(self) -> None:
        roles = [trim(m.rolle) for m in self.book.gruppe]
        if roles.count(LEADER) != 1:
            self.add("gruppe_leder", "gruppe", "rolle", 0, C.msg_leader())
        if roles.count(EMPLOYEE_REP) == 0:
            self.add("gruppe_medarbejder", "gruppe", "rolle", 0, C.msg_employee_rep())
        for m in self.book.gruppe:
            where = C.where_row("gruppe", m.raekke)
            self.required("gruppe", "gruppe_felt_mangler", m.raekke, where)
            self.cell_rules("gruppe", m.raekke, m, where)

    def dialog(self) -> None:
        lo, hi = dialog_window(self.year)
        fy = self.year - 1
        in_window = [d for d in self.book.dialog if d.dato is not None and lo <= d.dato <= hi]
        for rule, target, label in (
            ("dialog_brugere", USERS, "brugere/pårørende"),
            ("dialog_medarbejdere", EMPLOYEES, "medarbejdere"),
        ):
            if not any(trim(d.med_hvem) in (target, BOTH) for d in in_window):
                self.add(rule, "dialog", "med_hvem", 0, C.msg_dialog(label, fy))
        for d in self.book.dialog:
            where = C.where_row("dialog", d.raekke)
            if d.dato is not None and d.dato.year == fy and not lo <= d.dato <= hi:
                self.add(
                    "dialog_periode", "dialog", "dato", d.raekke, C.msg_dialog_period(where, fy)
                )
            self.required("dialog", "dialog_felt_mangler", d.raekke, where)
            self.cell_rules("dialog", d.raekke, d, where)

    def goals(self) -> None:
        goals = self.book.maal
        # In the results phase the goals are the contract's approved ones, written in from
        # the master and locked: there may be fewer than three, and that is not the
        # institution's error.
        if not 3 <= len(goals) <= 5 and not eq(self.book.virksomhed.fase, RESULTS_PHASE):
            self.add("maal_antal", "maal", "titel", 0, C.msg_goal_count())
        areas = self.book.lists.get("indsatsomraader", ())
        tied = [
            g
            for g in goals
            if self.has("maal", "indsatsomraade", g.raekke)
            and not eq(g.indsatsomraade, OWN_PROPOSAL)
        ]
        if goals and len(areas) > 1 and not tied:
            self.add("maal_indsatsomraade", "maal", "indsatsomraade", 0, C.msg_focus_area())
        seen: list[str] = []
        for g in sorted(goals, key=lambda g: g.raekke):
            i = g.raekke
            where = C.where_row("maal", i, i + 1)
            for key in ("baseline", "maalvaerdi"):
                v = getattr(g, key)
                if (
                    self.has("maal", key, i)
                    and self.has("maal", "retning", i)
                    and not self._fits(v, g.retning)
                ):
                    label = self.spec.sheet("maal").field(key).label
                    self.add("maal_vaerdi_type", "maal", key, i, C.msg_value_type(label, where))
            self._percent_shares(g, where)
            self._indicator(g, where)
            b, v = g.baseline, g.maalvaerdi
            if (
                self.has("maal", "baseline", i)
                and self.has("maal", "maalvaerdi", i)
                and self._same(b, v)
            ):
                self.add("maal_uaendret", "maal", "maalvaerdi", i, C.msg_unchanged(where))
            if is_number(b) and is_number(v):
                assert isinstance(b, int | float) and isinstance(v, int | float)
                if (eq(g.retning, HIGHER) and v < b) or (eq(g.retning, LOWER) and v > b):
                    self.add("maal_retning", "maal", "maalvaerdi", i, C.msg_direction(where))
            if self.has("maal", "titel", i):
                title = trim(g.titel).lower()
                if i > 0 and title in seen:
                    self.add("maal_dublet", "maal", "titel", i, C.msg_duplicate(where))
                seen.append(title)
            self.required("maal", "maal_felt_mangler", i, where)
            self.cell_rules("maal", i, g, where)

    def _indicator(self, g: Kontraktmaal, where: str) -> None:
        """A goal naming a library indicator (the workbook's own copy of the library, on its
        Lister sheet) has the indicator's unit, direction and method."""
        names = [n.lower() for n in self.book.lists.get(INDICATOR_NAMES, ())]
        chosen = trim(g.indikator).lower()
        if not chosen or chosen not in names:
            return
        k = names.index(chosen)
        for key, list_key in INDICATOR_ATTRIBUTES:
            attrs = self.book.lists.get(list_key, ())
            if k >= len(attrs) or not self.has("maal", key, g.raekke):
                continue
            if trim(attrs[k]).lower() != trim(getattr(g, key)).lower():
                label = self.spec.sheet("maal").field(key).label
                self.add("maal_indikator", "maal", key, g.raekke, C.msg_indicator(label, where))

    def _percent_shares(self, g: Kontraktmaal, where: str) -> None:
        """Procent is kept in percentage points (toolkit.reading.numbers): 0 < value < 1 in a Procent
        goal is read as it stands, with a warning that says what was read."""
        if not eq(g.enhed, PERCENT):
            return
        for key in ("baseline", "maalvaerdi"):
            v = getattr(g, key)
            if self._share(v):
                label = self.spec.sheet("maal").field(key).label
                shown = repr(float(v)).replace(".", ",")
                self.add("maal_procent_andel", "maal", key, g.raekke,
                         C.msg_percent_share(label, where, shown))  # fmt: skip

    @staticmethod
    def _share(v: Value) -> bool:
        return is_number(v) and 0 < abs(float(v)) < 1  # type: ignore[arg-type]

    @staticmethod
    def _fits(v: Value, retning: Any) -> bool:
        return is_yes_no(v) if eq(retning, YES_NO) else is_number(v)

    @staticmethod
    def _same(a: Value, b: Value) -> bool:
        if is_number(a) and is_number(b):
            return a == b
        if is_number(a) or is_number(b):
            return False
        return trim(a).lower() == trim(b).lower()

    def results(self) -> None:
        results_phase = eq(self.book.virksomhed.fase, RESULTS_PHASE)
        sheet = self.spec.sheet("resultater")
        for i in range(sheet.rows):
            goal = self.goal_rows.get(i)
            res = self.result_rows.get(i)
            where = C.where_row("resultater", i, i + 1)
            has_res = self.has("resultater", "resultat", i)
            has_expl = self.has("resultater", "forklaring", i)
            if results_phase and goal is not None:
                if not has_res and not has_expl:
                    self.add(
                        "resultat_mangler", "resultater", "resultat", i, C.msg_result_missing(where)
                    )
                for f in sheet.input_fields:
                    if (
                        f.required == "resultater"
                        and f.key != "resultat"
                        and has_res
                        and not self.has("resultater", f.key, i)
                    ):
                        self.add(
                            "resultat_felt_mangler",
                            "resultater",
                            f.key,
                            i,
                            C.msg_missing(f.label, where),
                        )
            if res is None:
                continue
            if goal is None:
                self.add(
                    "resultat_uden_maal",
                    "resultater",
                    "resultat",
                    i,
                    C.msg_result_without_goal(where),
                )
            else:
                r, t, ret = res.resultat, goal.maalvaerdi, goal.retning
                if has_res and self.has("maal", "retning", i) and not self._fits(r, ret):
                    label = sheet.field("resultat").label
                    self.add(
                        "resultat_vaerdi_type",
                        "resultater",
                        "resultat",
                        i,
                        C.msg_value_type(label, where),
                    )
                if eq(goal.enhed, PERCENT) and self._share(r):
                    shown = repr(float(r)).replace(".", ",")  # type: ignore[arg-type]
                    label = sheet.field("resultat").label
                    self.add("maal_procent_andel", "resultater", "resultat", i,
                             C.msg_percent_share(label, where, shown))  # fmt: skip
                if has_res and not has_expl and self._not_met(r, t, ret):
                    self.add(
                        "resultat_forklaring",
                        "resultater",
                        "forklaring",
                        i,
                        C.msg_result_explanation(where),
                    )
            self.cell_rules("resultater", i, res, where)

    @staticmethod
    def _not_met(r: Value, t: Value, ret: Any) -> bool:
        if eq(ret, YES_NO):
            return is_yes_no(r) and is_yes_no(t) and trim(r).lower() != trim(t).lower()
        if is_number(r) and is_number(t):
            assert isinstance(r, int | float) and isinstance(t, int | float)
            if eq(ret, HIGHER):
                return r < t
            if eq(ret, LOWER):
                return r > t
        return False

    def run(self) -> list[Finding]:
        self.group()
        self.dialog()
        self.goals()
        self.virksomhed()
        self.results()
        return self.out


def validate(book: Kontraktbog, spec: Spec | None = None) -> list[Finding]:
    """All findings for a workbook: what the reader met plus every rule's verdict."""
    spec = spec or default_spec()
    return [*book.findings, *_Rules(book, spec).run()]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "fejl" for f in findings)
