"""Global sensitivity with SALib: Sobol (Saltelli design) or Morris, on the unit hypercube mapped
through each parameter's distribution, run through the same batched engine as any ensemble."""

from __future__ import annotations

from pathlib import Path

from typing import Callable, Iterable

import numpy as np
import pandas as pd

from simulate.errors import InputError, ParameterError, Range
from simulate.feasibility import ImpossibleWorld
from simulate.indicators import unknown_indicator
from simulate.scenario import Scenario
from simulate.uncertainty.backends import InProcess
from simulate.uncertainty.distributions import to_values
from simulate.text.messages import t
from simulate.uncertainty.store import check_disk
from simulate.uncertainty.ensemble import DEFAULT_CHUNK, DEFAULT_MEMORY_GB, Ensemble, check_memory, run_design

DEFAULT_INDICATORS = ("population_15_64", "old_age_dependency_ratio", "labour_force", "gdp_per_capita")
DEFAULT_YEARS = (2030, 2040)
MORRIS_LEVELS = 4
#: The methods of global sensitivity offered.
METHODS = ("sobol", "morris")
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
            raise ParameterError("n", n, t("the Sobol design needs a power of two (e.g. {example})",
                                           example=1 << max(n - 1, 1).bit_length()),
                                 allowed="a power of two")
        from SALib.sample import sobol
        return sobol.sample(problem(names, method), n, calc_second_order=False, seed=seed)
    if method == "morris":
        if n < 2:
            raise ParameterError("n", n, t("Morris needs at least 2 trajectories to estimate sigma"),
                                 allowed=Range(2, None))
        from SALib.sample import morris
        return morris.sample(problem(names, method), n, num_levels=MORRIS_LEVELS, seed=seed)
    raise ParameterError("method", method, t("choose sobol or morris"), allowed=METHODS)


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


def design_rows(method: str, n: int, parameters: int) -> int:
    """Runs in a design: n (P + 2) for Sobol without second order, n (P + 1) for Morris."""
    return n * (parameters + (2 if method == "sobol" else 1))


def check_outputs(scenario: Scenario, indicators: tuple[str, ...], years: tuple[int, ...]) -> None:
    """Refuse, before any run, indicators that do not exist and years outside the run."""
    for indicator in indicators:
        message = unknown_indicator(indicator)
        if message:
            raise ParameterError("indicators", indicator, message)
    first = scenario.basis.jump_off_year
    for year in years:
        if not first <= year <= scenario.horizon:
            raise ParameterError("years", year, t("outside the run {first}-{last}", first=first, last=scenario.horizon),
                                 allowed=Range(first, scenario.horizon))


def sensitivity(scenario: Scenario, method: str, n: int, seed: int,
                indicators: tuple[str, ...] = DEFAULT_INDICATORS, years: tuple[int, ...] = DEFAULT_YEARS,
                chunk: int = DEFAULT_CHUNK, backend: InProcess | None = None,
                progress: Callable[[Iterable], Iterable] = iter,
                max_memory_gb: float = DEFAULT_MEMORY_GB,
                store: Path | None = None) -> tuple[pd.DataFrame, Ensemble, np.ndarray]:
    """Indices per indicator, year and parameter (a tidy table), the runs, and the unit design.

    The runs stream into the trajectory ``store`` folder (see :func:`run_design`).
    Everything is checked before the first run: method, sample size, indicators, years and the
    memory the design needs (against ``max_memory_gb``).  Sobol and Morris indices need every run,
    so a design with any impossible world (:mod:`simulate.feasibility`) stops with
    :class:`~simulate.feasibility.ImpossibleWorld`.
    """
    parameters = scenario.uncertainty.parameters
    if not parameters:
        raise InputError(t("scenario '{name}' has no uncertainty.parameters to analyse", name=scenario.name))
    if method not in METHODS:
        raise ParameterError("method", method, t("choose sobol or morris"), allowed=METHODS)
    check_outputs(scenario, indicators, years)
    names = list(parameters)
    steps = scenario.horizon - scenario.basis.jump_off_year + 1
    check_memory(design_rows(method, n, len(names)), steps, len(names), False, chunk, max_memory_gb,
                 f"{method} design", "n", in_memory=store is None,
                 processes=getattr(backend, "local_processes", 0))
    if store is not None:
        check_disk(Path(store).parent, design_rows(method, n, len(names)), steps + 1, False)
    unit = design(method, names, n, seed)
    ensemble = run_design(scenario, to_values(list(parameters.values()), unit), parameters, chunk, backend,
                          progress=progress, store=store)
    bad = int((~ensemble.possible).sum())
    if bad:
        raise ImpossibleWorld(f"{bad:,} of {len(unit):,} runs of the {method} design describe a world that cannot "
                              "exist; sensitivity indices need every run: narrow the uncertainty ranges")
    rows = []
    for indicator in indicators:
        for year in years:
            column = ensemble.indicators[indicator][:, np.searchsorted(ensemble.years, year)]
            indices = analyse(method, names, unit, column, seed)
            rows += [{"indicator": indicator, "year": year, "parameter": name, "method": method,
                      **{k: float(v[i]) for k, v in indices.items()}} for i, name in enumerate(names)]
    return pd.DataFrame(rows), ensemble, unit
