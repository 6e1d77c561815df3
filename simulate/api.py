"""The Python API: what the command line does, for notebooks and scripts.

    import simulate
    r = simulate.run("baseline", **{"fertility.tfr": "+0.2"})
    r.indicators.set_index("year").at[2040, "population_total"]

A scenario is a path to a YAML file, the name of a shipped scenario (``"baseline"``,
``"current"``, see :func:`simulate.scenario.shipped.shipped_names`), a mapping written like a
scenario file, or an already loaded scenario.  Overrides are dotted keys with the YAML value syntax
(``"+0.2"``, ``"x1.1"``, ``{2040: 1.6}``) and get the same located messages as files
(``--set: fertility.tfr: ...``).  Results hold the tables the command line writes; ``write(folder)``
writes the same files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from simulate.errors import InputError
from simulate.pipeline import RunResult, run_scenarios
from simulate.scenario import LoadedScenario, load_mapping, load_scenario
from simulate.scenario.shipped import shipped_names, shipped_path

ScenarioLike = str | Path | Mapping[str, Any] | LoadedScenario
#: How problems in keyword overrides are located (the command line says ``--set``).
ORIGIN = "override"


def load(scenario: ScenarioLike, **overrides: Any) -> LoadedScenario:
    """Resolve and validate ``scenario`` with ``overrides`` (see the module docstring)."""
    return load_with(scenario, overrides)


def load_with(scenario: ScenarioLike, overrides: dict[str, Any], origin: str = ORIGIN) -> LoadedScenario:
    """:func:`load` with the overrides as a mapping; problems in them name ``origin`` (the command
    line passes ``--set``)."""
    if isinstance(scenario, LoadedScenario):
        if not overrides:
            return scenario
        scenario = scenario.scenario.model_dump(exclude_none=True)  # the resolved scenario, as a file would say it
    if isinstance(scenario, Mapping):  # validated directly, as a file beside the current folder; nothing written
        return load_mapping(dict(scenario), overrides, origin)
    path = Path(scenario)
    if not path.is_file():
        shipped = shipped_path(str(scenario))
        if shipped is None:
            import difflib

            if len(path.parts) > 1 or path.suffix:  # a path, not a name: say so plainly
                raise InputError(f"{scenario}: file not found")
            close = difflib.get_close_matches(str(scenario), shipped_names(), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"shipped: {', '.join(shipped_names())}"
            raise InputError(f"{scenario}: file not found, and no shipped scenario has that name ({hint})")
        path = shipped
    return load_scenario(path, overrides, origin)


def with_(scenario: ScenarioLike, **overrides: Any) -> LoadedScenario:
    """A derived scenario: ``scenario`` with ``overrides`` applied (files are not touched)."""
    return load(load(scenario), **overrides)


@dataclass
class Result:
    """One run: ``indicators`` (one row per year), ``population`` (year, sex, age), ``labour`` (year,
    sex, age group), ``targets`` (target, achieved, margin, met), all DataFrames."""

    run: RunResult

    @property
    def scenario(self):
        return self.run.scenario

    @property
    def indicators(self) -> pd.DataFrame:
        return self.run.indicators

    @property
    def population(self) -> pd.DataFrame:
        return self.run.population

    @property
    def labour(self) -> pd.DataFrame:
        return self.run.labour

    @property
    def targets(self) -> pd.DataFrame:
        return pd.DataFrame(self.run.targets, columns=["target", "achieved", "margin", "met"])

    def to_iamc(self) -> pd.DataFrame:
        """The IAMC wide table (``iamc.csv``), as pyam reads it."""
        from simulate.report.outputs import run_iamc

        return run_iamc(self.run)

    def write(self, folder: str | Path, figures: bool = False, lang: str = "en") -> Path:
        """Write the run's files to ``folder/<name>/`` as ``python run.py run`` does; returns that folder."""
        from simulate.report.outputs import write_results

        return write_results([self.run], Path(folder), time.perf_counter(), figures=figures, lang=lang)[
            self.scenario.name]


def run(scenario: ScenarioLike, **overrides: Any) -> Result:
    """Run one scenario (with overrides) and check its targets."""
    from simulate.backcasting import check_targets

    return Result(check_targets(run_scenarios([load(scenario, **overrides)]))[0])


@dataclass
class Comparison:
    """Several runs: ``results`` by name, ``outcomes`` (the ``outcomes.csv`` table), ``long``
    (every indicator, long form)."""

    results: dict[str, Result]
    name: str
    outcomes: pd.DataFrame = field(repr=False)
    long: pd.DataFrame = field(repr=False)

    def write(self, folder: str | Path, figures: bool = False, lang: str = "en") -> Path:
        """Write every run and ``comparison/<name>/`` as ``python run.py compare`` does."""
        from simulate.report.outputs import COMPARISON_DIR, write_results

        runs = [r.run for r in self.results.values()]
        return write_results(runs, Path(folder), time.perf_counter(), comparison=self.name, figures=figures,
                             lang=lang)[COMPARISON_DIR]


