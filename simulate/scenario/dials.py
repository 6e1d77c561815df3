"""The dials: the explorer's levers, one per dotted scenario key (one home; the explorer's page,
its round-trip YAML and its tests read them from here).

A dial turns one number and the year it is reached into scenario overrides, written in the
scenario language itself (keyframes, ``labour.seniors`` and ``labour.women_gap`` shortcuts), so
that a YAML file holding the same overrides reproduces the explorer's numbers on the command line.
Every dial acts after the history: its path starts where the scenario's own path stands in the last
observed year (TFR and life expectancy: where the observations stand) and moves linearly to the
value in the chosen year, then holds it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import yaml

from simulate.errors import InputError
from simulate.scenario.paths import evaluate, number_hint
from simulate.scenario.source import printable, problem
from simulate.scenario.units import check_units, written
from simulate.text.messages import N_, t

#: The year a setting is reached in when none is written: at once, in the first projected year.
AT_ONCE = None

Overrides = dict[str, Any]


def _at(frames: dict, year: int) -> float:
    """A keyframed path's value in ``year``."""
    return float(evaluate(frames, np.array([float(year)]))[0])


def _section(scenario: Any, key: str) -> Any:
    """The value at dotted ``key`` of a loaded scenario (``labour.hours`` -> its keyframes)."""
    value = scenario
    for part in key.split("."):
        value = getattr(value, part)
    return value


def path_value(scenario: Any, key: str, year: int) -> float:
    """The value of the scenario's path at dotted ``key`` (e.g. ``labour.hours``) in ``year``."""
    return _at(_section(scenario, key), year)


def _ramp_from_path(key: str) -> Callable[[Any, float, int], Overrides]:
    """From the scenario's own value in its last observed year to ``value`` in ``year``, held after."""
    def overrides(scenario: Any, value: float, year: int) -> Overrides:
        end = scenario.history_end
        where = tuple(key.split("."))
        found = {key: {end: written(where, path_value(scenario, key, end)), year: written(where, float(value))}}
        if key == "economy.productivity_growth" and scenario.economy.productivity_target is not None:
            found["economy.productivity_target"] = None  # growth is now set directly
        return found
    return overrides


def _ramp_from_observed(key: str) -> Callable[[Any, float, int], Overrides]:
    """Keyframes after the history only: the scenario language ramps them from the observed value."""
    def overrides(scenario: Any, value: float, year: int) -> Overrides:
        return {key: {year: float(value)}}
    return overrides


def _e0_gain(scenario: Any, value: float, year: int) -> Overrides:
    """Both sexes' life expectancy ``value`` years above the scenario's path in ``year`` and after;
    the gain grows linearly from the last observed year, so history and its end stay as observed."""
    end, found = scenario.history_end, {}
    for sex in ("male", "female"):
        frames = getattr(scenario.mortality.e0, sex)
        years = sorted({y for y in frames if y > end} | {year, scenario.horizon})
        found[f"mortality.e0.{sex}"] = {y: round(_at(frames, y) + value * min(1.0, (y - end) / (year - end)), 6)
                                        for y in years}
    return found


def _reach(key: str, field: str) -> Callable[[Any, float, int], Overrides]:
    """A labour shortcut (``labour.seniors``: a rate reached; ``labour.women_gap``: a share of the gap closed)."""
    def overrides(scenario: Any, value: float, year: int) -> Overrides:
        return {key: {field: written((*key.split("."), field), float(value)), "by": year}}
    return overrides


#: Where an unmoved dial's value comes from, in words (by ``Dial.reads``; ``indicator`` names it).
UNMOVED = {"path": N_("the scenario's path in the year"), "zero": N_("0 (the scenario as it is)"),
           "seniors": N_("the rate of 65-74 in the year"), "indicator": N_("{indicator} in the year")}
#: The columns of a table of the dials (the READMEs'): key, name, unit, slider range, unmoved value.
COLUMNS = ("`data-lever`", N_("lever"), N_("unit"), N_("slider"), N_("when unmoved, shows"))


