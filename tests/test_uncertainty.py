import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from simulate.cli import main
from simulate.errors import InputError
from simulate.pipeline import run_batch
from simulate.scenario import Scenario, load_scenario
from simulate.scenario.uncertainty_model import Parameter
from simulate.uncertainty.backends import LocalProcesses
from simulate.uncertainty.ensemble import (check_memory, quantile_table, run_design, sample,
                                           target_probabilities)
from simulate.uncertainty.distributions import EDGE, inverse_cdf
from simulate.uncertainty.inputs import affine_inputs, with_values
from simulate.uncertainty.sensitivity import sensitivity
from simulate.uncertainty.sweep import sweep_design
from conftest import SCENARIOS


@pytest.fixture(scope="module")
def moonshot():
    return load_scenario(SCENARIOS / "moonshot.yaml").scenario


def test_parameter_validation():
    with pytest.raises(ValidationError, match="exactly one of"):
        Parameter(path="fertility.tfr.2040", lever="tfr", distribution="uniform", low=0, high=1)
    with pytest.raises(ValidationError, match="needs exactly low, high; missing high"):
        Parameter(path="fertility.tfr.2040", distribution="uniform", low=0)
    with pytest.raises(ValidationError, match="not used: sd"):
        Parameter(path="fertility.tfr.2040", distribution="uniform", low=0, high=1, sd=2)
    with pytest.raises(ValidationError, match="mode must lie"):
        Parameter(path="fertility.tfr.2040", distribution="triangular", low=0, mode=3, high=1)
    with pytest.raises(ValidationError, match="same setting"):
        Scenario(uncertainty={"parameters": {
            "a": {"shift": "fertility.tfr", "distribution": "normal", "mean": 0, "sd": 1},
            "b": {"shift": "fertility.tfr", "distribution": "normal", "mean": 0, "sd": 2}}})


