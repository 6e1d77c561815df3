"""Honest odds: probabilistic forecasts learned from Japan's own history, and the back-test that
shows how often their bands would have held (:mod:`simulate.futures`)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from simulate.api.designs import (DEFAULT_CHUNK, DEFAULT_SEED, EnsembleResult, Execution, _begin_loaded, _figure,
                                  _plain_reason, _staged, require_some_possible)
from simulate.api.scenarios import ORIGIN, Figures, ScenarioLike, formats, load_with, refuse_ignored
from simulate.targets import parse_targets
from simulate.calendar import last_observed_year
from simulate.errors import ParameterError, Range
from simulate.futures import backtest as scoring
from simulate.futures.origin import FIRST_ORIGIN, LAST_NATIONALS_ORIGIN
from simulate.futures.paths import CENTRES, HISTORY, MODEL_PARAMETERS, SCENARIO, ForecastInputs
from simulate.futures.questions import (BISECTIONS, FRONTIER_POINTS, GRID_POINTS, OddsSolution, check_lever, check_odds,
                                        solve_odds)
from simulate.futures.questions import frontier as solve_frontier
from simulate.futures.setup import NATIONALS, RESIDENTS, nationals_forecast, scenario_forecast, scenario_usable_at
from simulate.indicators import NAMES
from simulate.names import answer_asked, answer_name, rerun_name
from simulate.official import BESIDE_YEARS, percentiles
from simulate.plots.kinds import FAN_INDICATORS
from simulate.report.designs import (backtest_sentences, backtest_table, design_report, ensemble_sentences,
                                     ensemble_table, forecast_sentences, official_sentences, official_table)
from simulate.report.uncertainty import fill_folder, metadata, samples_frame, scenario_yaml, start_figures
from simulate.plots.render import frontier_figure
from simulate.report.csvfiles import write_csv
from simulate.report.publishing import atomic_directory
from simulate.scenario import Scenario
from simulate.scenario.sections import Words
from simulate.scenario.loader import LoadedScenario
from simulate.scenario.economy_model import Target
from simulate.text.reprs import html_view, short_repr
from simulate.text.jsontext import json_text
from simulate.text.messages import in_use, t
from simulate.text.numbers import LANGUAGES
from simulate.uncertainty.ensemble import (DEFAULT_MEMORY_GB, check_memory, in_registry_order, quantile_table,
                                           run_inputs_design, target_probabilities)
from simulate.uncertainty.budget import COUNT_BYTES, check_batch, check_size
from simulate.uncertainty.store import STORE_NAME, check_disk
from simulate.indicators import SHOWN_HORIZONS as SCORED_HORIZONS
from simulate.indicators import scored_label as backtest_label  # noqa: F401 - simulate.api's name
from simulate.report.designs import PERIODS  # noqa: F401 - simulate.api's name
from simulate.machine import one_blas_thread


def _origins_allowed(scenario: Scenario) -> str:
    return t("{first}-{last} (Japanese nationals) or {own} (the scenario's own observed history)",
             first=FIRST_ORIGIN, last=LAST_NATIONALS_ORIGIN, own=scenario.history_end)


#: Settings that a forecast centred on the data alone does not use (it samples them), and the only
#: settings a forecast of Japanese nationals uses (it projects no scenario).
SAMPLED_SETTINGS = ("fertility.tfr", "fertility.mean_age_shift", "mortality")
NATIONALS_SETTINGS = ("name", "title", "description", "horizon")


def check_centre(centre: Any) -> None:
    if centre is not None and centre not in CENTRES:
        raise ParameterError("centre", centre, t("choose one of: {names}", names=", ".join(CENTRES)),
                             allowed=tuple(CENTRES))


def forecast_inputs(scenario: Scenario, origin: int | None, seed: int, centre: str | None = None) -> ForecastInputs:
    """The forecast of ``scenario`` from ``origin`` (default: its last observed year): from its own
    history when that ends there, else Japanese nationals from the origin (ParameterError if neither
    is possible).  ``centre`` (:data:`~simulate.futures.paths.CENTRES`): the scenario's own
    assumptions (the default where there is a scenario to centre on) or the data alone (the default,
    and the only centre, of a forecast of Japanese nationals)."""
    check_centre(centre)
    if origin is None or origin == scenario.history_end:
        return scenario_forecast(scenario, seed, centre or SCENARIO)
    if isinstance(origin, bool) or not isinstance(origin, int):
        raise ParameterError("origin", origin, t("must be a year"), allowed=Range(FIRST_ORIGIN, last_observed_year()))
    if origin >= scenario.horizon:
        raise ParameterError("origin", origin, t("must be before the scenario's horizon {horizon}",
                                                 horizon=scenario.horizon), allowed=Range(FIRST_ORIGIN, scenario.horizon - 1))
    if scenario_usable_at(scenario, origin) and origin <= last_observed_year():
        return scenario_forecast(Scenario.model_validate(scenario.model_dump() | {"observed_until": origin}), seed,
                                 centre or SCENARIO)
    if FIRST_ORIGIN <= origin <= LAST_NATIONALS_ORIGIN:
        if centre == SCENARIO:
            raise ParameterError("centre", centre, t(
                "a forecast of Japanese nationals from {origin} has no scenario to centre on (it starts from their "
                "own history); use {centre} {history}, or the origin {own}", origin=origin, history=HISTORY,
                own=scenario.history_end, centre="{centre}"), allowed=(HISTORY,))
        return nationals_forecast(origin, scenario.horizon, seed)
    raise ParameterError("origin", origin, t("the data allow origins {allowed}", allowed=_origins_allowed(scenario)),
                         allowed=Range(FIRST_ORIGIN, last_observed_year()))


@dataclass(repr=False)
class ForecastResult(EnsembleResult):
    """An ensemble of what nobody controls (:class:`~simulate.api.designs.EnsembleResult`: quantiles,
    samples with each trajectory's model parameters, target odds, the store), with the fitted
    ``inputs``: models, origin and universe."""

    inputs: ForecastInputs | None = None
    #: Where the official projections fall in this forecast (:func:`beside_official`).
    official: pd.DataFrame | None = None

    @property
    def origin(self) -> int:
        return self.inputs.origin

    @property
    def universe(self) -> str:
        return self.inputs.universe

    @property
    def centre(self) -> str:
        """``scenario`` or ``history``: what the futures wander around (:data:`CENTRES`)."""
        return self.inputs.centre

    def official_words(self, lang: str = "en") -> list[str]:
        """Where the official projections fall in this forecast, in sentences (none for nationals)."""
        return official_sentences(self.official, lang) if self.official is not None else []

    def __repr__(self) -> str:
        n, years = len(self.ensemble.values), self.ensemble.years
        return short_repr(f"<ForecastResult of {self.scenario.name} from {self.origin} ({self.universe}, {self.centre}): "
                f"{n:,} trajectories, "
                f"years {years[0]}-{years[-1]}; .quantiles, .samples, .targets, .to_xarray()>")


def refuse_unused(loaded: LoadedScenario, inputs: ForecastInputs) -> None:
    """ParameterError naming the first setting changed on top of the scenario's files (``--set``, a
    what-if ``NAME+KEY=VALUE``, keyword overrides) that this forecast would not use: it must change
    the answer or be refused, never be dropped under the what-if's name."""
    for key, value in loaded.overrides:
        if inputs.universe == NATIONALS and key.split(".")[0] not in NATIONALS_SETTINGS:
            raise ParameterError(key, value, t(
                "a forecast of Japanese nationals from {origin} starts from their own history and does not use "
                "the scenario's settings; drop it, or forecast from the scenario's own origin {own}",
                origin=inputs.origin, own=loaded.scenario.history_end))
        if inputs.centre == HISTORY and any(key == s or key.startswith(s + ".") for s in SAMPLED_SETTINGS):
            raise ParameterError(key, value, t(
                "a forecast centred on the data alone samples fertility and mortality from Japan's history and "
                "would not use it; centre it on the scenario ({centre} {scenario}) or drop the setting",
                centre="{centre}", scenario=SCENARIO))


