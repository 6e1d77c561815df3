"""Scenario -> engine inputs: keyframed paths evaluated for every projection step."""

from __future__ import annotations

import numpy as np

from simulate import data
from simulate.calendar import RATE_OFFSET
from simulate.demography.engine import DemographicInputs
from simulate.demography.history import birth_calibration, foreign_fertility, history, observed_keyframes
from simulate.demography.lifetable import lee_carter_bx, mortality_grid
from simulate.demography.migration import migration_profile
from simulate.errors import InputError
from simulate.scenario.model import Scenario
from simulate.scenario.paths import evaluate


def step_times(first: int, horizon: int) -> np.ndarray:
    """Times (fractional years) at which rates apply for each step ``first`` -> ``horizon``; shape (T,)."""
    return np.arange(first, horizon) + RATE_OFFSET


def e0_from_improvement(rate_pct: np.ndarray, times: np.ndarray, start: int) -> np.ndarray:
    """Life expectancy (T, 2) when all death rates fall on average ``rate_pct`` % a year from ``start``.

    Starts from the observed e0 per sex in ``start`` (the history end); the Lee-Carter level then
    falls by ``ln(1 - r) / mean(b_x)`` per year, so that the average over ages of the log decline
    of death rates is ``ln(1 - r)``.
    """
    grid = mortality_grid()
    observed = [evaluate(observed_keyframes(f"e0_{sex}"), np.array([float(start)]))[0] for sex in data.SEXES]
    kappa0 = grid.kappa_for(np.array([observed]))
    per_year = np.log1p(-np.asarray(rate_pct) / 100.0) / lee_carter_bx().mean()
    elapsed = np.diff(np.concatenate([[start], times]))
    kappa = kappa0 + np.cumsum(per_year * elapsed)[:, None]
    return np.stack([np.interp(kappa[:, s], grid.kappa, grid.e0[:, s]) for s in range(2)], axis=-1)


def e0_path(scenario: Scenario, times: np.ndarray) -> np.ndarray:
    """Life expectancy at birth by step and sex, years; shape (T, 2)."""
    mortality = scenario.mortality
    if mortality.improvement is not None:
        return e0_from_improvement(evaluate(mortality.improvement, times), times, scenario.history_end)
    e0 = np.stack([evaluate(mortality.e0.male, times), evaluate(mortality.e0.female, times)], axis=-1)
    mortality_grid().check_range(e0, where=f"{scenario.name}: mortality.e0")
    return e0


def demographic_inputs(scenarios: list[Scenario]) -> DemographicInputs:
    """Stack scenarios (same horizon, jump-off and history end) into one batch of engine inputs.

    The batch starts from the last observed state; the observed years before it travel along as
    ``history`` and are copied into every trajectory unchanged.  B = len(scenarios).
    """
    calendars = {(s.horizon, s.jump_off, s.history_end) for s in scenarios}
    if len(calendars) != 1:
        raise InputError(f"scenarios in one batch must share horizon, jump-off and history, got {sorted(calendars)}")
    horizon, jump_off, end = calendars.pop()
    times = step_times(end, horizon)
    observed = history(jump_off, end)

    def stacked(get) -> np.ndarray:
        return np.stack([get(s) for s in scenarios])

    return DemographicInputs(
        start_year=end,
        jump_off=observed.population[0, -1],
        tfr=stacked(lambda s: evaluate(s.fertility.tfr, times)),
        mean_age_shift=stacked(lambda s: evaluate(s.fertility.mean_age_shift, times)),
        sex_ratio_at_birth=stacked(lambda s: np.full(len(times), s.fertility.sex_ratio_at_birth)),
        e0=stacked(lambda s: e0_path(s, times)),
        net_migration=stacked(lambda s: evaluate(s.migration.net, times)),
        migration_profile=stacked(lambda s: migration_profile(**s.migration.profile.model_dump())),
        birth_calibration=birth_calibration(jump_off),
        foreign_women=observed.foreign_women[0],
        foreign_fertility=np.array([foreign_fertility() if s.fertility.foreign_fertility is None
                                    else s.fertility.foreign_fertility for s in scenarios]),
        history=observed if len(observed.years) > 1 else None,
    )
