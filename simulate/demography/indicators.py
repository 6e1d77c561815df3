"""Demographic indicators from a :class:`~simulate.demography.engine.Projection`.

All arrays are (B, T+1): trajectory x year.  Populations in persons, shares in %, ratios per 100
persons aged 15-64, ages in years.
"""

from __future__ import annotations

import numpy as np

from simulate.demography.engine import GROUP_STARTS, Projection


def group_sum(by_group: np.ndarray, first_age: int, last_age: int | None = None) -> np.ndarray:
    """Persons aged first_age..last_age (None: and over) from both-sex 5-year groups (B, T+1, 21);
    5-year bounds only; (B, T+1)."""
    starts = list(GROUP_STARTS)
    lo = starts.index(first_age)
    hi = len(starts) if last_age is None else starts.index(last_age + 1)
    return by_group[:, :, lo:hi].sum(axis=2)


def demographic_indicators(projection: Projection) -> dict[str, np.ndarray]:
    """Named indicator arrays, each (B, T+1), in the column order of ``indicators.csv``."""
    by_group = projection.both_sexes
    total = projection.total
    young, working = group_sum(by_group, 0, 14), group_sum(by_group, 15, 64)
    old, very_old = group_sum(by_group, 65), group_sum(by_group, 75)
    change = np.full_like(total, np.nan)
    change[:, 1:] = np.diff(total, axis=1)
    return {
        "population_total": total,
        "population_0_14": young,
        "population_15_64": working,
        "population_65_plus": old,
        "population_75_plus": very_old,
        "share_0_14": 100.0 * young / total,
        "share_15_64": 100.0 * working / total,
        "share_65_plus": 100.0 * old / total,
        "share_75_plus": 100.0 * very_old / total,
        "births": projection.births,
        "deaths": projection.deaths,
        "net_migration": projection.net_migration,
        "population_change": change,
        "old_age_dependency_ratio": 100.0 * old / working,
        "total_dependency_ratio": 100.0 * (young + old) / working,
        "median_age": projection.median_age,
    }

