"""Observed history: the 2020 base, the observed years, and that no edit can change them."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simulate import data
from simulate.backcasting import solve
from simulate.calendar import last_observed_year
from simulate.demography import base
from simulate.demography.history import birth_allowance, history_fit
from simulate.errors import InputError
from simulate.pipeline import run_batch, run_scenarios
from simulate.scenario import LoadedScenario, Scenario, load_scenario
from simulate.scenario.economy_model import Target
from simulate.uncertainty.ensemble import run_design, sample
from simulate.uncertainty.sweep import sweep_design
from conftest import SCENARIOS


def test_2020_base_holds_the_census_totals_exactly():
    pop = base.census2020_population()
    assert pop.shape == (2, 101)
    for s, sex in enumerate(data.SEXES):
        assert pop[s].sum() == pytest.approx(base.CENSUS2020_TOTAL[sex], abs=1e-3)
    for group, (first, last) in {"0-14": (0, 15), "15-64": (15, 65), "65+": (65, 101)}.items():
        assert pop[:, first:last].sum() == pytest.approx(base.CENSUS2020_BROAD[group], abs=1e-3)


def test_2020_base_keeps_the_known_age_proportions_within_each_cell():
    known = data.census2020_groups()
    groups = base.distribute_unknown(known)
    ratio = groups / known
    for span in base.BROAD_GROUPS.values():  # one factor per sex x broad group
        np.testing.assert_allclose(ratio[:, span], ratio[:, span][:, :1].repeat(span.stop - span.start, 1),
                                   rtol=1e-12)
    assert np.all(ratio >= 1.0)  # age unknown only adds people


def test_2020_single_ages_have_no_steps_at_group_edges():
    """Single ages follow the nationals' shape; the ratio to it changes smoothly across group edges."""
    pop = base.census2020_population()
    shape = base.to_model_ages(base.nationals_oct1(2020))
    extra = np.diff(np.log(pop[:, :90]), axis=1) - np.diff(np.log(shape[:, :90]), axis=1)  # (2, 89)
    edges = np.arange(4, 84, 5)  # steps from age 4 to 5, 9 to 10, ..., 83 to 84 ... at group edges
    within = np.abs(extra[:, edges - 1] - extra[:, edges + 1]).max()
    jumps = np.abs(extra[:, edges] - extra[:, edges - 1]).max()
    assert jumps < 2e-4 and within < 2e-4
    groups = np.add.reduceat(pop[:, :85], np.arange(0, 85, 5), axis=1)
    np.testing.assert_allclose(groups, base.distribute_unknown(data.census2020_groups())[:, :17], rtol=1e-9)


def test_current_follows_the_observed_totals_and_births(current_indicators):
    observed = data.observed()
    for year in range(2021, 2025):
        assert current_indicators.at[year, "population_total"] == pytest.approx(
            observed.at[year, "population_oct1"], rel=1e-9)
        births = current_indicators.at[year, "births"] / birth_allowance()
        assert births == pytest.approx(observed.at[year, "births"], rel=0.02), year


def test_history_fit_reports_flows():
    fit = history_fit("census2020", last_observed_year()).set_index("year")
    assert list(fit.index) == [2021, 2022, 2023, 2024]
    assert fit["births_deviation_pct"].abs().max() < 2.0
    assert fit["deaths_deviation_pct"].abs().max() < 5.0
    assert (fit["net_migration_residual"].loc[2022:] > 100_000).all()  # immigration well above 2017's 70,000


def test_labour_is_calibrated_to_the_2024_survey(current_indicators):
    surveys = data.labour_force_survey()
    for year in (2022, 2023, 2024):  # observed years follow every survey in the pack
        assert current_indicators.at[year, "labour_force"] == pytest.approx(
            surveys.at[year, "labour_force_millions"] * 1e6, rel=1e-9)
        assert current_indicators.at[year, "unemployment_rate"] == surveys.at[year, "unemployment_rate_pct"]
    assert current_indicators.at[2024, "labour_force"] == pytest.approx(69.57e6, rel=1e-9)
    assert current_indicators.at[2024, "employed"] == pytest.approx(67.81e6, rel=1e-3)
    assert current_indicators.at[2024, "gdp_index"] == pytest.approx(100.0)


