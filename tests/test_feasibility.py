"""Worlds that cannot exist: bounded emigration, and runs that stop or leave out impossible trajectories."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simulate.cli import main
from simulate.feasibility import ImpossibleWorld, check_possible, first_problem, impossible
from simulate.pipeline import run_batch, run_scenarios
from simulate.scenario import Scenario, load_scenario

from conftest import SCENARIOS

#: Dies out before 2300: no births and a million net emigrants a year.
DYING = "horizon: 2300\nfertility:\n  tfr: 0\nmigration:\n  net: -1000000\n"
#: Net migration drawn from -1 M to +0.5 M a year, the only uncertainty (inherited ones dropped).
NET_ONLY = ("uncertainty:\n  parameters:\n    tfr_shift: null\n    e0_male_gain: null\n    e0_female_gain: null\n"
            "    migration_scale: null\n    productivity_shift: null\n    net:\n      path: migration.net\n"
            "      distribution: uniform\n      low: -1000000\n      high: 500000\n")


def write(tmp_path, name: str, body: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\nextends: {SCENARIOS / 'baseline'}\n{body}", encoding="utf-8")
    return path


def test_emigration_never_takes_a_cell_below_zero_and_flows_still_balance(tmp_path):
    result = run_scenarios([load_scenario(write(tmp_path, "exodus", "migration:\n  net: -1000000\n"
                                                "  profile: {male_share: 1.0}\n"))], flows=True)[0]
    assert result.population["population"].min() >= 0.0
    men = result.population.query("sex == 'male' and year == 2065")["population"]
    assert (men == 0.0).sum() > 10  # whole male ages emptied, never negative
    table = result.indicators.set_index("year")
    net = table["net_migration"]
    assert net.loc[2030] == pytest.approx(-1_000_000)  # still people to leave
    assert -1_000_000 < net.loc[2065] < -100_000  # fewer left than asked: nobody was left to go
    balance = table["population_total"].diff() - (table["births"] - table["deaths"] + net)
    assert balance.iloc[1:].abs().max() < 1.0
    flows = result.flows.groupby("year")["net_migrants"].sum()
    assert np.allclose(flows.to_numpy(), net.iloc[1:].to_numpy(), atol=1e-3)


def test_a_dying_world_stops_a_run_with_one_line_naming_year_and_quantity(tmp_path, capsys):
    path = write(tmp_path, "dying", DYING)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "dying" in err and "cannot exist" in err
    assert "population_15_64 is 0 in 20" in err
    assert not out.exists()


def test_impossible_cells_and_indicators_are_named():
    projection, indicators = run_batch([Scenario()], keep_ages=True)
    assert not impossible(projection, indicators).any() and first_problem(projection, indicators) is None
    population = projection.population.copy()
    population[0, 30, 1, 42] = -1.0  # a negative woman aged 42, 30 years in
    broken = dataclasses.replace(projection, population=population)
    assert impossible(broken, indicators).all()
    assert first_problem(broken, indicators) == f"{projection.years[30]}: female age 42 has -1 persons"
    gdp = indicators["gdp"].copy()
    gdp[0, 40] = np.inf
    with pytest.raises(ImpossibleWorld, match=f"gdp is infinite in {projection.years[40]}"):
        check_possible(projection, indicators | {"gdp": gdp}, ["x"])
    gdp[0, 40] = -5.0
    assert first_problem(projection, indicators | {"gdp": gdp}) == f"gdp is -5 in {projection.years[40]}"


def test_sweep_marks_impossible_points_and_leaves_them_out(tmp_path, capsys):
    import pandas as pd

    path = write(tmp_path, "dying", DYING)
    code = main(["sweep", str(path), "--grid", "net_migration=-1000000,500000", "--metric",
                 "population_total@2300", "--out", str(tmp_path), "--no-figures", "--quiet"])
    assert code == 0
    table = pd.read_csv(next(tmp_path.glob("dying_sweep_*/sweep.csv")))
    assert table["possible"].tolist() == [False, True]
    assert np.isnan(table.loc[0, "population_total@2300"]) and table.loc[1, "population_total@2300"] > 0


def test_ensemble_counts_impossible_trajectories_and_leaves_them_out(tmp_path, capsys):
    import pandas as pd

    path = write(tmp_path, "dying", DYING + NET_ONLY)
    assert main(["ensemble", str(path), "--n", "40", "--out", str(tmp_path), "--no-figures"]) == 0
    out = capsys.readouterr().out
    folder = next(tmp_path.glob("dying_ensemble_*"))
    samples = pd.read_csv(folder / "samples.csv")
    bad = int((~samples["possible"]).sum())
    assert 0 < bad < 40 and f"{bad:,} of 40 trajectories describe a world that cannot exist" in out
    assert samples.loc[samples["net"] < -100_000, "possible"].eq(False).all()
    quantiles = pd.read_csv(folder / "quantiles.csv").query("indicator == 'population_total' and year == 2300")
    assert quantiles["p2_5"].iloc[0] > 0  # only possible worlds in the quantiles


def test_sensitivity_refuses_designs_with_impossible_runs(tmp_path):
    from simulate.uncertainty.sensitivity import sensitivity

    scenario = load_scenario(write(tmp_path, "dying", DYING + NET_ONLY)).scenario
    with pytest.raises(ImpossibleWorld, match="sensitivity indices need every run"):
        sensitivity(scenario, "sobol", 8, 1, years=(2100,))


@pytest.mark.parametrize("body, fragment", [
    ("economy:\n  productivity_target: {factor: 100, year: 2018}\n", "9,900.0 % growth a year"),
    ("base_year: 2024\neconomy:\n  productivity_target: {factor: 2, year: 2020}\n", "must be after the base year"),
    ("economy:\n  mode: growth_accounting\n  tfp_growth: -10\n  capital_share: 0.9\n", "-65.1 % a year"),
    ("economy:\n  mode: growth_accounting\n  tfp_growth: 20\n", "32.4 % a year"),
])
def test_derived_growth_rates_respect_the_documented_bounds(tmp_path, body, fragment, capsys):
    assert main(["validate", str(write(tmp_path, "derived", body))]) == 2
    err = capsys.readouterr().err
    assert fragment in err and ("allowed -10 to 20 % per year" in err or "base year" in fragment)


def test_backcast_met_at_both_ends_but_not_between_takes_the_first_run(monkeypatch):
    """A target met at both ends of the range but not between (once an IndexError): the solver takes
    the edge of the run of met values that starts at the low end."""
    import simulate.backcasting as backcast
    from simulate.scenario.economy_model import Target

    def fake(scenario, lever, values, year, targets):  # met below 1 and above 3, missed between
        gap = np.where((values < 1.0) | (values > 3.0), 1.0, -1.0) * np.minimum(abs(values - 1.0), abs(values - 3.0))
        indicators = {"labour_force": np.full((len(values), 2), 0.0)}
        return gap[None, :], indicators, np.array([2017, 2040])

    monkeypatch.setattr(backcast, "_evaluate", fake)
    solution = backcast.solve(Scenario(), "tfr", [Target.parse("labour_force@2040>=1")], (0.0, 4.0))
    assert solution.value == pytest.approx(1.0, abs=1e-6) and solution.value <= 1.0


def test_parameters_can_be_cleared_or_dropped_one_by_one(tmp_path):
    cleared = load_scenario(write(tmp_path, "none", "uncertainty:\n  parameters: {}\n")).scenario
    assert cleared.uncertainty.parameters == {}
    dropped = load_scenario(write(tmp_path, "fewer", "uncertainty:\n  parameters:\n    tfr_shift: null\n")).scenario
    assert "tfr_shift" not in dropped.uncertainty.parameters and "e0_male_gain" in dropped.uncertainty.parameters