@one_blas_thread()
def forecast(scenario: ScenarioLike = "current", n: int = 1000, seed: int = DEFAULT_SEED, origin: int | None = None,
             keep_ages: bool = False, execution: Execution | None = None, out: str | Path | None = None,
             figures: Figures = False, lang: str = "en", overrides: Mapping[str, Any] | None = None,
             chunk: int | None = None, centre: str | None = None, **more: Any) -> ForecastResult:
    """A probabilistic projection: fertility, mortality and migration sampled year by year from
    models fitted on the data up to ``origin`` (default: the scenario's last observed year); the
    scenario's levers and economy stay its own.  ``centre``: ``"scenario"`` (the default) wanders
    around the scenario's own TFR, life expectancy and migration, so the odds answer "if these
    assumptions are the centre"; ``"history"`` is the unconditional forecast from the data alone
    (the only one from a nationals origin).  A setting the forecast would not use is refused.
    Written like an ensemble with ``out`` (``out/<name>_forecast_n<N>-seed<S>[-history][-origin<Y>]/``)."""
    execution = execution or Execution(chunk=chunk or DEFAULT_CHUNK)
    check_size(n, seed)
    check_centre(centre)
    start, found, runner = _begin_loaded(scenario, execution, figures, out, dict(overrides or {}) | more, ORIGIN)
    loaded = refuse_ignored(found).scenario
    inputs = forecast_inputs(loaded, origin, seed, centre)
    refuse_unused(found, inputs)
    check_memory(n, len(inputs.years) - 1, len(MODEL_PARAMETERS), keep_ages, execution.chunk,
                 execution.max_memory_gb, in_memory=out is None, processes=runner.local_processes)
    values = inputs.draw(n)
    question = (f"n{n} seed{seed}" + (" history" if inputs.centre == HISTORY and inputs.universe == RESIDENTS else "")
                + (f" origin{origin}" if origin is not None else "") + (" ages" if keep_ages else ""))
    target = None if out is None else Path(out) / answer_name(loaded.name, "forecast", question)
    if target is not None:
        check_disk(target.parent, n, len(inputs.years), keep_ages)
    residents = inputs.universe == RESIDENTS
    with _staged(target, answer_asked(loaded.name, "forecast", question)) as staging:
        result = run_inputs_design(inputs, values, MODEL_PARAMETERS, loaded.name, loaded.base_year, start,
                                   execution.chunk, runner, keep_ages, execution.chunks,
                                   None if staging is None else staging / STORE_NAME)
        left_out = require_some_possible(result, "trajectories")
        fans = quantile_table(result, FAN_INDICATORS)
        label = forecast_title(inputs, lang)
        drawing = None if staging is None else start_figures(
            staging, [(_figure("ensemble_figures"), (fans, label, lang))] if formats(figures) and residents else [],
            formats(figures))
        rest = quantile_table(result, [name for name in NAMES if name not in FAN_INDICATORS])
        quantiles = in_registry_order(fans, rest)
        odds = target_probabilities(result, loaded.targets, loaded.base_year) if residents else []
        official = beside_official(result, inputs, values) if residents else percentiles({}, np.array([], dtype=int))
        targets = pd.DataFrame(odds, columns=["target", "probability"])
        samples = samples_frame(result)
        if staging is not None:
            meta = metadata(loaded, {"question": question, "n": n, "seed": seed, "origin": inputs.origin,
                                     "universe": inputs.universe, "centre": inputs.centre,
                                     "centre_words": t(CENTRES[inputs.centre], "en"), "chunk": execution.chunk, "backend": runner.name,
                                     "keep_ages": keep_ages, "targets": odds, "impossible": left_out,
                                     "inputs": _plain_reason(result), "models": model_record(inputs),
                                     "timings_s": {k: round(v, 4) for k, v in result.timings_s.items()}})
            meta["parameters"] = {name: p.describe() for name, p in MODEL_PARAMETERS.items()}
            meta["official"] = official.drop(columns="label").to_dict(orient="records")
            sentences = {language: forecast_sentences(inputs.origin, inputs.universe, inputs.centre, language)
                         + ensemble_sentences(quantiles, [(target.phrase(language, loaded.base_year), row["probability"])
                                                          for target, row in zip(loaded.targets, odds)], n, language)
                         + official_sentences(official, language) for language in LANGUAGES}
            meta["summary"] = {language: found[0] for language, found in sentences.items()}
            fill_folder(staging, {"quantiles.csv": quantiles, "samples.csv": samples, "targets.csv": targets},
                        drawing, start, meta, "forecast.json", lambda figs: design_report(
                            "forecast", loaded.label_in(lang), sentences[lang], {}, ensemble_table(quantiles, lang),
                            figs, lang, official_table(official, lang), scenario=loaded))
    return ForecastResult(ensemble=result, quantiles=quantiles, samples=samples, targets=targets, scenario=loaded,
                          inputs=inputs, impossible=left_out, backend=runner.name, folder=target, official=official)


