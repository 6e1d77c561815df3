"""Mortality forecasts: Lee-Carter with the level kappa a random walk with drift.

Death rates are ``m_x = base_x exp(b_x kappa)`` (:mod:`simulate.demography.lifetable`); the
observed life expectancy of each year gives that year's kappa on the grid.  Then

    kappa(t+1) = kappa(t) + d + e(t),   e(t) ~ N(0, sigma^2)

with d and sigma the mean and standard deviation of the yearly changes in the :data:`WINDOW` years
up to the origin (Lee & Carter 1992, JASA 87:659), and the drift's own uncertainty d ~ N(d_hat,
(:data:`DRIFT_SPREAD` sigma)^2 / n) drawn once per trajectory (as in Lee & Carter's appendix and
bayesLife's practice of carrying parameter uncertainty; the spread because Japan's gains slowed
decade by decade, more than a window's own noise says).

**Shock years are transitory.**  The changes into and out of :data:`SHOCK_YEARS` (the 2011
earthquake and tsunami; the excess deaths of 2021-2022) are left out of d and sigma: a one-off loss
and its recovery are not a trend, nor the year-to-year noise of one (outlier handling in the spirit
of Li & Chan 2005, "Outlier analysis and mortality forecasting", NAAJ 9:2).  The forecast starts from
the level observed at the origin (2023-2024 did not recover 2022's loss).

**Men.**  Men's kappa moves with women's plus the sex gap, a random walk with drift of its own: half
(:data:`GAP_TREND`) the mean, and the standard deviation, of the yearly changes of men's kappa less
women's over the same window (men's life expectancy: the UN's WPP 2024 estimates before 2015, MHLW
after).  Japan's sex gap
widened until the early 2000s and has narrowed since; with the gap held at the origin's (a purely
coherent forecast), men's life expectancy ten years on came out 1.0 year too high on the guide
origins and the population aged 65+ too high with it (its 80 % interval holding 67 % of outcomes
ten years on); with the gap's own drift and spread, 73 %.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate.demography.lifetable import MortalityGrid

#: Years of kappa changes the drift is estimated from.  Chosen on the back-test's guide origins
#: (outcomes to 2015): with 30 years, women's e0 ten years on came out 0.63 years too high on average
#: (Japan's gains have slowed since the 1970s); with 15, 0.31 years, and the 80 % interval held 84 %.
WINDOW = 15
#: Factor on the drift's standard error, chosen on the guide origins (outcomes to 2015) by the sum of
#: the interval scores of women's e0 10, 20 and 30 years on (origins 1960-2004): 1.0 gave 16.2 years
#: (80 % intervals holding 78, 67 and 38 % of outcomes), 1.5 gave 15.1, 1.75 gave 15.05 (96, 81, 58 %),
#: 2.0 15.3, 2.25 15.8.
DRIFT_SPREAD = 1.75
#: Years of one-off mortality shocks whose changes (into and out of the year) are not fitted.
SHOCK_YEARS = (2011, 2021, 2022)
#: Share of the sex gap's recent trend (men's kappa change less women's) that continues.  Chosen on
#: the guide origins (men's life expectancy 10, 20 and 30 years after the origins 1960-2004, sum of
#: the interval scores, years): none 18.9 (80 % interval holding 82, 73 and 51 % of outcomes), half
#: 15.3 (93, 91, 91 %), all 16.0 (100 % at every horizon).
GAP_TREND = 0.5


@dataclass(frozen=True)
class KappaModel:
    """``drift`` and ``sigma`` of the yearly kappa change, the drift's standard error, each sex's
    kappa at the origin (``last``, (2,)), the standard deviation of the yearly change of men's kappa
    less women's (``gap_sigma``); ``years``: the years fitted (first, last); ``left_out``: the shock
    years whose changes were not fitted."""

    drift: float
    drift_se: float
    sigma: float
    last: np.ndarray
    years: tuple[int, int]
    gap_sigma: float = 0.0
    left_out: tuple[int, ...] = ()
    gap_drift: float = 0.0


def kappa_history(grid: MortalityGrid, e0: pd.Series, sex: int = 1) -> pd.Series:
    """The kappa of every year of an e0 series (years) on ``grid``'s column of ``sex`` (0 men, 1 women)."""
    values = np.column_stack([e0.to_numpy(float), e0.to_numpy(float)])
    return pd.Series(grid.kappa_for(values)[:, sex], index=e0.index, name="kappa")