def test_ipss2023_medium_hits_its_assumptions():
    from simulate.demography.inputs import demographic_inputs
    from simulate.demography.lifetable import base_death_rates, lee_carter_bx, life_table, mortality_grid
    scenario = load_scenario(SCENARIOS / "ipss2023_medium.yaml").scenario
    years = np.array([2020.0, 2070.0])
    assert np.round(np.interp(years, list(scenario.fertility.tfr), list(scenario.fertility.tfr.values())),
                    2).tolist() == [1.33, 1.36]  # as published, rounded
    for sex, published in (("male", [81.58, 85.89]), ("female", [87.72, 91.94])):
        frames = getattr(scenario.mortality.e0, sex)
        assert np.abs(np.interp(years, list(frames), list(frames.values())) - published).max() < 1e-6
    inputs = demographic_inputs([scenario])
    kappa = mortality_grid().kappa_for(inputs.e0[0])
    rates, a0 = base_death_rates()
    exact = life_table(rates * np.exp(lee_carter_bx() * kappa[..., None]), a0)["e0"]
    assert np.abs(exact - inputs.e0[0]).max() < 1e-4  # the survival the engine uses has the path's e0
    projection, indicators = run_batch([scenario], keep_ages=False)
    assert projection.years[0] == 2020 and projection.years[-1] == 2070
    np.testing.assert_array_equal(indicators["net_migration"][0, 1:], 164_000.0)


def test_the_ipss2023_scenarios_take_ipss_annual_tfr_table():
    """ipss2023_medium and ipss2023_low_fertility have a keyframe every year 2020-2070 equal to IPSS's
    assumption table; current follows the medium every year from 2030; the high variant is the
    medium plus the published 2070 difference phased in by equal yearly steps from 2020."""
    table = data.ipss2023_tfr()
    years = list(range(2020, 2071))
    assert list(table.index) == years
    for name, variant in (("ipss2023_medium", "medium"), ("ipss2023_low_fertility", "low")):
        tfr = load_scenario(SCENARIOS / f"{name}.yaml").scenario.fertility.tfr
        assert sorted(tfr) == years and [tfr[y] for y in years] == table[variant].tolist(), name
    current = load_scenario(SCENARIOS / "current.yaml").scenario.fertility.tfr
    assert all(current[y] == table.at[y, "medium"] for y in range(2030, 2071))
    high = load_scenario(SCENARIOS / "ipss2023_high_fertility.yaml").scenario.fertility.tfr
    medium = table["medium"]
    rule = [round(medium[y] + (1.64 - medium[2070]) * (y - 2020) / 50, 4) for y in years]
    assert [high[y] for y in years] == pytest.approx(rule, abs=1e-12) and high[2070] == 1.64


EDITS = [
    {"fertility": {"tfr": "+0.3"}}, {"fertility": {"tfr": "x0.7"}}, {"fertility": {"tfr": 1.8}},
    {"fertility": {"mean_age_shift": 2.0, "sex_ratio_at_birth": 110}},
    {"mortality": {"e0": {"male": "+2", "female": "-1"}}}, {"mortality": {"improvement": 2.5}},
    {"migration": {"net": "x3"}}, {"migration": {"net": -100_000, "profile": {"shape": "ipss2017"}}},
    {"migration": {"profile": {"shape": "rogers_castro", "peak_age": 30, "male_share": 0.7}}},
    {"labour": {"seniors": {"rate": 70, "by": 2030}, "women_gap": {"by": 2035},
                "participation": [{"ages": "60-64", "change": 10}], "hours": 1500, "unemployment": 5}},
    {"economy": {"productivity_growth": 3.0}},
    {"economy": {"mode": "growth_accounting", "automation": 20, "investment_rate": 40, "tfp_growth": 2}},
    {"economy": {"productivity_target": {"factor": 2.0, "year": 2040}}},
    {"care": {"certification_age_shift": 5, "certification_scale": 0.8, "productivity_growth": 3,
              "medical_cost_growth": 2, "ltc_cost_growth": 2, "deflator": 4, "pension_slide": False}},
    {"care": {"nominal_gdp": {2030: 900}}},
]


def history_of(scenario: Scenario) -> dict[str, np.ndarray]:
    """Every indicator and the single ages, up to the scenario's history end."""
    projection, indicators = run_batch([scenario], keep_ages=True)
    observed = projection.years <= scenario.history_end
    return {name: series[:, observed] for name, series in indicators.items()} | {
        "population": projection.population[:, observed]}


