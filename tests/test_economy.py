import numpy as np
import pandas as pd
import pytest

from simulate.economy import economic_indicators, economic_inputs
from simulate.economy.calibration import LFS_2017, participation_profile
from simulate.economy.labour import participation_path
from simulate.economy.output import productivity_index, target_growth
from simulate.errors import InputError
from simulate.pipeline import run_batch
from simulate.scenario import Scenario, load_scenario
from conftest import SCENARIOS


CENSUS2015 = participation_profile("census2015")


def base_profile():
    return CENSUS2015.profile


def calibration_population():
    return CENSUS2015.population


def path_of(labour, years):
    return participation_path(labour, years, CENSUS2015, 2017)


def indicators_of(*scenarios):
    projection, indicators = run_batch(list(scenarios), keep_ages=False)
    years = projection.years
    return {k: v for k, v in indicators.items()}, years


def test_calibrated_labour_force_equals_2017_survey_totals(baseline_indicators):
    assert baseline_indicators.at[2017, "labour_force"] == pytest.approx(67.20e6, rel=1e-9)
    assert baseline_indicators.at[2017, "employed"] == pytest.approx(65.30e6, rel=1e-3)
    pop, rates = calibration_population(), base_profile() / 100.0
    for s, sex in enumerate(("male", "female")):
        assert (pop[s, :10] * rates[s, :10]).sum() == pytest.approx(LFS_2017[(sex, "15-64")], rel=1e-9)
        assert (pop[s, 10:] * rates[s, 10:]).sum() == pytest.approx(LFS_2017[(sex, "65+")], rel=1e-9)


def test_productivity_index_compounds_exactly():
    years = np.arange(2015, 2066)
    growth = np.full((1, len(years)), 2.0)
    index = productivity_index(growth, years, 2017)[0]
    expected = 100.0 * 1.02 ** (years - 2017.0)
    np.testing.assert_allclose(index, expected, rtol=1e-12)


def test_one_and_a_half_times_target_hit_to_1e9():
    ind, years = indicators_of(load_scenario(SCENARIOS / "productivity_1_5x.yaml").scenario)
    assert ind["productivity_index"][0, years == 2037][0] == pytest.approx(150.0, abs=1e-9)
    assert target_growth(1.5, 2037, 2017) == pytest.approx(100 * (1.5 ** (1 / 20) - 1))


def test_gdp_2018_is_the_seeds_level(baseline_indicators):
    """GDP 2018 is USD 5,063 bn on the observed 2018 population with the surveyed 2017 labour; the
    baseline, whose history ends in 2017, projects 2018 and lands within 0.3 % of it."""
    from simulate.economy.calibration import observed_population, productivity_2017
    hours_2018 = (observed_population("census2015", 2018) * base_profile()).sum() / 100.0 * (1 - 0.028) * 1710.0
    assert productivity_2017() * 1.008 * hours_2018 / 1e9 * 5063.0 == pytest.approx(5063.0, rel=1e-12)
    assert baseline_indicators.at[2018, "gdp"] == pytest.approx(5063.0, rel=0.003)
    assert baseline_indicators.at[2017, "gdp_index"] == pytest.approx(100.0)


def test_growth_accounting_without_automation_agrees_with_productivity_mode():
    plain = Scenario(economy={"productivity_growth": {2017: 0.8, 2018: 1.7}})
    accounting = Scenario(economy={"mode": "growth_accounting", "productivity_growth": {2017: 0.8, 2018: 1.7}})
    ind, _ = indicators_of(plain, accounting)
    np.testing.assert_allclose(ind["gdp"][1], ind["gdp"][0], rtol=1e-9)


def test_automation_and_investment_raise_output():
    base = Scenario(economy={"mode": "growth_accounting"})
    robots = Scenario(economy={"mode": "growth_accounting", "automation": {2017: 0, 2040: 10}})
    invest = Scenario(economy={"mode": "growth_accounting", "investment_rate": 30})
    ind, years = indicators_of(base, robots, invest)
    at = years == 2040
    hours = ind["hours_worked"][0]
    boost = 1.0 + 0.10 * hours[years == 2017] / hours[at]  # machines add 10 % of 2017 hours
    assert ind["gdp"][1, at] == pytest.approx(ind["gdp"][0, at] * boost, rel=1e-9)
    assert ind["gdp"][2, at] > ind["gdp"][0, at]
    assert ind["gdp"][2, years == 2017] == pytest.approx(ind["gdp"][0, years == 2017])


