"""One labelled result: the tables the writers write are read from it, and it round-trips through
xarray, pandas and IAMC."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulate
from simulate.indicators import NAMES, REGISTRY
from simulate.results import Results


@pytest.fixture(scope="module")
def pair():
    """Two calendars in one call (2015-2065 and 2020-2070), on one year axis."""
    return simulate.compare("baseline", "current", name=None)


def test_dimensions_units_and_the_shared_year_axis(pair):
    dataset = pair.to_xarray()
    assert dataset["population"].dims == ("scenario", "year", "sex", "age")
    assert dataset["participation_rate"].dims == ("scenario", "year", "sex", "age_group")
    assert dataset["gdp"].attrs["units"] == REGISTRY["gdp"].pint == "billion USD_2018 / a"
    assert dataset["gdp"].attrs["units_in_words"] == REGISTRY["gdp"].unit and set(NAMES) <= set(dataset.data_vars)
    assert list(dataset["scenario"].values) == ["baseline", "current"]
    assert int(dataset["year"][0]) == 2015 and int(dataset["year"][-1]) == 2070
    assert np.isnan(dataset["population_total"].sel(scenario="baseline", year=2070))  # outside its run
    assert np.isnan(dataset["population_total"].sel(scenario="current", year=2016))
    total = dataset["population"].sum(("sex", "age")).sel(scenario="current", year=2040)
    assert float(total) == pytest.approx(float(dataset["population_total"].sel(scenario="current", year=2040)),
                                         rel=1e-12)


def test_the_written_tables_are_read_from_it(pair):
    data = pair.data
    for name, result in pair.results.items():
        np.testing.assert_array_equal(result.indicators["population_total"],
                                      data.to_xarray()["population_total"].sel(scenario=name).dropna("year"))
        assert result.indicators.equals(data.indicators(name))
        assert result.population.equals(data.population(name)) and result.labour.equals(data.labour(name))
        labour = result.labour.groupby("year")["labour_force"].sum().to_numpy()
        np.testing.assert_allclose(labour, result.indicators["labour_force"], rtol=1e-12)


def test_round_trips_through_xarray_and_pandas(pair):
    data = pair.data
    again = Results.from_xarray(data.to_xarray())
    for name in data.names:
        assert again.indicators(name).equals(data.indicators(name))
        assert again.population(name).equals(data.population(name)) and again.labour(name).equals(data.labour(name))
    long = pair.to_pandas()
    assert list(long.columns) == ["scenario", "year", "indicator", "value"]
    wide = long.pivot_table(index=["scenario", "year"], columns="indicator", values="value", dropna=False, sort=False)
    for name in data.names:
        frame = wide.loc[name].dropna(how="all").reset_index()[["year", *NAMES]]
        pd.testing.assert_frame_equal(frame, data.indicators(name), check_names=False)


def test_round_trip_through_iamc(pair):
    """IAMC rows carry the indicators in their IAMC units; read back, they are the indicators."""
    iamc = pair.to_iamc()
    years = [c for c in iamc.columns if str(c).isdigit()]
    for name, indicator in REGISTRY.items():
        if indicator.iamc is None:
            continue
        variable, _, divisor = indicator.iamc
        for scenario, result in pair.results.items():
            row = iamc[(iamc["scenario"] == scenario) & (iamc["variable"] == variable)]
            if row.empty:
                continue
            back = row[years].iloc[0].astype(float).to_numpy() * divisor
            own = result.indicators.set_index("year")[name].reindex([int(y) for y in years]).to_numpy()
            np.testing.assert_allclose(back[np.isfinite(own)], own[np.isfinite(own)], rtol=1e-9, err_msg=name)


def test_a_short_repr_and_a_notebook_table(pair):
    text = repr(pair)
    assert "\n" not in text and len(text) < 300 and "baseline, current" in text
    html = pair._repr_html_()
    assert html.startswith("<table>") and "<th>current</th>" in html and "Population 2040" in html
    one = simulate.run("baseline")
    assert "<th>current</th>" not in one._repr_html_() and list(one.to_xarray()["scenario"].values) == ["baseline"]
