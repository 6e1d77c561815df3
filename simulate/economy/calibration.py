"""Calibrations of the economy, as explicit steps with named inputs, one set per jump-off.

1. **Participation profile** (:func:`participation_profile`): the OECD age shape
   (:data:`~simulate.calendar.OECD_PROFILE_YEAR`) scaled per sex for ages 15-64 and 65+ to the 2017
   Labour Force Survey (:data:`LFS_2017`) on the observed 2017 population of the 2015 basis; for a
   basis whose survey year is later (census2020: 2024), the odds of participation of that profile
   are scaled once more per sex (:func:`scale_odds`) to the survey's labour force by sex on the
   basis's observed population of that year (odds, so that no rate passes 100 %).
2. **Observed years** (:func:`observed_labour`): the profile's odds scaled to each survey year's
   labour force (2017, 2022-2024 in the data pack), interpolated between survey years, with the
   surveys' unemployment rates.
3. **Productivity level** (:func:`base_productivity`): output per hour such that GDP in
   :data:`~simulate.calendar.GDP_ANCHOR_YEAR`, on that year's observed population with the surveyed 2017
   participation and unemployment, equals the
   scenario's ``gdp_2018_usd_bn`` (the seed's USD 5,063 bn), carried to the base year at the
   history's productivity growth.

Populations come from the observed history (all observations in the data pack), so no scenario
assumption moves a calibration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simulate import data
from simulate.calendar import BASES, GDP_ANCHOR_YEAR, OECD_PROFILE_YEAR, last_observed_year
from simulate.demography.history import history
from simulate.scenario.economy_model import LABOUR_GROUPS

#: Labour Force Survey 2017 annual averages, persons: labour force by sex and broad age (total 67.20 M;
#: employed 65.30 M, unemployment 2.8 %).  Statistics Bureau, Labour Force Survey 2017.
LFS_2017 = {("male", "15-64"): 32.89e6, ("male", "65+"): 4.94e6,
            ("female", "15-64"): 26.09e6, ("female", "65+"): 3.28e6}
#: Employed persons by sex, Labour Force Survey annual averages, persons (data/SOURCES.md,
#: "observed"): they split a later survey year's labour force between the sexes.
LFS_EMPLOYED_BY_SEX = {2024: {"male": 36.99e6, "female": 30.82e6}}
#: The profile shape's own basis and calibration year (the 2017 survey by sex and broad age).
PROFILE_BASIS = "census2015"
PROFILE_YEAR = BASES[PROFILE_BASIS].labour_year
#: History held in every basis before its base year: hours actually worked per employed person
#: (OECD, 2017: about 1,710) and labour productivity growth per hour (% a year; the baseline's).
HISTORY_HOURS, HISTORY_PRODUCTIVITY_GROWTH = 1710.0, 0.8
#: Index of each labour group's first 5-year population group (15-19 is group 3); 75+ sums 15..20.
FIRST_GROUP = 3
WORKING_AGE = slice(0, 10)  # labour groups 15-19 .. 60-64
SENIOR_AGE = slice(10, 13)  # 65-69, 70-74, 75+


def labour_groups(groups: np.ndarray) -> np.ndarray:
    """Population by labour group: (..., 2, 21) five-year groups -> (..., 2, 13) persons."""
    return np.concatenate([groups[..., FIRST_GROUP:FIRST_GROUP + 12],
                           groups[..., FIRST_GROUP + 12:].sum(axis=-1, keepdims=True)], axis=-1)


def oecd_profile() -> np.ndarray:
    """OECD participation rates (%) for :data:`OECD_PROFILE_YEAR`, shape (2 sexes, 13 groups)."""
    frame = data.oecd_participation(OECD_PROFILE_YEAR).set_index(["sex", "age_group"])["participation_rate_pct"]
    return np.array([[frame[(sex, g)] for g in LABOUR_GROUPS] for sex in data.SEXES])


def observed_population(basis_name: str, year: int) -> np.ndarray:
    """Observed population by sex and labour group in ``year`` on a basis (persons, (2, 13))."""
    run = history(basis_name, last_observed_year())
    return labour_groups(run.groups[0, int(np.searchsorted(run.years, year))])


def calibrate_profile(rates: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Scale ``rates`` (%, (2, 13)) so that ``population`` (persons, (2, 13)) yields :data:`LFS_2017`.

    One factor per sex for ages 15-64 and one for 65+: the OECD age shape within each is kept,
    its level moved to the 2017 survey totals.
    """
    out = rates.copy()
    for s, sex in enumerate(data.SEXES):
        for span, broad in ((WORKING_AGE, "15-64"), (SENIOR_AGE, "65+")):
            modelled = (population[s, span] * rates[s, span]).sum() / 100.0
            out[s, span] *= LFS_2017[(sex, broad)] / modelled
    return out


def survey_labour_force(year: int) -> np.ndarray:
    """Labour force by sex in a survey year (persons, (2,)): the published total split in
    proportion to employed persons by sex."""
    total = data.labour_force_survey().at[year, "labour_force_millions"] * 1e6
    employed = np.array([LFS_EMPLOYED_BY_SEX[year][sex] for sex in data.SEXES])
    return total * employed / employed.sum()