#: Trajectories whose sampled inputs are drawn again at once to set them beside the official projections.
BESIDE_CHUNK = 8192


def beside_official(result, inputs: ForecastInputs, values) -> pd.DataFrame:
    """Where IPSS 2023's variants and the UN's WPP 2024 median and bands fall in this forecast
    (:func:`simulate.official.percentiles`), in the years it reaches: population from the possible
    trajectories, TFR and life expectancy from the sampled inputs (drawn again, chunk by chunk, the
    same numbers)."""
    years = [y for y in BESIDE_YEARS if y in set(int(v) for v in inputs.years) and y > inputs.origin]
    if not years:
        return percentiles({}, np.array([], dtype=int))
    position = [list(inputs.years).index(y) for y in years]
    step = [y - inputs.origin - 1 for y in years]
    possible = result.possible
    draws = {"population_total": np.asarray(result.indicators["population_total"])[possible][:, position]}
    parts = {"tfr": [], "e0_male": [], "e0_female": []}
    for first in range(0, len(values), BESIDE_CHUNK):
        drawn = inputs.paths(values[first:first + BESIDE_CHUNK])
        keep = possible[first:first + BESIDE_CHUNK]
        parts["tfr"].append(drawn["tfr"][keep][:, step])
        parts["e0_male"].append(drawn["e0"][keep][:, step, 0])
        parts["e0_female"].append(drawn["e0"][keep][:, step, 1])
    draws |= {name: np.concatenate(chunks) for name, chunks in parts.items()}
    return percentiles(draws, np.array(years))


