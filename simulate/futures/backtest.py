"""The back-test: forecasts from past origins, scored against what happened afterwards.

For each origin (Japanese nationals, :func:`~simulate.futures.setup.nationals_forecast`) the
forecast's quantiles of each :data:`SCORED` indicator are compared with the observed value at
horizons 1-:data:`MAX_HORIZON` years, as far as the data go (TFR and life expectancy to 2024, the
nationals' population to 2020, births to 2024).  Per indicator and horizon:

- **coverage** of the central 50, 80 and 95 % intervals: the share of origins whose outcome fell
  inside (a calibrated 80 % interval covers about 80 %);
- **error** of the median, % of the outcome (life expectancy: years), its mean (**bias**) and the
  median of its absolute value;
- the **interval score** of the 80 % interval (Gneiting & Raftery 2007, JASA 102:359): its width
  plus 2/0.2 times any miss, % of the outcome (years for life expectancy), lower is better;
- beside it, the error of one **deterministic projection** from the same origin: the models'
  central path (fitted parameters, no shocks), the way a single official variant is made.

Cases are split by the year of the outcome: **guide** (up to :data:`GUIDE_LAST_YEAR`), which the
model's settings were chosen on, and **test** (later), which they were not.

**Okinawa.**  Its people joined the nationals' series when it returned to Japan in 1972, which no
demographic model forecasts: outcomes from 1972 on of a forecast made before are put on the
forecast's territory, by the share of each quantity's 1 January 1973 count living outside Okinawa
(HMD gives that date on both territories; :func:`territory_factors`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from simulate import data
from simulate.demography.base import nationals_oct1
from simulate.futures.series import LAST_HMD_POPULATION, births_history, e0_history, tfr_history
from simulate.demography.history import birth_allowance
from simulate.futures.paths import HISTORY, ForecastInputs
from simulate.futures.setup import NATIONALS, nationals_forecast, scenario_forecast
from simulate.scenario import Scenario, load_scenario
from simulate.scenario.shipped import shipped_path
from simulate.indicators import SCORED  # what is scored lives with the indicators
from simulate.pipeline import run_inputs

#: Longest horizon scored, years.
MAX_HORIZON = 30
#: Outcomes up to this year guided the model's settings; later ones are the final test.
GUIDE_LAST_YEAR = 2015
#: Central intervals scored (their probability).
LEVELS = (0.5, 0.8, 0.95)
#: Trajectories per origin by default.
DEFAULT_N = 2000


#: The year Okinawa's population joined the nationals' series (its return, 15 May 1972).
REVERSION_YEAR = 1972


@lru_cache(maxsize=1)
def territory_factors() -> dict[str, float]:
    """Per scored quantity, the share of its count on 1 January 1973 living outside Okinawa (HMD's
    rows for the territory before and after; births: women aged 15-49; rates: 1)."""
    before, after = data.hmd_population_jan1(REVERSION_YEAR + 1, "-"), data.hmd_population_jan1(REVERSION_YEAR + 1, "+")

    def share(sexes: slice, first: int, last: int) -> float:
        return float(before[sexes, first:last].sum() / after[sexes, first:last].sum())
    return {"tfr": 1.0, "e0_male": 1.0, "e0_female": 1.0, "births": share(slice(1, 2), 15, 50),
            "population_total": share(slice(0, 2), 0, None), "population_0_14": share(slice(0, 2), 0, 15),
            "population_15_64": share(slice(0, 2), 15, 65), "population_65_plus": share(slice(0, 2), 65, None)}


@lru_cache(maxsize=1)
def observed_outcomes() -> dict[str, pd.Series]:
    """What happened, per :data:`SCORED` name, by year (Japanese nationals)."""
    populations = {}
    for year in range(1947, LAST_HMD_POPULATION):
        people = nationals_oct1(year)
        both = people.sum(axis=0)
        populations[year] = (both.sum(), both[:15].sum(), both[15:65].sum(), both[65:].sum())
    table = pd.DataFrame.from_dict(populations, orient="index",
                                   columns=["population_total", "population_0_14", "population_15_64",
                                            "population_65_plus"])
    return {"tfr": tfr_history(), "e0_male": e0_history("male"), "e0_female": e0_history("female"),
            "births": births_history(), **{name: table[name] for name in table}}


#: The shipped scenario whose basis (the 2015 census, births calibrated on 2016-2017) lets the
#: all-residents forecast start from past origins, and those origins (outcomes to 2024).
RESIDENTS_SCENARIO = "baseline"
RESIDENTS_ORIGINS = range(2017, 2024)


@lru_cache(maxsize=1)
def residents_outcomes() -> dict[str, pd.Series]:
    """What happened to all residents, by year: population on 1 October, births (registered births
    of Japanese nationals times the allowance for births to residents who are not, as the basis
    calibrates them), TFR and life expectancy."""
    observed = data.observed()
    return {"tfr": tfr_history(), "e0_male": e0_history("male"), "e0_female": e0_history("female"),
            "births": observed["births"] * birth_allowance(), "population_total": observed["population_oct1"]}


@lru_cache(maxsize=1)
def _residents_settings() -> dict:
    """:data:`RESIDENTS_SCENARIO` as resolved settings, read once per process."""
    return load_scenario(shipped_path(RESIDENTS_SCENARIO)).scenario.model_dump()


def residents_inputs(origin: int, longest: int, seed: int, centre: str) -> ForecastInputs:
    """The all-residents forecast of :data:`RESIDENTS_SCENARIO` with its history cut at ``origin``
    (the one that serves ``current``, on the basis that reaches back), to ``origin + longest + 1``."""
    cut = Scenario.model_validate(_residents_settings() | {
        "observed_until": origin, "horizon": origin + longest + 1, "report_years": [origin], "targets": []})
    return scenario_forecast(cut, seed, centre)


def forecast_values(origin: int, n: int, seed: int, central: bool = False, longest: int = MAX_HORIZON,
                    universe: str = NATIONALS, centre: str = HISTORY) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Years (origin .. origin + ``longest``) and every scored quantity (n, years) of a forecast from
    ``origin`` (Japanese nationals, or all residents centred on ``centre``); ``central``: one
    trajectory, fitted parameters and no shocks."""
    if universe == NATIONALS:
        inputs = nationals_forecast(origin, origin + longest + 1, seed)  # births of a calendar year end in the next
    else:
        inputs = residents_inputs(origin, longest, seed, centre)
    if central:
        inputs = dataclasses.replace(inputs, calm=True)
    values = inputs.central() if central else inputs.draw(n)
    demography, _ = inputs.batch(values)
    projection, people = run_inputs(demography, None)  # the one engine path; the economy is not scored
    first = list(projection.years).index(origin)  # all residents: the history before the origin is left out
    years = projection.years[first:]
    people = {name: people[name][:, first:] for name in people}
    nan = np.full((len(values), 1), np.nan)
    births = people["births"]
    calendar_births = 0.75 * births + 0.25 * np.concatenate([births[:, 1:], nan], axis=1)  # Jan-Dec of each year
    out = {"tfr": np.concatenate([nan, demography.tfr], axis=1),
           "e0_male": np.concatenate([nan, demography.e0[:, :, 0]], axis=1),
           "e0_female": np.concatenate([nan, demography.e0[:, :, 1]], axis=1), "births": calendar_births}
    out |= {name: people[name] for name in SCORED if name in people and name != "births"}
    return years, out


