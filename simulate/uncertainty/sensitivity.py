"""Global sensitivity with SALib: Sobol (Saltelli design) or Morris, on the unit hypercube mapped
through each parameter's distribution, run through the same batched engine as any ensemble."""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import pandas as pd

from simulate.errors import InputError
from simulate.scenario import Scenario
from simulate.uncertainty.backends import InProcess
from simulate.uncertainty.distributions import to_values
from simulate.uncertainty.ensemble import DEFAULT_CHUNK, Ensemble, run_design

DEFAULT_INDICATORS = ("population_15_64", "old_age_dependency_ratio", "labour_force", "gdp_per_capita")
DEFAULT_YEARS = (2030, 2040)
MORRIS_LEVELS = 4
#: Morris trajectories move on a grid of quantiles; its ends are kept off the distributions' tails.
MORRIS_RANGE = (0.005, 0.995)


def problem(names: list[str], method: str) -> dict:
    """SALib problem on the unit hypercube (probabilities, mapped to values afterwards)."""
    bounds = [list(MORRIS_RANGE)] * len(names) if method == "morris" else [[0.0, 1.0]] * len(names)
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def design(method: str, names: list[str], n: int, seed: int) -> np.ndarray:
    """The unit-hypercube design: Saltelli/Sobol (n (P + 2) rows) or Morris (n (P + 1) rows)."""
    if method == "sobol":
        if n < 2 or n & (n - 1):
            raise InputError(f"--n {n}: the Sobol design needs a power of two (e.g. {1 << max(n - 1, 1).bit_length()})")
        from SALib.sample import sobol
        return sobol.sample(problem(names, method), n, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.sample import morris
        return morris.sample(problem(names, method), n, num_levels=MORRIS_LEVELS, seed=seed)
    raise InputError(f"--method {method!r}: choose sobol or morris")


def analyse(method: str, names: list[str], unit: np.ndarray, outputs: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """SALib indices for one output vector: S1, S1_conf, ST, ST_conf (Sobol) or mu_star, mu_star_conf,
    sigma (Morris)."""
    if method == "sobol":
        from SALib.analyze import sobol
        result = sobol.analyze(problem(names, method), outputs, calc_second_order=False, seed=seed)
        return {k: np.asarray(result[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    from SALib.analyze import morris
    result = morris.analyze(problem(names, method), unit, outputs, num_levels=MORRIS_LEVELS, seed=seed)
    return {k: np.asarray(result[k]) for k in ("mu_star", "mu_star_conf", "sigma")}


def sensitivity(scenario: Scenario, method: str, n: int, seed: int,
                indicators: tuple[str, ...] = DEFAULT_INDICATORS, years: tuple[int, ...] = DEFAULT_YEARS,
                chunk: int = DEFAULT_CHUNK, backend: InProcess | None = None,
                progress: Callable[[Iterable], Iterable] = iter) -> tuple[pd.DataFrame, Ensemble, np.ndarray]:
    """Indices per indicator, year and parameter (a tidy table), the runs, and the unit design."""
    parameters = scenario.uncertainty.parameters
    if not parameters:
        raise InputError(f"scenario {scenario.name!r} has no uncertainty.parameters to analyse")
    names = list(parameters)
    unit = design(method, names, n, seed)
    ensemble = run_design(scenario, to_values(list(parameters.values()), unit), parameters, chunk, backend,
                          progress=progress)
    rows = []
    for indicator in indicators:
        if indicator not in ensemble.indicators:
            raise InputError(f"--indicator {indicator!r} is not an indicators.csv column")
        for year in years:
            if year not in ensemble.years:
                raise InputError(f"--year {year} is outside the run {ensemble.years[0]}-{ensemble.years[-1]}")
            column = ensemble.indicators[indicator][:, np.searchsorted(ensemble.years, year)]
            indices = analyse(method, names, unit, column, seed)
            rows += [{"indicator": indicator, "year": year, "parameter": name, "method": method,
                      **{k: float(v[i]) for k, v in indices.items()}} for i, name in enumerate(names)]
    return pd.DataFrame(rows), ensemble, unit
