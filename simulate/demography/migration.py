"""Age-sex profile of net international migration.

The profile is a Rogers-Castro model migration schedule (Rogers & Castro 1981, "Model migration
schedules", IIASA RR-81-30): a childhood component that falls with age, a labour-force peak
and a constant.  Japan's net in-migration is dominated by non-Japanese residents in their
twenties (students, technical interns, workers: the Immigration Services Agency's resident
statistics), so the defaults put the peak in the early twenties; ``male_share`` splits the
total between the sexes.  Net migrants are added at the end of each projection interval at
their age then (they are not exposed to mortality or fertility in the year they arrive).
"""

from __future__ import annotations

import numpy as np

from simulate import data

#: Defaults of :func:`rogers_castro`; the scenario language can override each.
DEFAULT_PROFILE = {
    "child_level": 0.02,      # a1: level of the childhood component
    "child_decline": 0.10,    # alpha1: its rate of decline per year of age
    "peak_level": 0.06,       # a2: level of the labour-force component
    "peak_age": 20.0,         # mu2: its location (years)
    "peak_decline": 0.12,     # alpha2: rate of decline after the peak
    "peak_rise": 0.40,        # lambda2: rate of rise before the peak
    "constant": 0.002,        # c: constant component
    "male_share": 0.52,       # share of net migrants who are male
}


def rogers_castro(child_level: float, child_decline: float, peak_level: float, peak_age: float,
                  peak_decline: float, peak_rise: float, constant: float) -> np.ndarray:
    """Rogers-Castro schedule over ages 0..100, normalised to sum 1; shape (101,)."""
    age = np.arange(data.N_AGES, dtype=float)
    schedule = (child_level * np.exp(-child_decline * age)
                + peak_level * np.exp(-peak_decline * (age - peak_age)
                                      - np.exp(-peak_rise * (age - peak_age)))
                + constant)
    return schedule / schedule.sum()


def migration_profile(male_share: float = DEFAULT_PROFILE["male_share"], **shape: float) -> np.ndarray:
    """Share of net migrants by sex and age, shape (2, 101), summing to 1."""
    params = {k: v for k, v in DEFAULT_PROFILE.items() if k != "male_share"} | shape
    ages = rogers_castro(**params)
    return np.stack([male_share * ages, (1.0 - male_share) * ages])
