"""Mortality forecasts: Lee-Carter with the level kappa a random walk with drift.

Death rates are ``m_x = base_x exp(b_x kappa)`` (:mod:`simulate.demography.lifetable`); the
observed life expectancy of each year gives that year's kappa on the grid.  Then

    kappa(t+1) = kappa(t) + d + e(t),   e(t) ~ N(0, sigma^2)

with d and sigma the mean and standard deviation of the yearly changes in the :data:`WINDOW` years
up to the origin (Lee & Carter 1992, JASA 87:659), and the drift's own uncertainty d ~ N(d_hat,
sigma^2 / n) drawn once per trajectory (as in Lee & Carter's appendix and bayesLife's practice of
carrying parameter uncertainty).  Both sexes move by the same kappa changes (a coherent forecast:
the sex gap in kappa stays at the origin's), starting from each sex's kappa at the origin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate.demography.lifetable import MortalityGrid

#: Years of kappa changes the drift is estimated from.  Chosen on the back-test's guide origins
#: (outcomes to 2015): with 30 years, women's e0 ten years on came out 0.63 years too high on average
#: (Japan's gains have slowed since the 1970s); with 15, 0.31 years, and the 80 % interval held 84 %.
WINDOW = 15


@dataclass(frozen=True)
class KappaModel:
    """``drift`` and ``sigma`` of the yearly kappa change, the drift's standard error, and each
    sex's kappa at the origin (``last``, (2,)); ``years``: the years fitted (first, last)."""

    drift: float
    drift_se: float
    sigma: float
    last: np.ndarray
    years: tuple[int, int]


def kappa_history(grid: MortalityGrid, e0: pd.Series) -> pd.Series:
    """The female kappa of every year of an e0 series (years) on ``grid``."""
    values = np.column_stack([e0.to_numpy(float), e0.to_numpy(float)])
    return pd.Series(grid.kappa_for(values)[:, 1], index=e0.index, name="kappa")


def fit_kappa(kappa: pd.Series, last: np.ndarray) -> KappaModel:
    """Random walk with drift fitted to the last :data:`WINDOW` changes of ``kappa`` (year ->
    level); ``last``: kappa of each sex at the origin (2,)."""
    recent = kappa[kappa.index >= int(kappa.index[-1]) - WINDOW].to_numpy(float)
    return fit_random_walk(np.diff(recent), last, (int(kappa.index[-1]) - len(recent) + 1, int(kappa.index[-1])))


def fit_random_walk(changes: np.ndarray, last: np.ndarray, years: tuple[int, int] = (0, 0)) -> KappaModel:
    """:class:`KappaModel` from the yearly changes (n,)."""
    sigma = float(np.std(changes, ddof=1))
    return KappaModel(drift=float(np.mean(changes)), drift_se=sigma / np.sqrt(len(changes)), sigma=sigma,
                      last=np.asarray(last, float), years=years)


def draw_drifts(model: KappaModel, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws of the drift (kappa per year), (n,)."""
    return model.drift + model.drift_se * rng.standard_normal(n)


def kappa_paths(model: KappaModel, drifts: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Kappa paths by sex (n, T, 2) for the years origin + 1 ...: ``drifts`` (n,), standard normal
    ``shocks`` (n, T)."""
    change = np.cumsum(drifts[:, None] + model.sigma * shocks, axis=1)
    return model.last[None, None, :] + change[:, :, None]


def e0_around(grid: MortalityGrid, model: KappaModel, centre: np.ndarray, drifts: np.ndarray,
              shocks: np.ndarray) -> np.ndarray:
    """Life expectancy (n, T, 2), years, around a scenario's own e0 ``centre`` (T, 2): the centre's
    kappa moved by the model's deviation from its expected path (the drift's own uncertainty and the
    yearly shocks: ``drifts`` (n,), standard normal ``shocks`` (n, T)), both sexes together.  The
    centre itself is returned where the deviation is 0 (e0 read back from kappa would differ in the
    last bits)."""
    kappa = grid.kappa_for(centre)
    deviation = np.cumsum((drifts - model.drift)[:, None] + model.sigma * shocks, axis=1)
    moved = e0_paths(grid, kappa[None] + deviation[:, :, None])
    return centre[None] + (moved - e0_paths(grid, kappa[None]))


def e0_paths(grid: MortalityGrid, kappa: np.ndarray) -> np.ndarray:
    """Life expectancy at birth (years) for kappa (..., 2), read on the grid of each sex."""
    out = np.empty(kappa.shape)
    for s in range(2):
        out[..., s] = np.interp(kappa[..., s], grid.kappa, grid.e0[:, s])
    return out
