"""Net migration forecasts: a spread around the central path, correlated year to year.

Net migration is the scenario's (or the origin's) central path plus an AR(1) deviation

    e(t+1) = rho e(t) + sqrt(1 - rho^2) sd z(t),   z ~ N(0, 1)

starting from the deviation observed in the origin year (so the path continues without a jump) and
settling at standard deviation ``sd``:

- **All residents**: ``sd`` and ``rho`` are measured on the long record, the UN's WPP 2024 estimates
  of Japan's net migration from 1950 to the origin (:func:`fit_record`): the deviations of each
  year's net migration from the mean of the :data:`CENTRE_YEARS` years before it (what a central
  path made then would have assumed), their standard deviation and lag-one correlation (to 2023:
  115,000 persons and 0.77).  A planner's central path is the same kind of guess, and the record
  says how far a year strays from it; the 2015-2024 observations alone (the residual of the
  history) mostly measure the pandemic's closed borders and rebound.
- **Japanese nationals** (origins up to 2020, HMD): mean 0, ``sd`` :data:`NATIONALS_SD`, rho
  :data:`PERSISTENCE`.  Their own net migration is small; the spread also stands for what the model
  leaves out (the jump-off moved from 1 January to 1 October, the age pattern of migrants), and was
  chosen on the back-test's guide origins by the interval score of the population aged 15-64 five
  and ten years on (origins 1960-2004): 60,000 gave 2.24 % (its 80 % interval holding 67 and 60 %
  of outcomes), 70,000 gave 2.12 % (76 and 82 %), 75,000 gave 2.14 % (76 and 91 %), 90,000 gave
  2.26 % (82 and 96 %).  (Before the horizons reached 30 years, 60,000 had been chosen on the
  total population five years on.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Year-to-year correlation of the deviation from the central path (Japanese nationals).
PERSISTENCE = 0.7
#: Years whose mean is the centre a year's net migration is measured from, in the long record.
CENTRE_YEARS = 10
#: Standard deviation of Japanese nationals' own net migration, persons a year (judgment).
NATIONALS_SD = 70_000.0


@dataclass(frozen=True)
class MigrationModel:
    """``sd`` (persons a year) and ``rho`` of the deviation; ``start``: the deviation observed in
    the origin year (persons)."""

    sd: float
    rho: float = PERSISTENCE
    start: float = 0.0


def fit_record(record: pd.Series) -> tuple[float, float]:
    """``(sd, rho)`` of the deviations of a net migration record (year -> persons) from the mean of
    the :data:`CENTRE_YEARS` years before each."""
    deviation = (record - record.rolling(CENTRE_YEARS).mean().shift(1)).dropna().to_numpy(float)
    return float(np.std(deviation, ddof=1)), float(np.corrcoef(deviation[:-1], deviation[1:])[0, 1])


def fit_migration(observed: np.ndarray, centre_at_origin: float, record: pd.Series) -> MigrationModel:
    """:class:`MigrationModel` with the spread of the long ``record`` (:func:`fit_record`; up to the
    origin), starting from the last ``observed`` net migration (persons, (n,); may be empty) less the
    central path's value at the origin (0 with no observation)."""
    sd, rho = fit_record(record)
    return MigrationModel(sd=sd, rho=rho, start=float(observed[-1]) - centre_at_origin if len(observed) else 0.0)


def migration_paths(model: MigrationModel, centre: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Net migration (n, T), persons a year: ``centre`` (T,) plus the AR(1) deviation driven by
    standard normal ``shocks`` (n, T)."""
    out = np.empty(shocks.shape)
    e = np.full(len(shocks), model.start)
    spread = np.sqrt(1.0 - model.rho ** 2) * model.sd
    for k in range(shocks.shape[1]):
        e = model.rho * e + spread * shocks[:, k]
        out[:, k] = centre[k] + e
    return out
