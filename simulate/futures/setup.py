"""A forecast's models and fixed inputs, fitted on the data up to its origin.

Two centres, said wherever a forecast is shown (:data:`CENTRES`):

- **the scenario's own assumptions** (``scenario``, the default): fertility, mortality and
  migration wander around the scenario's own paths (its TFR, life expectancy, mean age at
  childbearing and net migration, levers and what-ifs included) by the fitted models' deviations
  from their own expected paths, so the odds answer "if these assumptions are the centre"; a
  component the scenario leaves to its parent keeps the parent's path;
- **the data alone** (``history``): the unconditional forecast, each component from its model fitted
  on the data up to the origin; the scenario's fertility and mortality are not used (net migration
  stays around the scenario's path: the data pack has no long record of it).

Two universes, said wherever a forecast is shown:

- **all residents**, from a scenario whose observed history ends at the origin (the 2020 census
  basis and the years observed since): the scenario's economy, levers and migration path stay its
  own; fertility, mortality and the deviation of migration from that path are sampled;
- **Japanese nationals**, from an origin between :data:`~simulate.futures.origin.FIRST_ORIGIN` and
  :data:`~simulate.futures.origin.LAST_NATIONALS_ORIGIN` (HMD): the population only (economic
  indicators are not projected for it), as the back-test needs.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from simulate import data
from simulate.calendar import BASES, RATE_OFFSET
from simulate.demography.engine import DemographicInputs
from simulate.demography.history import OBSERVED_SEX_RATIO, observed_age_shift
from simulate.demography.inputs import demographic_inputs
from simulate.demography.lifetable import mortality_grid
from simulate.demography.migration import migration_profile
from simulate.economy import economic_inputs
from simulate.futures.fertility import TFRModel, fit_tfr, timing_path
from simulate.futures.migration import NATIONALS_SD, MigrationModel, fit_migration
from simulate.futures.mortality import fit_kappa, kappa_history
from simulate.futures.origin import origin_grid, origin_population, origin_schedule
from simulate.futures.paths import HISTORY, SCENARIO, ForecastInputs
from simulate.futures.series import e0_history, mean_age_history, tfr_history, until
from simulate.scenario import Scenario
from simulate.scenario.paths import evaluate
from simulate.text.messages import N_

#: Names of the two universes (as written in results).
NATIONALS = N_("Japanese nationals")
RESIDENTS = N_("all residents")


def scenario_usable_at(scenario: Scenario, origin: int) -> bool:
    """Whether a forecast from ``origin`` can start from the scenario's own observed history: the
    origin is at or after its census and every year its births are calibrated on."""
    basis = BASES[scenario.jump_off]
    return origin >= max(basis.jump_off_year, *basis.birth_calibration_years)


def tfr_model(origin: int) -> TFRModel:
    """The TFR's model fitted on the data up to ``origin``."""
    return fit_tfr(until(tfr_history(), origin))


def nationals_forecast(origin: int, horizon: int, seed: int) -> ForecastInputs:
    """The forecast of Japanese nationals from ``origin`` to ``horizon`` (data up to ``origin`` only)."""
    steps = horizon - origin
    grid = origin_grid(origin)
    kappa = kappa_history(grid, until(e0_history("female"), origin))
    men = kappa_history(grid, until(e0_history("male"), origin), sex=0)
    base = DemographicInputs(
        start_year=origin, jump_off=origin_population(origin), tfr=np.zeros((1, steps)),
        mean_age_shift=np.zeros((1, steps)), sex_ratio_at_birth=np.full((1, steps), OBSERVED_SEX_RATIO),
        e0=np.zeros((1, steps, 2)), net_migration=np.zeros((1, steps)), migration_profile=migration_profile()[None],
        birth_calibration=1.0, foreign_women=np.zeros(origin_population(origin).shape[1]),
        foreign_fertility=np.ones(1), mortality=grid, fertility_schedule=origin_schedule(origin))
    last = float(kappa.iloc[-1])
    return ForecastInputs(base=base, economy=None, tfr=tfr_model(origin),
                          kappa=fit_kappa(kappa, np.array([last, last]), men),
                          migration=MigrationModel(sd=NATIONALS_SD), migration_centre=np.zeros(steps),
                          timing=timing_path(until(mean_age_history(), origin), origin, steps), grid=grid,
                          seed=seed, origin=origin, universe=NATIONALS, centre=HISTORY)


def scenario_forecast(scenario: Scenario, seed: int, around: str = SCENARIO) -> ForecastInputs:
    """The forecast of all residents from the scenario's last observed year, with its economy,
    centred on the scenario's own assumptions or on the data alone (``around``, :data:`CENTRES`).
    Centred on the scenario, migration's deviation starts at 0: its path is the centre."""
    origin = scenario.history_end
    base = demographic_inputs([scenario])
    steps = base.n_steps
    grid = mortality_grid()
    kappa = kappa_history(grid, until(e0_history("female"), origin))
    men = kappa_history(grid, until(e0_history("male"), origin), sex=0)
    e0_now = np.array([[e0_history(sex)[origin] for sex in ("male", "female")]])
    shift_now = float(evaluate(observed_age_shift(), np.array([origin - 1 + RATE_OFFSET]))[0])
    residual = base.history.net_migration[0, 1:] if base.history is not None else np.zeros(0)
    centre = base.net_migration[0]
    migration = fit_migration(residual, float(centre[0]), until(data.wpp_estimates()["net_migration"], origin))
    own = around == SCENARIO
    return ForecastInputs(base=base, economy=economic_inputs([scenario], base.years),
                          tfr=tfr_model(origin), kappa=fit_kappa(kappa, grid.kappa_for(e0_now)[0], men),
                          migration=dataclasses.replace(migration, start=0.0) if own else migration,
                          migration_centre=centre,
                          timing=base.mean_age_shift[0] if own else
                          shift_now + timing_path(until(mean_age_history(), origin), origin, steps), grid=grid,
                          seed=seed, origin=origin, universe=RESIDENTS, centre=around)