def forecast_title(inputs: ForecastInputs, lang: str) -> str:
    """The title of a forecast's figures: its origin, universe and centre."""
    return t("Forecast from {origin}, {universe}, {centre}", lang, origin=inputs.origin,
             universe=t(inputs.universe, lang), centre=t(CENTRES[inputs.centre], lang))


def model_record(inputs: ForecastInputs) -> dict:
    """The fitted models, for the folder's JSON record."""
    tfr, kappa, migration = inputs.tfr, inputs.kappa, inputs.migration
    return {"centre": inputs.centre,
            "tfr": {"model": "damped trend of log TFR, pulled toward the fitted window's mean", "years": list(tfr.years),
                    "slope": tfr.slope, "slope_se": tfr.slope_se, "sigma": tfr.s2 ** 0.5, "damping": tfr.damping,
                    "last": tfr.last, "level": tfr.level, "reversion": tfr.reversion},
            "mortality": {"model": "Lee-Carter, kappa a random walk with drift; the sex gap a random walk with drift",
                          "years": list(kappa.years), "drift": kappa.drift, "drift_se": kappa.drift_se,
                          "sigma": kappa.sigma, "shock_years_left_out": list(kappa.left_out),
                          "sex_gap_drift": kappa.gap_drift, "sex_gap_sigma": kappa.gap_sigma},
            "migration": {"model": "AR(1) around the central path", "sd": migration.sd, "rho": migration.rho,
                          "start": migration.start}}