def compare(*scenarios: ScenarioLike, name: str | None = None) -> Comparison:
    """Run several scenarios as one batch per calendar and compare them."""
    from simulate.backcasting import check_targets
    from simulate.report.outputs import COMPARISON_YEARS, check_names, comparison_long, comparison_name, outcome_table

    loaded = [load(s) for s in scenarios]
    check_names([item.scenario.name for item in loaded])
    runs = check_targets(run_scenarios(loaded))
    return Comparison(results={r.scenario.name: Result(r) for r in runs}, name=name or comparison_name(runs),
                      outcomes=outcome_table(runs, COMPARISON_YEARS), long=comparison_long(runs))


@dataclass
class Backcast:
    """A solved lever: ``value`` (in ``unit``), the solved run as ``result``, the base scenario's run
    as ``base``, and ``record`` (what ``backcast.json`` holds)."""

    answer: Any

    @property
    def solution(self):
        return self.answer.solution

    @property
    def value(self) -> float:
        return self.answer.solution.value

    @property
    def unit(self) -> str:
        return self.answer.solution.unit

    @property
    def result(self) -> Result:
        return Result(self.answer.solved)

    @property
    def base(self) -> Result:
        return Result(self.answer.base)

    @property
    def record(self) -> dict:
        return self.answer.record


def backcast(scenario: ScenarioLike, lever: str, targets: list[str] | None = None,
             search_range: tuple[float, float] | None = None, **overrides: Any) -> Backcast:
    """The value of ``lever`` that meets ``targets`` (``"labour_force@2040>=60e6"``; default: the
    scenario's own targets)."""
    from simulate.backcasting import backcast_run
    from simulate.scenario.economy_model import Target

    loaded = load(scenario, **overrides)
    try:
        parsed = [Target.parse(t) for t in targets or []]
    except ValueError as error:
        raise InputError(f"target: {error}") from None
    return Backcast(backcast_run(loaded, lever, parsed, search_range))


@dataclass
class EnsembleResult:
    """N sampled futures: ``quantiles`` (indicator, year, p2_5 ... p97_5, scenario), ``samples``
    (parameter values per trajectory, ``possible``), ``targets`` (target, probability) and the raw
    ``ensemble`` arrays."""

    ensemble: Any
    quantiles: pd.DataFrame
    samples: pd.DataFrame
    targets: pd.DataFrame
    scenario: Any = None

    def to_xarray(self):
        """The labelled dataset the command line writes as ``trajectories.zarr`` (named dimensions
        trajectory and year, units and long names, sampled parameters as variables), lazily loaded."""
        from simulate.uncertainty.store import open_dataset

        return open_dataset(self.ensemble.store)


def ensemble(scenario: ScenarioLike, n: int = 1000, seed: int = 20180701, chunk: int | None = None,
             **overrides: Any) -> EnsembleResult:
    """Monte Carlo over the scenario's ``uncertainty`` block, in this process."""
    from simulate.report.uncertainty import samples_frame
    from simulate.uncertainty.ensemble import (DEFAULT_CHUNK, quantile_table, run_design, sample,
                                               target_probabilities, with_scenario_values)

    loaded = load(scenario, **overrides).scenario
    parameters = loaded.uncertainty.parameters
    if not parameters:
        raise InputError(f"scenario {loaded.name!r} has no uncertainty.parameters to sample")
    result = run_design(loaded, sample(parameters, n, seed), parameters, chunk or DEFAULT_CHUNK)
    odds = target_probabilities(result, loaded.targets, loaded.base_year)
    return EnsembleResult(ensemble=result, quantiles=with_scenario_values(quantile_table(result), loaded),
                          samples=samples_frame(result),
                          targets=pd.DataFrame(odds, columns=["target", "probability"]), scenario=loaded)


def sensitivity(scenario: ScenarioLike, method: str = "sobol", n: int = 256, seed: int = 20180701,
                indicators: tuple[str, ...] | None = None, years: tuple[int, ...] | None = None,
                **overrides: Any) -> pd.DataFrame:
    """Sobol (S1, ST with confidence) or Morris (mu_star, sigma) indices, one row per indicator,
    year and parameter (``sensitivity.csv``)."""
    from simulate.uncertainty.sensitivity import DEFAULT_INDICATORS, DEFAULT_YEARS
    from simulate.uncertainty.sensitivity import sensitivity as analyse

    table, _, _ = analyse(load(scenario, **overrides).scenario, method, n, seed, indicators or DEFAULT_INDICATORS,
                          years or DEFAULT_YEARS)
    return table


def sweep(scenario: ScenarioLike, grid: Mapping[str, list[float] | str], metric: str = "gdp_per_capita@2040",
          **overrides: Any) -> pd.DataFrame:
    """Every point of the full-factorial ``grid`` (``{"seniors_uplift": [0, 10, 20]}``, or
    ``"LO:HI:N"`` strings) with every indicator in the report years, ``metric`` and whether it is
    possible (``sweep.csv``)."""
    from simulate.uncertainty.ensemble import run_design
    from simulate.uncertainty.sweep import sweep_design, sweep_metric, sweep_table

    loaded = load(scenario, **overrides).scenario
    target = sweep_metric(metric, loaded)
    parameters, points = sweep_design(grid, loaded)
    return sweep_table(loaded, parameters, points, run_design(loaded, points, parameters), metric, target)
