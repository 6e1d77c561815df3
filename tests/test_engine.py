"""The fast engine against a plain, loop-by-loop cohort-component projection.

The reference below follows the textbook method one trajectory, one year, one sex and one age at a
time, with the demographer's names: Sx (survival ratios), ASFR (age-specific fertility), SRB (sex
ratio at birth).  Women who are not Japanese nationals (Fx) are survived alongside and bear children
at their relative fertility times the ASFR; net migrant women join them.  It shares only the inputs with the engine: the survival ratios for each e0 (the
mortality grid, tested against full life tables in ``test_lifetable.py``) and the base fertility
schedule.  Any change to the engine's arithmetic (a 1 % error in a rate, a wrong year) fails it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simulate.demography.engine import project
from simulate.demography.fertility import shifted_shape
from simulate.demography.history import _observed_inputs
from simulate.demography.inputs import demographic_inputs
from simulate.demography.lifetable import mortality_grid
from simulate.calendar import BASES
from simulate.scenario import Scenario, load_scenario
from conftest import SCENARIOS

AGES, OPEN = 101, 100
MALE, FEMALE = 0, 1


def reference_projection(inputs) -> dict[str, np.ndarray]:
    """Population (B, T+1, 2, 101) and births, deaths, net migrants (B, T) by explicit loops."""
    grid = mortality_grid()
    B, T = inputs.n_trajectories, inputs.n_steps
    population = np.zeros((B, T + 1, 2, AGES))
    births, deaths, migrants = np.zeros((B, T)), np.zeros((B, T)), np.zeros((B, T))
    deaths_by_age = np.zeros((B, T, 2, AGES))
    for b in range(B):
        population[b, 0] = inputs.jump_off
        profile = inputs.migration_profile[b if len(inputs.migration_profile) > 1 else 0]
        Fx = [float(v) for v in inputs.foreign_women]  # women who are not nationals, by age
        relative = inputs.foreign_fertility[b]
        for t in range(T):
            Sx = grid.lookup(inputs.e0[b, t][None, :])[0]  # (2, 101): index 0 = births -> age 0
            ASFR = shifted_shape(np.array([inputs.mean_age_shift[b, t]]))[0] * inputs.tfr[b, t]
            SRB = inputs.sex_ratio_at_birth[b, t]
            now, nxt = population[b, t], population[b, t + 1]
            for sex in (MALE, FEMALE):
                for age in range(1, OPEN):
                    nxt[sex, age] = now[sex, age - 1] * Sx[sex, age]
                nxt[sex, OPEN] = (now[sex, OPEN - 1] + now[sex, OPEN]) * Sx[sex, OPEN]
            Fx_next = [0.0] + [Fx[age - 1] * Sx[FEMALE, age] for age in range(1, OPEN)] + [
                (Fx[OPEN - 1] + Fx[OPEN]) * Sx[FEMALE, OPEN]]
            women = [(now[FEMALE, age] - (1.0 - relative) * Fx[age]
                      + nxt[FEMALE, age] - (1.0 - relative) * Fx_next[age]) / 2.0 for age in range(AGES)]
            born = inputs.birth_calibration * sum(ASFR[age] * women[age] for age in range(AGES))
            boys = SRB / (100.0 + SRB)
            nxt[MALE, 0] = born * boys * Sx[MALE, 0]
            nxt[FEMALE, 0] = born * (1.0 - boys) * Sx[FEMALE, 0]
            births[b, t] = born
            deaths[b, t] = now.sum() + born - nxt.sum()
            for sex in (MALE, FEMALE):  # by age at the end of the step: the cohort one year younger
                deaths_by_age[b, t, sex, 0] = born * (boys if sex == MALE else 1.0 - boys) - nxt[sex, 0]
                for age in range(1, OPEN):
                    deaths_by_age[b, t, sex, age] = now[sex, age - 1] - nxt[sex, age]
                deaths_by_age[b, t, sex, OPEN] = now[sex, OPEN - 1] + now[sex, OPEN] - nxt[sex, OPEN]
            for sex in (MALE, FEMALE):
                for age in range(AGES):
                    nxt[sex, age] += inputs.net_migration[b, t] * profile[sex, age]
            Fx = [min(max(Fx_next[age] + inputs.net_migration[b, t] * profile[FEMALE, age], 0.0), nxt[FEMALE, age])
                  for age in range(AGES)]
            migrants[b, t] = inputs.net_migration[b, t]
    return {"population": population, "births": births, "deaths": deaths, "net_migration": migrants,
            "deaths_by_age": deaths_by_age}


def assert_matches(inputs) -> None:
    fast = project(inputs, keep_ages=True, chunk=2, keep_flows=inputs.history is None)
    slow = reference_projection(inputs)
    H = inputs.n_history
    scale = slow["population"].max()
    np.testing.assert_allclose(fast.population[:, H:], slow["population"], rtol=0, atol=1e-10 * scale)
    for flow in ("births", "deaths", "net_migration"):
        np.testing.assert_allclose(getattr(fast, flow)[:, H + 1:], slow[flow], rtol=1e-10, err_msg=flow)
    if fast.deaths_by_age is not None:  # flows.csv: deaths and migrants by sex and age
        np.testing.assert_allclose(fast.deaths_by_age[:, 1:], slow["deaths_by_age"], rtol=0, atol=1e-9 * scale)
        np.testing.assert_allclose(fast.deaths_by_age[:, 1:].sum(axis=(2, 3)), fast.deaths[:, 1:], rtol=1e-10)
        np.testing.assert_allclose(fast.migrants_by_age[:, 1:].sum(axis=(2, 3)), fast.net_migration[:, 1:],
                                   rtol=1e-10, atol=1e-6)
    total = fast.population.sum(axis=(2, 3))  # mass balance, deaths computed independently
    balance = np.diff(total, axis=1) - (fast.births - fast.deaths + fast.net_migration)[:, 1:]
    assert np.abs(balance).max() < 1e-6 * total.max()


@pytest.mark.parametrize("name", ["baseline", "current", "ipss2023_low_fertility", "moonshot"])
def test_engine_matches_reference_on_shipped_scenarios(name):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml").scenario.model_copy(update={"horizon": 2045})
    assert_matches(demographic_inputs([Scenario.model_validate(scenario.model_dump())]))


def test_engine_matches_reference_on_random_inputs():
    base = demographic_inputs([Scenario(horizon=2040), Scenario(horizon=2040, migration={"net": -80_000})])
    rng = np.random.default_rng(42)
    B, T = 5, base.n_steps
    inputs = dataclasses.replace(
        base, tfr=rng.uniform(0.8, 2.5, (B, T)), mean_age_shift=rng.uniform(-2.0, 3.0, (B, T)),
        sex_ratio_at_birth=rng.uniform(100.0, 110.0, (B, T)),
        e0=np.stack([rng.uniform(75.0, 88.0, (B, T)), rng.uniform(82.0, 94.0, (B, T))], axis=-1),
        net_migration=rng.uniform(-100_000.0, 500_000.0, (B, T)),
        migration_profile=np.concatenate([base.migration_profile] * 3)[:B], foreign_fertility=rng.uniform(0.2, 1.5, B))
    assert_matches(inputs)


def test_observed_history_matches_reference():
    inputs = _observed_inputs(BASES["census2020"], 2024, 0.95, np.array([-20_000.0, 190_000.0, 240_000.0, 350_000.0]))
    assert_matches(inputs)


def test_flows_csv_adds_up(tmp_path):
    from simulate.cli import main
    import pandas as pd
    assert main(["run", str(SCENARIOS / "current.yaml"), "--flows", "--out", str(tmp_path), "--quiet",
                 "--no-figures"]) == 0
    flows = pd.read_csv(tmp_path / "current" / "flows.csv")
    indicators = pd.read_csv(tmp_path / "current" / "indicators.csv").set_index("year")
    sums = flows.groupby("year")[["deaths", "net_migrants"]].sum()
    assert list(sums.index) == list(range(2021, 2071))  # observed years included
    np.testing.assert_allclose(sums["deaths"], indicators.loc[sums.index, "deaths"], rtol=1e-8)
    np.testing.assert_allclose(sums["net_migrants"], indicators.loc[sums.index, "net_migration"], rtol=1e-8, atol=1e-3)
