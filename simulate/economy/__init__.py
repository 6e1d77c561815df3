"""Labour and economy: from projected population to labour force, hours, productivity and GDP.

Everything runs after the demographic engine on its 5-year groups, vectorized over the same
leading trajectory axis: the economy of an ensemble is the same code as that of one run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate.demography.engine import GROUP_STARTS, Projection
from simulate.calendar import BASES
from simulate.care import COST_YEAR, benefits, care_need, certification
from simulate.care.costs import yen_per_usd
from simulate.economy.calibration import (FIRST_GROUP, HISTORY_HOURS, HISTORY_PRODUCTIVITY_GROWTH, base_productivity,
                                          labour_groups, observed_labour, participation_profile, survey_factors)
from simulate.economy.labour import participation_path
from simulate.economy.output import growth_accounting_gdp, productivity_index, target_growth
from simulate.scenario.care_model import DEFAULT_DEFLATOR
from simulate.scenario.model import Scenario
from simulate.scenario.paths import evaluate


@dataclass(frozen=True)
class EconomicInputs:
    """Resolved labour and economy assumptions for B trajectories over the years (T+1,).

    ``participation``: % (B, T+1, 2, 13).  ``hours``: per worker per year (B, T+1).
    ``unemployment``: % (B, T+1).  ``productivity_growth``, ``tfp_growth``: % per year into each
    year (B, T+1; tfp NaN = implied).  ``investment_rate``: % of GDP (B, T+1; NaN = capital grows
    with output).  ``automation``: % of base-year hours (B, T+1).  Per trajectory (B,):
    ``growth_accounting`` (bool), ``capital_share``, ``depreciation`` (%), ``capital_output_2017``
    (in the base year), ``productivity_base`` (output per hour in the base year, USD 2018 prices),
    ``old_age_threshold`` (years).  Care (:mod:`simulate.care`), (B, T+1), held up to the history end:
    ``certification_shift`` (years), ``certification_scale`` (times), ``care_productivity_growth``,
    ``medical_cost_growth``, ``ltc_cost_growth`` (% per year); ``price_level`` (GDP deflator, FY2018
    = 1), ``nominal_gdp`` (trillion yen, NaN = GDP x price level x ``yen_per_usd`` (B,)),
    ``pension_slide`` (B, bool).  ``base_year``: index base year of the batch; ``history_end``:
    its last observed year (output up to it is productivity x hours in every mode).
    """

    participation: np.ndarray
    hours: np.ndarray
    unemployment: np.ndarray
    productivity_growth: np.ndarray
    tfp_growth: np.ndarray
    investment_rate: np.ndarray
    automation: np.ndarray
    growth_accounting: np.ndarray
    capital_share: np.ndarray
    depreciation: np.ndarray
    capital_output_2017: np.ndarray
    productivity_base: np.ndarray
    old_age_threshold: np.ndarray
    base_year: int
    history_end: int
    certification_shift: np.ndarray
    certification_scale: np.ndarray
    care_productivity_growth: np.ndarray
    medical_cost_growth: np.ndarray
    ltc_cost_growth: np.ndarray
    price_level: np.ndarray
    nominal_gdp: np.ndarray
    yen_per_usd: np.ndarray
    pension_slide: np.ndarray


def productivity_growth_path(scenario: Scenario, years: np.ndarray) -> np.ndarray:
    """Labour productivity growth per hour (%) into each year; the target form overrides the path
    after the base year."""
    economy = scenario.economy
    growth = evaluate(economy.productivity_growth, years)
    if economy.productivity_target is not None:
        target = economy.productivity_target
        growth = np.where(years > scenario.base_year,
                          target_growth(target.factor, target.year, scenario.base_year), growth)
    return growth


def _optional(frames, years: np.ndarray) -> np.ndarray:
    return np.full(len(years), np.nan) if frames is None else evaluate(frames, years)


def bridged(participation: np.ndarray, basis_name: str, years: np.ndarray, end: int) -> np.ndarray:
    """Participation (%, (B, T+1, 2, 13)) without a step after the history end: when the basis's
    profile is calibrated to a later survey year than ``end`` (census2020 runs observed to 2020 use
    the 2024 profile), the odds of the years between start at the last observed year's survey factor
    and fade linearly to the profile's by its survey year."""
    labour_year = BASES[basis_name].labour_year
    between = (years > end) & (years < labour_year)
    if not between.any():
        return participation
    factors = survey_factors(basis_name)
    start = float(np.interp(end, list(factors), list(factors.values())))
    fade = start * (labour_year - years[between]) / (labour_year - end)
    odds = participation[:, between] / (100.0 - participation[:, between]) * np.exp(fade)[None, :, None, None]
    participation[:, between] = 100.0 * odds / (1.0 + odds)
    return participation


