"""Ensembles: N sampled futures through the one batched engine, chunk by chunk.

Sampling happens once, up front, from the seed; chunks then only read their rows, so results are
bit-for-bit the same whatever the chunk size, number of workers or backend (tested).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from simulate.backcasting import target_gap
from simulate.errors import InputError
from simulate.feasibility import impossible
from simulate.pipeline import run_batch, run_inputs
from simulate.scenario import Scenario
from simulate.scenario.economy_model import Target
from simulate.scenario.uncertainty_model import Parameter
from simulate.uncertainty.backends import InProcess
from simulate.uncertainty.distributions import to_values, unit_sample
from simulate.uncertainty.inputs import AffineInputs, affine_inputs, with_value

QUANTILES = (0.025, 0.10, 0.50, 0.90, 0.975)
QUANTILE_COLUMNS = ["p2_5", "p10", "p50", "p90", "p97_5"]
#: Trajectories per chunk: a multiple of the engine's own chunk of 512, small enough that 10,000
#: trajectories make ten chunks to share between two cores.
DEFAULT_CHUNK = 1024
DEFAULT_MEMORY_GB = 4.0
#: Indicator columns kept per trajectory and year (demographic + economic).
N_INDICATORS = 28


@dataclass
class Ensemble:
    """Per-trajectory results: ``values`` (N, P) sampled parameters, ``indicators`` name -> (N, T+1),
    ``population`` (N, T+1, 2, 101) persons if ages were kept, ``possible`` (N,) False for a
    trajectory that leaves the possible world (:mod:`simulate.feasibility`): such trajectories are
    kept in the per-trajectory files, marked, and left out of quantiles and target odds."""

    years: np.ndarray
    names: list[str]
    values: np.ndarray
    indicators: dict[str, np.ndarray]
    population: np.ndarray | None = None
    possible: np.ndarray | None = None
    timings_s: dict[str, float] = field(default_factory=dict)


def estimate_bytes(n: int, steps: int, parameters: int, keep_ages: bool, chunk: int) -> int:
    """Peak memory of an ensemble: what is kept for every trajectory, plus one chunk's working set."""
    years = steps + 1
    kept = n * (years * N_INDICATORS + parameters) * 8
    if keep_ages:
        kept += n * years * 202 * 8
    working = min(chunk, n) * years * (2 * 21 + 2 * 13 + 3 * N_INDICATORS + (202 if keep_ages else 0)) * 8 * 2
    return int(kept + working + 512 * years * 202 * 8)


def check_memory(n: int, steps: int, parameters: int, keep_ages: bool, chunk: int, limit_gb: float,
                 what: str = "ensemble", smaller: str = "--n") -> None:
    """Refuse, before any work, a design of ``n`` runs whose estimated memory exceeds ``limit_gb``."""
    need = estimate_bytes(n, steps, parameters, keep_ages, chunk) / 2**30
    if need > limit_gb:
        hint = " (drop --keep-ages)" if keep_ages else ""
        raise InputError(f"{what} of {n:,} runs over {steps} years needs about {need:,.1f} GB, more than "
                         f"the {limit_gb:g} GB limit: use a smaller {smaller}{hint} or raise --max-memory-gb")


def sample(parameters: dict[str, Parameter], n: int, seed: int) -> np.ndarray:
    """``n`` draws of every parameter (n, P), from ``numpy.random.default_rng(seed)``."""
    return to_values(list(parameters.values()), unit_sample(n, len(parameters), seed))


def check_samples(scenario: Scenario, parameters: dict[str, Parameter], values: np.ndarray) -> None:
    """Every parameter's smallest and largest draw must give a valid scenario (InputError if not)."""
    for i, (name, parameter) in enumerate(parameters.items()):
        for value in (values[:, i].min(), values[:, i].max()):
            with_value(scenario, name, parameter, float(value))


def run_chunk(affine: AffineInputs, values: np.ndarray,
              keep_ages: bool) -> tuple[dict, np.ndarray | None, np.ndarray]:
    """Indicators (and single ages if asked) of one chunk of trajectories, and which of them are
    possible (n,).  Backends run chunks in parallel, so the engine runs each chunk on a single thread."""
    demography, economy = affine.batch(values)
    projection, indicators = run_inputs(demography, economy, keep_ages=keep_ages, threads=1)
    return indicators, projection.population, ~impossible(projection, indicators)


def run_design(scenario: Scenario, values: np.ndarray, parameters: dict[str, Parameter] | None = None,
               chunk: int = DEFAULT_CHUNK, backend: InProcess | None = None, keep_ages: bool = False,
               progress: Callable[[Iterable], Iterable] = iter) -> Ensemble:
    """Run the trajectories given by parameter ``values`` (n, P) through the batched engine."""
    parameters = scenario.uncertainty.parameters if parameters is None else parameters
    if not parameters:
        raise InputError(f"scenario {scenario.name!r} has no uncertainty.parameters to sample")
    start = time.perf_counter()
    check_samples(scenario, parameters, values)
    affine = affine_inputs(scenario, parameters)
    prepared = time.perf_counter()
    years = affine.years
    rows = [slice(i, min(i + chunk, len(values))) for i in range(0, len(values), chunk)]
    indicators: dict[str, np.ndarray] = {}
    population = np.empty((len(values), len(years), 2, 101)) if keep_ages else None
    possible = np.empty(len(values), dtype=bool)
    with backend or InProcess() as runner:  # each chunk's results are copied into place, then dropped
        for r, (part, ages, ok) in zip(rows, runner.map(run_chunk, [(affine, values[r], keep_ages) for r in rows],
                                                        progress)):
            for name, series in part.items():
                indicators.setdefault(name, np.empty((len(values), len(years))))[r] = series
            if keep_ages:
                population[r] = ages
            possible[r] = ok
    return Ensemble(years=years, names=list(parameters), values=values, indicators=indicators,
                    population=population, possible=possible, timings_s={"prepare": prepared - start,
                                                      "run": time.perf_counter() - prepared})


def quantile_table(ensemble: Ensemble) -> pd.DataFrame:
    """indicator, year and the 2.5/10/50/90/97.5 % quantiles across the possible trajectories."""
    frames = []
    for name, values in ensemble.indicators.items():
        values = values[ensemble.possible] if not ensemble.possible.all() else values
        finite = np.all(np.isfinite(values), axis=0)
        q = np.full((len(QUANTILES), values.shape[1]), np.nan)
        q[:, finite] = np.quantile(values[:, finite], QUANTILES, axis=0)
        frames.append(pd.DataFrame({"indicator": name, "year": ensemble.years,
                                    **dict(zip(QUANTILE_COLUMNS, q))}))
    return pd.concat(frames, ignore_index=True)


def with_scenario_values(quantiles: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The quantile table with a ``scenario`` column: the scenario's own (deterministic) value of each
    indicator and year, next to the ensemble's quantiles."""
    projection, indicators = run_batch([scenario], keep_ages=False)
    own = pd.DataFrame([{"indicator": name, "year": int(year), "scenario": float(series[0, t])}
                        for name, series in indicators.items() for t, year in enumerate(projection.years)])
    return quantiles.merge(own, on=["indicator", "year"], how="left")


def target_probabilities(ensemble: Ensemble, targets: list[Target], base_year: int) -> list[dict]:
    """Share of the possible trajectories meeting each target (``base_year``: the scenario's, for
    ``xbase`` targets)."""
    return [{"target": str(t),
             "probability": float(np.mean((target_gap(ensemble.indicators, ensemble.years, t, base_year) >= 0)
                                          [ensemble.possible]))}
            for t in targets]
