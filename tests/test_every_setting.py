"""No command accepts a setting and then ignores it (issue 34): over every command and every
dotted setting of the scenario's assumptions, an accepted override changes the command's answer,
or it is refused in one line naming the setting.  Nothing is published under a what-if's name
that ignores the what-if.

The settings are every leaf of the ``current`` scenario's fertility, mortality, migration, labour,
economy and uncertainty sections, and its targets, each with two other values.  A command's
*answer* is what it publishes: a run's indicators and target status; a backcast's value and
solved run; a forecast's or ensemble's quantiles and target odds; an odds backcast's value,
shares and the futures it counted.  Framing keys (name, title, description, report years) name
and lay out the answer; they are not assumptions and are not part of the property."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate import api
from simulate.errors import SimulatorError

SECTIONS = ("fertility", "mortality", "migration", "labour", "economy", "care", "uncertainty")
#: Settings that are not numbers, with values other than current's.
OTHER_VALUES = {
    "migration.profile.shape": ["rogers_castro", "ipss2017_residents"],
    "economy.mode": ["growth_accounting"],
    "labour.participation": ["[{ages: '65-74', change: {2040: 5}}]", "[{ages: '25-44', sex: female, rate: {2040: 85}}]"],
    "targets": ["['gdp@2040>=1x2024']", "['labour_force@2040>=60e6']"],
}
TARGET = "gdp@2040>=1.1x2024"


def _leaves(data: dict, prefix: str = ""):
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value and not all(isinstance(k, int) for k in value):
            yield from _leaves(value, dotted + ".")
        else:
            yield dotted, value


def _alternatives(key: str, value) -> list[str]:
    """Two values other than ``value`` for ``key``, as they would be typed after ``--set``."""
    if key in OTHER_VALUES:
        return OTHER_VALUES[key]
    if isinstance(value, bool):
        return [str(not value).lower()]
    if isinstance(value, (int, float)):
        return [f"{value * 0.9:.6g}" if value else "0.1", f"{value * 1.1:.6g}" if value else "0.2"]
    if isinstance(value, dict):  # a path {year: value}: another level from 2040
        last = float(list(value.values())[-1]) or 1.0
        return [f"{{2040: {last * 0.95:.6g}}}", f"{{2040: {last * 1.05:.6g}}}"]
    if isinstance(value, str):
        return [value + "_other"]
    return []


def _catalogue() -> dict[str, list[str]]:
    dump = api.load("current").scenario.model_dump(exclude_none=True)
    found = {key: _alternatives(key, value) for key, value in _leaves(dump) if key.split(".")[0] in SECTIONS}
    found["targets"] = OTHER_VALUES["targets"]
    return {key: values for key, values in found.items() if values}


CATALOGUE = _catalogue()


def _numbers(frame: pd.DataFrame) -> np.ndarray:
    return frame.select_dtypes("number").to_numpy(dtype=float)


def _answer(command: str, overrides: dict) -> list[np.ndarray]:
    """What ``command`` publishes for ``current`` with ``overrides``, as arrays."""
    if command == "run":
        found = api.run("current", **overrides)
        return [_numbers(found.indicators), found.targets["margin"].to_numpy(dtype=float)]
    if command == "compare":
        found = api.compare("current", "baseline", overrides=overrides)
        return [part for r in found.results.values()
                for part in (_numbers(r.indicators), r.targets["margin"].to_numpy(dtype=float))]
    if command == "backcast":
        found = api.backcast("current", "productivity_growth", [TARGET], overrides=overrides)
        return [np.array([found.value]), _numbers(found.answer.solved.indicators)]
    if command in ("forecast", "forecast history"):
        found = api.forecast("current", n=16, seed=5, overrides=overrides,
                             centre="history" if command == "forecast history" else None)
        return [_numbers(found.quantiles), _numbers(found.targets) if found.targets is not None else np.zeros(1)]
    if command == "ensemble":
        found = api.ensemble("current", n=8, seed=5, overrides=overrides)
        return [_numbers(found.quantiles), _numbers(found.targets) if found.targets is not None else np.zeros(1)]
    if command == "backcast --odds":
        found = api.backcast_odds("current", "productivity_growth", 0.5, [TARGET], n=16, seed=5, overrides=overrides)
        counted = api.forecast(found.solution.scenario.model_dump(exclude_none=True, exclude={"extends"}), n=16, seed=5)
        return [np.array([found.value]), _numbers(found.solution.grid), _numbers(counted.quantiles)]
    raise AssertionError(command)


COMMANDS = ("run", "compare", "backcast", "forecast", "forecast history", "ensemble", "backcast --odds")


@lru_cache(maxsize=None)
def _plain(command: str) -> tuple:
    return tuple(_answer(command, {}))


def _differs(found: list[np.ndarray], plain: tuple) -> bool:
    return any(a.shape != b.shape or not np.array_equal(a, b, equal_nan=True) for a, b in zip(found, plain))


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_accepted_setting_changes_the_answer_or_is_refused_in_one_line(data):
    command = data.draw(st.sampled_from(COMMANDS), label="command")
    key = data.draw(st.sampled_from(sorted(CATALOGUE)), label="setting")
    value = data.draw(st.sampled_from(CATALOGUE[key]), label="value")
    try:
        found = _answer(command, {key: value})
    except SimulatorError as error:
        said = str(error).splitlines()  # one line per problem (a comparison reports each scenario's)
        assert said and all(line.strip() for line in said) and key.split(".")[0] in said[0], said
        return
    assert _differs(found, _plain(command)), f"{command} accepted {key}={value} and answered as without it"


def test_the_catalogue_covers_every_assumption_section():
    tops = {key.split(".")[0] for key in CATALOGUE}
    assert tops == set(SECTIONS) | {"targets"} and len(CATALOGUE) >= 30


@pytest.mark.parametrize(("command", "key", "value", "says"), [
    ("run", "uncertainty.parameters.tfr_shift.sd", "0.2", "uncertainty block"),
    ("forecast", "uncertainty.parameters.tfr_shift.sd", "0.2", "uncertainty block"),
    ("backcast", "economy.productivity_growth", "1.2", "the lever productivity_growth sets this"),
    ("backcast --odds", "economy.productivity_growth", "1.2", "the lever productivity_growth sets this"),
    ("backcast", "targets", "['gdp@2040>=1x2024']", "targets given to this command"),
    ("run", "economy.capital_share", "0.4", "only 'mode: growth_accounting' uses capital_share"),
])
def test_settings_a_command_would_ignore_are_refused(command, key, value, says):
    """Each of these was accepted and dropped before (the answer did not move)."""
    with pytest.raises(SimulatorError, match=says) as caught:
        _answer(command, {key: value})
    assert len(str(caught.value).splitlines()) == 1 and key in str(caught.value)
