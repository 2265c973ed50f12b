"""The master's attainment rule: the thresholds on its Indstillinger (*Opfyldt ved (%)*,
*Delvist opfyldt ved (%)*), read by :func:`toolkit.rules.attainment.rule_from_settings` with
the cells named as the master lays them out. Konsolider (the command line, the Excel button,
the server) grades by it, and the workbooks made from the master carry it in their formula."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.master.layout import LAYOUT
from toolkit.rules.attainment import AttainmentRule, RuleOverride, rule_from_settings


def master_rule(
    settings: Mapping[str, Any], override: AttainmentRule | RuleOverride | None = None
) -> AttainmentRule:
    """The rule on the master's Indstillinger (blank: the default), ``override`` in place of
    what it gives; a typed value that is not a usable percent is a Danish
    :class:`~toolkit.rules.attainment.RuleSettingError` naming its cell."""
    return rule_from_settings(settings, LAYOUT.setting_cell, override)