def _interval(values: np.ndarray, level: float) -> tuple[float, float]:
    return tuple(np.quantile(values, [(1 - level) / 2, (1 + level) / 2]))


def case_rows(origin: int, n: int, seed: int, horizons: tuple[int, ...] = tuple(range(1, MAX_HORIZON + 1)),
              universe: str = NATIONALS, centre: str = HISTORY) -> list[dict]:
    """One row per scored indicator and horizon (of ``horizons``, years) with an outcome: the
    forecast's median and intervals, the central path, the outcome."""
    nationals = universe == NATIONALS
    outcomes = observed_outcomes() if nationals else residents_outcomes()
    territory = territory_factors() if nationals and origin < REVERSION_YEAR else {name: 1.0 for name in SCORED}
    longest = max(horizons)
    years, drawn = forecast_values(origin, n, seed, longest=longest, universe=universe, centre=centre)
    _, central = forecast_values(origin, 1, seed, central=True, longest=longest, universe=universe, centre=centre)
    rows = []
    for name, kind in SCORED.items():
        for h in horizons:
            year = origin + h
            if (name not in outcomes or year not in outcomes[name].index or h >= drawn[name].shape[1]
                    or not np.isfinite(drawn[name][:, h]).all()):
                continue
            values = drawn[name][:, h]
            factor = territory[name] if year >= REVERSION_YEAR else 1.0
            row = {"origin": origin, "indicator": name, "horizon": h, "year": year, "kind": kind,
                   "observed": factor * float(outcomes[name][year]), "median": float(np.median(values)),
                   "central": float(central[name][0, h])}
            for level in LEVELS:
                row[f"low_{level}"], row[f"high_{level}"] = _interval(values, level)
            rows.append(row)
    return rows


