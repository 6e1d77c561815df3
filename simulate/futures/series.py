"""The observed series a forecast learns from, each read only up to an origin year.

Every function returns a ``pandas.Series`` indexed by calendar year; :func:`until` cuts one at the
origin, and the models see nothing else, so no fit can use data after its origin (tested by
perturbing the later data).

- TFR: HFD 1947-2020 (the sum of the period ASFR, Japanese nationals), then MHLW 2021-2024.
- Mean age at childbearing: HFD 1947-2020 (ASFR-weighted mean of age + 0.5); 2021-2023 continue
  the 2020 value by the change of the MHLW grouped mean age since 2020 (their 2018 and 2023 figures
  interpolated), linearly between the two.
- Life expectancy at birth: women HMD 1947-2020 then MHLW 2021-2024; men the UN's WPP 2024
  estimates 1950-2014 (all residents; within 0.03 years of MHLW's in 2015) then MHLW 2015-2024.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from simulate import data
from simulate.demography.fertility import FIRST_FERTILE_AGE

#: Years of the HFD fertility and HMD life tables in the data pack.
HFD_YEARS = range(1947, 2021)
#: The last 1 January of the HMD populations in the data pack.
LAST_HMD_POPULATION = 2021
#: Mid-points of the mothers' 5-year groups in the MHLW table (15-19 ... 45-49).
MHLW_GROUP_MIDS = np.arange(17.5, 50.0, 5.0)


def until(series: pd.Series, origin: int) -> pd.Series:
    """The part of ``series`` up to and including ``origin``."""
    return series[series.index <= origin]


@lru_cache(maxsize=1)
def tfr_history() -> pd.Series:
    """Period TFR, children per woman, 1947-2024."""
    hfd = {year: float(data.hfd_asfr(year).sum()) for year in HFD_YEARS}
    later = {int(y): float(v) for y, v in data.observed()["tfr"].items() if y > HFD_YEARS[-1]}
    return pd.Series(hfd | later, name="tfr")


def mean_age(rates: np.ndarray) -> float:
    """Mean age at childbearing (years) of HFD rates for ages 12..55 (open groups at their ends)."""
    ages = np.arange(FIRST_FERTILE_AGE, FIRST_FERTILE_AGE + len(rates)) + 0.5
    return float((rates * ages).sum() / rates.sum())


@lru_cache(maxsize=1)
def mean_age_history() -> pd.Series:
    """Mean age at childbearing, years, 1947-2023."""
    hfd = {year: mean_age(data.hfd_asfr(year)) for year in HFD_YEARS}
    table = data.tfr_by_age_group()
    grouped = table.mul(MHLW_GROUP_MIDS, axis=0).sum() / table.sum()
    last = HFD_YEARS[-1]
    newest = int(grouped.index.max())
    change = float(grouped[newest] - np.interp(last, grouped.index, grouped.to_numpy()))
    later = {year: hfd[last] + change * (year - last) / (newest - last) for year in range(last + 1, newest + 1)}
    return pd.Series(hfd | later, name="mean_age_at_childbearing")


@lru_cache(maxsize=2)
def e0_history(sex: str) -> pd.Series:
    """Life expectancy at birth of ``sex``, years (women 1947-2024, men 1950-2024)."""
    observed = data.observed()[f"e0_{sex}"]
    if sex == "male":
        first = int(observed.index.min())
        wpp = {int(y): float(v) for y, v in data.wpp_estimates()["e0_male"].items() if y < first}
        return pd.Series(wpp | {int(y): float(v) for y, v in observed.items()}, name="e0_male")
    hmd = data.hmd_female_table(HFD_YEARS[0], HFD_YEARS[-1], "ex")[:, 0]
    series = dict(zip(HFD_YEARS, map(float, hmd)))
    return pd.Series(series | {int(y): float(v) for y, v in observed.items() if y > HFD_YEARS[-1]}, name="e0_female")


@lru_cache(maxsize=1)
def births_history() -> pd.Series:
    """Live births to Japanese nationals by calendar year: MHLW registered births where the data
    pack has them (2015-2024), before that reconstructed as the HFD rates times HMD women (the mean
    of 1 January of the year and the next, by age), which is how HFD made the rates."""
    registered = {int(y): float(v) for y, v in data.observed()["births"].items()}
    rebuilt = {}
    for year in HFD_YEARS:
        if year in registered or year + 1 > LAST_HMD_POPULATION:
            continue
        women = (data.hmd_population_jan1(year, "+")[1] + data.hmd_population_jan1(year + 1, "-")[1]) / 2.0
        rates = data.hfd_asfr(year)
        rebuilt[year] = float((rates * women[FIRST_FERTILE_AGE:FIRST_FERTILE_AGE + len(rates)]).sum())
    return pd.Series(rebuilt | registered, name="births").sort_index()

