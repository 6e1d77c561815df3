"""Age-sex profile of net international migration: the net migrants of a year by sex and age.

Two shapes:

- ``rogers_castro`` (the default): a parametric schedule with positive shares only, described below;
- ``ipss2017``: the net migration by sex and age **implied by IPSS 2017 medium**, with signed
  shares (:func:`ipss_implied_profile`): 95 % at ages 15-29, small net outflows from the
  mid-thirties, as IPSS's own projection has them.  Its level is the total net migration
  (IPSS's non-Japanese inflow less the small Japanese outflow: about 58,000 a year in 2015-2040,
  :func:`implied_net_migration`), not the non-Japanese 70,000 alone.

The profile is a Rogers-Castro model migration schedule (Rogers & Castro 1981, "Model migration
schedules", IIASA RR-81-30): a childhood component that falls with age, a labour-force peak
and a constant.  Japan's net in-migration is dominated by non-Japanese residents in their
twenties (students, technical interns, workers: the Immigration Services Agency's resident
statistics), so the defaults put the peak in the early twenties; ``male_share`` splits the
total between the sexes.  Net migrants are added at the end of each projection interval at
their age then (they are not exposed to mortality or fertility in the year they arrive).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate import data
from simulate.calendar import RATE_OFFSET
from simulate.demography.engine import survive
from simulate.demography.lifetable import OFFICIAL_E0_2015, mortality_grid
from simulate.scenario.model import BASELINE_E0_FEMALE, BASELINE_E0_MALE, DEFAULT_PROFILE, DEFAULT_SHAPE
from simulate.scenario.paths import evaluate

def rogers_castro(child_level: float, child_decline: float, peak_level: float, peak_age: float,
                  peak_decline: float, peak_rise: float, constant: float) -> np.ndarray:
    """Rogers-Castro schedule over ages 0..100, normalised to sum 1; shape (101,)."""
    age = np.arange(data.N_AGES, dtype=float)
    schedule = (child_level * np.exp(-child_decline * age)
                + peak_level * np.exp(-peak_decline * (age - peak_age)
                                      - np.exp(-peak_rise * (age - peak_age)))
                + constant)
    return schedule / schedule.sum()


def migration_profile(male_share: float = DEFAULT_PROFILE["male_share"], shape: str = DEFAULT_SHAPE,
                      **parameters: float) -> np.ndarray:
    """Share of net migrants by sex and age, shape (2, 101), summing to 1: the IPSS-implied profile
    (``shape="ipss2017"``; ``male_share`` and the Rogers-Castro parameters are then not used) or a
    Rogers-Castro schedule split by ``male_share``."""
    if shape == "ipss2017":
        return ipss_implied_profile()
    params = {k: v for k, v in DEFAULT_PROFILE.items() if k != "male_share"} | parameters
    ages = rogers_castro(**params)
    return np.stack([male_share * ages, (1.0 - male_share) * ages])


#: Projection years whose 5-year intervals :func:`ipss_implied_profile` averages.
IMPLIED_PERIODS = (2015, 2020, 2025, 2030, 2035)
#: Ages whose implied net migration is taken from IPSS: younger children copy the share of the
#: youngest measured age; the elderly get none (there the residual measures differences in
#: mortality between the model and IPSS, not migration).
IMPLIED_AGES = (5, 64)


def ipss_implied_profile() -> np.ndarray:
    """Net migration by sex and age implied by IPSS 2017 medium, as signed shares summing to 1;
    shape (2, 101) (see :func:`implied_net_migration`)."""
    profile = implied_net_migration()
    return profile / profile.sum()


@lru_cache(maxsize=1)
def implied_net_migration() -> np.ndarray:
    """Net migrants a year by sex and age implied by IPSS 2017 medium, persons; shape (2, 101).

    For each 5-year interval of :data:`IMPLIED_PERIODS`, the IPSS population by single age is
    survived five years with the model's mortality on IPSS's medium life expectancy, and the IPSS
    population five years later minus the survivors is the net migration by age (the residual
    method).  The residuals are averaged over the intervals and over three adjacent ages; ages
    outside :data:`IMPLIED_AGES` are set as described there.
    """
    e0_paths = [{2015: OFFICIAL_E0_2015["male"]} | BASELINE_E0_MALE,
                {2015: OFFICIAL_E0_2015["female"]} | BASELINE_E0_FEMALE]
    grid = mortality_grid()
    residual = np.zeros((2, data.N_AGES))
    for start in IMPLIED_PERIODS:
        pop = data.census_population(start)[None]
        for year in range(start, start + 5):
            e0 = np.array([[evaluate(path, np.array([year + RATE_OFFSET]))[0] for path in e0_paths]])
            pop = survive(pop, grid.lookup(e0))  # the engine's own ageing (age 0 stays empty: no births)
        residual += data.census_population(start + 5) - pop[0]
    first, last = IMPLIED_AGES
    residual[:, :first] = residual[:, [first]]  # those born in the interval are not migrants
    smooth = np.stack([np.convolve(residual[s], np.ones(3) / 3.0, mode="same") for s in range(2)])
    profile = np.zeros((2, data.N_AGES))
    profile[:, first:last + 1] = smooth[:, first:last + 1]
    profile[:, :first] = smooth[:, [first]]
    return profile / (5.0 * len(IMPLIED_PERIODS))
