"""Observed history: the years from a jump-off census to the last observed year, as data.

Between the census and a scenario's history end the projection follows what happened
(``data/observed/``): the observed TFR and its observed shift to older mothers, observed life
expectancy by sex, and net international migration set by the **residual method** so that the
total population on 1 October equals the published total each year:

    net migration(y) = population(y) - [survivors of population(y-1) + surviving births]

(the change in population minus births plus deaths, with the model's own births and deaths).
The residual also carries whatever the model misses (e.g. census revisions), which is why the
total population is exact by construction.  Residual migrants get the default age-sex profile.

A history is computed once per (basis, last observed year) and is a batch-of-one
:class:`~simulate.demography.engine.Projection` with single ages; the engine copies it unchanged
into every trajectory, so no scenario edit, sweep, draw or lever can change it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from simulate import data
from simulate.calendar import BASES, RATE_OFFSET, Basis
from simulate.demography.base import foreign_women, jump_off_population, nationals_oct1
from simulate.demography.engine import FEMALE, DemographicInputs, Projection, project
from simulate.demography.fertility import base_shape
from simulate.demography.migration import migration_profile
from simulate.scenario.paths import evaluate

#: Boys per 100 girls in the observed years (the long-run value; Vital Statistics 2015-2024: 105-106).
OBSERVED_SEX_RATIO = 105.2
#: Mid-points of the mothers' age groups in ``data/observed/japan_tfr_by_age_group_1993_2023.csv``.
MOTHER_GROUP_MIDS = np.arange(17.5, 50.0, 5.0)
#: Iterations of the birth-calibration fixed point (it converges to 1e-12 in three or four).
CALIBRATION_ITERATIONS = 8


def observed_keyframes(column: str) -> dict[int, float]:
    """An ``observed`` column as keyframes ``{year: value}`` (read at step times like any path)."""
    series = data.observed()[column]
    return {int(year): float(value) for year, value in series.items()}


def observed_age_shift() -> dict[int, float]:
    """Observed shift of childbearing to older ages, years relative to 2015, as keyframes.

    Mean age of the TFR's 5-year contributions (MHLW, every 5 years 1993-2023) minus its value in
    2015 (interpolated between 2013 and 2018); constant after 2023.  The model's fertility
    schedule is the HFD 2015 one, so 2015 is shift 0.
    """
    table = data.tfr_by_age_group()
    mean_age = (table.mul(MOTHER_GROUP_MIDS, axis=0).sum() / table.sum())
    frames = {int(year): float(age) for year, age in mean_age.items()}
    reference = float(evaluate(frames, np.array([2015.0]))[0])
    return {year: age - reference for year, age in frames.items()}


#: The census whose young children measure :func:`birth_allowance`.  In 2015 the age-unknown were
#: distributed by IPSS; the 2020 census's known-age counts of young children fall below the HMD
#: estimate for nationals alone (age unknown is 2.3 % of that census), so it cannot measure them.
ALLOWANCE_CENSUS = "census2015"


@lru_cache(maxsize=1)
def birth_allowance() -> float:
    """Births to all residents per birth to Japanese nationals (about 1.012): the ratio of all
    residents (census) to Japanese nationals (HMD) among children aged 1-4 in
    :data:`ALLOWANCE_CENSUS`.

    Registered births count Japanese nationals only, while the population counts every resident;
    without the allowance the model has too few children (0-14 about 2 % below IPSS).
    """
    census = BASES[ALLOWANCE_CENSUS]
    residents = jump_off_population(census.name)[:, 1:5].sum()
    nationals = nationals_oct1(census.jump_off_year)[:, 1:5].sum()
    return float(residents / nationals)


@lru_cache(maxsize=1)
def foreign_fertility() -> float:
    """Fertility of women who are not Japanese nationals relative to the TFR's rates (about 0.39).

    The TFR (HFD, MHLW) is the registered births of Japanese nationals over Japanese women (HFD's
    rates times HMD's nationals give the registered births of 2015-2020 to 0.1 %).  Births to
    residents who are not nationals are the :func:`birth_allowance` (1.2 % of those births); the
    women who are not nationals are :func:`~simulate.demography.base.foreign_women` of
    :data:`ALLOWANCE_CENSUS`.  Both weighted by the base age schedule of fertility:
    ``(allowance - 1) x sum(schedule x Japanese women) / sum(schedule x other women)``.
    A lower bound: a child of a foreign mother and a Japanese father is a Japanese national.
    """
    census = BASES[ALLOWANCE_CENSUS]
    schedule = base_shape()
    others = foreign_women(census.name)
    nationals = jump_off_population(census.name)[FEMALE] - others
    return float((birth_allowance() - 1.0) * (schedule * nationals).sum() / (schedule * others).sum())


def _observed_inputs(basis: Basis, until: int, calibration: float, net: np.ndarray) -> DemographicInputs:
    """Engine inputs (batch of one) for the observed steps from the census to ``until``."""
    times = np.arange(basis.jump_off_year, until) + RATE_OFFSET
    e0 = np.stack([evaluate(observed_keyframes(f"e0_{sex}"), times) for sex in data.SEXES], axis=-1)
    return DemographicInputs(
        start_year=basis.jump_off_year, jump_off=jump_off_population(basis.name),
        tfr=evaluate(observed_keyframes("tfr"), times)[None, :],
        mean_age_shift=evaluate(observed_age_shift(), times)[None, :],
        sex_ratio_at_birth=np.full((1, len(times)), OBSERVED_SEX_RATIO),
        e0=e0[None, :, :], net_migration=np.asarray(net, float)[None, :],
        migration_profile=migration_profile()[None, :, :], birth_calibration=calibration,
        foreign_women=foreign_women(basis.name), foreign_fertility=np.array([foreign_fertility()]))


def _follow_observed(basis: Basis, until: int, calibration: float) -> Projection:
    """Project from the census to ``until`` with residual migration matching the observed totals."""
    totals = data.observed()["population_oct1"]
    steps = until - basis.jump_off_year
    net = np.zeros(steps)
    for k in range(steps):  # each step's residual needs the state the earlier residuals made
        trial = project(_observed_inputs(basis, basis.jump_off_year + k + 1, calibration, net[:k + 1]))
        net[k] = totals[basis.jump_off_year + k + 1] - trial.total[0, -1]
    return project(_observed_inputs(basis, until, calibration, net), keep_ages=True, threads=1, keep_flows=True)


def _check_until(basis: Basis, until: int) -> None:
    last = int(data.observed().index.max())
    if not basis.jump_off_year <= until <= last:
        raise ValueError(f"history of {basis.name} must end between {basis.jump_off_year} and {last}, got {until}")


@lru_cache(maxsize=None)
def birth_calibration(basis_name: str) -> float:
    """Factor on modelled births for a basis.

    Modelled births in the years to 1 October of the basis's ``birth_calibration_years``, on the
    observed history, equal the births registered in those calendar years (Japanese nationals,
    MHLW) times :func:`birth_allowance` (births to non-Japanese residents).  The HFD schedule
    describes Japanese women while the population counts every resident, so the factor is below
    one.  Found by a fixed point (births move the residual migration a little).
    """
    basis = BASES[basis_name]
    years = list(basis.birth_calibration_years)
    target = data.observed().loc[years, "births"].sum() * birth_allowance()
    factor = 1.0
    for _ in range(CALIBRATION_ITERATIONS):
        run = _follow_observed(basis, max(years), factor)
        modelled = run.births[0, np.searchsorted(run.years, years)].sum()
        new = factor * target / modelled
        if abs(new - factor) < 1e-13:
            return new
        factor = new
    return factor


@lru_cache(maxsize=None)
def history(basis_name: str, until: int) -> Projection:
    """The observed years of a basis from its census to ``until`` (a batch of one, single ages kept)."""
    basis = BASES[basis_name]
    _check_until(basis, until)
    if until == basis.jump_off_year:
        return project(_observed_inputs(basis, until, birth_calibration(basis_name), np.zeros(0)), keep_ages=True,
                       keep_flows=True)
    return _follow_observed(basis, until, birth_calibration(basis_name))


def history_fit(basis_name: str, until: int) -> pd.DataFrame:
    """How far the modelled flows of the observed years are from the registered ones.

    One row per observed year after the census: modelled births (all residents) and their
    Japanese-national equivalent (divided by :func:`birth_allowance`) against registered births;
    modelled deaths (all residents) against registered deaths of Japanese nationals (published in
    millions to 0.01); the residual net migration; the population against the published total.
    """
    run = history(basis_name, until)
    observed = data.observed()
    allowance = birth_allowance()
    rows = []
    for t, year in enumerate(run.years[1:], start=1):
        births = run.births[0, t]
        deaths = run.deaths[0, t]
        rows.append({"year": int(year), "births_registered": observed.at[year, "births"],
                     "births_modelled": births, "births_modelled_nationals": births / allowance,
                     "births_deviation_pct": 100.0 * (births / allowance / observed.at[year, "births"] - 1.0),
                     "deaths_registered": observed.at[year, "deaths_millions"] * 1e6, "deaths_modelled": deaths,
                     "deaths_deviation_pct": 100.0 * (deaths / (observed.at[year, "deaths_millions"] * 1e6) - 1.0),
                     "net_migration_residual": run.net_migration[0, t],
                     "population_published": observed.at[year, "population_oct1"], "population_modelled": run.total[0, t]})
    return pd.DataFrame(rows)
