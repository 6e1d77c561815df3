"""Sampling: uniform numbers in [0, 1) mapped through each parameter's inverse CDF.

Drawing all uniforms up front from one seeded generator, then transforming, makes a sample depend
only on (seed, N, parameters): never on chunking, workers or backend.  Sobol and Morris designs
from SALib live on the same unit hypercube and go through the same mapping.
"""

from __future__ import annotations

import numpy as np

from simulate.scenario.uncertainty_model import Parameter

#: Uniforms are kept this far from 0 and 1 so that unbounded distributions stay finite.
EDGE = 1e-12


#: The inverse CDFs are scipy.stats' own (version 1.17: ``rv_continuous.ppf`` with ``norm``,
#: ``truncnorm`` and ``triang``), written out with the scipy.special functions they call, in the
#: same order of operations, so the draws are bit for bit those of scipy.stats
#: (``tests/test_uncertainty.py`` compares them).  Importing scipy.stats would cost every ensemble,
#: sweep and sensitivity command 0.8-1.1 s (``benchmarks/bench_uncertainty.py``); scipy.special
#: costs 0.2 s.  Written out, the draws also no longer move when scipy changes an algorithm.


def _log_diff(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """log(exp(log_p) - exp(log_q)), as a complex logsumexp (scipy.stats ``_log_diff``)."""
    from scipy import special

    return special.logsumexp([log_p, log_q + np.pi * 1j], axis=0)


def _log_gauss_mass(a: float, b: float) -> float:
    """log of the standard normal probability between ``a`` and ``b`` (scipy.stats
    ``_log_gauss_mass``): in the left tail, the right tail by symmetry, or the centre."""
    from scipy import special

    if b <= 0:
        return float(np.real(_log_diff(special.log_ndtr(b), special.log_ndtr(a))))
    if a > 0:
        return _log_gauss_mass(-b, -a)
    return float(special.log1p(-special.ndtr(a) - special.ndtr(-b)))


def truncated_normal_ppf(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """Standard normal truncated to [a, b] (in standard deviations) at cumulative probabilities
    ``u`` (scipy.stats ``truncnorm._ppf``): solved in log space from the nearer tail."""
    from scipy import special

    mass = _log_gauss_mass(a, b)
    if a < 0:
        log_phi = special.logsumexp([np.full_like(u, special.log_ndtr(a)), np.log(u) + mass], axis=0)
        return special.ndtri_exp(log_phi)
    log_phi = special.logsumexp([np.full_like(u, special.log_ndtr(-b)), np.log1p(-u) + mass], axis=0)
    return -special.ndtri_exp(log_phi)


def inverse_cdf(parameter: Parameter, u: np.ndarray) -> np.ndarray:
    """Values of ``parameter`` at cumulative probabilities ``u`` (same shape): the standard
    distribution's inverse CDF, then ``* scale + loc`` as scipy.stats does."""
    from scipy import special

    u = np.clip(u, EDGE, 1.0 - EDGE)
    p = parameter
    if p.distribution == "normal":
        return special.ndtri(u) * p.sd + p.mean
    if p.distribution == "truncnormal":
        return truncated_normal_ppf(u, (p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd) * p.sd + p.mean
    if p.distribution == "uniform":
        return p.low + u * (p.high - p.low)
    if p.distribution == "triangular":
        c = (p.mode - p.low) / (p.high - p.low)
        return np.where(u < c, np.sqrt(c * u), 1 - np.sqrt((1 - c) * (1 - u))) * (p.high - p.low) + p.low
    return p.median * np.exp(p.sigma * special.ndtri(u))  # lognormal


def unit_sample(n: int, dimensions: int, seed: int) -> np.ndarray:
    """``n`` x ``dimensions`` uniforms from ``numpy.random.default_rng(seed)``."""
    return np.random.default_rng(seed).random((n, dimensions))


def to_values(parameters: list[Parameter], unit: np.ndarray) -> np.ndarray:
    """Map a unit-hypercube design (n, P) to parameter values (n, P)."""
    return np.stack([inverse_cdf(p, unit[:, i]) for i, p in enumerate(parameters)], axis=1)