def odds_scaled(rates: np.ndarray, log_factor: np.ndarray | float) -> np.ndarray:
    """Rates (%) whose odds ``r / (100 - r)`` are those of ``rates`` times ``exp(log_factor)``;
    ``log_factor`` broadcasts against ``rates`` from the left (one factor per leading index)."""
    log_factor = np.asarray(log_factor, float)
    scaled = rates / (100.0 - rates) * np.exp(log_factor.reshape(log_factor.shape + (1,) * (rates.ndim)))
    return 100.0 * scaled / (1.0 + scaled)


def odds_factor(rates: np.ndarray, population: np.ndarray, labour_force: float) -> float:
    """The log factor on the odds of ``rates`` (%) that makes ``population`` (persons, same shape)
    yield ``labour_force`` persons."""
    from scipy.optimize import brentq

    gap = lambda f: (population * odds_scaled(rates, f)).sum() / 100.0 - labour_force  # noqa: E731
    return brentq(gap, -10.0, 10.0, xtol=1e-14)


def scale_odds(rates: np.ndarray, population: np.ndarray, labour_force: float) -> np.ndarray:
    """Rates (%, (G,)) whose odds are the given ones times the one factor that makes ``population``
    (persons, (G,)) yield ``labour_force`` persons."""
    return odds_scaled(rates, odds_factor(rates, population, labour_force))


@dataclass(frozen=True)
class LabourCalibration:
    """A basis's participation profile (%, (2, 13)) in its survey year, the observed population it
    was calibrated on (persons, (2, 13)) and the survey's unemployment rate (%)."""

    year: int
    profile: np.ndarray
    population: np.ndarray
    unemployment: float


@lru_cache(maxsize=None)
def participation_profile(basis_name: str) -> LabourCalibration:
    """The calibrated participation profile of a basis (see the module docstring)."""
    year = BASES[basis_name].labour_year
    profile = calibrate_profile(oecd_profile(), observed_population(PROFILE_BASIS, PROFILE_YEAR))
    population = observed_population(basis_name, year)
    if year != PROFILE_YEAR:
        survey = survey_labour_force(year)
        profile = np.stack([scale_odds(profile[s], population[s], survey[s]) for s in range(2)])
    unemployment = float(data.labour_force_survey().at[year, "unemployment_rate_pct"])
    return LabourCalibration(year=year, profile=profile, population=population, unemployment=unemployment)


@lru_cache(maxsize=None)
def survey_factors(basis_name: str) -> dict[int, float]:
    """For every Labour Force Survey year: the log factor on the odds of the basis's profile that
    gives the survey's labour force on the observed population of that year (0 in the basis's own
    survey year)."""
    calibration = participation_profile(basis_name)
    jump_off = BASES[basis_name].jump_off_year
    factors = {}
    for year, total in data.labour_force_survey()["labour_force_millions"].items():
        population = observed_population(basis_name if year >= jump_off else PROFILE_BASIS, int(year))
        factors[int(year)] = odds_factor(calibration.profile, population, total * 1e6)
    return factors


def observed_labour(basis_name: str, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Participation (%, (T, 2, 13)) and unemployment (%, (T,)) of observed years: the basis's profile
    with its odds scaled to each survey year's labour force, the factor and the unemployment rate
    interpolated linearly between survey years and held beyond the first and last."""
    factors = survey_factors(basis_name)
    surveys = data.labour_force_survey()["unemployment_rate_pct"]
    log_factor = np.interp(years, list(factors), list(factors.values()))
    unemployment = np.interp(years, surveys.index.to_numpy(float), surveys.to_numpy())
    return odds_scaled(participation_profile(basis_name).profile, log_factor), unemployment


@lru_cache(maxsize=1)
def productivity_2017() -> float:
    """Output per hour in 2017, USD (2018 prices) per hour, for GDP 2018 = USD 1 bn: multiply by
    ``gdp_2018_usd_bn``.  Hours of the anchor year: the observed population of that year with the
    surveyed 2017 profile and unemployment (the pack has no survey for 2018) and :data:`HISTORY_HOURS`."""
    calibration = participation_profile(PROFILE_BASIS)
    population = observed_population(PROFILE_BASIS, GDP_ANCHOR_YEAR)
    hours = ((population * calibration.profile).sum() / 100.0 * (1.0 - calibration.unemployment / 100.0)
             * HISTORY_HOURS)
    growth = (1.0 + HISTORY_PRODUCTIVITY_GROWTH / 100.0) ** (GDP_ANCHOR_YEAR - PROFILE_YEAR)
    return 1e9 / (hours * growth)


def base_productivity(gdp_2018: np.ndarray, base_year: int) -> np.ndarray:
    """Output per hour in ``base_year``, USD (2018 prices) per hour, (B,), for GDP 2018 levels
    ``gdp_2018`` (USD bn, (B,)), grown from 2017 at :data:`HISTORY_PRODUCTIVITY_GROWTH`."""
    growth = (1.0 + HISTORY_PRODUCTIVITY_GROWTH / 100.0) ** (base_year - PROFILE_YEAR)
    return np.asarray(gdp_2018, float) * productivity_2017() * growth
