"""Output: labour productivity x hours, or Cobb-Douglas growth accounting with automation.

All series are (B, T+1) over the projection years.  GDP in USD bn at 2018 prices (the seed's
USD 5,063 bn for 2018 anchors the level), productivity as an index, base year = 100.
"""

from __future__ import annotations

import numpy as np


def productivity_index(growth_pct: np.ndarray, years: np.ndarray, base_year: int) -> np.ndarray:
    """Index (``base_year`` = 100) compounding annual growth (%, (B, T+1); entry y is growth from y-1 to y)."""
    factors = 1.0 + growth_pct / 100.0
    factors[:, 0] = 1.0
    level = np.cumprod(factors, axis=1)
    return 100.0 * level / level[:, [_at(years, base_year)]]


def target_growth(factor: float, year: int, base_year: int) -> float:
    """Constant annual growth (%) that multiplies a level by ``factor`` from ``base_year`` to ``year``."""
    return 100.0 * (factor ** (1.0 / (year - base_year)) - 1.0)


def _at(years: np.ndarray, year: int) -> int:
    return int(np.searchsorted(years, year))


def growth_accounting_gdp(gdp_base: np.ndarray, base_year: int, hours: np.ndarray, years: np.ndarray,
                          productivity_growth: np.ndarray, tfp_growth: np.ndarray,
                          investment_rate: np.ndarray, automation: np.ndarray, capital_share: np.ndarray,
                          depreciation: np.ndarray, capital_output_2017: np.ndarray) -> np.ndarray:
    """Cobb-Douglas output Y = A K^a L^(1-a), USD bn, (B, T+1).

    L is effective labour: hours worked plus automation (% of base-year hours) done by machines.
    TFP growth (%) where NaN is the rate that makes output per effective hour grow as
    ``productivity_growth`` when capital grows with output.  Investment (% of GDP) where NaN holds
    the capital-output ratio at its base-year value; otherwise K(t+1) = (1-d) K(t) + s Y(t) from
    the base year.  A is calibrated so that Y(base year) = ``gdp_base``.
    """
    a = capital_share[:, None]
    base = _at(years, base_year)
    labour = hours + automation / 100.0 * hours[:, [base]]
    implied = 100.0 * ((1.0 + productivity_growth / 100.0) ** (1.0 - a) - 1.0)
    tfp = productivity_index(np.where(np.isnan(tfp_growth), implied, tfp_growth), years, base_year) / 100.0
    ky = capital_output_2017[:, None]
    # Balanced growth (capital-output ratio fixed): Y = A^(1/(1-a)) ky^(a/(1-a)) L, scaled to 2017.
    balanced = gdp_base[:, None] * tfp ** (1.0 / (1.0 - a)) * labour / labour[:, [base]]
    accumulate = ~np.all(np.isnan(investment_rate[:, base:]), axis=1)
    if not accumulate.any():
        return balanced
    gdp = balanced.copy()
    rows = np.flatnonzero(accumulate)
    a_r, s = a[rows, 0], np.nan_to_num(investment_rate[rows]) / 100.0
    level = gdp_base[rows] / ((ky[rows, 0] * gdp_base[rows]) ** a_r * labour[rows, base] ** (1.0 - a_r))
    capital = ky[rows, 0] * gdp_base[rows]
    keep = 1.0 - depreciation[rows] / 100.0
    for t in range(base + 1, len(years)):
        capital = keep * capital + s[:, t - 1] * gdp[rows, t - 1]
        gdp[rows, t] = level * tfp[rows, t] * capital ** a_r * labour[rows, t] ** (1.0 - a_r)
    return gdp
