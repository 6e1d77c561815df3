"""Odds where people ask questions: the lever value that meets a target in at least a chosen share
of futures, and the frontier of two levers that meets it.

The share of futures meeting a target at a lever value is counted over a forecast's trajectories
(:mod:`simulate.futures.setup`) of the scenario with the lever set.  Every value is tried with the
same draws and shocks (common random numbers: the seed), so the share moves only with the lever;
it is a step function of the lever, so the answer is bracketed on a grid and then bisected to the
step where the share first reaches the odds.  The forecast is centred on the scenario's own
assumptions with the lever set (:data:`~simulate.futures.paths.SCENARIO`), so every lever moves the
futures, the TFR's included: its lever sets the centre the TFR wanders around.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate.backcasting import lever_setup, solve, with_lever

from simulate.targets import target_gap
from simulate.errors import NotBinding, ParameterError, Range, TargetNotMet
from simulate.feasibility import impossible
from simulate.futures.paths import SCENARIO
from simulate.futures.setup import scenario_forecast
from simulate.pipeline import run_inputs
from simulate.scenario import Scenario
from simulate.scenario.economy_model import Target
from simulate.scenario.levers import LEVERS
from simulate.text.messages import t

#: Lever values tried first, and the bisection steps after (the bracket shrinks 2^steps times).
GRID_POINTS = 9
BISECTIONS = 14
#: Points along the first lever of a frontier.
FRONTIER_POINTS = 9
#: Trajectories run through the engine at once.
BATCH = 1024


def check_lever(name: str) -> None:
    """ParameterError for an unknown lever."""
    if name not in LEVERS:
        raise ParameterError("lever", name, t("unknown lever; choose one of: {names}", names=", ".join(LEVERS)),
                             allowed=tuple(LEVERS))


def check_odds(odds: float) -> None:
    if isinstance(odds, bool) or not isinstance(odds, (int, float)) or not 0.0 < odds < 1.0:
        raise ParameterError("odds", odds, t("must lie strictly between 0 and 1 (0.8: in at least 80 % of futures)"),
                             allowed=Range(0.0, 1.0))


def met_share(scenario: Scenario, targets: list[Target], n: int, seed: int) -> float:
    """Share of the possible futures of the scenario's forecast (``n`` trajectories from ``seed``)
    that meet every target."""
    inputs = scenario_forecast(scenario, seed, SCENARIO)
    values = inputs.draw(n)
    met, possible = [], []
    for start in range(0, n, BATCH):
        demography, economy = inputs.batch(values[start:start + BATCH])
        projection, indicators = run_inputs(demography, economy)  # every core; same numbers
        gaps = np.stack([target_gap(indicators, projection.years, x, scenario.base_year) for x in targets])
        ok = ~impossible(projection, indicators)
        met.append(np.all(gaps >= 0, axis=0) & ok)
        possible.append(ok)
    met, possible = np.concatenate(met), np.concatenate(possible)
    return float(met.sum() / possible.sum()) if possible.any() else float("nan")


@dataclass
class OddsSolution:
    """The lever ``value`` (in ``unit``) at which the targets are met in a share ``achieved`` >=
    ``odds`` of the futures, the bracket it was bisected in, the shares of the first grid (``grid``:
    value, share), the runs it took (``evaluations``) and the scenario with the lever set."""

    lever: str
    unit: str
    value: float
    odds: float
    achieved: float
    bracket: tuple[float, float]
    grid: pd.DataFrame
    evaluations: int
    n: int
    seed: int
    scenario: Scenario


def solve_odds(scenario: Scenario, lever_name: str, targets: list[Target], odds: float,
               search_range: tuple[float, float] | None = None, n: int = 1000, seed: int = 1) -> OddsSolution:
    """The smallest change of ``lever_name`` within ``search_range`` that meets every target in at
    least ``odds`` of the futures (TargetNotMet, exit 1, if no value in the range does, or every one does)."""
    check_lever(lever_name)
    check_odds(odds)
    lever, lo, hi, year = lever_setup(scenario, lever_name, targets, search_range)

    def share(value: float) -> float:
        return met_share(with_lever(scenario, lever, float(value), year), targets, n, seed)

    grid = np.linspace(lo, hi, GRID_POINTS)
    shares = np.array([share(v) for v in grid])
    evaluations = len(grid)
    table = pd.DataFrame({"value": grid, "share": shares})
    reached = shares >= odds
    words = t(", ").join(x.phrase(None, scenario.base_year) for x in targets)
    if not reached.any():
        best = int(np.nanargmax(shares))
        raise TargetNotMet(t("{targets}: met in at most {share} % of futures with {lever} from {low} to {high} (at "
                             "{best}), short of the {odds} % asked", targets=words, share=f"{100 * shares[best]:.1f}",
                             lever=lever.name_in(), low=f"{lo:g}", high=f"{hi:g}", best=f"{grid[best]:g}",
                             odds=f"{100 * odds:g}"))
    if reached.all():
        raise NotBinding(t("{targets}: met in at least {odds} % of futures for every value of {lever} from {low} to "
                             "{high}: the lever is not binding in this range", targets=words, odds=f"{100 * odds:g}",
                             lever=lever.name_in(), low=f"{lo:g}", high=f"{hi:g}"))
    rising = not reached[0]
    if rising:
        i = int(np.argmax(reached))
        short, enough = grid[i - 1], grid[i]
    else:
        i = int(np.argmin(reached))
        short, enough = grid[i], grid[i - 1]
    achieved = float(shares[i if rising else i - 1])
    for _ in range(BISECTIONS):
        middle = (short + enough) / 2.0
        found = share(middle)
        evaluations += 1
        if found >= odds:
            enough, achieved = middle, found
        else:
            short = middle
    return OddsSolution(lever=lever.name, unit=lever.unit, value=float(enough), odds=odds, achieved=achieved,
                        bracket=tuple(sorted((float(short), float(enough)))), grid=table, evaluations=evaluations,
                        n=n, seed=seed, scenario=with_lever(scenario, lever, float(enough), year))


def frontier(scenario: Scenario, first: str, second: str, targets: list[Target], odds: float | None = None,
             first_range: tuple[float, float] | None = None, second_range: tuple[float, float] | None = None,
             n: int = 1000, seed: int = 1, progress=iter) -> pd.DataFrame:
    """The combinations of two levers that just meet the targets (an isoquant): for
    :data:`FRONTIER_POINTS` values of ``first`` across its range, the value of ``second`` that meets
    them (with ``odds``: in at least that share of futures; else in the scenario itself).  Columns:
    ``first``, ``second`` and ``status`` (``met``, ``out_of_reach``, ``not_binding``)."""
    if first == second:
        raise ParameterError("lever", second, t("the two levers of a frontier must differ"))
    for name in (first, second):
        check_lever(name)
    if odds is not None:
        check_odds(odds)
    lever, lo, hi, year = lever_setup(scenario, first, targets, first_range)
    rows = []
    for value in progress(np.linspace(lo, hi, FRONTIER_POINTS)):
        moved = with_lever(scenario, lever, float(value), year)
        try:
            answer = (solve_odds(moved, second, targets, odds, second_range, n, seed).value if odds is not None
                      else solve(moved, second, targets, second_range).value)
            status = "met"
        except NotBinding:
            answer, status = float("nan"), "not_binding"
        except TargetNotMet:
            answer, status = float("nan"), "out_of_reach"
        rows.append({first: float(value), second: answer, "status": status})
    return pd.DataFrame(rows)

