"""Fidelity to the official projection: the model's baseline against IPSS 2017 medium, by age group.

Used by the tests (tolerances), by ``scripts/readme_figures.py`` (the README's tables) and by
``scripts/fit_mortality_pattern.py`` (the old-age pattern of mortality improvement).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulate import data
from simulate.pipeline import RunResult

#: IPSS 5-year groups of the elderly, as labelled in ``ipss2017/population_5yr_groups_medium.csv``.
ELDERLY_GROUPS = ("65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95-99", "100+")
#: Broad groups and the indicators.csv columns that hold them.
BROAD_GROUPS = {"0-14": "population_0_14", "15-64": "population_15_64", "65+": "population_65_plus"}


def group_ages(group: str) -> tuple[int, int]:
    """First and last single age of an IPSS group label ('65-69' -> (65, 69); '100+' -> (100, 100))."""
    if group.endswith("+"):
        return int(group[:-1]), 100
    first, last = group.split("-")
    return int(first), int(last)


def ipss_value(year: int, group: str, sex: str = "total") -> float:
    """IPSS 2017 medium population of a group in a year (persons)."""
    table = data.ipss_groups()
    return float(table[(table["year"] == year) & (table["age_group"] == group)][sex].iloc[0])


def group_deviation(result: RunResult, groups: tuple[str, ...], years: tuple[int, ...]) -> pd.DataFrame:
    """Model minus IPSS in % of IPSS, for 5-year groups (rows) in years (columns), both sexes."""
    pop = result.population
    rows = {}
    for group in groups:
        first, last = group_ages(group)
        cells = pop[(pop["age"] >= first) & (pop["age"] <= last)].groupby("year")["population"].sum()
        rows[group] = [100.0 * (cells[y] / ipss_value(y, group) - 1.0) for y in years]
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(years))


def broad_deviation(result: RunResult, years: tuple[int, ...]) -> pd.DataFrame:
    """Model minus IPSS in % for the total and the broad groups (columns) by year (rows)."""
    by_year = result.indicators.set_index("year")
    total = data.ipss_annual_total()
    out = {"total": [100.0 * (by_year.at[y, "population_total"] / total[y] - 1.0) for y in years]}
    for group, column in BROAD_GROUPS.items():
        out[group] = [100.0 * (by_year.at[y, column] / ipss_value(y, group) - 1.0) for y in years]
    return pd.DataFrame(out, index=list(years))


def largest_total_deviation(result: RunResult, first: int, last: int) -> tuple[float, int]:
    """Largest |model / IPSS - 1| of the total population over ``first``..``last`` (%, and its year)."""
    by_year = result.indicators.set_index("year")["population_total"]
    total = data.ipss_annual_total()
    years = np.arange(first, last + 1)
    dev = 100.0 * (by_year.loc[years].to_numpy() / total.loc[years].to_numpy() - 1.0)
    worst = int(np.argmax(np.abs(dev)))
    return float(dev[worst]), int(years[worst])
