"""Fertility forecasts: the TFR as a damped trend on the log scale, and the timing of births.

**TFR.** Japan's TFR has moved in long runs (down from 1975 to 2005, up to 2015, down since), which
a model that pulls it back to a fixed level each year misses: fitted up to each origin from 1975 to
2015, such an AR(1) (bayesTFR's phase III: Alkema et al. 2011, Demography 48:815) put the TFR of
ten years later too high by 11 % on average, and its 80 % interval held the outcome in 29 % of
origins.  So the TFR follows a **damped trend** (Gardner & McKenzie 1985, Journal of Forecasting
4:1; the damped trend of exponential smoothing, a local trend whose slope fades):

    log f(t+1) = log f(t) + d(t) + lambda (log L - log f(t)) + sigma e(t),   d(t+1) = phi d(t),
    e ~ N(0, 1)

- the slope d at the origin is the mean yearly change of log TFR over the :data:`TREND_YEARS`
  years to it, with its uncertainty: each trajectory draws d ~ N(d_hat, (:data:`SLOPE_SPREAD` x
  s / sqrt(n))^2), s the standard deviation of those changes;
- sigma^2 is drawn from its posterior under the reference prior (s^2 (n - 1) / chi2(n - 1));
- the slope fades by phi = :data:`DAMPING` a year, so the trend runs out;
- over decades the TFR is pulled (lambda = :data:`REVERSION` a year) toward a long-run level L, the
  **mean TFR of the window** the slope is measured on (the :data:`TREND_YEARS` years to the origin):
  a trend damped toward the recent level (for 2024, the mean of 2009-2024, 1.36).  bayesTFR's phase
  III pulls toward a level too (Alkema et al. 2011), but one shared by all low-fertility countries.

:data:`DAMPING`, :data:`TREND_YEARS`, :data:`SLOPE_SPREAD` and :data:`REVERSION` were chosen on the
back-test's guide origins (outcomes up to 2015; ``python run.py backtest``), never on later years:
calibration first, then sharpness (Gneiting, Balabdaoui & Raftery 2007, JRSS B 69:243): among the
models whose 80 % interval held 70-90 % of the TFR 10, 20 and 30 years after the origins 1960-2004,
the one with the smallest sum of the interval scores at those horizons on the guide outcomes (% of
the outcome; lower is better).  Measured on the TFR paths alone (2,000 per origin):

| model | interval score | coverage at 10 / 20 / 30 years |
|---|---|---|
| damped trend (phi 0.95, spread 1.5), no pull: the model before | 578 | 73 / 80 / 91 % |
| phi 0.9, spread 1.0, no pull | 414 | - / 78 / 97 % |
| phi 0.9, spread 1.25, pulled 0.02 toward the completed fertility of the latest completed cohort | 460 | - / 67 / 63 % |
| phi 0.9, spread 1.25, pulled 0.02 toward the window's mean TFR | 377 | 62 / 87 / 74 % |
| phi 0.9, spread 1.75, pulled 0.02 toward the window's mean TFR (**chosen**) | 402 | 73 / 87 / 74 % |
| phi 0.9, spread 2.5, pulled 0.02 toward the window's mean TFR | 454 | 84 / 89 / 80 % |
| phi 0.9, spread 1.25, pulled 0.04 toward the window's mean TFR | 360 | - / 73 / 49 % |
| phi 0.95, spread 1.5, pulled 0.02 toward the window's mean TFR | 438 | 73 / 93 / 97 % |

A level **informed by completed cohort fertility** (1.46 for women born in 1971, the latest
complete in HFD; 2.0 for the cohorts of the 1930s-1940s that the origins of the 1980s and 1990s
would have used) was tried first, as the issue asked: Japan's period TFR stayed below its cohorts'
completed fertility for fifty years, so any pull toward it put the TFR, and the population, of 20
and 30 years later too high (with 0.01 a year, the population's 80 % interval held 61 % of outcomes
20 years on, against 73 % with no pull).  The record allows a pull only toward the recent level.

**Timing.** The mean age at childbearing continues its change of the last :data:`TIMING_YEARS` years,
damped by :data:`TIMING_DAMPING` a year (no shocks: its uncertainty is small beside the level's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Years of log-TFR changes the slope and its spread are measured on.
TREND_YEARS = 15
#: Yearly damping of the slope.
DAMPING = 0.9
#: Factor on the slope's standard error (the slope of a short window is itself uncertain, and the
#: runs of Japan's TFR are longer than independent yearly changes suggest).
SLOPE_SPREAD = 1.75
#: Yearly pull of log TFR toward the mean TFR of the fitted window (chosen on the guide origins).
REVERSION = 0.02
#: The TFR is kept above this (children per woman); no population has gone below 0.7.
TFR_FLOOR = 0.5
#: Years whose average change of the mean age at childbearing is continued, and its yearly damping.
TIMING_YEARS = 10
TIMING_DAMPING = 0.85


@dataclass(frozen=True)
class TFRModel:
    """A fitted damped trend of log TFR: ``slope`` (log per year) and its standard error
    ``slope_se`` (already times :data:`SLOPE_SPREAD`), the shocks' variance ``s2`` with ``dof``
    degrees of freedom, ``damping``; ``last``: the TFR in the origin year; ``years``: the years
    whose changes were fitted (first, last); ``level``: the long-run level L (children per woman, the
    window's mean TFR) pulled toward by ``reversion`` a year."""

    slope: float
    slope_se: float
    s2: float
    dof: int
    damping: float
    last: float
    years: tuple[int, int]
    level: float = 1.0
    reversion: float = 0.0


def fit_tfr(tfr: pd.Series, damping: float | None = None, reversion: float | None = None) -> TFRModel:
    """Fit :class:`TFRModel` to a TFR series (year -> children per woman) ending at the origin;
    ``damping`` and ``reversion`` default to :data:`DAMPING` and :data:`REVERSION`."""
    recent = tfr[tfr.index >= int(tfr.index[-1]) - TREND_YEARS]
    changes = np.diff(np.log(recent.to_numpy(float)))
    s2 = float(np.var(changes, ddof=1))
    return TFRModel(slope=float(changes.mean()), slope_se=SLOPE_SPREAD * np.sqrt(s2 / len(changes)), s2=s2,
                    dof=len(changes) - 1, damping=DAMPING if damping is None else damping, last=float(recent.iloc[-1]),
                    years=(int(recent.index[0]), int(recent.index[-1])), level=float(recent.mean()),
                    reversion=REVERSION if reversion is None else reversion)


def draw_tfr_parameters(model: TFRModel, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws of (slope, sigma), shape (n, 2): log TFR per year."""
    sigma = np.sqrt(model.dof * model.s2 / rng.chisquare(model.dof, n))
    return np.column_stack([model.slope + model.slope_se * rng.standard_normal(n), sigma])


def central_parameters(model: TFRModel) -> np.ndarray:
    """The fitted (slope, sigma), (2,)."""
    return np.array([model.slope, np.sqrt(model.s2)])


def log_changes(model: TFRModel, parameters: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Change of log TFR since the origin (n, T): ``parameters`` (n, 2) = (slope, sigma) and standard
    normal ``shocks`` (n, T); year k is origin + 1 + k."""
    slope, sigma = parameters.T
    damping = model.damping ** np.arange(1, shocks.shape[1] + 1)
    steps = slope[:, None] * damping[None, :] + sigma[:, None] * shocks
    if not model.reversion:
        return np.cumsum(steps, axis=1)
    gap = np.log(model.level / model.last)  # log L - log f(origin)
    out = np.empty(steps.shape)
    change = np.zeros(len(steps))
    for k in range(steps.shape[1]):
        change = change + steps[:, k] + model.reversion * (gap - change)
        out[:, k] = change
    return out


def tfr_paths(model: TFRModel, parameters: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """TFR paths (n, T), children per woman, from the origin's TFR (the forecast centred on the data
    alone); arguments as :func:`log_changes`."""
    return np.maximum(model.last * np.exp(log_changes(model, parameters, shocks)), TFR_FLOOR)


def tfr_around(model: TFRModel, centre: np.ndarray, parameters: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """TFR paths (n, T) around a scenario's own TFR ``centre`` (T,), children per woman: the centre
    times the model's deviation from its own expected path, exp(log f - E log f), so the spread is
    the model's and the median is the centre's; year 1 moves by one shock from the centre, without a
    jump.  The floor is :data:`TFR_FLOOR`, or the centre where a scenario sets it lower."""
    expected = log_changes(model, np.array([[model.slope, 0.0]]), np.zeros((1, shocks.shape[1])))
    deviation = log_changes(model, parameters, shocks) - expected
    return np.maximum(centre[None, :] * np.exp(deviation), np.minimum(centre, TFR_FLOOR)[None, :])


def timing_path(mean_age: pd.Series, origin: int, steps: int) -> np.ndarray:
    """Change of the mean age at childbearing since the origin (years), for the years origin + 1
    ... origin + steps: the last observed change (its mean over :data:`TIMING_YEARS` years) damped
    by :data:`TIMING_DAMPING` a year; shape (steps,).  Years between the series' end and the origin
    continue the same trend (the MHLW table ends before the last observed year)."""
    last = int(mean_age.index[-1])
    recent = mean_age[mean_age.index >= last - TIMING_YEARS].to_numpy(float)
    slope = (recent[-1] - recent[0]) / (len(recent) - 1)
    k = np.arange(1, origin - last + steps + 1)
    change = np.cumsum(slope * TIMING_DAMPING ** k)
    before = change[origin - last - 1] if origin > last else 0.0
    return change[origin - last:] - before
