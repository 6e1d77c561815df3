"""Parameter sweeps: a full-factorial grid of levers run as one design through the batched engine."""

from __future__ import annotations

import itertools
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from simulate.errors import ParameterError
from simulate.indicators import unknown_indicator
from simulate.scenario import Scenario
from simulate.scenario.economy_model import Target
from simulate.scenario.uncertainty_model import LEVER_NAMES, Parameter
from simulate.text.messages import t


#: Most values on one grid axis.
MAX_AXIS = 10_000


def parse_values(text: str) -> list[float]:
    """``"0,1,2"`` or ``"LO:HI:N"`` (N evenly spaced values) -> floats."""
    try:
        if ":" in text:
            lo, hi, n = text.split(":")
            if int(n) < 1 or int(n) > MAX_AXIS:
                raise ValueError
            values = np.linspace(float(lo), float(hi), int(n)).tolist()
        else:
            values = [float(v) for v in text.split(",")]
    except ValueError:
        raise ParameterError("grid", repr(text), t("expected v1,v2,... or LO:HI:N with N from 1 to {most}",
                                                    most=f"{MAX_AXIS:,}")) from None
    return finite_values(values, repr(text))


def finite_values(values, shown: str) -> list[float]:
    """``values`` as floats, every one finite, at least one (ParameterError naming ``shown`` if not)."""
    try:
        out = [float(v) for v in values]
    except (TypeError, ValueError):
        raise ParameterError("grid", shown, t("expected numbers")) from None
    if not out:
        raise ParameterError("grid", shown, t("give at least one value"))
    if not all(np.isfinite(out)):
        raise ParameterError("grid", shown, t("every value must be a finite number"))
    return out


def grid_parameter(name: str, values: list[float], scenario: Scenario) -> Parameter:
    """What a grid axis varies: a backcast lever, one of the scenario's uncertainty parameters, or a
    setting path such as ``fertility.tfr.2040``."""
    lo, hi = min(values), max(values)
    span = {"distribution": "uniform", "low": lo, "high": hi if hi > lo else lo + 1.0}
    if name in LEVER_NAMES:  # a sweep names its levers: that is asking for them
        return Parameter(lever=name, sample_policy=True, **span)
    if name in scenario.uncertainty.parameters:
        known = scenario.uncertainty.parameters[name]
        return Parameter(**{k: getattr(known, k) for k in ("path", "shift", "scale", "stretch", "lever", "year",
                                                           "sample_policy")}, **span)
    if name.split(".")[0] == "uncertainty":
        raise ParameterError("grid", name, t("the uncertainty block only describes distributions for ensembles; a "
                                             "sweep varies settings: give a parameter's name, a lever or a setting path"))
    if "." in name:
        return Parameter(path=name, **span)
    raise ParameterError("grid", name, t("not a lever ({levers}), an uncertainty parameter of '{name}' ({parameters}) or "
                                         "a setting path", levers=t(", ").join(LEVER_NAMES), name=scenario.name,
                                         parameters=t(", ").join(scenario.uncertainty.parameters) or t("none")))


def grid_points(axes: dict[str, list[float]]) -> int:
    """Number of points of the full-factorial grid over ``axes``."""
    return int(np.prod([len(values) for values in axes.values()], dtype=float))


def sweep_design(grid: Mapping[str, Sequence[float] | str], scenario: Scenario,
                 check: Callable[[int], None] = lambda points: None) -> tuple[dict[str, Parameter], np.ndarray]:
    """The axes of a sweep (name -> values, or ``"LO:HI:N"``) -> (parameters by name, full-factorial
    values (points, dims)).  ``check(points)`` runs before the grid is built (e.g. a memory check)."""
    if not grid:
        raise ParameterError("grid", None, t("give at least one axis, such as seniors_uplift=0,10,20"))
    axes = {str(name).strip(): parse_values(values) if isinstance(values, str) else finite_values(values, str(name))
            for name, values in grid.items()}
    parameters = {name: grid_parameter(name, values, scenario) for name, values in axes.items()}
    check(grid_points(axes))
    points = np.array(list(itertools.product(*axes.values())), dtype=float)
    return parameters, points


def sweep_metric(text: str, scenario: Scenario):
    """``INDICATOR@YEAR`` as a Target, checked against the indicators and the run's years."""

    try:
        metric = Target.parse(f"{text}>=0")
    except ValueError:
        name = text.split("@")[0].strip()
        detail = unknown_indicator(name) or t("expected INDICATOR@YEAR such as gdp_per_capita@2040")
        raise ParameterError("metric", repr(text), detail) from None
    problem = metric.year_problem(scenario.basis.jump_off_year, scenario.horizon, scenario.base_year, named=False)
    if problem:
        raise ParameterError("metric", text, problem)
    return metric


def sweep_table(scenario: Scenario, parameters: dict[str, Parameter], points: np.ndarray, ensemble, label: str,
                metric) -> pd.DataFrame:
    """``sweep.csv``: the grid values, every indicator in the report years, the metric (column
    ``label``) and ``possible``; impossible points have no outcomes (:mod:`simulate.feasibility`)."""
    blank = np.where(ensemble.possible, 1.0, np.nan)
    at = lambda year: np.searchsorted(ensemble.years, year)  # noqa: E731
    outcomes = {f"{name}@{year}": values[:, at(year)] * blank
                for name, values in ensemble.indicators.items() for year in scenario.report_years}
    column = ensemble.indicators[metric.metric][:, at(metric.year)] * blank
    table = pd.concat([pd.DataFrame(points, columns=list(parameters)),
                       pd.DataFrame(outcomes | {label: column, "possible": ensemble.possible})], axis=1)
    return table.loc[:, ~table.columns.duplicated()]


def heatmap_grid(points: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, list[float], list[float]]:
    """Values of a two-lever sweep as a (len(y), len(x)) grid, x the second lever, y the first."""
    xs, ys = sorted(set(points[:, 1])), sorted(set(points[:, 0]))
    grid = np.full((len(ys), len(xs)), np.nan)
    for (a, b), v in zip(points, values):
        grid[ys.index(a), xs.index(b)] = v
    return grid, xs, ys
