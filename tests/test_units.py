"""One unit vocabulary for programs: every unit string the simulator writes for machines parses
with pint and iam-units (pyam's registry), the store carries one on every variable, and each IAMC
unit converts to the unit of the simulator's own values by exactly the IAMC divisor."""

from __future__ import annotations

import pytest

from simulate.indicators import REGISTRY
from simulate.scenario.levers import LEVERS
from simulate.scenario.model import setting_unit
from simulate.units import DEFINITIONS, KIND_PINT, PURE, WORD_PINT

iam_units = pytest.importorskip("iam_units", reason="iam-units comes with pyam, a test extra")
UNITS = iam_units.registry
for _definition in DEFINITIONS:  # nominal yen: iam-units has no JPY
    if "JPY" not in UNITS:
        UNITS.define(_definition)


@pytest.mark.parametrize("unit", sorted(set(KIND_PINT.values()) | set(WORD_PINT.values()) | {PURE}))
def test_every_unit_for_programs_parses(unit):
    UNITS(unit)


@pytest.mark.parametrize("name", [n for n, i in REGISTRY.items() if i.iamc is not None])
def test_each_iamc_unit_is_the_store_unit_scaled_by_its_divisor(name):
    """1 IAMC unit of an indicator = ``divisor`` units of its own values: 1 million = 1e6 persons,
    1 thousand/yr = 1,000 persons a year, 1 USD_2018/yr = 1 USD_2018/a ..."""
    indicator = REGISTRY[name]
    _, unit, divisor = indicator.iamc
    assert UNITS.Quantity(1.0, unit).to(indicator.pint).magnitude == pytest.approx(divisor, rel=1e-12)


def test_gdp_per_capita_converts_to_a_yearly_form_as_gdp_does():
    """pyam's convert_unit('USD_2018', to='USD_2018/yr') raised: per-capita output is per year."""
    per_capita, gdp = REGISTRY["gdp_per_capita"].iamc[1], REGISTRY["gdp"].iamc[1]
    assert UNITS(per_capita).dimensionality == UNITS(gdp).dimensionality
    assert UNITS.Quantity(1.0, per_capita).to("USD_2018/yr").magnitude == 1.0


def test_every_lever_and_setting_word_has_a_unit_for_programs():
    from simulate.scenario import Scenario
    import re
    words = set(re.findall(r"\[([^;\]]+); [-0-9.e+]+ to [-0-9.e+]+\]", str(Scenario.model_json_schema())))
    words |= {lever.unit for lever in LEVERS.values()}
    assert words <= set(WORD_PINT), words - set(WORD_PINT)
    assert setting_unit("fertility.tfr.2040") == "children per woman"
    assert setting_unit("labour.participation.0.change") == "percentage points"
    assert setting_unit("no.such") is None


def test_every_variable_of_the_store_has_units_that_parse(tmp_path):
    import xarray as xr

    import simulate
    from simulate.scenario.uncertainty_model import Parameter
    from simulate.uncertainty.store import parameter_unit

    simulate.ensemble("current", n=8, seed=2, keep_ages=True, out=tmp_path, figures=False)
    (store,) = tmp_path.glob("*/trajectories.zarr")
    with xr.open_zarr(store) as dataset:
        assert dataset.attrs["Conventions"] == "CF-1.10"
        for name, variable in dataset.variables.items():
            assert "units" in variable.attrs, name
            UNITS(variable.attrs["units"])
        assert dataset["possible"].attrs["flag_meanings"] == "impossible possible"
        assert dataset["gdp"].attrs["units"] == REGISTRY["gdp"].pint
    assert parameter_unit(Parameter(shift="fertility.tfr", distribution="normal", mean=0, sd=0.1)) == "1"
    assert parameter_unit(Parameter(shift="migration.net", distribution="normal", mean=0, sd=1e4)) == "1 / a"
    assert parameter_unit(Parameter(scale="migration.net", distribution="lognormal", median=1, sigma=0.3)) == PURE
    assert parameter_unit(Parameter(lever="productivity_growth", sample_policy=True, distribution="uniform", low=0,
                                    high=2)) == "% / a"