def economic_inputs(scenarios: list[Scenario], years: np.ndarray) -> EconomicInputs:
    """Stack the scenarios' labour and economy blocks into arrays (B = len(scenarios)).

    The scenarios share jump-off, history end and base year.  Up to the history end every input is
    observed or the basis's (:func:`~simulate.economy.calibration.observed_labour`,
    :data:`HISTORY_HOURS`, :data:`HISTORY_PRODUCTIVITY_GROWTH`, no automation): levers act on later
    years only.  Unemployment follows the surveys further, to the basis's survey year (2024 on the
    2020 census, whose profile is calibrated to that survey), as participation is bridged to it.
    """
    first = scenarios[0]
    calibration = participation_profile(first.jump_off)
    end, base_year = first.history_end, first.base_year
    history = years <= end
    surveyed = years <= max(end, BASES[first.jump_off].labour_year)  # unemployment: every survey year
    participation, _ = observed_labour(first.jump_off, years[history])
    _, unemployment = observed_labour(first.jump_off, years[surveyed])

    def stacked(get, held: float | np.ndarray | None = None, until: np.ndarray = history) -> np.ndarray:
        out = np.stack([get(s) for s in scenarios])
        if held is not None:
            out[:, until] = held
        return out

    return EconomicInputs(
        participation=bridged(stacked(lambda s: participation_path(s.labour, years, calibration, end), participation),
                              first.jump_off, years, end),
        hours=stacked(lambda s: evaluate(s.labour.hours, years), HISTORY_HOURS),
        unemployment=stacked(lambda s: evaluate(s.labour.unemployment, years), unemployment, surveyed),
        productivity_growth=stacked(lambda s: productivity_growth_path(s, years), HISTORY_PRODUCTIVITY_GROWTH),
        tfp_growth=stacked(lambda s: _optional(s.economy.tfp_growth, years), np.nan),
        investment_rate=stacked(lambda s: _optional(s.economy.investment_rate, years)),
        automation=stacked(lambda s: evaluate(s.economy.automation, years), 0.0),
        growth_accounting=np.array([s.economy.mode == "growth_accounting" for s in scenarios]),
        capital_share=np.array([s.economy.capital_share for s in scenarios]),
        depreciation=np.array([s.economy.depreciation for s in scenarios]),
        capital_output_2017=np.array([s.economy.capital_output_2017 for s in scenarios]),
        productivity_base=base_productivity(np.array([s.economy.gdp_2018_usd_bn for s in scenarios]), base_year),
        old_age_threshold=np.array([s.labour.old_age_threshold for s in scenarios]),
        base_year=base_year,
        history_end=end,
        certification_shift=stacked(lambda s: evaluate(s.care.certification_age_shift, years), 0.0),
        certification_scale=stacked(lambda s: evaluate(s.care.certification_scale, years), 1.0),
        care_productivity_growth=stacked(lambda s: evaluate(s.care.productivity_growth, years), 0.0),
        medical_cost_growth=stacked(lambda s: evaluate(s.care.medical_cost_growth, years), 0.0),
        ltc_cost_growth=stacked(lambda s: evaluate(s.care.ltc_cost_growth, years), 0.0),
        price_level=stacked(lambda s: price_level(s.care.deflator, years, end)),
        nominal_gdp=stacked(lambda s: _optional(s.care.nominal_gdp, years)),
        yen_per_usd=np.array([yen_per_usd(s.economy.gdp_2018_usd_bn) for s in scenarios]),
        pension_slide=np.array([s.care.pension_slide for s in scenarios]),
    )


def price_level(deflator: dict, years: np.ndarray, end: int) -> np.ndarray:
    """The GDP deflator's level (FY2018 = 1) in ``years``, compounding ``deflator`` (% a year into
    each year) from FY2018, backwards for earlier years; up to the history ``end`` the default rise
    (:data:`~simulate.scenario.care_model.DEFAULT_DEFLATOR`), so no edit moves a year of the history."""
    span = np.arange(min(int(years[0]), COST_YEAR), max(int(years[-1]), COST_YEAR) + 1)
    default = np.cumprod(np.where(span > span[0], 1.0 + DEFAULT_DEFLATOR / 100.0, 1.0))
    default /= default[COST_YEAR - span[0]]
    later = span > end
    rise = np.cumprod(np.where(later, 1.0 + evaluate(deflator, span) / 100.0, 1.0))
    at_end = default[min(max(end - span[0], 0), len(span) - 1)]
    return np.where(later, at_end * rise, default)[years.astype(int) - span[0]]


def elderly(projection: Projection, threshold: np.ndarray) -> np.ndarray:
    """Persons at or above each trajectory's old-age threshold (65, 70 or 75), (B, T+1)."""
    first = np.searchsorted(GROUP_STARTS, threshold)
    out = np.empty(projection.groups.shape[:2])
    for start in np.unique(first):  # one threshold per scenario: 65, 70 or 75
        rows = first == start
        out[rows] = projection.groups[rows][:, :, :, start:].sum(axis=(2, 3))
    return out


