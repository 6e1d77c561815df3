"""What a forecast from an earlier origin starts from, built only from data up to that origin.

Before the 2020 census basis the data pack has Japanese nationals only (HMD), so a forecast from an
origin year Y <= :data:`LAST_NATIONALS_ORIGIN` describes **Japanese nationals** (not all residents):

- **jump-off**: nationals on 1 October Y (HMD 1 January Y+1 moved back a quarter of a year,
  :func:`~simulate.demography.base.nationals_oct1`);
- **fertility schedule**: the HFD age-specific rates of Y, normalised (the timing then moves from it);
- **mortality**: women's death rates of Y (HMD), the Lee-Carter pattern b_x of the :data:`LC_YEARS`
  years to Y, and men's rates as women's times the male/female ratio of death rates measured on the
  HMD populations (:func:`male_ratio`);
- **births**: the HFD rates describe the same nationals, so no calibration factor.

Nothing in these reads a year after Y (HMD populations up to 1 January Y+1, which describe Y).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate import data
from simulate.demography.base import nationals_oct1, to_model_ages
from simulate.demography.fertility import FIRST_FERTILE_AGE
from simulate.demography.lifetable import MortalityGrid, build_grid, expand_groups, lee_carter_pattern

#: Earliest and latest origins on the nationals universe: HMD life tables start in 1947 (a
#: Lee-Carter pattern of 14 years at the first origin); the HMD populations end on 1 January 2021.
FIRST_ORIGIN = 1960
LAST_NATIONALS_ORIGIN = 2020
#: Years of HMD women's death rates the Lee-Carter pattern of an origin is estimated from (fewer
#: before 1966: the years from 1947).
LC_YEARS = 20
#: The first year of HMD's life tables.
FIRST_LIFE_TABLE = 1947
#: Years of cohort decrements the male/female ratio of death rates is measured on.
RATIO_YEARS = 5
#: Below this age, migration of nationals swamps their few deaths in the HMD counts: the ratio of
#: the 5-year group starting here is used for every younger age.
RATIO_FROM_AGE = 50


def male_ratio(origin: int) -> np.ndarray:
    """Men's death rates over women's by age 0..110 (111,), from the :data:`RATIO_YEARS` years of
    HMD 1 January populations up to 1 January ``origin + 1``.

    A cohort's decrement from one 1 January to the next is its deaths (nationals hardly migrate at
    old ages); deaths over the mean number alive, summed over the years by 5-year group (the
    e-Stat groups), divided men by women, then smoothed over single ages
    (:func:`~simulate.demography.lifetable.expand_groups`).  At ages 50+ this agrees with e-Stat's
    2015 ratio within about 10 %.
    """
    groups = np.minimum(np.arange(data.N_LT_AGES) // 5, len(data.ESTAT_GROUP_STARTS) - 1)
    deaths, exposure = np.zeros((2, len(data.ESTAT_GROUP_STARTS))), np.zeros((2, len(data.ESTAT_GROUP_STARTS)))
    for year in range(origin - RATIO_YEARS + 1, origin + 1):
        now, later = data.hmd_population_jan1(year, "+"), data.hmd_population_jan1(year + 1, "-")
        decrement = np.empty_like(now)
        decrement[:, :-2] = now[:, :-2] - later[:, 1:-1]
        decrement[:, -2] = now[:, -2] + now[:, -1] - later[:, -1]
        decrement[:, -1] = 0.0
        for s in range(2):
            deaths[s] += np.bincount(groups, weights=decrement[s], minlength=deaths.shape[1])
            exposure[s] += np.bincount(groups, weights=now[s] - decrement[s] / 2.0, minlength=deaths.shape[1])
    ratio = (deaths[0] / exposure[0]) / (deaths[1] / exposure[1])
    first = RATIO_FROM_AGE // 5
    ratio[:first] = ratio[first]
    return expand_groups(ratio)


@lru_cache(maxsize=64)
def origin_grid(origin: int) -> MortalityGrid:
    """The mortality grid of an origin: women's HMD rates of ``origin``, men's by :func:`male_ratio`,
    and the Lee-Carter pattern of the :data:`LC_YEARS` years to ``origin`` (from 1947 before 1966);
    kappa 0 is ``origin``."""
    female = data.hmd_female_table(origin, origin, "mx")[0]
    a0 = float(data.hmd_female_table(origin, origin, "ax")[0, 0])
    base = np.stack([female * male_ratio(origin), female])
    return build_grid(base, a0, lee_carter_pattern(max(origin - LC_YEARS + 1, FIRST_LIFE_TABLE), origin))


def origin_schedule(origin: int) -> np.ndarray:
    """The HFD age schedule of fertility of ``origin`` on ages 0..100, summing to 1; (101,)."""
    rates = data.hfd_asfr(origin)
    shape = np.zeros(data.N_AGES)
    shape[FIRST_FERTILE_AGE:FIRST_FERTILE_AGE + len(rates)] = rates
    return shape / shape.sum()


def origin_population(origin: int) -> np.ndarray:
    """Japanese nationals on 1 October ``origin`` by sex and age 0..99, 100+; persons, (2, 101)."""
    return to_model_ages(nationals_oct1(origin))