def assert_same_history(parent: dict, child: dict) -> None:
    for name, values in parent.items():
        np.testing.assert_array_equal(child[name], values, err_msg=name)


@pytest.fixture(scope="module", params=["baseline", "current"])
def parent(request):
    return load_scenario(SCENARIOS / f"{request.param}.yaml").scenario


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: "-".join(e))
def test_no_edit_changes_history(parent, edit, tmp_path):
    """A child file with any relative or absolute edit keeps every value up to the history end."""
    path = tmp_path / "child.yaml"
    path.write_text(yaml.safe_dump({"extends": str(SCENARIOS / f"{parent.name}.yaml")} | edit), encoding="utf-8")
    child = load_scenario(path).scenario
    before, after = history_of(parent), history_of(child)
    assert_same_history(before, after)
    _, everything = run_batch([child], keep_ages=False)
    _, reference = run_batch([parent], keep_ages=False)
    assert any(not np.array_equal(everything[k], reference[k], equal_nan=True) for k in everything)


def test_sweeps_and_draws_leave_history_alone(parent):
    reference = history_of(parent)
    observed = slice(0, parent.history_end - parent.basis.jump_off_year + 1)
    parameters, points = sweep_design({"tfr": [1.0, 2.0], "net_migration": [-50000, 400000], "seniors_uplift": [0, 20]}, parent)
    sweep = run_design(parent, points, parameters)
    draws = run_design(parent, sample(parent.uncertainty.parameters, 64, seed=7))
    for design in (sweep, draws):
        for name, series in design.indicators.items():
            expected = np.broadcast_to(reference[name][0], series[:, observed].shape)
            np.testing.assert_array_equal(series[:, observed], expected, err_msg=name)
        assert np.ptp(design.indicators["population_total"][:, -1]) > 0


def test_backcast_lever_acts_after_history(parent):
    year = 2040
    target = Target.parse(f"labour_force@{year}>=62e6")
    solution = solve(parent, "net_migration", [target], (0.0, 2_000_000.0))
    assert_same_history(history_of(parent), history_of(solution.scenario))