#: The all-residents back-test's origins.
RESIDENTS_ORIGINS = scoring.RESIDENTS_ORIGINS
#: Trajectories per origin of the back-test by default, and the horizons its tables show.
BACKTEST_N, SHOWN_HORIZONS = scoring.DEFAULT_N, SCORED_HORIZONS
#: The back-test's default origins and horizons (years).
DEFAULT_ORIGINS = "1960:2015:5"
DEFAULT_HORIZONS = f"1:{scoring.MAX_HORIZON}"


def parse_horizons(horizons: str | Iterable[int]) -> tuple[int, ...]:
    """``"FIRST:LAST"``, ``"H1,H2,..."`` or whole numbers -> the horizons, years (ParameterError
    outside 1-:data:`~simulate.futures.backtest.MAX_HORIZON`)."""
    allowed = Range(1, scoring.MAX_HORIZON)
    if isinstance(horizons, str):
        text = horizons.strip()
        if match := re.fullmatch(r"(\d{1,3}):(\d{1,3})", text):
            found = list(range(int(match[1]), int(match[2]) + 1))
        elif re.fullmatch(r"\d{1,3}(,\d{1,3})*", text):
            found = [int(h) for h in text.split(",")]
        else:
            raise ParameterError("horizons", horizons, t("expected FIRST:LAST (e.g. {example}) or whole numbers of "
                                                         "years separated by commas", example=DEFAULT_HORIZONS),
                                 allowed=allowed)
    else:
        found = list(horizons)
    if not found or any(isinstance(h, bool) or not isinstance(h, int) or not 1 <= h <= scoring.MAX_HORIZON
                        for h in found):
        raise ParameterError("horizons", horizons, t("horizons must be whole numbers of years from 1 to {last}",
                                                     last=scoring.MAX_HORIZON), allowed=allowed)
    return tuple(sorted(set(found)))


#: The back-test's universes by their names on the command line.
UNIVERSES = {"nationals": NATIONALS, "residents": RESIDENTS}


def parse_origins(origins: str | Iterable[int], universe: str = "nationals") -> list[int]:
    """``"FIRST:LAST:STEP"``, ``"Y1,Y2,..."`` or years -> the origins (ParameterError if any is
    outside the data of the ``universe``, :data:`UNIVERSES`)."""
    if isinstance(origins, str):
        text = origins.strip()
        if match := re.fullmatch(r"(\d{4}):(\d{4})(?::(\d+))?", text):
            first, last, step = int(match[1]), int(match[2]), int(match[3] or 1)
            if step < 1 or last < first:
                raise ParameterError("origins", origins, t("expected FIRST:LAST:STEP with FIRST <= LAST and STEP >= 1"))
            years = list(range(first, last + 1, step))
        elif re.fullmatch(r"\d{4}(,\d{4})*", text):
            years = [int(y) for y in text.split(",")]
        else:
            raise ParameterError("origins", origins, t("expected FIRST:LAST:STEP (e.g. {example}) or years separated "
                                                       "by commas", example=DEFAULT_ORIGINS))
    else:
        try:
            given = list(origins)
        except TypeError:
            given = [origins]
        if not given or any(isinstance(y, bool) or not isinstance(y, (int, np.integer)) for y in given):
            raise ParameterError("origins", str(origins)[:80], t("origins are whole years, e.g. {example}",
                                                                  example="[1990, 2000]"))
        years = [int(y) for y in given]
    if universe == "residents":
        first, last = scoring.RESIDENTS_ORIGINS[0], scoring.RESIDENTS_ORIGINS[-1]
        if not years or any(not first <= y <= last for y in years):
            raise ParameterError("origins", origins, t(
                "origins of all residents must lie in {first}-{last}: the 2015 census basis calibrates its births on "
                "2016-2017, and the observations end in {end}", first=first, last=last, end=last + 1),
                allowed=Range(first, last))
        return sorted(set(years))
    outside = [y for y in years if not FIRST_ORIGIN <= y <= LAST_NATIONALS_ORIGIN - 1]
    if not years or outside:
        raise ParameterError("origins", origins, t(
            "origins must lie in {first}-{last}: the back-test needs an outcome after each (the data of Japanese "
            "nationals' population end in {end})", first=FIRST_ORIGIN, last=LAST_NATIONALS_ORIGIN - 1,
            end=LAST_NATIONALS_ORIGIN), allowed=Range(FIRST_ORIGIN, LAST_NATIONALS_ORIGIN - 1))
    return sorted(set(years))


