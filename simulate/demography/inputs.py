"""Scenario -> engine inputs: keyframed paths evaluated for every projection step."""

from __future__ import annotations

import numpy as np

from simulate import data
from simulate.demography.engine import DemographicInputs
from simulate.demography.lifetable import BASE_YEAR, lee_carter_bx, mortality_grid
from simulate.demography.migration import migration_profile
from simulate.errors import InputError
from simulate.scenario.model import BASELINE_E0_FEMALE, BASELINE_E0_MALE, JUMP_OFF_YEAR, Scenario
from simulate.scenario.paths import evaluate

#: Paths labelled by calendar year are read at ``t + RATE_OFFSET`` for the step from 1 Oct t to
#: 1 Oct t+1: a quarter of that step lies in year t and three quarters in year t+1.
RATE_OFFSET = 0.75


def step_times(horizon: int) -> np.ndarray:
    """Times (fractional years) at which rates apply for each step 2015 -> horizon; shape (T,)."""
    return np.arange(JUMP_OFF_YEAR, horizon) + RATE_OFFSET


def e0_from_improvement(rate_pct: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Life expectancy (T, 2) when all death rates fall on average ``rate_pct`` % a year from 2015.

    Starts from the baseline's 2015 e0 per sex; the Lee-Carter level then falls by
    ``ln(1 - r) / mean(b_x)`` per year, so that the average over ages of the log decline of death
    rates is ``ln(1 - r)``.
    """
    grid = mortality_grid()
    start = grid.kappa_for(np.array([[BASELINE_E0_MALE[BASE_YEAR], BASELINE_E0_FEMALE[BASE_YEAR]]]))
    per_year = np.log1p(-np.asarray(rate_pct) / 100.0) / lee_carter_bx().mean()
    elapsed = np.diff(np.concatenate([[BASE_YEAR], times]))
    kappa = start + np.cumsum(per_year * elapsed)[:, None]
    return np.stack([np.interp(kappa[:, s], grid.kappa, grid.e0[:, s]) for s in range(2)], axis=-1)


def e0_path(scenario: Scenario, times: np.ndarray) -> np.ndarray:
    """Life expectancy at birth by step and sex, years; shape (T, 2)."""
    mortality = scenario.mortality
    if mortality.improvement is not None:
        return e0_from_improvement(evaluate(mortality.improvement, times), times)
    e0 = np.stack([evaluate(mortality.e0.male, times), evaluate(mortality.e0.female, times)], axis=-1)
    mortality_grid().check_range(e0, where=f"{scenario.name}: mortality.e0")
    return e0


def demographic_inputs(scenarios: list[Scenario]) -> DemographicInputs:
    """Stack scenarios (same horizon) into one batch of engine inputs, B = len(scenarios)."""
    horizons = {s.horizon for s in scenarios}
    if len(horizons) != 1:
        raise InputError(f"scenarios in one batch must share a horizon, got {sorted(horizons)}")
    times = step_times(horizons.pop())

    def stacked(get) -> np.ndarray:
        return np.stack([get(s) for s in scenarios])

    return DemographicInputs(
        start_year=JUMP_OFF_YEAR,
        jump_off=data.census_population(JUMP_OFF_YEAR),
        tfr=stacked(lambda s: evaluate(s.fertility.tfr, times)),
        mean_age_shift=stacked(lambda s: evaluate(s.fertility.mean_age_shift, times)),
        sex_ratio_at_birth=stacked(lambda s: np.full(len(times), s.fertility.sex_ratio_at_birth)),
        e0=stacked(lambda s: e0_path(s, times)),
        net_migration=stacked(lambda s: evaluate(s.migration.net, times)),
        migration_profile=stacked(lambda s: migration_profile(**s.migration.profile.model_dump())),
    )