def test_keyframe_inside_history_is_refused_unless_counterfactual(tmp_path):
    path = tmp_path / "past.yaml"
    path.write_text("extends: " + str(SCENARIOS / "baseline.yaml") + "\nfertility:\n  tfr: {2016: 1.8, 2030: 1.8}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"past.yaml:3:\d+: fertility.tfr.2016: keyframe 2016 is inside history"):
        load_scenario(path)
    path.write_text(path.read_text(encoding="utf-8") + "counterfactual_past: true\n", encoding="utf-8")
    what_if = load_scenario(path).scenario
    assert what_if.history_end == 2015
    _, indicators = run_batch([what_if], keep_ages=False)
    _, observed = run_batch([load_scenario(SCENARIOS / "baseline.yaml").scenario], keep_ages=False)
    assert indicators["births"][0, 1] > 1.15 * observed["births"][0, 1]  # 2016 follows the what-if


def _medium_observed_to_2024(tmp_path):
    """IPSS 2023 medium with the history to 2024 and nothing else changed: its 2020 and 2023
    keyframes now lie inside the history."""
    path = tmp_path / "later.yaml"
    path.write_text(f"extends: {SCENARIOS / 'ipss2023_medium.yaml'}\nname: later\nobserved_until: 2024\n",
                    encoding="utf-8")
    return load_scenario(path).scenario


def test_inherited_keyframes_fold_into_the_history_end(tmp_path):
    later = _medium_observed_to_2024(tmp_path)
    medium = load_scenario(SCENARIOS / "ipss2023_medium.yaml").scenario
    assert min(later.fertility.tfr) == 2024
    years = np.arange(2024, 2071, dtype=float)
    from simulate.scenario.paths import evaluate
    np.testing.assert_allclose(evaluate(later.fertility.tfr, years), evaluate(medium.fertility.tfr, years),
                               rtol=1e-12)


def test_an_inherited_step_at_the_history_line_is_a_notice(tmp_path):
    """IPSS 2023's 2025 assumptions lie above what was observed in 2024: TFR 1.27 against 1.15, life
    expectancy 0.9-1.0 years above; each is said (net migration too: 164,000 against 2024's)."""
    (run,) = run_scenarios([LoadedScenario(_medium_observed_to_2024(tmp_path), (), "")])
    said = " | ".join(run.steps)
    assert "the TFR steps from 1.15 in 2024 (observed) to 1.27 children per woman assumed for 2025" in said
    assert "men's life expectancy steps from 81.09" in said and "women's life expectancy steps from 87.13" in said
    assert "net migration steps from 358,777 in 2024" in said and len(run.steps) == 4


def test_the_step_at_the_history_line_is_measured_at_the_first_assumed_year(tmp_path):
    """history_jumps compares the last observation with the first projected step's own values (the
    rates of 2024-2025, read at 2024.75), to full precision."""
    from simulate.calendar import RATE_OFFSET
    from simulate.demography.inputs import demographic_inputs
    from simulate.pipeline import history_jumps
    from simulate.scenario.paths import evaluate

    later = _medium_observed_to_2024(tmp_path)
    jumps = history_jumps(demographic_inputs([later]), 0)
    first = float(evaluate(later.fertility.tfr, np.array([2024 + RATE_OFFSET]))[0])
    assert jumps["tfr"] == (data.observed().at[2024, "tfr"], first)
    female = float(evaluate(later.mortality.e0.female, np.array([2024 + RATE_OFFSET]))[0])
    assert jumps["e0_female"][1] == pytest.approx(female, abs=1e-9)


def test_current_starts_from_what_was_observed_without_a_step():
    """Keyframes that all lie after the history ramp from the last observation: current's TFR and
    life expectancy start at 2024's values and reach IPSS 2023's medium ones."""
    current = load_scenario(SCENARIOS / "current.yaml").scenario
    medium = load_scenario(SCENARIOS / "ipss2023_medium.yaml").scenario
    observed = data.observed().loc[2024]
    assert current.fertility.tfr[2024] == observed["tfr"] == 1.15
    assert current.mortality.e0.male[2024] == observed["e0_male"]
    assert current.mortality.e0.female[2024] == observed["e0_female"]
    from simulate.scenario.paths import evaluate
    years = np.arange(2030, 2071, dtype=float)
    np.testing.assert_allclose(evaluate(current.fertility.tfr, years), evaluate(medium.fertility.tfr, years))
    (run,) = run_scenarios([load_scenario(SCENARIOS / "current.yaml")])
    assert not any("TFR" in n or "life expectancy" in n for n in run.steps), run.steps


@pytest.mark.parametrize("written,at_2025", [("{2040: 1.6}", 1.15 + (1.6 - 1.15) / 16),  # ramp, the default
                                             ("{2040: 1.6, start: ramp}", 1.15 + (1.6 - 1.15) / 16),
                                             ("{2040: 1.6, start: hold}", 1.6),  # a step, asked for
                                             ("1.6", 1.6)])  # a number is a level from the first assumed year
def test_a_single_future_keyframe_ramps_from_the_last_observation(written, at_2025):
    loaded = load_scenario(SCENARIOS / "current.yaml", {"fertility.tfr": written})
    from simulate.scenario.paths import evaluate
    assert evaluate(loaded.scenario.fertility.tfr, np.array([2025.0]))[0] == pytest.approx(at_2025, rel=1e-12)
    assert evaluate(loaded.scenario.fertility.tfr, np.array([2040.0, 2070.0])).tolist() == [1.6, 1.6]


def test_an_unknown_start_is_refused_with_the_two_forms():
    with pytest.raises(InputError, match=r"--set: fertility.tfr: start 'jump' is not 'ramp' .* or 'hold'"):
        load_scenario(SCENARIOS / "current.yaml", {"fertility.tfr": "{2040: 1.6, start: jump}"})


def test_base_year_targets():
    current = load_scenario(SCENARIOS / "current.yaml").scenario
    target = Target.parse("gdp_per_capita@2040>=1.0xbase")
    assert target.reference_year(current.base_year) == 2024
    from simulate.targets import target_status
    from simulate.pipeline import run_scenarios
    from simulate.scenario.loader import LoadedScenario
    result = run_scenarios([LoadedScenario(current, (), "")])[0]
    status = target_status(result.indicators, [target], current.base_year)[0]
    by_year = result.indicators.set_index("year")
    assert status["margin"] == pytest.approx(by_year.at[2040, "gdp_per_capita"] - by_year.at[2024, "gdp_per_capita"])
    with pytest.raises(Exception, match="has no value: the run covers 2020"):
        current.model_validate(current.model_dump() | {"targets": ["gdp@2040>=1.2x2017"]})


def test_ipss2023_migration_has_ipss_age_pattern():
    """IPSS 2023's 164,000 net entries a year, spread as IPSS's own projection spreads net migration
    (implied by IPSS 2017 medium, data pack): nearly all at ages 15-29, no elderly, a small net
    outflow at older working ages (the Japanese nationals' emigration)."""
    from simulate.demography.migration import implied_net_migration, migration_profile
    scenario = load_scenario(SCENARIOS / "ipss2023_medium.yaml").scenario
    profile = migration_profile(**scenario.migration.profile.model_dump())
    implied = implied_net_migration()
    np.testing.assert_allclose(profile, implied / implied.sum(), rtol=1e-12)
    by_age = profile.sum(axis=0)
    assert by_age[15:30].sum() > 0.9 and by_age[65:].sum() == 0.0 and abs(by_age[:15].sum()) < 0.05
    assert by_age[35:65].min() < 0.0  # outflows from the mid-thirties


def test_foreign_fertility_is_measured_from_the_data_pack():
    """The TFR is Japanese nationals' births over Japanese women: HFD's rates on HMD's nationals give
    the registered births of 2015-2020 within 0.2 %.  Births to residents who are not nationals (the
    allowance) over the women who are not nationals (census less HMD) measure their fertility."""
    from simulate.demography.base import foreign_women, jump_off_population, nationals_oct1, to_model_ages
    from simulate.demography.fertility import base_shape
    from simulate.demography.history import foreign_fertility
    for year in range(2015, 2021):
        exposure = 0.5 * (data.hmd_population_jan1(year)[1] + data.hmd_population_jan1(year + 1)[1])
        asfr = data.hfd_asfr(year)
        births = (asfr * exposure[12:12 + len(asfr)]).sum()
        assert births == pytest.approx(data.observed().at[year, "births"], rel=0.002), year
    others = np.maximum(data.census_population(2015)[1] - to_model_ages(nationals_oct1(2015))[1], 0.0)
    np.testing.assert_array_equal(foreign_women("census2015"), others)
    nationals = jump_off_population("census2015")[1] - others
    expected = (birth_allowance() - 1.0) * (base_shape() * nationals).sum() / (base_shape() * others).sum()
    assert foreign_fertility() == pytest.approx(expected, rel=1e-12) and 0.3 < expected < 0.5


def test_immigrant_women_bear_children_at_their_relative_fertility():
    """More immigrants: births rise by their women's relative fertility, not the full TFR; with the
    relative fertility set to 1 every woman bears at the TFR's rates and births rise more."""
    medium = load_scenario(SCENARIOS / "ipss2023_medium.yaml").scenario
    more = medium.model_copy(update={"migration": medium.migration.model_copy(update={"net": {1950: 328_000.0}})})
    as_natives = Scenario.model_validate(more.model_dump() | {"fertility": more.fertility.model_dump() | {
        "foreign_fertility": 1.0}})
    _, ind = run_batch([medium, Scenario.model_validate(more.model_dump()), as_natives], keep_ages=False)
    extra_measured = ind["births"][1, -1] - ind["births"][0, -1]
    extra_as_natives = ind["births"][2, -1] - ind["births"][0, -1]
    assert 0 < extra_measured < 0.6 * extra_as_natives


def test_ipss2023_unemployment_follows_the_surveys_to_2024():
    """The observed Labour Force Survey rates through 2024, then the scenario's (2.5 %, the 2024
    survey's): employment in 2024 is the survey's share of the labour force (the labour force itself
    differs from the survey's as IPSS's projected population differs from the observed one)."""
    _, ind = run_batch([load_scenario(SCENARIOS / "ipss2023_medium.yaml").scenario], keep_ages=False)
    years = np.arange(2020, 2071)
    surveys = data.labour_force_survey()
    for year in (2022, 2023, 2024):
        assert ind["unemployment_rate"][0, years == year][0] == surveys.at[year, "unemployment_rate_pct"]
    at = years == 2024
    assert ind["employed"][0, at][0] == pytest.approx(ind["labour_force"][0, at][0] * (1 - 0.025), rel=1e-12)
    assert np.all(ind["unemployment_rate"][0, years >= 2024] == 2.5)
