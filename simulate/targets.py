"""Targets: what a scenario's ``targets:`` block (or ``--target``) asks, read and judged.  Every run
judges its scenario's own targets (:func:`check_targets`); ensembles give the share of trajectories
that meet them and backcasts solve for them (:mod:`simulate.backcasting`), all with
:func:`target_gap`.  (The target itself, ``labour_force@2040>=60e6``, is a section of the scenario
language: :class:`simulate.scenario.economy_model.Target`.)"""

from __future__ import annotations

import numpy as np

from simulate.errors import InputError, ParameterError
from simulate.scenario import Scenario
from simulate.scenario.economy_model import Target
from simulate.text.messages import t


def target_gap(indicators: dict[str, np.ndarray], years: np.ndarray, target: Target, base_year: int) -> np.ndarray:
    """Signed distance to the target per trajectory, (B,): >= 0 where it is met.  ``base_year``: the
    scenario's base year (for targets written ``xbase``)."""
    if target.metric not in indicators:
        names = ", ".join(sorted(indicators))
        raise InputError(t("target {target}: unknown metric {metric}; choose one of: {names}", target=target,
                           metric=repr(target.metric), names=names))
    if not years[0] <= target.year <= years[-1]:
        raise InputError(t("target {target}: year {year} is outside the run {first}-{last}", target=target,
                           year=target.year, first=years[0], last=years[-1]))
    reference = target.reference_year(base_year)
    if reference is not None and not years[0] <= reference <= years[-1]:
        raise InputError(t("target {target}: reference year {year} is outside the run {first}-{last}", target=target,
                           year=reference, first=years[0], last=years[-1]))
    series = indicators[target.metric]
    value = series[:, np.searchsorted(years, target.year)]
    threshold = target_threshold(target, None if reference is None else series[:, np.searchsorted(years, reference)])
    return value - threshold if target.op == ">=" else threshold - value


def target_threshold(target: Target, reference_value: np.ndarray | float | None) -> np.ndarray | float:
    """The absolute value a target asks for, given the metric's value in the target's reference year
    (used if the target is relative)."""
    return target.value * (1.0 if reference_value is None else reference_value)


def require_targets(scenario: Scenario, targets: list[Target]) -> None:
    """At least one target, each inside the scenario's calendar (ParameterError naming ``targets``, or
    InputError with every year problem)."""
    if not targets:
        raise ParameterError("targets", None, t("none given: give a target such as labour_force@2040>=60e6, or a "
                                                "'targets:' block in the scenario"))
    problems = [t.year_problem(scenario.basis.jump_off_year, scenario.horizon, scenario.base_year) for t in targets]
    if any(problems):
        raise InputError([p for p in problems if p])


def parse_targets(targets: list[str | Target] | None) -> list[Target]:
    """Targets as given (text such as ``labour_force@2040>=60e6`` parsed; ParameterError naming
    ``targets`` if one does not parse); empty when none are given."""
    if isinstance(targets, (str, Target)):
        targets = [targets]
    if targets is not None and not isinstance(targets, (list, tuple)):
        raise ParameterError("targets", str(targets)[:60], t("give a list of targets such as {example}",
                                                             example="labour_force@2040>=60e6"))
    parsed = []
    for target in targets or []:
        try:
            if not isinstance(target, (str, Target)):
                raise ValueError(t("target {target} is not like 'labour_force@2040>=60e6', 'gdp@2040>=1.2x2017' or "
                                   "'gdp@2040>=1.2xbase'", target=repr(target)[:60]))
            parsed.append(target if isinstance(target, Target) else Target.parse(target))
        except ValueError as error:
            raise ParameterError("targets", None, str(error)) from None
    return parsed


def target_status(indicators, targets: list[Target], base_year: int) -> list[dict]:
    """Whether one run (an ``indicators.csv`` frame) meets each target: target, achieved, margin, met."""
    arrays = {c: indicators[c].to_numpy()[None, :] for c in indicators.columns if c != "year"}
    years = indicators["year"].to_numpy()
    rows = []
    for target in targets:
        gap = float(target_gap(arrays, years, target, base_year)[0])
        achieved = float(arrays[target.metric][0, np.searchsorted(years, target.year)])
        rows.append({"target": str(target), "achieved": achieved, "margin": gap, "met": gap >= 0})
    return rows


def check_targets(results: list) -> list:
    """Fill each run's ``targets`` with the status of its scenario's own targets; returns ``results``."""
    for result in results:
        result.targets = target_status(result.indicators, result.scenario.targets, result.scenario.base_year)
    return results