@dataclass(repr=False)
class BacktestResult:
    """The back-test: ``scores`` (period, indicator, horizon, coverage per level, bias, errors,
    interval score, the central path's errors), ``cases`` (one row per origin, indicator and
    horizon), ``records`` (the scores as one record per level) and the ``folder`` written."""

    scores: pd.DataFrame
    cases: pd.DataFrame
    records: list[dict]
    origins: list[int]
    n: int
    seed: int
    folder: Path | None = None
    #: Japanese nationals or all residents, and (for all residents) what the forecasts centred on.
    universe: str = NATIONALS
    centre: str = HISTORY

    def to_pandas(self) -> pd.DataFrame:
        return self.scores

    def __repr__(self) -> str:
        return short_repr(f"<BacktestResult: {len(self.origins)} origins {self.origins[0]}-{self.origins[-1]}, "
                        f"{self.n:,} trajectories each; .scores, .cases, .records>")

    def _repr_html_(self) -> str:
        return html_view(repr(self), self.scores)


@one_blas_thread()
def backtest(origins: str | Iterable[int] = DEFAULT_ORIGINS, n: int = BACKTEST_N, seed: int = DEFAULT_SEED,
             out: str | Path | None = None, figures: Figures = False, lang: str = "en",
             progress: Callable[..., Iterable] | None = None,
             horizons: str | Iterable[int] = DEFAULT_HORIZONS, universe: str = "nationals",
             centre: str | None = None) -> BacktestResult:
    """Forecast Japanese nationals from every origin with data up to it only, and score the bands
    against what happened at ``horizons`` (years; :mod:`simulate.futures.backtest`).  With ``out``,
    writes ``out/backtest_<origins>_n<N>-seed<S>[-h<FIRST>-<LAST>]/``: ``scores.csv``, ``cases.csv``,
    ``backtest.json``, the coverage figure and ``report.html``."""
    if universe not in UNIVERSES:
        raise ParameterError("universe", universe, t("choose one of: {names}", names=", ".join(UNIVERSES)),
                             allowed=tuple(UNIVERSES))
    check_centre(centre)
    if universe == "nationals" and centre == SCENARIO:
        raise ParameterError("centre", centre, t("a back-test of Japanese nationals has no scenario to centre on; use "
                                                 "{centre} {history}, or {universe} residents", centre="{centre}",
                                                 history=HISTORY, universe="{universe}"), allowed=(HISTORY,))
    centre = centre or HISTORY
    years = parse_origins(origins, universe)
    steps = parse_horizons(horizons)
    check_size(n, seed)
    check_batch(n, steps[-1] + 1, len(years), DEFAULT_MEMORY_GB)
    start = time.perf_counter()
    question = (f"{years[0]}-{years[-1]} {len(years)} origins n{n} seed{seed}"
                + ("" if steps == parse_horizons(DEFAULT_HORIZONS) else f" h{steps[0]}-{steps[-1]} {len(steps)}")
                + ("" if universe == "nationals" else f" residents {centre}"))
    target = None if out is None else Path(out) / answer_name("backtest", "origins", question)
    found = scoring.backtest(years, n, seed, progress or iter, steps, UNIVERSES[universe], centre)
    records = found.records()
    if target is not None:
        with atomic_directory(target, answer_asked("backtest", "origins", question)) as staging:
            drawing = start_figures(staging, [(_figure("backtest_figures"), (found.scores, lang))]
                                    if formats(figures) else [], formats(figures))
            meta = {"format": "quiet-crisis/backtest/1", "origins": years, "horizons": list(steps), "n": n, "seed": seed,
                    "guide_last_year": scoring.GUIDE_LAST_YEAR, "universe": UNIVERSES[universe], "centre": centre,
                    "records": records}
            sentences = {language: backtest_sentences(found.scores, language) for language in LANGUAGES}
            fill_folder(staging, {"scores.csv": found.scores, "cases.csv": found.cases}, drawing, start, meta,
                        "backtest.json", lambda figs: design_report(
                            "backtest", t("{count} origins, {universe}", lang, count=len(years),
                                          universe=t(UNIVERSES[universe], lang)),
                            sentences[lang], {}, backtest_table(found.scores, lang), figs, lang))
    return BacktestResult(scores=found.scores, cases=found.cases, records=records, origins=years, n=n, seed=seed,
                          folder=target, universe=UNIVERSES[universe], centre=centre)