def test_automation_requires_growth_accounting():
    with pytest.raises(Exception, match="growth_accounting"):
        Scenario(economy={"automation": 5})


def test_seniors_shortcut_reaches_combined_rate():
    years = np.arange(2015, 2066)
    rates = path_of(Scenario(labour={"seniors": {"rate": 60, "by": 2040}}).labour, years)
    pop = calibration_population()[:, 10:12]
    combined = (rates[:, :, 10:12] * pop).sum(axis=(1, 2)) / pop.sum()
    assert combined[years == 2040][0] == pytest.approx(60.0)
    assert combined[years == 2017][0] < 50 and combined[-1] == pytest.approx(60.0)


def test_m_curve_closes_and_gap_shrinks():
    years = np.arange(2015, 2066)
    labour = Scenario(labour={"women_m_curve": {"by": 2030}, "women_gap": {"by": 2040, "share": 0.5}}).labour
    rates = path_of(labour, years)
    base = base_profile()
    at2030 = rates[years == 2030][0]
    assert np.all(at2030[1, 2:6] >= max(base[1, 2], base[1, 6]) - 1e-9)
    gap_2040 = rates[years == 2040][0, 0, :10] - rates[years == 2040][0, 1, :10]
    assert np.all(gap_2040 <= (base[0, :10] - base[1, :10]) * 0.5 + 1e-9)


def test_rate_and_change_forms():
    years = np.arange(2015, 2066)
    labour = Scenario(labour={"participation": [
        {"sex": "female", "ages": "60-64", "rate": {2030: 70}},
        {"sex": "male", "ages": "75+", "change": {2017: 0, 2040: 10}}]}).labour
    rates, base = path_of(labour, years), base_profile()
    assert rates[years == 2017][0, 1, 9] == pytest.approx(base[1, 9])
    assert rates[years == 2030][0, 1, 9] == pytest.approx(70.0)
    assert rates[years == 2040][0, 0, 12] == pytest.approx(base[0, 12] + 10.0)


def test_redefined_elderly_gives_more_workers_per_elderly():
    ind, _ = indicators_of(Scenario(), Scenario(labour={"old_age_threshold": 70}))
    assert np.all(ind["workers_per_elderly"][1] > ind["workers_per_elderly"][0])


def test_economy_columns_written(baseline_indicators):
    for column in ["labour_force", "employed", "hours_worked", "productivity_index", "gdp", "gdp_index",
                   "gdp_per_capita", "gdp_per_capita_index", "gdp_per_worker", "workers_per_elderly"]:
        assert np.all(np.isfinite(baseline_indicators[column]))


def test_economy_is_batched_like_the_engine():
    scenarios = [Scenario(), Scenario(economy={"productivity_growth": 2.0})]
    together, _ = indicators_of(*scenarios)
    alone, _ = indicators_of(scenarios[1])
    np.testing.assert_allclose(together["gdp"][1], alone["gdp"][0], rtol=1e-12)


def test_labour_csv_reproduces_the_indicators(tmp_path):
    """labour.csv (year, sex, age group) sums to labour_force, employed and hours_worked."""
    from simulate.cli import main
    assert main(["run", str(SCENARIOS / "moonshot.yaml"), "--out", str(tmp_path), "--quiet", "--no-figures"]) == 0
    labour = pd.read_csv(tmp_path / "moonshot" / "labour.csv")
    indicators = pd.read_csv(tmp_path / "moonshot" / "indicators.csv").set_index("year")
    assert list(labour.columns) == ["year", "sex", "age_group", "population", "participation_rate", "labour_force",
                                    "unemployment_rate", "employed", "hours_worked"]
    sums = labour.groupby("year")[["labour_force", "employed", "hours_worked"]].sum()
    for column in sums:
        np.testing.assert_allclose(sums[column], indicators[column], rtol=1e-9)
    seniors = labour[(labour.year == 2040) & labour.age_group.isin(["65-69", "70-74"])]
    combined = (seniors.population * seniors.participation_rate).sum() / seniors.population.sum()
    assert combined == pytest.approx(60.0, abs=0.5)  # moonshot: 65-74 at 60 % by 2040 (on 2017 weights)


