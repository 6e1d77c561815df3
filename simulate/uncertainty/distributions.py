"""Sampling: uniform numbers in [0, 1) mapped through each parameter's inverse CDF (scipy.stats).

Drawing all uniforms up front from one seeded generator, then transforming, makes a sample depend
only on (seed, N, parameters): never on chunking, workers or backend.  Sobol and Morris designs
from SALib live on the same unit hypercube and go through the same mapping.
"""

from __future__ import annotations

import numpy as np

from simulate.scenario.uncertainty_model import Parameter

#: Uniforms are kept this far from 0 and 1 so that unbounded distributions stay finite.
EDGE = 1e-12


def inverse_cdf(parameter: Parameter, u: np.ndarray) -> np.ndarray:
    """Values of ``parameter`` at cumulative probabilities ``u`` (same shape)."""
    from scipy import stats

    u = np.clip(u, EDGE, 1.0 - EDGE)
    p = parameter
    if p.distribution == "normal":
        return stats.norm.ppf(u, loc=p.mean, scale=p.sd)
    if p.distribution == "truncnormal":
        return stats.truncnorm.ppf(u, (p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd, loc=p.mean, scale=p.sd)
    if p.distribution == "uniform":
        return p.low + u * (p.high - p.low)
    if p.distribution == "triangular":
        return stats.triang.ppf(u, (p.mode - p.low) / (p.high - p.low), loc=p.low, scale=p.high - p.low)
    return p.median * np.exp(p.sigma * stats.norm.ppf(u))  # lognormal


def unit_sample(n: int, dimensions: int, seed: int) -> np.ndarray:
    """``n`` x ``dimensions`` uniforms from ``numpy.random.default_rng(seed)``."""
    return np.random.default_rng(seed).random((n, dimensions))


def to_values(parameters: list[Parameter], unit: np.ndarray) -> np.ndarray:
    """Map a unit-hypercube design (n, P) to parameter values (n, P)."""
    return np.stack([inverse_cdf(p, unit[:, i]) for i, p in enumerate(parameters)], axis=1)