@dataclass(repr=False)
class OddsBackcast:
    """A lever solved with odds: ``solution`` (value, share achieved, the first grid's shares), the
    targets, the scenario and the ``folder`` written (if any)."""

    solution: OddsSolution
    targets: list[Target]
    scenario: Scenario
    folder: Path | None = None

    @property
    def value(self) -> float:
        return self.solution.value

    @property
    def record(self) -> dict:
        s = self.solution
        return {"lever": s.lever, "unit": s.unit, "value": s.value, "odds": s.odds, "achieved": s.achieved,
                "bracket": list(s.bracket), "targets": [str(x) for x in self.targets], "n": s.n, "seed": s.seed,
                "evaluations": s.evaluations, "grid": s.grid.to_dict(orient="records")}

    def __repr__(self) -> str:
        s = self.solution
        return short_repr(f"<OddsBackcast of {self.scenario.name}: {s.lever} = {s.value:.4g} {s.unit} meets "
                        f"{', '.join(map(str, self.targets))} in {100 * s.achieved:.1f} % of {s.n:,} futures>")

    def _repr_html_(self) -> str:
        return html_view(repr(self), self.solution.grid)


@one_blas_thread()
def backcast_odds(scenario: ScenarioLike, lever: str, odds: float, targets: list[str | Target] | None = None,
                  search_range: tuple[float, float] | None = None, n: int = 1000, seed: int = DEFAULT_SEED,
                  out: str | Path | None = None, overrides: Mapping[str, Any] | None = None, origin: str = ORIGIN,
                  **more: Any) -> OddsBackcast:
    """The value of ``lever`` that meets ``targets`` in at least ``odds`` (0-1) of the futures of the
    scenario's forecast (``n`` trajectories from ``seed``).  With ``out``, writes
    ``out/<name>_backcast_<question>/``: ``backcast.json``, ``shares.csv`` and ``scenario.yaml``."""
    check_lever(lever)
    check_odds(odds)
    check_size(n, seed)
    loaded = refuse_ignored(load_with(scenario, dict(overrides or {}) | more, origin), levers=[lever],
                            targets_given=bool(targets)).scenario
    check_batch(n, loaded.horizon - loaded.basis.jump_off_year + 1, GRID_POINTS + BISECTIONS, DEFAULT_MEMORY_GB,
                COUNT_BYTES)
    parsed = parse_targets(targets) or list(loaded.targets)
    found = OddsBackcast(solve_odds(loaded, lever, parsed, odds, search_range, n, seed), parsed, loaded)
    if out is not None:
        question = " ".join([lever, f"odds{odds:g}", f"n{n}", f"seed{seed}"] + [str(x) for x in parsed])
        folder = Path(out) / answer_name(loaded.name, "backcast", question)
        with atomic_directory(folder, answer_asked(loaded.name, "backcast", question)) as staging:
            (staging / "backcast.json").write_text(json_text({"format": "quiet-crisis/backcast-odds/1"}
                                                             | found.record), encoding="utf-8")
            write_csv(found.solution.grid, staging / "shares.csv")
            header = {language: t(
                "Backcast with odds: {lever} = {value} {unit} meets {targets} in {share} % of {n} futures", language,
                lever=lever, value=repr(found.value), unit=found.solution.unit,
                targets=", ".join(map(str, parsed)), share=f"{100 * found.solution.achieved:.1f}", n=f"{n:,}")
                for language in LANGUAGES}
            own = found.solution.scenario.model_copy(update={"name": rerun_name(folder.name),
                                                             "title": Words(**header)})  # its own name and folder
            (staging / "scenario.yaml").write_text(scenario_yaml(own, header[in_use()]), encoding="utf-8")
        found.folder = folder
    return found


