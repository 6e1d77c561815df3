"""The cohort-component engine: one batched projection for one run, an ensemble or a backcast.

Every array has a leading trajectory axis B (a deterministic run is B = 1).  The state is the
population on 1 October by sex (male, female) and single year of age 0..99, 100+: shape
(B, 2, 101), persons.  One step moves it from 1 October of year t to 1 October of t+1:

    pop(t+1) = survivors of pop(t) + surviving births + net migrants

and records the flows so that, per trajectory and to rounding error,
``total(t+1) = total(t) + births - deaths + net_migration``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate import data
from simulate.demography.fertility import BIRTH_CALIBRATION, boys_share, shifted_shape
from simulate.demography.lifetable import mortality_grid

#: Starts of the 5-year age groups kept for every year: 0-4, ..., 95-99, 100+ (21 groups).
GROUP_STARTS = np.arange(0, 101, 5)


@dataclass(frozen=True)
class DemographicInputs:
    """Resolved assumptions for B trajectories and T annual steps from ``start_year``.

    Step t covers 1 Oct (start_year + t) to 1 Oct (start_year + t + 1).
    ``jump_off``: persons (2, 101).  ``tfr``: children per woman (B, T).  ``mean_age_shift``:
    years (B, T).  ``sex_ratio_at_birth``: boys per 100 girls (B, T).  ``e0``: life expectancy at
    birth, years (B, T, 2).  ``net_migration``: persons per year (B, T).
    ``migration_profile``: share by sex and age (B or 1, 2, 101), summing to 1.
    """

    start_year: int
    jump_off: np.ndarray
    tfr: np.ndarray
    mean_age_shift: np.ndarray
    sex_ratio_at_birth: np.ndarray
    e0: np.ndarray
    net_migration: np.ndarray
    migration_profile: np.ndarray

    @property
    def n_trajectories(self) -> int:
        return self.tfr.shape[0]

    @property
    def n_steps(self) -> int:
        return self.tfr.shape[1]

    @property
    def years(self) -> np.ndarray:
        """Years of the recorded states, start_year .. start_year + T; shape (T+1,)."""
        return np.arange(self.start_year, self.start_year + self.n_steps + 1)


@dataclass(frozen=True)
class Projection:
    """Engine output.  Flows in column ``y`` happened in the year to 1 Oct ``y`` (NaN at the start).

    ``groups``: persons by sex and 5-year group (B, T+1, 2, 21).  ``median_age``: years (B, T+1).
    ``births``, ``deaths``, ``net_migration``: persons (B, T+1).  ``population``: persons by sex and
    single age (B, T+1, 2, 101) when ages were kept, else None.
    """

    years: np.ndarray
    groups: np.ndarray
    median_age: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    net_migration: np.ndarray
    population: np.ndarray | None = None

    @property
    def total(self) -> np.ndarray:
        """Total population, persons (B, T+1)."""
        return self.groups.sum(axis=(2, 3))


def median_age(pop: np.ndarray) -> np.ndarray:
    """Median age in years of populations (B, 2, 101), ages uniform within each single year; (B,)."""
    by_age = pop.sum(axis=1)
    cum = np.cumsum(by_age, axis=1)
    half = cum[:, -1:] / 2.0
    idx = np.minimum((cum < half).sum(axis=1), data.N_AGES - 1)
    rows = np.arange(len(idx))
    below = np.where(idx > 0, cum[rows, idx - 1], 0.0)
    return idx + (half[:, 0] - below) / by_age[rows, idx]


def survive(pop: np.ndarray, survival: np.ndarray) -> np.ndarray:
    """Age the population one year: (B, 2, 101) -> (B, 2, 101) with age 0 left at zero."""
    out = np.empty_like(pop)
    out[:, :, 0] = 0.0
    np.multiply(pop[:, :, :99], survival[:, :, 1:100], out=out[:, :, 1:100])
    out[:, :, 100] = (pop[:, :, 99] + pop[:, :, 100]) * survival[:, :, 100]
    return out


def project(inputs: DemographicInputs, keep_ages: bool = False) -> Projection:
    """Run the cohort-component projection for every trajectory at once."""
    grid = mortality_grid()
    B, T = inputs.n_trajectories, inputs.n_steps
    groups = np.empty((B, T + 1, 2, len(GROUP_STARTS)))
    med = np.empty((B, T + 1))
    births, deaths, migrants = (np.full((B, T + 1), np.nan) for _ in range(3))
    population = np.empty((B, T + 1, 2, data.N_AGES)) if keep_ages else None

    pop = np.broadcast_to(inputs.jump_off, (B, 2, data.N_AGES)).copy()
    shift_constant = not np.any(inputs.mean_age_shift)
    shape = shifted_shape(np.zeros(1)) if shift_constant else None
    boys = boys_share(inputs.sex_ratio_at_birth)

    def record(t: int) -> None:
        groups[:, t] = np.add.reduceat(pop, GROUP_STARTS, axis=2)
        med[:, t] = median_age(pop)
        if population is not None:
            population[:, t] = pop

    record(0)
    for t in range(T):
        survival = grid.lookup(inputs.e0[:, t])
        new = survive(pop, survival)
        schedule = shape if shift_constant else shifted_shape(inputs.mean_age_shift[:, t])
        exposure = 0.5 * (pop[:, 1] + new[:, 1])
        born = BIRTH_CALIBRATION * inputs.tfr[:, t] * np.einsum("ba,ba->b", exposure,
                                                                np.broadcast_to(schedule, exposure.shape))
        new[:, 0, 0] = born * boys[:, t] * survival[:, 0, 0]
        new[:, 1, 0] = born * (1.0 - boys[:, t]) * survival[:, 1, 0]
        net = inputs.net_migration[:, t]
        deaths[:, t + 1] = pop.sum(axis=(1, 2)) + born - new.sum(axis=(1, 2))
        new += net[:, None, None] * inputs.migration_profile
        births[:, t + 1], migrants[:, t + 1] = born, net
        pop = new
        record(t + 1)
    return Projection(years=inputs.years, groups=groups, median_age=med, births=births,
                      deaths=deaths, net_migration=migrants, population=population)
