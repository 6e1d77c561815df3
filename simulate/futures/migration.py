"""Net migration forecasts: a judgmental spread around the central path, correlated year to year.

The observed series is too short (2015-2024) to fit a model, so net migration is the scenario's (or
the origin's) central path plus an AR(1) deviation

    e(t+1) = rho e(t) + sqrt(1 - rho^2) sd z(t),   z ~ N(0, 1)

starting from the deviation observed in the origin year (so the path continues without a jump) and
settling at standard deviation ``sd``.  The numbers are judgment, stated here:

- **All residents** (the 2020 census basis): ``sd`` is the standard deviation of the observed net
  migration (the history's residual, persons a year) over the years up to the origin, at least
  :data:`MIN_SD`; rho = :data:`PERSISTENCE` (a change of regime, like the pandemic's closed borders
  of 2020-2021 or the growth of work visas since 2019, lasts a few years).
- **Japanese nationals** (origins up to 2020, HMD): mean 0, ``sd`` :data:`NATIONALS_SD`.  Their own
  net migration is small; the spread also stands for what the model leaves out (the jump-off moved
  from 1 January to 1 October, the age pattern of migrants), and was chosen on the back-test's
  guide origins: with 20,000 the 80 % interval of the total population five years on held 61 % of
  outcomes, with 60,000 it holds 72 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Year-to-year correlation of the deviation from the central path.
PERSISTENCE = 0.7
#: Smallest standard deviation used for all residents, persons a year.
MIN_SD = 50_000.0
#: Standard deviation of Japanese nationals' own net migration, persons a year (judgment).
NATIONALS_SD = 60_000.0


@dataclass(frozen=True)
class MigrationModel:
    """``sd`` (persons a year) and ``rho`` of the deviation; ``start``: the deviation observed in
    the origin year (persons)."""

    sd: float
    rho: float = PERSISTENCE
    start: float = 0.0


def fit_migration(observed: np.ndarray, centre_at_origin: float) -> MigrationModel:
    """:class:`MigrationModel` from the observed net migration of the years up to the origin
    (persons, (n,); may be empty): it starts from the last observed value less the central path's
    value at the origin (0 with no observation)."""
    sd = max(float(np.std(observed, ddof=1)) if len(observed) > 1 else 0.0, MIN_SD)
    return MigrationModel(sd=sd, start=float(observed[-1]) - centre_at_origin if len(observed) else 0.0)


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
