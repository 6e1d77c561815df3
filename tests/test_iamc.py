"""IAMC files that pyam reads, converts and finds consistent (pyam is a test-only dependency)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from simulate.cli import main

from conftest import SCENARIOS
from simulate.units import DEFINITIONS

if os.environ.get("CI") == "true":
    import pyam  # CI must install the test extra (see README); a missing pyam is a failure there
else:
    pyam = pytest.importorskip("pyam", reason="pyam-iamc is a test extra: pip install -e '.[test]'")

from iam_units import registry as _registry  # noqa: E402  (pyam's registry, as a pyam user sets it up)

for _definition in DEFINITIONS:  # nominal yen: iam-units has no JPY (README, "Units for programs")
    if "JPY" not in _registry:
        _registry.define(_definition)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    out = tmp_path_factory.mktemp("iamc")
    assert main(["compare", str(SCENARIOS / "baseline.yaml"), str(SCENARIOS / "current.yaml"),
                 str(SCENARIOS / "moonshot.yaml"), "--name", "three", "--out", str(out), "--quiet",
                 "--no-figures"]) == 0
    return out


@pytest.mark.slow
def test_every_run_and_the_comparison_load_with_consistent_aggregates(comparison):
    single = pyam.IamDataFrame(str(comparison / "baseline" / "iamc.csv"))
    assert single.check_aggregate("Population") is None  # 0-14 + 15-64 + 65+ = total
    together = pyam.IamDataFrame(str(comparison / "comparison" / "three" / "iamc.csv"))
    assert set(together.scenario) == {"baseline", "current", "moonshot"}
    assert together.check_aggregate("Population") is None
    assert {"GDP|MER", "Labor Force", "Employment", "Population|65+"} <= set(together.variable)
    population = together.filter(variable="Population", scenario="baseline", year=2040)
    written = pd.read_csv(comparison / "baseline" / "indicators.csv").set_index("year")
    assert population.timeseries().iloc[0, 0] == pytest.approx(written.at[2040, "population_total"] / 1e6, rel=1e-6)


@pytest.mark.slow
def test_every_unit_converts(comparison):
    data = pyam.IamDataFrame(str(comparison / "baseline" / "iamc.csv"))
    targets = {"million": "thousand", "thousand/yr": "million/yr", "%": "dimensionless", "years": "month",
               "billion h/yr": "million h/yr", "billion USD_2018/yr": "million USD_2018/yr",
               "USD_2018/yr": "thousand USD_2018/yr", "dimensionless": "%", "trillion JPY/yr": "billion JPY/yr"}
    assert set(data.unit) <= set(targets)
    for unit, target in targets.items():
        if unit in data.unit:
            converted = data.convert_unit(unit, to=target)
            assert target in converted.unit
    gdp = data.convert_unit("billion USD_2018/yr", to="million USD_2018/yr").filter(variable="GDP|MER", year=2040)
    assert np.isfinite(gdp.timeseries().iloc[0, 0]) and gdp.timeseries().iloc[0, 0] > 1e6


@pytest.mark.slow
def test_every_variable_converts_to_the_units_of_the_simulators_own_values(comparison):
    """pyam converts each IAMC unit to the unit the indicators are held in (the store's CF units:
    ``simulate.units``), and the values then equal indicators.csv: one vocabulary, one scale."""
    from simulate.indicators import REGISTRY

    data = pyam.IamDataFrame(str(comparison / "baseline" / "iamc.csv"))
    written = pd.read_csv(comparison / "baseline" / "indicators.csv").set_index("year")
    checked = 0
    for name, indicator in REGISTRY.items():
        if indicator.iamc is None or indicator.kind == "index":
            continue
        variable, unit, _ = indicator.iamc
        variable = variable.format(threshold=65)
        own = data.filter(variable=variable).convert_unit(unit, to=indicator.pint)
        series = own.timeseries().iloc[0]
        np.testing.assert_allclose(series.to_numpy(float), written.loc[series.index, name].to_numpy(float), rtol=1e-6)
        checked += 1
    assert checked >= 15