@dataclass(frozen=True)
class Dial:
    """One lever of the explorer.  ``key``: the dotted scenario key its input carries
    (``data-lever``); ``label``/``unit``: catalogue messages; ``low``..``high`` in ``step``s: the
    slider's range (a typed value outside it still goes to the scenario language, which has the final
    word); ``reads``: where its unmoved value comes from (``indicator:<name>``, ``path``,
    ``seniors``, or ``zero``); ``needs_mode``: the economy mode it needs, if any."""

    key: str
    label: str
    unit: str
    low: float
    high: float
    step: float
    decimals: int
    reads: str
    overrides: Callable[[Any, float, int], Overrides]
    needs_mode: str | None = None

    def unmoved_in(self, lang: str | None = None) -> str:
        """Where the dial's unmoved value comes from, in words ('the scenario's path in the year')."""
        kind, _, indicator = self.reads.partition(":")
        return t(UNMOVED[kind], lang, indicator=f"`{indicator}`")

    def usable(self, scenario: Any) -> bool:
        """Whether the dial applies to ``scenario`` (automation needs growth accounting)."""
        return self.needs_mode is None or scenario.economy.mode == self.needs_mode


DIALS = {dial.key: dial for dial in [
    Dial("fertility.tfr", N_("Total fertility rate"), N_("children per woman"), 0.8, 2.5, 0.01, 2, "path",
         _ramp_from_observed("fertility.tfr")),
    Dial("mortality.e0", N_("Life expectancy gain over the scenario"), N_("years of life"), -3.0, 5.0, 0.1, 1, "zero", _e0_gain),
    Dial("migration.net", N_("Net migration"), N_("persons per year"), -100_000.0, 1_000_000.0, 10_000.0, 0,
         "indicator:net_migration", _ramp_from_path("migration.net")),
    Dial("labour.seniors.rate", N_("Participation at 65-74"), N_("%"), 0.0, 100.0, 0.5, 1, "seniors",
         _reach("labour.seniors", "rate")),
    Dial("labour.women_gap.share", N_("Share of women's participation gap to men closed"), N_("fraction"),
         0.0, 1.0, 0.05, 2, "zero", _reach("labour.women_gap", "share")),
    Dial("labour.unemployment", N_("Unemployment rate"), N_("% of labour force"), 0.0, 15.0, 0.1, 1,
         "indicator:unemployment_rate", _ramp_from_path("labour.unemployment")),
    Dial("labour.hours", N_("Hours per worker"), N_("hours per year"), 1200.0, 2200.0, 10.0, 0,
         "indicator:hours_per_worker", _ramp_from_path("labour.hours")),
    Dial("economy.productivity_growth", N_("Productivity growth"), N_("% per year"), -1.0, 4.0, 0.05, 2, "path",
         _ramp_from_path("economy.productivity_growth")),
    Dial("economy.automation", N_("Automation"), N_("% of base-year hours worked"), 0.0, 40.0, 0.5, 1, "path",
         _ramp_from_path("economy.automation"), needs_mode="growth_accounting"),
    Dial("care.productivity_growth", N_("Care productivity growth"), N_("% per year"), -2.0, 5.0, 0.1, 1, "path",
         _ramp_from_path("care.productivity_growth")),
    Dial("care.certification_age_shift", N_("Healthy ageing"), N_("years"), 0.0, 10.0, 0.5, 1, "path",
         _ramp_from_path("care.certification_age_shift")),
]}


def dial_overrides(scenario: Any, settings: dict[str, float], year: int) -> Overrides:
    """The scenario overrides of the moved dials ``settings`` (dial key -> value), reached in ``year``."""
    found: Overrides = {}
    for key, value in settings.items():
        found |= DIALS[key].overrides(scenario, value, year)
    return found


def nested(overrides: Overrides) -> dict:
    """Dotted overrides as the nested mapping a scenario file writes (``{"a.b": 1}`` -> ``{"a": {"b": 1}}``)."""
    tree: dict = {}
    for key, value in overrides.items():
        *parents, last = key.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return tree


