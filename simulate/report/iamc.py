"""IAMC-format output (model, scenario, region, variable, unit, one column per year), as read by pyam."""

from __future__ import annotations

import pandas as pd

import simulate

MODEL = f"Quiet Crisis Simulator {simulate.__version__}"
REGION = "Japan"
#: indicators.csv column -> (IAMC variable, unit, divisor applied to the column); ``{base}`` is the
#: index base year.
VARIABLES = {
    "population_total": ("Population", "million", 1e6),
    "population_0_14": ("Population|0-14", "million", 1e6),
    "population_15_64": ("Population|15-64", "million", 1e6),
    "population_65_plus": ("Population|65+", "million", 1e6),
    "population_75_plus": ("Population|75+", "million", 1e6),
    "births": ("Births", "thousand/yr", 1e3),
    "deaths": ("Deaths", "thousand/yr", 1e3),
    "net_migration": ("Net Migration", "thousand/yr", 1e3),
    "old_age_dependency_ratio": ("Dependency Ratio|Old-age", "per 100 aged 15-64", 1.0),
    "total_dependency_ratio": ("Dependency Ratio|Total", "per 100 aged 15-64", 1.0),
    "median_age": ("Median Age", "years", 1.0),
    "labour_force": ("Labour Force", "million", 1e6),
    "employed": ("Employment", "million", 1e6),
    "unemployment_rate": ("Unemployment Rate", "%", 1.0),
    "hours_worked": ("Hours Worked", "billion h/yr", 1e9),
    "productivity_index": ("Productivity|Index", "{base} = 100", 1.0),
    "gdp": ("GDP", "billion USD_2018/yr", 1.0),
    "gdp_index": ("GDP|Index", "{base} = 100", 1.0),
    "gdp_per_capita": ("GDP per Capita", "USD_2018", 1.0),
    "gdp_per_capita_index": ("GDP per Capita|Index", "{base} = 100", 1.0),
    "workers_per_elderly": ("Workers per Elderly", "persons", 1.0),
}


def iamc_frame(indicators: pd.DataFrame, scenario: str, base_year: int) -> pd.DataFrame:
    """The wide IAMC table of one run's indicators (rows: variables; columns: years)."""
    years = indicators["year"].astype(int).tolist()
    rows = []
    for column, (variable, unit, divisor) in VARIABLES.items():
        if column in indicators:
            values = (indicators[column] / divisor).tolist()
            rows.append([MODEL, scenario, REGION, variable, unit.format(base=base_year)] + values)
    return pd.DataFrame(rows, columns=["model", "scenario", "region", "variable", "unit"] + years)
