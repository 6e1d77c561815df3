"""Probabilistic forecasts: what nobody controls (fertility, mortality, migration), learned from
Japan's own history up to an origin year and sampled year by year.

- :mod:`~simulate.futures.series`: the observed series, each cut at the origin.
- :mod:`~simulate.futures.fertility`: the TFR as a Bayesian AR(1) around a long-run level (the
  post-transition model of bayesTFR, phase III), and the timing of births as a damped trend.
- :mod:`~simulate.futures.mortality`: Lee-Carter: the mortality level kappa as a random walk with
  drift, with the drift's uncertainty.
- :mod:`~simulate.futures.migration`: net migration around its central path, AR(1) (judgment).
- :mod:`~simulate.futures.origin`: the jump-off and the age patterns at an origin, from data up to it.
- :mod:`~simulate.futures.paths`: engine inputs for any rows of a forecast, the same whatever the chunking.
- :mod:`~simulate.futures.backtest`: forecasts from past origins scored against what happened.
"""