# ---- one meaning per setting: ``KEY=VALUE`` at once, ``KEY=VALUE@YEAR`` a ramp ----

#: A ramp written in a setting's value: ``300000@2035`` is 300,000 reached in 2035.
RAMP = re.compile(r"^\s*(?P<value>[^@]+?)\s*@\s*(?P<year>[^@]+?)\s*$")
#: Dials whose key is no path of the scenario language (a gain, or a shortcut's field): a number
#: given to them is the dial's value from the first projected year, as ``KEY=VALUE@<that year>``.
DIAL_ONLY = ("mortality.e0", "labour.seniors.rate", "labour.women_gap.share")


def ramped(overrides: Mapping[str, Any]) -> dict[str, tuple[Any, str | None]]:
    """The settings among ``overrides`` that the dials expand, as (value, year written or None):
    every ``KEY=VALUE@YEAR``, and a number given to a key of :data:`DIAL_ONLY`."""
    found = {}
    for key, value in overrides.items():
        match = RAMP.match(value) if isinstance(value, str) else None
        if match is not None and re.fullmatch(r"[^{}\[\],:]+", match["value"]):
            found[key] = (match["value"], match["year"])
        elif key in DIAL_ONLY and not isinstance(value, (Mapping, list)):
            found[key] = (value, None)
    return found


def read_number(key: str, value: Any) -> tuple[float | None, str | None]:
    """A setting's value as a number read as a scenario file reads it (explicit units such as
    ``'0.3 %'`` accepted, slips refused), or None and the reason."""
    if isinstance(value, str):
        text = value.strip().removeprefix("+") if key == "mortality.e0" else value.strip()
        try:
            value = yaml.safe_load(text) if text else None
        except yaml.YAMLError:
            value = text
    layer, slips = check_units(nested({key: value}))
    if slips:
        return None, slips[0][1]
    for part in key.split("."):
        layer = layer[part]
    if isinstance(layer, (int, float)) and not isinstance(layer, bool) and math.isfinite(layer):
        return float(layer), None
    hint = number_hint(str(value)) if isinstance(value, str) else None
    if hint is not None:
        return None, t("{text} is text, not a number: {hint}", text=repr(printable(str(value))[:40]), hint=hint)
    return None, t("Input should be a valid number, got '{value}'", value=printable(str(value))[:40])


def reached_year(scenario: Any, year: Any) -> tuple[int | None, str | None]:
    """The year a setting is reached in (``None``: at once, the first projected year), or the reason it
    cannot be: after the history, at most the horizon."""
    low, high = scenario.history_end + 1, scenario.horizon
    if year is None:
        return low, None
    text = str(year).strip()
    found = int(text) if re.fullmatch(r"\d{4}", text) and not isinstance(year, (bool, float)) else None
    if found is None or not low <= found <= high:
        return None, t("the year {value} is out of range: allowed {low} to {high}", value=printable(text)[:12],
                       low=low, high=high)
    return found, None


def expand(scenario: Any, settings: Mapping[str, tuple[Any, Any]], origin: str) -> Overrides:
    """The scenario-language overrides of ``settings`` (key -> (value, year or None), see :func:`ramped`)
    on the loaded ``scenario``; problems are one line each, located at ``origin`` and the key."""
    found, problems = {}, []
    for key, (value, year) in settings.items():
        where = tuple(key.split("."))
        if key not in DIALS:
            problems.append(problem(origin, (0, 0), where, t(
                "VALUE@YEAR ramps the explorer's levers only: {choices}", choices=", ".join(DIALS))))
            continue
        number, why = read_number(key, value)
        reached, late = reached_year(scenario, year)
        why = why or late or (None if DIALS[key].usable(scenario) else t(
            "needs 'mode: {mode}' in the scenario's economy", mode=DIALS[key].needs_mode))
        if why is not None:
            problems.append(problem(origin, (0, 0), where, why))
            continue
        found |= DIALS[key].overrides(scenario, number, reached)
    if problems:
        raise InputError(problems)
    return found