@dataclass(repr=False)
class Frontier:
    """The combinations of two levers that just meet the targets (``table``: first, second, status),
    with the ``odds`` asked (None: in the scenario itself) and the ``folder`` written (if any)."""

    table: pd.DataFrame
    levers: tuple[str, str]
    targets: list[Target]
    odds: float | None
    scenario: Scenario
    folder: Path | None = None

    def to_pandas(self) -> pd.DataFrame:
        return self.table

    def __repr__(self) -> str:
        asked = "in the scenario itself" if self.odds is None else f"in {100 * self.odds:g} % of futures"
        return short_repr(f"<Frontier of {self.scenario.name}: {self.levers[0]} x {self.levers[1]}, {len(self.table)} "
                        f"points meeting {', '.join(map(str, self.targets))} {asked}; .table>")

    def _repr_html_(self) -> str:
        return html_view(repr(self), self.table)


@one_blas_thread()
def frontier(scenario: ScenarioLike, first: str, second: str, targets: list[str | Target] | None = None,
             odds: float | None = None, first_range: tuple[float, float] | None = None,
             second_range: tuple[float, float] | None = None, n: int = 1000, seed: int = DEFAULT_SEED,
             out: str | Path | None = None, figures: Figures = False, lang: str = "en",
             overrides: Mapping[str, Any] | None = None, origin: str = ORIGIN,
             progress: Callable[..., Iterable] | None = None, **more: Any) -> Frontier:
    """The frontier (isoquant) of two levers that meets ``targets``, with ``odds`` or in the scenario
    itself.  With ``out``, writes ``out/<name>_frontier_<question>/``: ``frontier.csv``,
    ``frontier.json`` and the figure."""
    check_size(n, seed)
    loaded = refuse_ignored(load_with(scenario, dict(overrides or {}) | more, origin), levers=[first, second],
                            targets_given=bool(targets)).scenario
    if odds is not None:  # each of the frontier's points is an odds backcast
        check_batch(n, loaded.horizon - loaded.basis.jump_off_year + 1, FRONTIER_POINTS * (GRID_POINTS + BISECTIONS),
                    DEFAULT_MEMORY_GB, COUNT_BYTES)
    parsed = parse_targets(targets) or list(loaded.targets)
    table = solve_frontier(loaded, first, second, parsed, odds, first_range, second_range, n, seed, progress or iter)
    found = Frontier(table, (first, second), parsed, odds, loaded)
    if out is not None:
        question = " ".join([first, second] + ([f"odds{odds:g}", f"n{n}", f"seed{seed}"] if odds else [])
                            + [str(x) for x in parsed])
        folder = Path(out) / answer_name(loaded.name, "frontier", question)
        with atomic_directory(folder, answer_asked(loaded.name, "frontier", question)) as staging:
            write_csv(table, staging / "frontier.csv")
            (staging / "frontier.json").write_text(json_text({
                "format": "quiet-crisis/frontier/1", "levers": [first, second], "odds": odds, "n": n, "seed": seed,
                "targets": [str(x) for x in parsed], "points": table.to_dict(orient="records")}), encoding="utf-8")
            if formats(figures):
                frontier_figure(staging / "figures", table, first, second, ", ".join(
                    x.phrase(lang, loaded.base_year) for x in parsed), odds, lang, formats=formats(figures))
        found.folder = folder
    return found
