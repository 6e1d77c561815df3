"""Honest odds: the component models recover what they were simulated with, a forecast cannot see
the data after its origin, and its numbers do not depend on how it is run."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulate import api, data
from simulate.errors import ParameterError
from simulate.api.odds import forecast_inputs
from simulate.futures import fertility, migration, mortality
from simulate.futures.series import mean_age_history, tfr_history
from simulate.futures.setup import NATIONALS, RESIDENTS, nationals_forecast
from simulate.uncertainty.backends import LocalProcesses
from simulate.uncertainty.ensemble import run_inputs_design
from simulate.futures.paths import MODEL_PARAMETERS

RNG = np.random.default_rng(7)


def test_damped_trend_of_log_tfr_recovers_slope_and_spread():
    """A series simulated with slope d and shocks sigma (no damping within the window) gives back d
    within three standard errors and sigma within 5 %."""
    slope, sigma = -0.012, 0.025
    log_f = np.log(1.5) + np.cumsum(slope + sigma * RNG.standard_normal(4000))
    series = pd.Series(np.exp(log_f), index=np.arange(1000, 5000))
    model = fertility.fit_tfr(series.iloc[:fertility.TREND_YEARS + 1])
    assert model.years == (1000, 1000 + fertility.TREND_YEARS)
    changes = np.diff(log_f)
    assert abs(changes.mean() - slope) < 3 * sigma / np.sqrt(len(changes))
    assert np.std(changes, ddof=1) == pytest.approx(sigma, rel=0.05)


def test_tfr_paths_follow_the_damped_slope_exactly_without_shocks():
    model = fertility.TFRModel(slope=-0.02, slope_se=0.0, s2=0.0, dof=10, damping=0.9, last=1.2, years=(0, 0))
    paths = fertility.tfr_paths(model, np.array([[-0.02, 0.0]]), np.zeros((1, 30)))
    expected = 1.2 * np.exp(np.cumsum(-0.02 * 0.9 ** np.arange(1, 31)))
    np.testing.assert_allclose(paths[0], expected, rtol=1e-12)
    assert paths[0, -1] == pytest.approx(1.2 * np.exp(-0.02 * 0.9 * (1 - 0.9 ** 30) / 0.1), rel=1e-12)


def test_tfr_parameter_draws_centre_on_the_fit():
    model = fertility.fit_tfr(tfr_history().loc[:2015])
    drawn = fertility.draw_tfr_parameters(model, np.random.default_rng(1), 40_000)
    assert drawn[:, 0].mean() == pytest.approx(model.slope, abs=4 * model.slope_se / 200)
    assert drawn[:, 0].std() == pytest.approx(model.slope_se, rel=0.03)
    assert np.median(drawn[:, 1] ** 2) == pytest.approx(model.s2 * model.dof / (model.dof - 2 / 3), rel=0.05)


def test_random_walk_with_drift_recovers_drift_and_sigma():
    drift, sigma = -2.0, 1.5
    model = mortality.KappaModel(drift=drift, drift_se=0.0, sigma=sigma, last=np.array([0.0, 0.0]), years=(0, 0))
    path = mortality.kappa_paths(model, np.array([drift]), RNG.standard_normal((1, 5000, 2)))[0, :, 1]
    fitted = mortality.fit_random_walk(np.diff(np.concatenate([[0.0], path])), np.zeros(2))
    assert abs(fitted.drift - drift) < 3 * fitted.drift_se / mortality.DRIFT_SPREAD
    assert fitted.sigma == pytest.approx(sigma, rel=0.05)
    assert fitted.drift_se == pytest.approx(mortality.DRIFT_SPREAD * fitted.sigma / np.sqrt(5000))


def test_migration_deviation_has_its_spread_and_persistence():
    model = migration.MigrationModel(sd=80_000.0, rho=0.7, start=200_000.0)
    paths = migration.migration_paths(model, np.full(60, 150_000.0), RNG.standard_normal((20_000, 60)))
    late = paths[:, 30:] - 150_000.0
    assert late.std() == pytest.approx(80_000.0, rel=0.03)
    lag = np.corrcoef(late[:, :-1].ravel(), late[:, 1:].ravel())[0, 1]
    assert lag == pytest.approx(0.7, abs=0.02)
    assert paths[:, 0].mean() == pytest.approx(150_000.0 + 0.7 * 200_000.0, rel=0.01)  # no jump: from the start


def test_timing_continues_the_observed_change_damped():
    series = mean_age_history()
    path = fertility.timing_path(series.loc[:2010], 2010, 5)
    slope = (series[2010] - series[2000]) / 10
    expected = np.cumsum(slope * fertility.TIMING_DAMPING ** np.arange(1, 6))
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_the_first_year_median_tfr_is_within_one_year_of_the_last_observed():
    """The forecast continues from 2024 without a jump: its 2025 median lies inside its own one-year
    80 % band around the observed 1.15."""
    inputs = forecast_inputs(api.load("current").scenario, None, 3)
    tfr = inputs.paths(inputs.draw(4000))["tfr"][:, 0]
    low, median, high = np.quantile(tfr, [0.1, 0.5, 0.9])
    assert low < inputs.tfr.last < high
    assert abs(median - inputs.tfr.last) < (high - low) / 2
    assert inputs.tfr.last == data.observed().at[2024, "tfr"]


# --- no leak: data after the origin cannot change a forecast from it -------------------------------

def _perturbed_pack(folder: Path, after: int, keep: tuple[str, ...] = (), jan1_after: int | None = None) -> Path:
    """A copy of the data pack in which every value of a year after ``after`` is 2-14 % larger (the
    factor varies from row to row, so shares and shapes change too); files named in ``keep`` are left
    as they are.  The HMD 1 January populations change after ``jan1_after`` (default ``after``)."""
    copy = folder / "data"
    shutil.copytree(data.DATA_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for path in copy.rglob("*.csv"):
        if path.name in keep:
            continue
        frame = pd.read_csv(path, dtype=str, encoding="utf-8")
        factor = 1.0 + 0.02 * (1 + np.arange(len(frame)) % 7)
        if "year" in frame.columns:
            last = jan1_after if jan1_after is not None and path.name.startswith("japan_population_jan1") else after
            later = frame["year"].str[:4].astype(int).to_numpy() > last
            for column in frame.columns:
                numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy()
                change = later & np.isfinite(numbers)
                if column in ("year", "age") or not change.any():
                    continue
                frame.loc[change, column] = [repr(float(v)) for v in (numbers * factor)[change]]
        elif path.parent.name == "observed":  # a table with years as columns
            for column in frame.columns[1:]:
                if int(column) > after:
                    frame[column] = [repr(float(v)) for v in pd.to_numeric(frame[column]).to_numpy() * factor]
        elif path.parent.name == "census2020" and after < 2020:
            for column in frame.columns:
                numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy()
                if np.isfinite(numbers).all():
                    frame[column] = [repr(float(v)) for v in numbers * factor]
        frame.to_csv(path, index=False, encoding="utf-8")
    return copy


def _clear_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("simulate"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.fixture
def swap_pack(monkeypatch):
    def swap(folder: Path) -> None:
        monkeypatch.setattr(data, "data_file", lambda rel: folder / rel)
        _clear_caches()
    yield swap
    monkeypatch.undo()
    _clear_caches()


def _nationals(origin: int) -> dict[str, np.ndarray]:
    inputs = nationals_forecast(origin, origin + 30, 11)
    demography, _ = inputs.batch(inputs.draw(64))
    from simulate.demography.engine import project
    run = project(demography, threads=1)
    return {"tfr": demography.tfr, "e0": demography.e0, "shift": demography.mean_age_shift, "total": run.total,
            "births": run.births, "groups": run.groups}


def test_a_forecast_from_an_origin_cannot_see_the_data_after_it(tmp_path, swap_pack):
    before = _nationals(2000)
    swap_pack(_perturbed_pack(tmp_path / "later", after=2000, jan1_after=2001))  # 1 Jan 2001 gives 1 Oct 2000
    after = _nationals(2000)
    for name in before:
        np.testing.assert_array_equal(before[name], after[name], err_msg=name)
    swap_pack(_perturbed_pack(tmp_path / "earlier", after=1995))  # the check can fail
    changed = _nationals(2000)
    assert not np.array_equal(before["tfr"], changed["tfr"])
    assert not np.array_equal(before["total"], changed["total"])


@pytest.mark.slow
def test_a_scenario_forecast_cannot_see_the_data_after_its_history(tmp_path, swap_pack):
    """baseline's history ends in 2017: its forecast's population is the same when 2018-2024 change.

    Except one file, a known exception (README, "How sure are we?"): the MHLW table of the timing of
    births is five-yearly, and the history interpolates its years 2014-2017 between 2013 and 2018."""
    def people() -> dict[str, np.ndarray]:
        found = api.forecast("baseline", n=64, seed=5)
        return {name: np.asarray(found.ensemble.indicators[name]) for name in
                ("population_total", "births", "deaths", "population_65_plus", "net_migration")}
    before = people()
    swap_pack(_perturbed_pack(tmp_path / "later", after=2017, keep=("japan_tfr_by_age_group_1993_2023.csv",)))
    after = people()
    for name in before:
        np.testing.assert_array_equal(before[name], after[name], err_msg=name)


# --- the same numbers however it runs ---------------------------------------------------------------

@pytest.mark.slow
def test_same_numbers_whatever_the_chunking_or_backend():
    inputs = nationals_forecast(1990, 2030, 4)
    values = inputs.draw(700)
    runs = [run_inputs_design(inputs, values, MODEL_PARAMETERS, "t", None, 0.0, chunk=chunk, backend=backend)
            for chunk, backend in ((700, None), (37, None), (256, LocalProcesses(2)))]
    for other in runs[1:]:
        for name in ("population_total", "births", "population_65_plus"):
            np.testing.assert_array_equal(runs[0].indicators[name], other.indicators[name])
    assert np.isnan(runs[0].indicators["gdp"]).all()  # no economy for nationals from a past origin


@pytest.mark.slow
def test_a_forecast_on_dask_gives_the_same_numbers():
    pytest.importorskip("dask.distributed")
    from simulate.uncertainty.backends import DaskBackend

    found = api.forecast("current", n=400, seed=2, chunk=200)
    on_dask = api.forecast("current", n=400, seed=2, execution=api.Execution(chunk=200, dask="local"))
    for name in ("population_total", "births", "gdp", "labour_force"):
        np.testing.assert_array_equal(found.ensemble.indicators[name], on_dask.ensemble.indicators[name])
    assert DaskBackend is not None


def test_target_odds_are_the_share_of_trajectories_meeting_it():
    found = api.forecast("current", n=300, seed=9, **{"targets": ["population_total@2040>=108e6"]})
    total = np.asarray(found.ensemble.indicators["population_total"])[:, list(found.ensemble.years).index(2040)]
    counted = float(np.mean(total[found.ensemble.possible] >= 108e6))
    assert found.targets["probability"].tolist() == [counted]
    assert 0.0 < counted < 1.0


def test_universes_and_origins():
    current = api.load("current").scenario
    assert forecast_inputs(current, None, 1).universe == RESIDENTS
    assert forecast_inputs(current, 2000, 1).universe == NATIONALS
    baseline = api.load("baseline").scenario
    moved = forecast_inputs(baseline, 2019, 1)
    assert (moved.universe, moved.origin) == (RESIDENTS, 2019)


@pytest.mark.parametrize("origin", [1959, 2021, 2023, 2025, 1990.5, True])
def test_an_origin_outside_the_data_is_refused(origin):
    with pytest.raises(ParameterError, match="origin"):
        api.forecast("current", n=10, origin=origin)


# --- the command line ---------------------------------------------------------------------------------

@pytest.mark.parametrize("arguments,fragment", [
    (["forecast", "current", "--origin", "2022"], "--origin 2022: the data allow origins 1960-2020"),
    (["forecast", "current", "--origin", "1959"], "--origin 1959"),
    (["forecast", "current", "--n", "0"], "--n"),
    (["forecast", "baseline", "--set", "horizon=2019", "--set", "report_years=[2018]", "--origin", "2020"],
     "--origin 2020: must be before the scenario's horizon 2019"),
    (["backtest", "--origins", "1955:2000:5"], "--origins 1955:2000:5: origins must lie in 1960-2019"),
    (["backtest", "--horizons", "0:30"], "--horizons 0:30: horizons must be whole numbers of years from 1 to 30"),
    (["backtest", "--horizons", "1:31"], "--horizons 1:31: horizons must be whole numbers of years from 1 to 30"),
    (["backtest", "--horizons", "soon"], "--horizons soon: expected FIRST:LAST"),
    (["backtest", "--origins", "2000:1990"], "FIRST <= LAST"),
    (["backtest", "--origins", "soon"], "expected FIRST:LAST:STEP"),
    (["backtest", "--n", "0"], "--n"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_is_written(tmp_path, capsys, arguments, fragment):
    from simulate.cli import main

    assert main([*arguments, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_origin_that_is_not_a_year_is_an_argument_error(capsys):
    from simulate.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["forecast", "current", "--origin", "20x0"])
    assert stop.value.code == 2 and "20x0 is not a year" in capsys.readouterr().err


@pytest.mark.slow
def test_backtest_json_is_a_list_of_records_other_tools_can_read(tmp_path, capsys):
    from simulate.cli import main

    assert main(["backtest", "--origins", "1960,1990", "--horizons", "1:30", "--n", "100", "--json",
                 "--out", str(tmp_path)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert isinstance(records, list) and records
    keys = {"indicator", "horizon", "level", "coverage"}
    assert all(keys <= set(r) for r in records)
    assert {r["indicator"] for r in records} == {"tfr", "births", "population_total", "population_0_14",
                                                 "population_15_64", "population_65_plus", "e0_female", "e0_male"}
    assert {r["level"] for r in records} == {0.5, 0.8, 0.95}
    assert all(0.0 <= r["coverage"] <= 1.0 and 1 <= r["horizon"] <= 30 for r in records)
    # every quantity reaches 30 years (births too: a calendar year's births end in the next step)
    assert {r["indicator"] for r in records if r["horizon"] == 30} >= {"tfr", "births", "population_total",
                                                                      "population_15_64", "e0_male"}
    folder = next(tmp_path.glob("backtest_*"))
    assert {p.name for p in folder.iterdir()} >= {"scores.csv", "cases.csv", "backtest.json", "report.html"}


def test_coverage_counts_outcomes_inside_each_interval():
    """The score of a made-up case: inside the 80 % interval but not the 50 % one."""
    from simulate.futures.backtest import score

    case = {"origin": 2000, "indicator": "tfr", "horizon": 5, "year": 2005, "kind": "pct", "observed": 1.3,
            "median": 1.4, "central": 1.35, "low_0.5": 1.35, "high_0.5": 1.45, "low_0.8": 1.2, "high_0.8": 1.5,
            "low_0.95": 1.1, "high_0.95": 1.6}
    table = score(pd.DataFrame([case, case | {"origin": 2001, "observed": 1.55},
                                case | {"origin": 2002, "observed": 1.15}]))
    row = table.iloc[0]
    assert (row["coverage_0.5"], row["coverage_0.8"], row["coverage_0.95"]) == (0.0, pytest.approx(1 / 3), 1.0)
    assert row["bias"] == pytest.approx((100 * 0.1 / 1.3 + 100 * -0.15 / 1.55 + 100 * 0.25 / 1.15) / 3)
    assert row["interval_score"] == pytest.approx((100 * 0.3 / 1.3 + 100 * (0.3 + 10 * 0.05) / 1.55
                                                   + 100 * (0.3 + 10 * 0.05) / 1.15) / 3)


# --- odds where people ask questions ----------------------------------------------------------------

@pytest.mark.slow
def test_a_backcast_with_odds_meets_the_target_in_that_share_of_futures_and_not_below():
    from simulate.futures.questions import met_share
    from simulate.backcasting import with_lever
    from simulate.scenario.levers import LEVERS

    found = api.backcast_odds("current", "productivity_growth", 0.8, ["gdp@2040>=1x2024"], n=200, seed=3)
    scenario = api.load("current").scenario
    target = found.targets
    low, high = found.solution.bracket
    from simulate.futures.questions import BISECTIONS, GRID_POINTS
    span = (LEVERS["productivity_growth"].default_range[1] - LEVERS["productivity_growth"].default_range[0])
    assert found.value == high and high - low <= span / (GRID_POINTS - 1) / 2 ** BISECTIONS * (1 + 1e-9)
    lever = LEVERS["productivity_growth"]
    at = met_share(with_lever(scenario, lever, high, 2040), target, 200, 3)
    below = met_share(with_lever(scenario, lever, low, 2040), target, 200, 3)
    assert at >= 0.8 > below
    # the same share as a forecast of the solved scenario counts (same seed, same futures)
    solved = found.solution.scenario.model_dump(exclude_none=True, exclude={"extends"})
    counted = api.forecast(solved, n=200, seed=3, targets=["gdp@2040>=1x2024"])
    assert counted.targets["probability"].iloc[0] == at


def test_a_frontier_of_two_levers_meets_the_target_at_every_point():
    found = api.frontier("current", "seniors_uplift", "productivity_growth", ["gdp@2040>=1x2024"])
    met = found.table[found.table["status"] == "met"]
    assert len(met) >= 5
    assert np.all(np.diff(met["productivity_growth"]) < 0)  # more seniors at work, less productivity needed
    # its first point (no change in seniors' participation) is the one-lever backcast
    solved = api.backcast("current", "productivity_growth", ["gdp@2040>=1x2024"])
    assert met.iloc[0]["seniors_uplift"] == 0.0
    assert solved.value == pytest.approx(met.iloc[0]["productivity_growth"], abs=1e-6)


@pytest.mark.parametrize("arguments,fragment", [
    (["--lever", "tfr", "--odds", "0.8", "--range", "2,1"], "low end must be below the high end"),
    (["--lever", "tfr", "--lever", "net_migration", "--lever", "seniors_uplift"], "--lever: give one lever, or two"),
    (["--lever", "tfr", "--range", "1,2", "--range", "1,2"], "--range: give at most one per --lever"),
    (["--lever", "productivity_growth", "--lever", "productivity_growth"], "must differ"),
])
def test_backcast_refusals_are_one_line_exit_2(tmp_path, capsys, arguments, fragment):
    from simulate.cli import main

    code = main(["backcast", "current", "--target", "gdp@2040>=1x2024", *arguments, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize("odds", ["0", "1", "1.5", "-0.2"])
def test_odds_outside_zero_to_one_are_refused(odds, capsys):
    from simulate.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["backcast", "current", "--lever", "productivity_growth", "--odds", odds])
    assert stop.value.code == 2 and "between 0 and 1" in capsys.readouterr().err


# --- forecasts around the scenario's own assumptions (issue 33) ------------------------------------------

def _component_quantiles(scenario, n: int = 600, seed: int = 5, **overrides):
    """The scenario's own TFR (T,), e0 (T, 2) and migration (T,) paths, and the forecast's sampled
    paths of each, centred on the scenario."""
    loaded = api.load(scenario, **overrides).scenario if overrides else api.load(scenario).scenario
    inputs = forecast_inputs(loaded, None, seed)
    assert inputs.centre == "scenario"
    return inputs, inputs.paths(inputs.draw(n))


def test_forecasts_of_two_scenarios_follow_their_own_tfr():
    """fertility_recovery (TFR to 1.8) and baseline differ, each median TFR on its own path."""
    found = {}
    for name in ("baseline", "fertility_recovery"):
        inputs, paths = _component_quantiles(name)
        np.testing.assert_allclose(np.median(paths["tfr"], axis=0), inputs.base.tfr[0], rtol=0.02)
        np.testing.assert_allclose(np.median(paths["e0"], axis=0), inputs.base.e0[0], atol=0.3)  # years
        np.testing.assert_allclose(np.median(paths["net_migration"], axis=0), inputs.migration_centre,
                                   atol=0.2 * inputs.migration.sd)  # persons a year
        found[name] = api.forecast(name, n=100, seed=4).quantiles.set_index(["indicator", "year"])
    recovery, baseline = (found[k].loc[("population_total", 2040), "p50"] for k in ("fertility_recovery", "baseline"))
    assert recovery > baseline * 1.02  # about 3.4 M more people in 2040
    plain = api.run("fertility_recovery").indicators.set_index("year").at[2040, "population_total"]
    assert abs(recovery / plain - 1) < 0.01


def test_a_calm_forecast_centred_on_the_scenario_is_the_scenario_run():
    """No shocks and the central parameters: the forecast's one path is the plain run's, every
    indicator, every year (the deviations are exactly 0; e0 is not read back through kappa)."""
    import dataclasses

    from simulate.pipeline import run_inputs

    overrides = {"fertility.tfr": "1.6", "migration.net": "250000", "mortality.e0.female": "+1.0"}
    loaded = api.load("current", **overrides).scenario
    inputs = dataclasses.replace(forecast_inputs(loaded, None, 1), calm=True)
    demography, economy = inputs.batch(inputs.central())
    _, indicators = run_inputs(demography, economy)
    plain = api.run("current", **overrides).indicators.set_index("year")
    years = list(inputs.years)
    for name in plain.columns:
        np.testing.assert_allclose(np.asarray(indicators[name])[0], plain[name].loc[years].to_numpy(), rtol=1e-12,
                                   atol=1e-9, err_msg=name)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tfr=st.floats(0.9, 2.2), gain=st.floats(-1.0, 4.0), net=st.integers(20, 600).map(lambda k: 1000 * k), seed=st.integers(0, 99))
def test_every_component_stays_around_its_own_scenario_path_and_history_is_never_changed(tfr, gain, net, seed):
    """Random lever settings: the scenario's own TFR, women's and men's e0 and net migration lie
    inside the forecast's own 50 % band of each year (the median within that band of the path), and
    no value up to the last observed year moves."""
    overrides = {"fertility.tfr": {2035: round(tfr, 3)}, "mortality.e0.female": f"+{gain:.2f}" if gain >= 0
                 else f"{gain:.2f}", "migration.net": net}
    inputs, paths = _component_quantiles("current", 400, seed, **overrides)
    centre = {"tfr": inputs.base.tfr[0], "e0": inputs.base.e0[0], "net_migration": inputs.migration_centre}
    for name, drawn in paths.items():
        low, high = np.quantile(drawn, [0.25, 0.75], axis=0)
        assert np.all((low <= centre[name]) & (centre[name] <= high)), name
    found = api.forecast("current", n=12, seed=seed, overrides=overrides)
    plain = api.run("current").indicators.set_index("year")
    history = [y for y in found.ensemble.years if y <= found.scenario.history_end]
    for name in ("population_total", "population_65_plus", "births", "labour_force", "gdp_index"):
        drawn = np.asarray(found.ensemble.indicators[name])[:, :len(history)]
        np.testing.assert_array_equal(drawn, np.broadcast_to(plain[name].loc[history].to_numpy(), drawn.shape))


def test_history_centre_keeps_the_unconditional_meaning():
    """--centre history: the same numbers for a scenario and its TFR what-if are impossible to ask
    (refused), and the TFR follows the data's model from the last observed value."""
    inputs = forecast_inputs(api.load("fertility_recovery").scenario, None, 3, "history")
    median = np.median(inputs.paths(inputs.draw(2000))["tfr"], axis=0)
    calm = dataclasses_replace(inputs, calm=True).paths(inputs.central())["tfr"][0]
    np.testing.assert_allclose(median, calm, rtol=0.03)
    assert abs(median[0] / inputs.tfr.last - 1) < 0.05 and median[-1] < 1.6  # not the scenario's 1.8


