"""Exact or refused: every point a batched design computes equals a single deterministic run.

Hypothesis draws random sweeps (one to three axes over levers, uncertainty parameters and setting
paths, crossed as the user may cross them), random ensembles (random subsets of the scenario's
uncertain parameters) and random backcast batches, on the 2015 and the 2020 basis, and compares
every indicator of every point with a run of that point alone.  The stated tolerance: relative
1e-8 of each indicator's own size (the batched inputs are checked to 1e-9,
:data:`simulate.uncertainty.inputs.EXACT_RTOL`).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from simulate.backcasting import LEVERS, _evaluate, with_lever
from simulate.pipeline import run_batch
from simulate.scenario import load_scenario
from simulate.scenario.economy_model import Target
from simulate.uncertainty.ensemble import run_design, sample
from simulate.uncertainty.inputs import with_values
from simulate.uncertainty.sweep import grid_parameter
from conftest import SCENARIOS

#: Relative tolerance of every indicator against a single run.
RTOL = 1e-8
#: Axes a sweep may cross, with the legal range drawn from (levers, the scenarios' uncertainty
#: parameters, setting paths); the migration profile's parameters only on a Rogers-Castro basis.
AXES = {"productivity_growth": (-1.0, 4.0), "seniors_uplift": (0.0, 100.0), "women_uplift": (0.0, 40.0),
        "net_migration": (-100_000.0, 600_000.0), "tfr": (0.8, 2.2), "tfr_shift": (-0.3, 0.3),
        "e0_male_gain": (0.6, 1.4), "e0_female_gain": (0.6, 1.4), "migration_scale": (0.2, 3.0),
        "productivity_shift": (-1.0, 1.0), "fertility.tfr.2040": (1.0, 2.0), "labour.unemployment": (1.0, 8.0),
        "fertility.mean_age_shift": (-1.0, 2.0), "labour.hours": (1400.0, 1900.0)}
ROGERS_CASTRO_AXES = {"migration.profile.male_share": (0.1, 0.9), "migration.profile.peak_age": (18.0, 30.0)}
PARENTS = {name: load_scenario(SCENARIOS / f"{name}.yaml").scenario for name in ("baseline", "current")}


def assert_each_point_is_a_single_run(scenario, parameters, points, design) -> None:
    for row, values in enumerate(points):
        _, alone = run_batch([with_values(scenario, parameters, values)], keep_ages=False)
        for name, series in alone.items():
            scale = np.maximum(1.0, np.abs(series[0]))
            gap = np.abs(design.indicators[name][row] - series[0]) / scale
            assert np.nanmax(gap, initial=0.0) <= RTOL, (name, dict(zip(parameters, values)), design.plain_reason)
            assert np.array_equal(np.isnan(design.indicators[name][row]), np.isnan(series[0])), name


@st.composite
def sweeps(draw):
    parent = draw(st.sampled_from(sorted(PARENTS)))
    axes = AXES | (ROGERS_CASTRO_AXES if parent == "baseline" else {})
    names = draw(st.lists(st.sampled_from(sorted(axes)), min_size=1, max_size=3, unique=True))
    grid = {}
    for name in names:
        lo, hi = axes[name]
        grid[name] = draw(st.lists(st.floats(lo, hi, allow_nan=False), min_size=1, max_size=3, unique=True))
    return parent, grid


@st.composite
def ensembles(draw):
    parent = draw(st.sampled_from(sorted(PARENTS)))
    names = sorted(PARENTS[parent].uncertainty.parameters)
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    return parent, chosen, draw(st.integers(2, 6)), draw(st.integers(0, 2**31))


SLOW = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@SLOW
@given(sweeps())
def test_every_sweep_point_is_a_single_run(case):
    parent, grid = case
    scenario = PARENTS[parent]
    parameters = {name: grid_parameter(name, values, scenario) for name, values in grid.items()}
    points = np.array(list(itertools.product(*grid.values())), dtype=float)
    assert_each_point_is_a_single_run(scenario, parameters, points, run_design(scenario, points, parameters))


@pytest.mark.slow
@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(ensembles())
def test_every_ensemble_trajectory_is_a_single_run(case):
    parent, chosen, n, seed = case
    scenario = PARENTS[parent]
    parameters = {name: scenario.uncertainty.parameters[name] for name in chosen}
    values = sample(parameters, n, seed)
    assert_each_point_is_a_single_run(scenario, parameters, values, run_design(scenario, values, parameters))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.sampled_from(sorted(PARENTS)), st.sampled_from(sorted(LEVERS)), st.data())
def test_every_backcast_batch_point_is_a_single_run(parent, lever_name, data):
    scenario, lever = PARENTS[parent], LEVERS[lever_name]
    lo, hi = lever.default_range
    values = np.array(data.draw(st.lists(st.floats(lo, min(hi, lo + (hi - lo) / 4)), min_size=2, max_size=4)))
    target = Target.parse("population_total@2040>=1e6")
    _, batched, _ = _evaluate(scenario, lever, values, 2040, [target])
    for row, value in enumerate(values):
        _, alone = run_batch([with_lever(scenario, lever, float(value), 2040)], keep_ages=False)
        for name, series in alone.items():
            np.testing.assert_allclose(batched[name][row], series[0], rtol=RTOL, equal_nan=True, err_msg=name)


def test_crossed_level_and_scale_of_migration_are_exact():
    """The case found by hand: net migration crossed with its scale (not affine together)."""
    scenario = PARENTS["current"]
    grid = {"net_migration": [200_000.0, 400_000.0], "migration_scale": [0.5, 1.5]}
    parameters = {name: grid_parameter(name, values, scenario) for name, values in grid.items()}
    points = np.array(list(itertools.product(*grid.values())))
    design = run_design(scenario, points, parameters)
    assert "not affine" in design.plain_reason
    assert_each_point_is_a_single_run(scenario, parameters, points, design)


def test_participation_at_its_bound_is_exact_and_a_bounded_setting_is_probed_inside_its_range():
    baseline = PARENTS["baseline"]
    for grid in ({"seniors_uplift": [0.0, 100.0]}, {"migration.profile.male_share": [0.1, 0.9]}):
        parameters = {name: grid_parameter(name, values, baseline) for name, values in grid.items()}
        points = np.array(list(itertools.product(*grid.values())))
        assert_each_point_is_a_single_run(baseline, parameters, points, run_design(baseline, points, parameters))
