"""The calendar: every year the model depends on, in one place.

A projection has a **jump-off** (a census: the population by sex and age on 1 October of its year),
a stretch of **observed history** after it (what really happened, from ``data/observed/``), and
**assumptions** after the last observed year.  A scenario names its jump-off (``jump_off``) and how
far its history reaches (``observed_until``); everything else that is tied to a year is a property
of the jump-off (:class:`Basis`) or of the scenario (``base_year``, ``report_years``).

Nothing in a scenario can change a value up to its history end: the engine starts the scenario's
own assumptions from the last observed state (see :mod:`simulate.demography.history`), and the
economy holds its inputs at the basis's calibrated values through the same year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from simulate import data


@dataclass(frozen=True)
class Basis:
    """A jump-off census and the calibrations that belong to it.

    ``jump_off_year``: census year (population on 1 October).  ``birth_calibration_years``: the
    calendar years whose registered births the birth level is calibrated on (see
    :func:`simulate.demography.history.birth_calibration`).  ``labour_year``: the Labour Force
    Survey year the participation profile is calibrated to.  ``base_year``: default index base year
    (index = 100) and the year productivity is anchored in.  ``observed_until``: default last
    observed year of a scenario on this basis.  ``report_years``: default years of tables.
    """

    name: str
    jump_off_year: int
    description: str
    birth_calibration_years: tuple[int, ...]
    labour_year: int
    base_year: int
    observed_until: int
    report_years: tuple[int, ...]


BASES = {basis.name: basis for basis in [
    Basis("census2015", 2015, "2015 census (the IPSS 2017 projection's base population)",
          birth_calibration_years=(2016, 2017), labour_year=2017, base_year=2017, observed_until=2017,
          report_years=(2017, 2030, 2035, 2040)),
    Basis("census2020", 2020, "2020 census, age unknown distributed (the IPSS 2023 projection's base)",
          birth_calibration_years=(2021, 2022, 2023, 2024), labour_year=2024, base_year=2024,
          observed_until=2020, report_years=(2024, 2030, 2035, 2040)),
]}
DEFAULT_BASIS = "census2015"

#: The seed's index base year: targets written ``x2017`` and the White Paper's figures refer to it.
SEED_YEAR = 2017
#: The GDP level that anchors output: nominal GDP 2018, USD 5,063 bn (IMF, as quoted in the seed);
#: productivity per hour is set so that GDP in 2018, on the observed 2018 population with the
#: 2017 participation profile, equals it (:func:`simulate.economy.calibration.base_productivity`).
GDP_ANCHOR_YEAR = 2018
#: Year of the base age schedule of fertility (HFD, Japan; mean age 31.7): ``mean_age_shift`` and the
#: observed shift to older mothers are relative to it.
FERTILITY_SCHEDULE_YEAR = 2015
#: Year of the base death rates by sex (HMD female table, e-Stat male/female ratios), and the
#: years the Lee-Carter age pattern of improvement is estimated from (HMD female).
MORTALITY_BASE_YEAR = 2015
LEE_CARTER_YEARS = (1970, 2015)
#: Year of the OECD participation profile by age (the newest in the data pack), the shape that the
#: Labour Force Survey totals calibrate.
OECD_PROFILE_YEAR = 2012
#: Paths labelled by calendar year are read at ``t + RATE_OFFSET`` for the step from 1 Oct t to
#: 1 Oct t+1: a quarter of that step lies in year t and three quarters in year t+1.
RATE_OFFSET = 0.75


@lru_cache(maxsize=1)
def last_observed_year() -> int:
    """The newest year in ``data/observed/`` (population, births, TFR, e0)."""
    return int(data.observed().index.max())


def history_end(jump_off: str, observed_until: int | None, counterfactual_past: bool) -> int:
    """Last year that comes from data: ``observed_until`` (default: the basis's), or the census year
    for a counterfactual past."""
    chosen = BASES[jump_off]
    if counterfactual_past:
        return chosen.jump_off_year
    return chosen.observed_until if observed_until is None else observed_until


def basis(name: str) -> Basis:
    """The :class:`Basis` called ``name`` (KeyError if unknown)."""
    return BASES[name]