def _error(frame: pd.DataFrame, column: str) -> pd.Series:
    """Error of ``column`` against the outcome: % of the outcome, or in the unit ("abs" rows)."""
    diff = frame[column] - frame["observed"]
    return diff.where(frame["kind"] == "abs", 100.0 * diff / frame["observed"])


def score(cases: pd.DataFrame) -> pd.DataFrame:
    """Per period (guide, test), indicator and horizon: cases, coverage per level, the median's bias
    and median absolute error, the 80 % interval score, the central path's bias and median absolute
    error."""
    cases = cases.assign(period=np.where(cases["year"] <= GUIDE_LAST_YEAR, "guide", "test"))
    scale = np.where(cases["kind"] == "abs", 1.0, 100.0 / cases["observed"])
    low, high, y = cases["low_0.8"], cases["high_0.8"], cases["observed"]
    cases["interval_score"] = scale * ((high - low) + 10.0 * np.maximum(low - y, 0) + 10.0 * np.maximum(y - high, 0))
    cases["error"] = _error(cases, "median")
    cases["central_error"] = _error(cases, "central")
    for level in LEVELS:
        cases[f"inside_{level}"] = (cases[f"low_{level}"] <= y) & (y <= cases[f"high_{level}"])
    order = {name: i for i, name in enumerate(SCORED)}
    cases = cases.sort_values(["period", "indicator", "horizon"], key=lambda c: c.map(order) if c.name == "indicator"
                              else c, kind="stable")
    grouped = cases.groupby(["period", "indicator", "horizon"], sort=False)
    table = grouped.agg(cases=("origin", "size"), **{f"coverage_{level}": (f"inside_{level}", "mean") for level in LEVELS},
                        bias=("error", "mean"), error=("error", lambda e: e.abs().median()),
                        interval_score=("interval_score", "mean"), central_bias=("central_error", "mean"),
                        central_error=("central_error", lambda e: e.abs().median()))
    return table.reset_index()


@dataclass
class Backtest:
    """The cases (one row per origin, indicator and horizon) and their scores."""

    cases: pd.DataFrame
    scores: pd.DataFrame

    def records(self) -> list[dict]:
        """The scores as records: indicator, horizon, level, coverage, and the rest per record."""
        out = []
        for row in self.scores.to_dict("records"):
            for level in LEVELS:
                out.append({"period": row["period"], "indicator": row["indicator"], "horizon": int(row["horizon"]),
                            "level": level, "coverage": float(row[f"coverage_{level}"]), "cases": int(row["cases"]),
                            "bias": float(row["bias"]), "median_abs_error": float(row["error"]),
                            "interval_score_80": float(row["interval_score"]),
                            "central_median_abs_error": float(row["central_error"]),
                            "error_unit": "years" if SCORED[row["indicator"]] == "abs" else "% of outcome"})
        return out


def backtest(origins: list[int], n: int = DEFAULT_N, seed: int = 1, progress=iter,
             horizons: tuple[int, ...] = tuple(range(1, MAX_HORIZON + 1)), universe: str = NATIONALS,
             centre: str = HISTORY) -> Backtest:
    """Forecast from every origin and score them at ``horizons`` (years; :func:`score`): Japanese
    nationals, or all residents (origins :data:`RESIDENTS_ORIGINS`) centred on ``centre``."""
    rows = []
    for origin in progress(origins):
        rows += case_rows(origin, n, seed, horizons, universe, centre)
    cases = pd.DataFrame(rows)
    return Backtest(cases=cases, scores=score(cases))