def test_seniors_shortcut_takes_ages_and_sex():
    years = np.arange(2015, 2066)
    labour = Scenario(labour={"seniors": {"rate": 40, "by": 2035, "ages": "70-74", "sex": "female"}}).labour
    rates, base = path_of(labour, years), base_profile()
    at = years == 2035
    pop = calibration_population()
    assert rates[at][0, 1, 11] == pytest.approx(40.0)  # women 70-74 (one group: the combined rate is its rate)
    np.testing.assert_allclose(rates[at][0, 0], base[0])  # men untouched
    np.testing.assert_allclose(rates[at][0, 1, :11], base[1, :11])
    wide = path_of(Scenario(labour={"seniors": {"rate": 50, "by": 2040, "ages": "60-69"}}).labour, years)
    cells = (slice(None), slice(9, 11))
    combined = (wide[years == 2040][0][cells] * pop[cells]).sum() / pop[cells].sum()
    assert combined == pytest.approx(50.0)
    with pytest.raises(Exception, match="ages from 60"):
        Scenario(labour={"seniors": {"rate": 50, "by": 2040, "ages": "55-64"}})


def test_no_labour_force_step_after_the_history_end():
    """census2020 runs observed to 2020 use the 2024-calibrated profile: the years between fade into
    it instead of jumping (the step was +3.7 % in 2021)."""
    from simulate.pipeline import run_scenarios
    from simulate.scenario import load_scenario

    for name in ("ipss2023_medium", "ipss2023_low_fertility", "current", "baseline"):
        ind = run_scenarios([load_scenario(SCENARIOS / f"{name}.yaml")])[0].indicators.set_index("year")
        assert ind["labour_force"].loc[:2030].pct_change().abs().max() < 0.012, name


def reference_growth_accounting(gdp_base, base, hours, productivity_growth, investment, automation, share,
                                depreciation, capital_output):
    """Cobb-Douglas output year by year, written out as the textbook states it (one trajectory):
    Y(t) = A(t) K(t)^a L(t)^(1-a), with L = hours + automation (% of base-year hours),
    K(t+1) = (1 - d) K(t) + s(t) Y(t) (investment of year t is capital in t+1), K(base) = K/Y x Y(base),
    and A growing at the TFP rate implied by the productivity path, A(base) so that Y(base) = gdp_base."""
    n = len(hours)
    labour = [hours[t] + automation[t] / 100.0 * hours[base] for t in range(n)]
    tfp = [1.0] * n
    for t in range(base + 1, n):
        tfp[t] = tfp[t - 1] * (1.0 + productivity_growth[t] / 100.0) ** (1.0 - share)
    capital = capital_output * gdp_base
    level = gdp_base / (capital ** share * labour[base] ** (1.0 - share))
    gdp = {base: gdp_base}
    for t in range(base + 1, n):
        capital = (1.0 - depreciation / 100.0) * capital + investment[t - 1] / 100.0 * gdp[t - 1]
        gdp[t] = level * tfp[t] * capital ** share * labour[t] ** (1.0 - share)
    return np.array([gdp[t] for t in range(base, n)])


def test_growth_accounting_matches_the_year_by_year_reference():
    """Rising investment, changing hours and automation: output, its timing (investment of year t
    becomes capital in t+1; automation counts base-year hours) and the capital stock, against a
    loop written from the textbook equations."""
    scenario = Scenario(labour={"hours": {2017: 1710, 2040: 1550}},
                        economy={"mode": "growth_accounting", "investment_rate": {2017: 20, 2040: 32},
                                 "automation": {2017: 0, 2040: 8}, "productivity_growth": {2017: 0.8, 2030: 1.6},
                                 "depreciation": 6.0, "capital_share": 0.4})
    ind, years = indicators_of(scenario)
    inputs = economic_inputs([scenario], years)
    base = int(np.searchsorted(years, 2017))
    expected = reference_growth_accounting(
        ind["gdp"][0, base], base, ind["hours_worked"][0], inputs.productivity_growth[0], inputs.investment_rate[0],
        inputs.automation[0], 0.4, 6.0, scenario.economy.capital_output_2017)
    np.testing.assert_allclose(ind["gdp"][0, base:], expected, rtol=1e-10)
    assert np.ptp(inputs.investment_rate[0, base:]) > 10 and np.ptp(inputs.hours[0, base:]) > 100


def test_hours_worked_are_each_years_employed_times_that_years_hours():
    scenario = Scenario(labour={"hours": {2017: 1710, 2030: 1500, 2050: 1650}})
    ind, years = indicators_of(scenario)
    hours = economic_inputs([scenario], years).hours[0]
    np.testing.assert_allclose(ind["hours_worked"][0], ind["employed"][0] * hours, rtol=1e-12)
    assert hours[years == 2030][0] == pytest.approx(1500.0) and hours[years == 2017][0] == pytest.approx(1710.0)