def fitted_changes(kappa: pd.Series) -> pd.Series:
    """The yearly changes of ``kappa`` over the last :data:`WINDOW` years (labelled by the later
    year), less those into or out of a :data:`SHOCK_YEARS` year."""
    recent = kappa[kappa.index >= int(kappa.index[-1]) - WINDOW]
    changes = recent.diff().iloc[1:]
    shocked = changes.index.isin(SHOCK_YEARS) | (changes.index - 1).isin(SHOCK_YEARS)
    return changes[~shocked]


def fit_kappa(kappa: pd.Series, last: np.ndarray, men: pd.Series | None = None) -> KappaModel:
    """Random walk with drift fitted to the last :data:`WINDOW` changes of ``kappa`` (year -> level,
    women), shock years left out; ``last``: kappa of each sex at the origin (2,); ``men``: men's kappa
    by year, for the sex gap's spread (None: no gap uncertainty)."""
    changes = fitted_changes(kappa)
    gap, gap_drift = 0.0, 0.0
    if men is not None:
        both = (fitted_changes(men) - changes).dropna()
        if len(both) > 1:
            gap, gap_drift = float(np.std(both, ddof=1)), float(GAP_TREND * both.mean())
    years = (int(kappa.index[-1]) - WINDOW, int(kappa.index[-1]))
    left = tuple(y for y in SHOCK_YEARS if years[0] <= y <= years[1])
    return dataclasses.replace(fit_random_walk(changes.to_numpy(float), last, years, gap, left), gap_drift=gap_drift)


def fit_random_walk(changes: np.ndarray, last: np.ndarray, years: tuple[int, int] = (0, 0), gap_sigma: float = 0.0,
                    left_out: tuple[int, ...] = ()) -> KappaModel:
    """:class:`KappaModel` from the yearly changes (n,)."""
    sigma = float(np.std(changes, ddof=1))
    return KappaModel(drift=float(np.mean(changes)), drift_se=DRIFT_SPREAD * sigma / np.sqrt(len(changes)),
                      sigma=sigma, last=np.asarray(last, float), years=years, gap_sigma=gap_sigma, left_out=left_out)


def draw_drifts(model: KappaModel, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws of the drift (kappa per year), (n,)."""
    return model.drift + model.drift_se * rng.standard_normal(n)


def kappa_paths(model: KappaModel, drifts: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Kappa paths by sex (n, T, 2) for the years origin + 1 ...: ``drifts`` (n,), standard normal
    ``shocks`` (n, T, 2) (the level's, then the sex gap's)."""
    steps = np.arange(1, shocks.shape[1] + 1)
    expected = np.stack([(model.drift + model.gap_drift) * steps, model.drift * steps], axis=-1)
    return model.last[None, None, :] + expected[None] + deviations(model, drifts, shocks)


def deviations(model: KappaModel, drifts: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Each sex's kappa less its expected path (n, T, 2): the drift's own uncertainty and the yearly
    shocks (``drifts`` (n,); standard normal ``shocks`` (n, T, 2): the level's, then the sex gap's)."""
    level = np.cumsum((drifts - model.drift)[:, None] + model.sigma * shocks[..., 0], axis=1)
    out = np.repeat(level[:, :, None], 2, axis=2)
    out[:, :, 0] += np.cumsum(model.gap_sigma * shocks[..., 1], axis=1)
    return out


def e0_around(grid: MortalityGrid, model: KappaModel, centre: np.ndarray, drifts: np.ndarray,
              shocks: np.ndarray) -> np.ndarray:
    """Life expectancy (n, T, 2), years, around a scenario's own e0 ``centre`` (T, 2): the centre's
    kappa moved by the model's :func:`deviations` from its expected path.  The centre itself is
    returned where the deviation is 0 (e0 read back from kappa would differ in the last bits)."""
    kappa = grid.kappa_for(centre)
    moved = e0_paths(grid, kappa[None] + deviations(model, drifts, shocks))
    return centre[None] + (moved - e0_paths(grid, kappa[None]))


def e0_paths(grid: MortalityGrid, kappa: np.ndarray) -> np.ndarray:
    """Life expectancy at birth (years) for kappa (..., 2), read on the grid of each sex."""
    out = np.empty(kappa.shape)
    for s in range(2):
        out[..., s] = np.interp(kappa[..., s], grid.kappa, grid.e0[:, s])
    return out