def dataclasses_replace(obj, **changes):
    import dataclasses

    return dataclasses.replace(obj, **changes)


@pytest.mark.parametrize("arguments,fragment", [
    (["forecast", "current", "--centre", "history", "--set", "fertility.tfr=0.5"],
     "fertility.tfr = 0.5: a forecast centred on the data alone"),
    (["forecast", "current", "--centre", "history", "--set", "mortality.e0.female=+2"], "mortality.e0.female = +2"),
    (["forecast", "current+fertility.tfr=1.8", "--centre", "history"], "fertility.tfr = 1.8"),
    (["forecast", "current", "--origin", "2000", "--set", "migration.net=900000"],
     "migration.net = 900000: a forecast of Japanese nationals from 2000"),
    (["forecast", "current", "--origin", "2000", "--centre", "scenario"], "--centre scenario: a forecast of Japanese"),
    (["forecast", "current", "--centre", "middle"], "--centre: invalid choice"),
])
def test_a_setting_a_forecast_would_not_use_is_refused_in_one_line(tmp_path, capsys, arguments, fragment):
    from simulate.cli import main

    try:
        code = main([*arguments, "--n", "10", "--out", str(tmp_path / "out")])
    except SystemExit as stop:  # argparse's own refusal
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and "Traceback" not in err, err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_centre_is_named_in_the_terminal_json_and_folder(tmp_path, capsys):
    from simulate.cli import main

    assert main(["forecast", "baseline", "--n", "20", "--no-figures", "--out", str(tmp_path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["centre"] == "scenario" and record["centre_words"] == "centred on the scenario's own assumptions"
    assert main(["forecast", "baseline", "--n", "20", "--no-figures", "--out", str(tmp_path), "--centre",
                 "history", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "データだけが中心" in out
    written = json.loads((tmp_path / "baseline_forecast_n20-seed20180701-history" / "forecast.json")
                         .read_text(encoding="utf-8"))
    assert written["centre"] == "history" and written["models"]["centre"] == "history"
    assert "Centred on the data alone" in written["summary"]["en"]


def test_a_backcast_with_odds_follows_a_tfr_what_if_and_solves_for_the_tfr():
    """--set fertility.tfr moves the futures an odds backcast counts (it was dropped), and the TFR is
    a lever like any other: it sets the centre the TFR wanders around."""
    from simulate.targets import parse_targets
    from simulate.futures.questions import met_share

    goal = parse_targets(["population_total@2060>=95e6"])
    low = met_share(api.load("current", **{"fertility.tfr": "0.9"}).scenario, goal, 100, 2)
    high = met_share(api.load("current", **{"fertility.tfr": "2.1"}).scenario, goal, 100, 2)
    assert low < 0.5 < high
    found = api.backcast_odds("current", "tfr", 0.8, ["population_total@2060>=95e6"], n=100, seed=2)
    assert 1.0 < found.value < 2.5 and found.solution.achieved >= 0.8


def test_an_odds_backcasts_scenario_file_has_its_own_name_and_replaces_nothing(tmp_path):
    """Issue 34: the file kept ``name: current`` and the plain title, so running it replaced
    ``results/current/`` under the title "Current"."""
    from simulate.names import rerun_name
    from simulate.report.publishing import marker_asked

    out = tmp_path / "out"
    plain = api.run("current").write(out)
    found = api.backcast_odds("current", "productivity_growth", 0.5, ["gdp@2040>=1x2024"], n=32, seed=1, out=out)
    written = api.load(found.folder / "scenario.yaml").scenario
    assert written.name == rerun_name(found.folder.name) and written.name != "current"
    assert "Backcast with odds" in written.label_in("en") and "productivity_growth" in written.label_in("en")
    assert written.label_in("ja") != written.label_in("en")
    rerun = api.run(found.folder / "scenario.yaml").write(out)
    assert rerun.name == written.name and marker_asked(plain) == "run current"
    assert (found.folder / "backcast.json").is_file() and json.loads((plain / "run.json").read_text(encoding="utf-8"))["title"].startswith("Current (")


# --- the models credible for decades (issue 33) -------------------------------------------------------------

def test_the_tfr_is_pulled_toward_its_windows_mean_geometrically():
    """No slope and no shocks: log TFR closes the gap to log L by REVERSION a year, L the mean TFR
    of the fitted window."""
    series = pd.Series(np.linspace(1.5, 1.2, fertility.TREND_YEARS + 1), index=range(2000, 2000 + fertility.TREND_YEARS + 1))
    model = fertility.fit_tfr(series)
    assert model.level == pytest.approx(series.mean()) and model.reversion == fertility.REVERSION > 0
    change = fertility.log_changes(model, np.array([[0.0, 0.0]]), np.zeros((1, 40)))[0]
    gap = np.log(model.level / model.last)
    np.testing.assert_allclose(change, gap * (1 - (1 - model.reversion) ** np.arange(1, 41)), rtol=1e-12)


def test_mortality_shock_years_are_left_out_of_the_fit():
    """A one-off loss in 2011 and its recovery move neither the drift nor the spread."""
    years = np.arange(2000, 2025)
    steady = pd.Series(-2.0 * (years - 2000) + 0.3 * np.sin(years), index=years)
    shocked = steady.copy()
    shocked[2011] += 15.0  # the year of the earthquake: deaths up, kappa up, then back
    changes = mortality.fitted_changes(shocked)
    assert not set(changes.index) & {2011, 2012, 2021, 2022, 2023}
    clean, hit = mortality.fit_kappa(steady, np.zeros(2)), mortality.fit_kappa(shocked, np.zeros(2))
    assert (hit.drift, hit.sigma, hit.left_out) == (clean.drift, clean.sigma, (2011, 2021, 2022))


def test_the_sex_gap_has_its_own_drift_and_spread():
    """Men's kappa: women's path plus the gap's own drift (mean of men's changes less women's)."""
    years = np.arange(2000, 2021)
    women = pd.Series(-2.0 * (years - 2000), index=years, dtype=float)
    men = women - 0.5 * (years - 2000) + 0.2 * (years % 2)
    model = mortality.fit_kappa(women, np.array([1.0, 0.0]), men)
    assert model.gap_drift == pytest.approx(-0.5 * mortality.GAP_TREND, abs=0.02) and model.gap_sigma > 0
    calm = dataclasses_replace(model, gap_sigma=0.0, sigma=0.0)
    path = mortality.kappa_paths(calm, np.array([model.drift]), np.zeros((1, 10, 2)))[0]
    np.testing.assert_allclose(path[:, 1], model.drift * np.arange(1, 11), rtol=1e-12)
    np.testing.assert_allclose(path[:, 0], 1.0 + (model.drift + model.gap_drift) * np.arange(1, 11), rtol=1e-12)


def test_the_migration_spread_comes_from_the_long_record():
    """A year's deviation is measured from the mean of the ten years before it (not including it)."""
    record = pd.Series(100_000.0, index=range(1950, 2024))
    record[2000] = 400_000.0
    record[1980] = 250_000.0
    sd, rho = migration.fit_record(record)
    deviations = (record - record.rolling(10).mean().shift(1)).dropna()
    assert deviations[2000] == 300_000.0 and deviations[1980] == 150_000.0
    assert sd == pytest.approx(deviations.std()) and -1 < rho < 1
    from simulate import data
    sd, rho = migration.fit_record(data.wpp_estimates()["net_migration"])
    assert 80_000 < sd < 150_000 and 0.5 < rho < 0.9  # persons a year: far wider than the 2015-2024 residuals


def test_outcomes_after_okinawa_returned_are_put_on_the_forecasts_territory():
    from simulate.futures import backtest

    factors = backtest.territory_factors()
    assert 0.985 < factors["population_total"] < 0.995 and factors["tfr"] == 1.0
    rows = pd.DataFrame(backtest.case_rows(1965, 20, 1, (5, 10)))
    outcomes = backtest.observed_outcomes()
    total = rows[rows["indicator"] == "population_total"].set_index("year")["observed"]
    assert total[1970] == outcomes["population_total"][1970]  # before the return: as observed
    assert total[1975] == pytest.approx(outcomes["population_total"][1975] * factors["population_total"], rel=1e-12)
    later = pd.DataFrame(backtest.case_rows(1975, 20, 1, (5,)))
    assert later[later["indicator"] == "population_total"]["observed"].iloc[0] == outcomes["population_total"][1980]


def test_the_all_residents_forecast_that_serves_current_has_a_record_too(tmp_path, capsys):
    """--universe residents: forecasts of baseline with its history cut at 2017-2023 (the 2015 census
    basis), scored against all residents' population, births and rates."""
    from simulate.cli import main
    from simulate.futures import backtest
    from simulate.demography.history import birth_allowance

    assert main(["backtest", "--universe", "residents", "--origins", "2017,2020", "--horizons", "1:4", "--n", "40",
                 "--json", "--no-figures", "--out", str(tmp_path)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["indicator"] for r in records} == {"tfr", "e0_male", "e0_female", "births", "population_total"}
    assert {r["period"] for r in records} == {"test"} and max(r["horizon"] for r in records) == 4
    written = json.loads(next(tmp_path.glob("backtest_*")).joinpath("backtest.json").read_text(encoding="utf-8"))
    assert (written["universe"], written["centre"]) == ("all residents", "history")
    rows = pd.DataFrame(backtest.case_rows(2019, 30, 1, (1, 5), RESIDENTS, "scenario"))
    observed = data.observed()
    total = rows[rows["indicator"] == "population_total"].set_index("year")["observed"]
    assert total[2020] == observed.at[2020, "population_oct1"] and total[2024] == observed.at[2024, "population_oct1"]
    births = rows[rows["indicator"] == "births"].set_index("year")["observed"]
    assert births[2020] == pytest.approx(observed.at[2020, "births"] * birth_allowance(), rel=1e-12)


@pytest.mark.parametrize("arguments,fragment", [
    (["--universe", "residents", "--origins", "2010:2020"], "--origins 2010:2020: origins of all residents must lie in 2017-2023"),
    (["--centre", "scenario"], "--centre scenario: a back-test of Japanese nationals has no scenario to centre on"),
    (["--universe", "everyone"], "argument --universe: invalid choice"),
])
def test_backtest_universe_refusals_are_one_line(tmp_path, capsys, arguments, fragment):
    from simulate.cli import main

    try:
        code = main(["backtest", *arguments, "--out", str(tmp_path / "out")])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and fragment in err.strip().splitlines()[-1] and "Traceback" not in err  # argparse: usage first
    assert not (tmp_path / "out").exists()