def test_sampling_is_reproducible_and_follows_the_distributions(moonshot):
    params = moonshot.uncertainty.parameters
    a, b, c = sample(params, 20000, 7), sample(params, 20000, 7), sample(params, 20000, 8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    names = list(params)
    tfr = a[:, names.index("tfr_shift")]
    assert tfr.min() >= -0.3 and tfr.max() <= 0.3 and abs(tfr.mean()) < 0.005
    assert np.median(a[:, names.index("migration_scale")]) == pytest.approx(1.0, abs=0.02)
    assert "seniors_uplift" not in names  # levers are choices, not uncertainties


@pytest.mark.parametrize("spec", [
    {"distribution": "normal", "mean": 1.0, "sd": 0.13},
    {"distribution": "truncnormal", "mean": 0.0, "sd": 0.12, "low": -0.3, "high": 0.3},  # centre
    {"distribution": "truncnormal", "mean": 1.0, "sd": 0.5, "low": 1.2, "high": 3.0},  # right of the mean
    {"distribution": "truncnormal", "mean": 1.0, "sd": 0.5, "low": -2.0, "high": 0.5},  # left of it
    {"distribution": "truncnormal", "mean": 0.0, "sd": 1.0, "low": 5.0, "high": 9.0},  # far tail
    {"distribution": "triangular", "low": 0.0, "mode": 0.3, "high": 2.0},
    {"distribution": "triangular", "low": -1.0, "mode": -1.0, "high": 2.0},
    {"distribution": "lognormal", "median": 1.5, "sigma": 0.4},
])
def test_inverse_cdfs_are_scipy_stats_bit_for_bit(spec):
    """The sampler writes scipy.stats' inverse CDFs out with scipy.special (to spare every command
    the scipy.stats import); the draws must stay exactly scipy.stats' own."""
    from scipy import stats

    u = np.concatenate([np.random.default_rng(3).random(20_000), [0.0, 1e-300, 0.5, 1.0]])
    parameter = Parameter(shift="fertility.tfr", **spec)
    q = np.clip(u, EDGE, 1.0 - EDGE)
    expected = {
        "normal": lambda p: stats.norm.ppf(q, loc=p.mean, scale=p.sd),
        "truncnormal": lambda p: stats.truncnorm.ppf(q, (p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd,
                                                     loc=p.mean, scale=p.sd),
        "triangular": lambda p: stats.triang.ppf(q, (p.mode - p.low) / (p.high - p.low), loc=p.low,
                                                 scale=p.high - p.low),
        "lognormal": lambda p: p.median * np.exp(p.sigma * stats.norm.ppf(q)),
    }[spec["distribution"]](parameter)
    assert np.array_equal(inverse_cdf(parameter, u), expected)


def test_every_trajectory_equals_a_deterministic_run(moonshot):
    params = moonshot.uncertainty.parameters
    values = sample(params, 5, 3)
    ensemble = run_design(moonshot, values)
    for i in (0, 4):
        _, reference = run_batch([with_values(moonshot, params, values[i])], keep_ages=False)
        for name, series in reference.items():
            np.testing.assert_allclose(ensemble.indicators[name][i], series[0], rtol=1e-9, equal_nan=True,
                                       err_msg=name)


def test_bit_for_bit_whatever_the_chunking_and_workers(moonshot):
    values = sample(moonshot.uncertainty.parameters, 700, 11)
    one = run_design(moonshot, values, chunk=700)
    small = run_design(moonshot, values, chunk=37)
    procs = run_design(moonshot, values, chunk=256, backend=LocalProcesses(2))
    for name in one.indicators:
        assert np.array_equal(one.indicators[name], small.indicators[name], equal_nan=True), name
        assert np.array_equal(one.indicators[name], procs.indicators[name], equal_nan=True), name


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(moonshot):
    pytest.importorskip("dask.distributed")
    from simulate.uncertainty.backends import DaskBackend
    values = sample(moonshot.uncertainty.parameters, 600, 5)
    local = run_design(moonshot, values, chunk=200)
    dask = run_design(moonshot, values, chunk=200, backend=DaskBackend("local", 2))
    for name in local.indicators:
        assert np.array_equal(local.indicators[name], dask.indicators[name], equal_nan=True), name


def test_small_designs_keep_their_indicators_in_memory_and_large_ones_read_the_store(moonshot, monkeypatch):
    from simulate.uncertainty import ensemble as module
    from simulate.uncertainty.store import StoredIndicators

    values = sample(moonshot.uncertainty.parameters, 300, 2)
    kept = run_design(moonshot, values, chunk=128)
    assert kept.kept is not None and not kept.indicators["labour_force"].flags.writeable
    stored = StoredIndicators(kept.store)
    assert all(np.array_equal(kept.indicators[name], stored[name], equal_nan=True) for name in stored)
    monkeypatch.setattr(module, "KEEP_IN_MEMORY_BYTES", 300 * len(kept.years) * len(stored) * 8 - 1)
    large = run_design(moonshot, values, chunk=128)
    assert large.kept is None and isinstance(large.indicators, StoredIndicators)
    pd.testing.assert_frame_equal(quantile_table(kept), quantile_table(large))
    assert target_probabilities(kept, moonshot.targets, 2015) == target_probabilities(large, moonshot.targets, 2015)


def test_block_quantiles_are_numpys_and_blank_a_year_with_a_non_finite_value():
    from simulate.uncertainty.ensemble import QUANTILES, QUANTILE_YEARS, _block_quantiles

    values = np.random.default_rng(4).lognormal(18.0, 0.3, size=(501, QUANTILE_YEARS + 3))
    values[17, 2] = np.nan
    values[40, 5] = np.inf
    q = _block_quantiles(values, slice(None), 0)
    assert q.shape == (len(QUANTILES), QUANTILE_YEARS)
    assert np.isnan(q[:, [2, 5]]).all()
    finite = [0, 1, 3, 4, 6, 7]
    assert np.array_equal(q[:, finite], np.quantile(values[:, finite], QUANTILES, axis=0))
    rows = np.arange(501) % 3 > 0
    assert np.array_equal(_block_quantiles(values, rows, 8), np.quantile(values[rows, 8:], QUANTILES, axis=0))
    one = values[:1].copy()  # one trajectory: its transposed block is contiguous already, yet never reordered
    one.flags.writeable = False
    assert np.array_equal(_block_quantiles(one, slice(None), 0), np.repeat(one[:, :QUANTILE_YEARS], 5, axis=0))


def test_quantiles_ordered_and_centred(moonshot):
    ensemble = run_design(moonshot, sample(moonshot.uncertainty.parameters, 2000, 1))
    q = quantile_table(ensemble)
    finite = q.dropna()
    cols = ["p2_5", "p10", "p50", "p90", "p97_5"]
    assert np.all(np.diff(finite[cols].to_numpy(), axis=1) >= -1e-9)
    _, det = run_batch([moonshot], keep_ages=False)
    at = q[(q.indicator == "population_total") & (q.year == 2040)].iloc[0]
    assert at.p10 < det["population_total"][0, 25] < at.p90
    odds = target_probabilities(ensemble, moonshot.targets, moonshot.base_year)
    assert all(0.0 <= o["probability"] <= 1.0 for o in odds) and odds[1]["probability"] > 0.9


def test_memory_limit_refuses_before_work(tmp_path, capsys):
    with pytest.raises(InputError, match="more than the 0.5 GB limit"):
        check_memory(1_000_000, 50, 6, False, 2048, 0.5)
    code = main(["ensemble", str(SCENARIOS / "baseline.yaml"), "--n", "2000000", "--keep-ages",
                 "--out", str(tmp_path)])
    assert code == 2 and "--keep-ages" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_curved_parameter_takes_the_plain_path_and_stays_exact():
    """A profile's peak age moves the inputs along a curve: the shortcut is not taken, every point is
    resolved as a single run is, and the numbers are a single run's."""
    scenario = Scenario(uncertainty={"parameters": {
        "peak": {"path": "migration.profile.peak_age", "distribution": "uniform", "low": 18, "high": 30}}})
    values = np.array([[18.0], [24.0], [30.0]])
    affine = affine_inputs(scenario, scenario.uncertainty.parameters, values)
    assert not affine.exact and "not affine in peak" in affine.reason
    design = run_design(scenario, values)
    for row, value in enumerate(values):
        _, alone = run_batch([with_values(scenario, scenario.uncertainty.parameters, value)], keep_ages=False)
        np.testing.assert_allclose(design.indicators["population_total"][row], alone["population_total"][0],
                                   rtol=1e-12)


def test_unknown_setting_is_named():
    scenario = Scenario(uncertainty={"parameters": {
        "x": {"path": "fertility.nothing.2040", "distribution": "uniform", "low": 0, "high": 1}}})
    with pytest.raises(InputError, match="uncertainty.parameters.x"):
        run_design(scenario, np.array([[0.5]]))


def test_sobol_finds_the_only_driver():
    scenario = load_scenario(SCENARIOS / "baseline.yaml").scenario
    table, ensemble, _ = sensitivity(scenario, "sobol", 64, 1, ("population_15_64",), (2030,))
    st = table.set_index("parameter")["ST"]
    assert st["migration_scale"] > 0.9 and st["productivity_shift"] < 1e-6 and "seniors_uplift" not in st
    assert len(ensemble.values) == 64 * (len(st) + 2)
    with pytest.raises(InputError, match="power of two"):
        sensitivity(scenario, "sobol", 100, 1)


def test_morris_ranks_productivity_for_gdp_per_capita():
    scenario = load_scenario(SCENARIOS / "baseline.yaml").scenario
    table, _, _ = sensitivity(scenario, "morris", 10, 2, ("gdp_per_capita",), (2040,))
    assert table.sort_values("mu_star").iloc[-1]["parameter"] == "productivity_shift"


def test_sweep_grid_matches_backcast_levers():
    from simulate.backcasting import LEVERS, with_lever
    scenario = Scenario()
    parameters, points = sweep_design({"productivity_growth": [0.5, 2], "seniors_uplift": "0:20:3"}, scenario)
    assert points.shape == (6, 2)
    ensemble = run_design(scenario, points, parameters)
    manual = with_lever(with_lever(scenario, LEVERS["productivity_growth"], 2.0, 2040),
                        LEVERS["seniors_uplift"], 10.0, 2040)
    _, reference = run_batch([manual], keep_ages=False)
    row = int(np.flatnonzero((points[:, 0] == 2.0) & (points[:, 1] == 10.0))[0])
    np.testing.assert_allclose(ensemble.indicators["gdp"][row], reference["gdp"][0], rtol=1e-9)
    with pytest.raises(InputError, match="not a lever"):
        sweep_design({"nonsense": [1, 2]}, scenario)


def test_ensemble_cli_outputs_and_fan_data(tmp_path):
    assert main(["ensemble", str(SCENARIOS / "moonshot.yaml"), "--n", "300", "--seed", "4", "--out",
                 str(tmp_path), "--quiet"]) == 0
    folder = tmp_path / "moonshot_ensemble_n300-seed4"
    q = pd.read_csv(folder / "quantiles.csv")
    meta = json.loads((folder / "ensemble.json").read_text())
    assert meta["n"] == 300 and meta["seed"] == 4 and len(meta["targets"]) == 3
    from simulate.uncertainty.store import open_trajectories
    with open_trajectories(folder) as dataset:
        assert dataset["labour_force"].dims == ("trajectory", "year") and dataset["labour_force"].shape == (300, 51)
        assert dataset["labour_force"].attrs["units"] == "1" and dataset["labour_force"].attrs["units_in_words"] == "persons"
        assert dataset["gdp_index"].attrs["units"] == "%" and dataset["gdp_index"].attrs["index_base_year"] == 2017
        assert dataset["parameter_tfr_shift"].dims == ("trajectory",) and "truncnormal" in (
            dataset["parameter_tfr_shift"].attrs["long_name"])
        assert int(dataset["year"][0]) == 2015 and int(dataset["possible"].sum()) == 300
    # any xarray user opens it with the defaults, in one read of consolidated metadata, without a warning
    code = ("import sys, xarray as xr\n"
            f"ds = xr.open_zarr({str(folder / 'trajectories.zarr')!r})\n"
            "print(ds['labour_force'].shape, int(ds['possible'].sum()))")
    proc = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "(300, 51) 300", proc.stderr
    assert len(pd.read_csv(folder / "samples.csv")) == 300
    from simulate.plots.uncertainty import FANS, fan
    fig = fan(q, FANS["fan_labour_force"], "t")
    line = fig.axes[0].lines[0]
    expected = q[q.indicator == "labour_force"].sort_values("year")["p50"] / 1e6
    np.testing.assert_allclose(line.get_ydata(), expected)
    for stem in FANS:
        assert (folder / "figures" / f"{stem}.svg").stat().st_size > 10_000


def test_sweep_and_sensitivity_cli(tmp_path, capsys):
    assert main(["sweep", str(SCENARIOS / "baseline.yaml"), "--grid", "productivity_growth=0,1,2",
                 "--grid", "seniors_uplift=0,10", "--out", str(tmp_path), "--quiet"]) == 0
    sweep = tmp_path / "baseline_sweep_productivity_growth-0-1-2-seniors_acdeaea4"  # cut at a word, hashed
    assert json.loads((sweep / "sweep.json").read_text(encoding="utf-8"))["question"] == (
        "productivity_growth=0,1,2 seniors_uplift=0,10 gdp_per_capita@2040")
    table = pd.read_csv(sweep / "sweep.csv")
    assert len(table) == 6 and "gdp_per_capita@2040" in table
    assert (sweep / "figures" / "heatmap.svg").exists()
    assert main(["sensitivity", str(SCENARIOS / "baseline.yaml"), "--method", "morris", "--n", "4",
                 "--out", str(tmp_path), "--no-figures"]) == 0
    printed = capsys.readouterr().out
    assert "Morris μ* (mean absolute elementary effect) ± 95 % confidence" in printed
    assert "migration_scale: scale migration.net: lognormal" in printed
    assert re.search(r"^Labour force 2040 +μ\*\nnet migration \(scaled\) +[0-9.]+ M ± [0-9.]+ M$", printed, re.M)
    assert "e+" not in printed
    result = pd.read_csv(next(tmp_path.glob("baseline_sensitivity_morris-n*")) / "sensitivity.csv")
    assert set(result["year"]) == {2030, 2040} and "mu_star" in result


@pytest.mark.slow
def test_baseline_ensemble_brackets_its_own_scenario(tmp_path, capsys):
    """With policy levers out of the uncertainty block, the deterministic baseline's value of every
    headline indicator in 2040 lies inside the ensemble's 80 % band, and the printed table shows both."""
    assert main(["ensemble", str(SCENARIOS / "baseline.yaml"), "--n", "2000", "--seed", "11", "--out",
                 str(tmp_path), "--no-figures"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^Population +median \[80 % band\] +the scenario's own value$", printed, re.M)
    assert "tfr_shift: shift fertility.tfr" in printed
    q = pd.read_csv(tmp_path / "baseline_ensemble_n2000-seed11" / "quantiles.csv")
    headline = ["population_total", "population_15_64", "population_65_plus", "labour_force", "employed",
                "gdp", "gdp_per_capita", "old_age_dependency_ratio", "workers_per_elderly"]
    rows = q[(q.year == 2040) & q.indicator.isin(headline)]
    assert len(rows) == len(headline)
    assert ((rows.p10 <= rows.scenario) & (rows.scenario <= rows.p90)).all(), rows


def test_policy_levers_are_sampled_only_on_request():
    from simulate.scenario.uncertainty_model import Parameter
    with pytest.raises(Exception, match="policy lever"):
        Parameter(lever="seniors_uplift", distribution="uniform", low=0, high=10)
    assert Parameter(lever="seniors_uplift", sample_policy=True, distribution="uniform", low=0, high=10).describe() \
        == "lever seniors_uplift: uniform(0 to 10) (policy lever, sampled on request)"


def test_a_store_larger_than_the_free_disk_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 9 * 10**8, 10**8))  # 100 MB free
    assert main(["ensemble", "baseline", "--n", "20000", "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "GB on disk for trajectories.zarr" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert main(["ensemble", "baseline", "--n", "500", "--out", str(tmp_path / "out"), "--quiet", "--no-figures"]) == 0


def test_a_draw_may_not_edit_the_year_before_the_history_end():
    """History is data: a parameter on a keyframe inside the observed years is refused by name,
    one year before the history end included (the history end itself anchors the assumptions)."""
    from simulate.uncertainty.inputs import with_value
    baseline = load_scenario(SCENARIOS / "baseline.yaml").scenario
    early = Parameter(path=f"fertility.tfr.{baseline.history_end - 1}", distribution="uniform", low=1.0, high=2.0)
    with pytest.raises(InputError, match="inside the observed history"):
        with_value(baseline, "early", early, 1.5)
    anchor = Parameter(path=f"fertility.tfr.{baseline.history_end}", distribution="uniform", low=1.0, high=2.0)
    assert with_value(baseline, "anchor", anchor, 1.5).fertility.tfr[baseline.history_end] == 1.5


@pytest.mark.parametrize("name", ["baseline", "current", "moonshot"])
def test_the_shipped_uncertainty_takes_the_batched_shortcut(name):
    """The shipped parameters act affinely together, so ensembles stay batched (and fast)."""
    scenario = load_scenario(SCENARIOS / f"{name}.yaml").scenario
    parameters = scenario.uncertainty.parameters
    affine = affine_inputs(scenario, parameters, sample(parameters, 50, 1))
    assert affine.exact, affine.reason


@pytest.fixture
def silent_scheduler():
    """A TCP port that accepts connections and never answers (a firewall, a wrong service)."""
    import socket
    import threading
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                pass
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_scheduler_that_never_answers_is_given_up_on_by_our_own_clock(silent_scheduler):
    pytest.importorskip("dask.distributed")
    from simulate.errors import ParameterError
    from simulate.uncertainty.backends import DaskBackend
    import time
    started = time.monotonic()
    with pytest.raises(ParameterError, match="did not answer within 2 s") as caught:
        with DaskBackend(silent_scheduler, connect_timeout=2.0):
            pass
    assert time.monotonic() - started < 6 and caught.value.exit_code == 1
    assert caught.value.render({"address": "--dask"}).startswith("--dask tcp://127.0.0.1:")


def test_workers_are_bounded_by_the_cores_unless_forced(tmp_path, capsys, monkeypatch):
    from simulate.machine import THREADS_SETTING, cores
    monkeypatch.setenv(THREADS_SETTING, "2")
    assert cores() == 2
    assert main(["ensemble", "baseline", "--n", "10", "--workers", "24", "--out", str(tmp_path)]) == 2
    assert "--force-workers" in capsys.readouterr().err and not any(tmp_path.iterdir())


def test_the_memory_estimate_counts_every_worker_process():
    from simulate.uncertainty.ensemble import WORKER_BASE_BYTES, estimate_bytes
    alone = estimate_bytes(10_000, 50, 5, False, 1024)
    assert estimate_bytes(10_000, 50, 5, False, 1024, processes=24) - alone > 24 * WORKER_BASE_BYTES
    with pytest.raises(InputError, match="with 24 worker processes"):
        check_memory(10_000, 50, 5, False, 1024, 1.2, processes=24)
    check_memory(10_000, 50, 5, False, 1024, 1.2)  # the same design in this process fits