def labour_arrays(projection: Projection, inputs: EconomicInputs) -> dict[str, np.ndarray]:
    """Labour by sex and labour group for every trajectory and year (the columns of ``labour.csv``),
    each (B, T+1, 2, 13): population and labour force (persons), participation and unemployment
    rates (%), employed (persons) and hours worked (hours a year).  Their sums are the
    ``labour_force``, ``employed`` and ``hours_worked`` indicators."""
    population = labour_groups(projection.groups)
    rates = inputs.participation
    unemployment = inputs.unemployment[:, :, None, None]
    labour_force = population * rates / 100.0
    employed = labour_force * (1.0 - unemployment / 100.0)
    return {"population": population, "participation_rate": np.broadcast_to(rates, population.shape),
            "labour_force": labour_force, "unemployment_rate": np.broadcast_to(unemployment, population.shape),
            "employed": employed, "hours_worked": employed * inputs.hours[:, :, None, None]}


def labour_supply(groups: np.ndarray, participation: np.ndarray) -> np.ndarray:
    """Labour force, persons (B, T+1), from 5-year groups (B, T+1, 2, 21) and rates (%, (B, T+1, 2, 13)).

    Same as summing :func:`labour_groups` x rates, without building the regrouped population.
    einsum's order of summation follows its operands' memory layout, so broadcast rates are made
    contiguous first: every trajectory of a batch is then bit-identical to a run on its own.
    """
    participation = np.ascontiguousarray(participation)
    first = FIRST_GROUP
    by_group = np.einsum("btsg,btsg->bt", groups[..., first:first + 12], participation[..., :12])
    open_group = np.einsum("btsg,bts->bt", groups[..., first + 12:], participation[..., 12])
    return (by_group + open_group) / 100.0


def economic_indicators(projection: Projection, inputs: EconomicInputs) -> dict[str, np.ndarray]:
    """Labour and economy indicators, each (B, T+1), in ``indicators.csv`` column order."""
    years = projection.years
    base = int(np.searchsorted(years, inputs.base_year))
    labour_force = labour_supply(projection.groups, inputs.participation)
    employed = labour_force * (1.0 - inputs.unemployment / 100.0)
    hours_worked = employed * inputs.hours
    index = productivity_index(inputs.productivity_growth, years, inputs.base_year)
    gdp_base = inputs.productivity_base * hours_worked[:, base] / 1e9
    gdp = gdp_base[:, None] * index / 100.0 * hours_worked / hours_worked[:, [base]]
    productivity = index
    if inputs.growth_accounting.any():  # after the history end only: history is productivity x hours
        rows, later = np.flatnonzero(inputs.growth_accounting), years > inputs.history_end
        accounted = growth_accounting_gdp(
            gdp_base[rows], inputs.base_year, hours_worked[rows], years, inputs.productivity_growth[rows],
            inputs.tfp_growth[rows], inputs.investment_rate[rows], inputs.automation[rows],
            inputs.capital_share[rows], inputs.depreciation[rows], inputs.capital_output_2017[rows])
        gdp[np.ix_(rows, later)] = accounted[:, later]
        per_hour = gdp[rows] / hours_worked[rows]
        productivity = index.copy()
        productivity[np.ix_(rows, later)] = (100.0 * per_hour / per_hour[:, [base]])[:, later]
    total = projection.total
    per_capita = gdp * 1e9 / total
    return {
        "labour_force": labour_force,
        "employed": employed,
        "unemployment_rate": inputs.unemployment,
        "hours_per_worker": inputs.hours,
        "hours_worked": hours_worked,
        "productivity_index": productivity,
        "gdp": gdp,
        "gdp_index": 100.0 * gdp / gdp[:, [base]],
        "gdp_per_capita": per_capita,
        "gdp_per_capita_index": 100.0 * per_capita / per_capita[:, [base]],
        "gdp_per_worker": gdp * 1e9 / employed,
        "workers_per_elderly": employed / elderly(projection, inputs.old_age_threshold),
    } | care_indicators(projection, inputs, employed, gdp)


def care_indicators(projection: Projection, inputs: EconomicInputs, employed: np.ndarray,
                    gdp: np.ndarray) -> dict[str, np.ndarray]:
    """Care needs and social-security benefits (:mod:`simulate.care`), each (B, T+1)."""
    years = projection.years
    both = projection.both_sexes
    certified = both * certification(inputs.certification_shift, inputs.certification_scale)
    need = care_need(certified, years, employed, inputs.care_productivity_growth, inputs.history_end)
    priced = gdp * inputs.yen_per_usd[:, None] * inputs.price_level / 1e3
    given = ~np.isnan(inputs.nominal_gdp) & (years > inputs.history_end)
    nominal = np.where(given, inputs.nominal_gdp, priced)
    paid = benefits(both, projection.total, certified, employed, nominal,
                    years, inputs.medical_cost_growth, inputs.ltc_cost_growth, inputs.pension_slide,
                    inputs.history_end)
    return need | {"nominal_gdp": nominal} | paid


__all__ = ["EconomicInputs", "economic_indicators", "economic_inputs", "labour_arrays"]
