"""The lever registry: every number a backcast can solve for, a sweep can vary by name, or an
ensemble can sample with ``sample_policy: true`` (one home; the scenario language and the command
line read the names from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from simulate.scenario.paths import evaluate
from simulate.text.messages import N_, t
from simulate.text.numbers import format_value, plain


def _hold_history(frames: dict, value: float, end: int) -> dict:
    """Keyframes keeping a path's value at the history end ``end``, then ``value`` from the next year."""
    return {end: float(evaluate(frames, np.array([float(end)]))[0]), end + 1: value}


def _participation_uplift(sex: str, ages: str) -> Callable[[dict, float, int, int], None]:
    def apply(data: dict, value: float, year: int, end: int) -> None:
        change = {"sex": sex, "ages": ages, "change": {end: 0.0, max(year, end + 1): value}}
        data["labour"]["participation"] = list(data["labour"]["participation"]) + [change]
    return apply


def _set_after_history(section: str, key: str) -> Callable[[dict, float, int, int], None]:
    def apply(data: dict, value: float, year: int, end: int) -> None:
        data[section][key] = _hold_history(data[section][key], value, end)
        if section == "economy":
            data["economy"]["productivity_target"] = None
    return apply


def _ramp_after_history(section: str, key: str) -> Callable[[dict, float, int, int], None]:
    """From the path's value at the history end, linearly to ``value`` in the target year, held after."""
    def apply(data: dict, value: float, year: int, end: int) -> None:
        frames = data[section][key]
        data[section][key] = {end: float(evaluate(frames, np.array([float(end)]))[0]), max(year, end + 1): value}
    return apply


@dataclass(frozen=True)
class Lever:
    """A number that can be solved for; ``apply(data, value, year, history_end)`` edits a scenario's
    data (a dict) in place, from the year after its history end.  ``label`` names it on axes and in
    tables, ``phrase`` says a value of it in a sentence (``{value}`` shown with ``decimals``; both are
    catalogue messages: :meth:`in_words`)."""

    name: str
    unit: str
    default_range: tuple[float, float]
    description: str
    apply: Callable[[dict, float, int, int], None]
    label: str
    phrase: str
    decimals: int
    #: Dotted settings the lever replaces after the history (a ``--set`` of them would be ignored).
    replaces: tuple[str, ...] = ()

    def in_words(self, value: float, lang: str | None = None) -> str:
        """A value in words: 'productivity growth of 1.50 % a year', '労働生産性の伸び率 年1.50 %'."""
        shown = (format_value("net_migration", value, lang or "en") if self.unit == "persons per year"
                 else plain(value, self.decimals))
        return t(self.phrase, lang, value=shown)

    def name_in(self, lang: str | None = None) -> str:
        """The lever's name for a person: 'productivity growth (% a year)'."""
        return t(self.label, lang)


LEVERS = {lever.name: lever for lever in [
    Lever("productivity_growth", N_("% per year"), (-3.0, 10.0),
          N_("labour productivity growth per hour, constant after the last observed year"),
          _set_after_history("economy", "productivity_growth"), N_("productivity growth (% a year)"),
          N_("productivity growth of {value} % a year"), 2,
          ("economy.productivity_growth", "economy.productivity_target")),
    Lever("seniors_uplift", N_("percentage points"), (0.0, 60.0),
          N_("rise in participation of ages 65-74 (both sexes), linear from the last observed year to the target year"),
          _participation_uplift("both", "65-74"), N_("participation at 65-74 (+ points)"),
          N_("participation at 65-74 up {value} percentage points"), 1),
    Lever("women_uplift", N_("percentage points"), (0.0, 40.0),
          N_("rise in participation of women aged 15-64, linear from the last observed year to the target year"),
          _participation_uplift("female", "15-64"), N_("women's participation at 15-64 (+ points)"),
          N_("women's participation at 15-64 up {value} percentage points"), 1),
    Lever("net_migration", N_("persons per year"), (-200_000.0, 3_000_000.0),
          N_("net international migration, constant after the last observed year"), _set_after_history("migration", "net"),
          N_("net migration (persons a year)"), N_("{value} net migrants a year"), 0, ("migration.net",)),
    Lever("tfr", N_("children per woman"), (0.5, 4.0),
          N_("total fertility rate, constant after the last observed year"), _set_after_history("fertility", "tfr"),
          N_("total fertility rate (children per woman)"), N_("a total fertility rate of {value} children per woman"), 2,
          ("fertility.tfr",)),
    Lever("care_productivity", N_("% per year"), (-5.0, 20.0),
          N_("growth of people cared for per care worker, constant after the last observed year (and FY2022)"),
          _set_after_history("care", "productivity_growth"), N_("care productivity growth (% a year)"),
          N_("care productivity growth of {value} % a year"), 2, ("care.productivity_growth",)),
    Lever("healthy_ageing", N_("years"), (-5.0, 15.0),
          N_("healthy ageing: certification rates of age a become those of age a minus this, linear from the last "
             "observed year to the target year"),
          _ramp_after_history("care", "certification_age_shift"), N_("healthy ageing (years)"),
          N_("people certified as needing care as if {value} years younger"), 1, ("care.certification_age_shift",)),
]}
