"""Social-security benefits: medical care, long-term care and pensions, from age profiles of cost
relative to GDP per person, as shares of GDP and in nominal trillion yen.

The base is FY2018, the first year of the government's 2018 outlook: costs per person of each age
(national medical expenditure per person, FY2018; long-term-care benefit per person, FY2018, per
person certified in September 2019) are scaled to that year's benefits in the outlook (medical
39.2, long-term care 10.7, pensions 56.7, children and other 14.6 trillion yen) and expressed
relative to nominal GDP per person in FY2018 (564.3 trillion yen over the population of 1 October
2018).  FY2018 is thereby reproduced by construction and is no evidence; the outlook's FY2025 and
FY2040 are never used.  After the history end:

- medical and long-term-care costs per person of each age grow with nominal GDP per person, plus
  the scenario's excess growth (0 by default);
- the pension per person aged 65+ grows with nominal GDP per worker (a wage index), less the
  stylised macro-economic slide when it is on: the fall in the number employed plus 0.3 % a year,
  never below the previous year's nominal pension (the nominal floor);
- children's, family and other benefits stay at their FY2018 share of GDP.

Up to the history end each cost keeps its FY2018 ratio to GDP per person (no cost is observed
after FY2018 in the data pack).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate import data
from simulate.care.need import FIRST_CARE_GROUP, compounded
from simulate.data.welfare import certification_rates, ltc_per_person_2018, medical_per_person, outlook_value
from simulate.demography.engine import GROUP_STARTS

#: The cost base year (fiscal year; a model year y is FY y, whose middle is 1 October y).
COST_YEAR = 2018
#: The macro-economic slide's fixed part, % a year (the rise in life expectancy at 65, as legislated).
SLIDE_LONGEVITY = 0.3


def _groups_2018() -> np.ndarray:
    """Persons by 5-year group (21,) in FY2018: the ages of 1 January 2019 (HMD, nationals) scaled to
    the population of 1 October 2018 (all residents)."""
    ages = data.hmd_population_jan1(2019).sum(axis=0)
    groups = np.array([ages[s:s + 5].sum() for s in GROUP_STARTS[:-1]] + [ages[100:].sum()])
    return groups * data.observed().at[COST_YEAR, "population_oct1"] / groups.sum()


@lru_cache(maxsize=1)
def base_ratios() -> dict[str, np.ndarray | float]:
    """FY2018 costs relative to nominal GDP per person (pure numbers): ``medical`` per person by
    group (21,), ``ltc`` per person certified by group (21,), ``pension`` per person aged 65+, and
    ``other``: children's, family and other benefits as a share of GDP."""
    people = _groups_2018()
    gdp = outlook_value("gdp", COST_YEAR, basis="gdp") * 1e12
    per_person = gdp / people.sum()
    spend = medical_per_person(COST_YEAR)
    old, older = people[FIRST_CARE_GROUP:].sum(), people[FIRST_CARE_GROUP + 2:].sum()
    young_old = (spend["65+"] * old - spend["75+"] * older) / people[FIRST_CARE_GROUP:FIRST_CARE_GROUP + 2].sum()
    medical = np.where(GROUP_STARTS < 65, spend["0-64"], np.where(GROUP_STARTS < 75, young_old, spend["75+"]))
    medical = medical * outlook_value("medical", COST_YEAR) * 1e12 / (medical * people).sum()
    width = len(GROUP_STARTS) - FIRST_CARE_GROUP
    per_capita = np.resize(ltc_per_person_2018(), width)
    per_capita[6:] = per_capita[5]
    rates = np.resize(certification_rates("2019-09-30"), width)
    rates[6:] = rates[5]
    ltc = np.zeros(len(GROUP_STARTS))
    ltc[FIRST_CARE_GROUP:] = per_capita / rates
    ltc *= outlook_value("long_term_care", COST_YEAR) * 1e12 / (per_capita * people[FIRST_CARE_GROUP:]).sum()
    other = outlook_value("children_family", COST_YEAR) + outlook_value("other", COST_YEAR)
    return {"medical": medical / per_person, "ltc": ltc / per_person,
            "pension": outlook_value("pension", COST_YEAR) * 1e12 / old / per_person,
            "other": other / outlook_value("gdp", COST_YEAR, basis="gdp")}


@lru_cache(maxsize=None)
def yen_per_usd(gdp_2018_usd_bn: float) -> float:
    """Yen of FY2018 per USD of 2018 prices: the outlook's FY2018 nominal GDP over the scenario's
    GDP level of 2018."""
    return outlook_value("gdp", COST_YEAR, basis="gdp") * 1e12 / (gdp_2018_usd_bn * 1e9)


def pension_per_person(start: np.ndarray, wage: np.ndarray, employed: np.ndarray, slide: np.ndarray,
                       years: np.ndarray, history_end: int) -> np.ndarray:
    """Pension per person aged 65+, yen a year (B, T+1): ``start`` up to the history end, then
    indexed to ``wage`` (nominal GDP per worker), less the slide (fall in ``employed`` + 0.3 % a
    year) where ``slide`` (B,) is on, never below the year before while the wage index rises."""
    out = start.copy()
    for t in np.flatnonzero(years > history_end):
        if t == 0:
            continue
        growth = wage[:, t] / wage[:, t - 1]
        cut = np.maximum(0.0, 1.0 - employed[:, t] / employed[:, t - 1]) + SLIDE_LONGEVITY / 100.0
        slid = np.where(growth > 1.0, np.maximum(growth * (1.0 - cut), 1.0), growth)
        out[:, t] = out[:, t - 1] * np.where(slide, slid, growth)
    return out


def benefits(both: np.ndarray, total: np.ndarray, recipients_by_group: np.ndarray, employed: np.ndarray,
             nominal_gdp: np.ndarray, years: np.ndarray, medical_growth: np.ndarray, ltc_growth: np.ndarray,
             slide: np.ndarray, history_end: int) -> dict[str, np.ndarray]:
    """Benefits, trillion yen a year and % of GDP, each (B, T+1).

    ``both``: persons by 5-year group, both sexes (B, T+1, 21); ``total``, ``employed``: persons;
    ``recipients_by_group``: persons certified (B, T+1, 21); ``nominal_gdp``: trillion yen;
    ``medical_growth``, ``ltc_growth``: excess growth of costs per person over nominal GDP per
    person, % a year (B, T+1); ``slide``: the macro-economic slide on (B,).
    """
    ratios = base_ratios()
    per_person = nominal_gdp * 1e12 / total
    medical = (both * ratios["medical"]).sum(axis=2) * per_person * compounded(medical_growth, years, history_end)
    ltc = (recipients_by_group * ratios["ltc"]).sum(axis=2) * per_person * compounded(ltc_growth, years, history_end)
    old = both[..., FIRST_CARE_GROUP:].sum(axis=2)
    wage = nominal_gdp * 1e12 / employed
    pension_each = pension_per_person(ratios["pension"] * per_person, wage, employed, slide, years, history_end)
    pension = pension_each * old
    other = ratios["other"] * nominal_gdp * 1e12
    spending = {"medical_spending": medical / 1e12, "ltc_spending": ltc / 1e12, "pension_spending": pension / 1e12}
    spending["social_security_benefits"] = sum(spending.values()) + other / 1e12
    shares = {f"{name}_gdp": 100.0 * value / nominal_gdp for name, value in spending.items()}
    return spending | shares | {"pension_replacement": 100.0 * pension_each / wage}
