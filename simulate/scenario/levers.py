"""The lever registry: every number a backcast can solve for, a sweep can vary by name, or an
ensemble can sample with ``sample_policy: true`` (one home; the scenario language and the command
line read the names from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from simulate.scenario.paths import evaluate


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


@dataclass(frozen=True)
class Lever:
    """A number that can be solved for; ``apply(data, value, year, history_end)`` edits a scenario's
    data (a dict) in place, from the year after its history end."""

    name: str
    unit: str
    default_range: tuple[float, float]
    description: str
    apply: Callable[[dict, float, int, int], None]


LEVERS = {lever.name: lever for lever in [
    Lever("productivity_growth", "% per year", (-3.0, 10.0),
          "labour productivity growth per hour, constant after the last observed year",
          _set_after_history("economy", "productivity_growth")),
    Lever("seniors_uplift", "percentage points", (0.0, 60.0),
          "rise in participation of ages 65-74 (both sexes), linear from the last observed year to the target year",
          _participation_uplift("both", "65-74")),
    Lever("women_uplift", "percentage points", (0.0, 40.0),
          "rise in participation of women aged 15-64, linear from the last observed year to the target year",
          _participation_uplift("female", "15-64")),
    Lever("net_migration", "persons per year", (-200_000.0, 3_000_000.0),
          "net international migration, constant after the last observed year", _set_after_history("migration", "net")),
    Lever("tfr", "children per woman", (0.5, 4.0),
          "total fertility rate, constant after the last observed year", _set_after_history("fertility", "tfr")),
]}
