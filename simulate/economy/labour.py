"""Labour supply: participation by sex x 5-year group, calibrated to the 2017 Labour Force Survey.

Groups (13): 15-19 ... 70-74 and 75+ (:data:`LABOUR_GROUPS`).  Rates are in %; populations in
persons; arrays carry a leading trajectory axis where they vary by scenario.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate import data
from simulate.scenario.economy_model import LABOUR_GROUPS, Closing, Labour, Reach, groups_in
from simulate.scenario.paths import evaluate

#: Year of the calibrated profile, and the OECD year it starts from (the newest in the pack).
CALIBRATION_YEAR, OECD_YEAR = 2017, 2012
#: Labour Force Survey 2017 annual averages, persons: labour force by sex and broad age (employed:
#: 65.30 M, unemployment 2.8 %, the baseline's path).
LFS_2017 = {("male", "15-64"): 32.89e6, ("male", "65+"): 4.94e6,
            ("female", "15-64"): 26.09e6, ("female", "65+"): 3.28e6}
#: Index of each labour group's first 5-year population group (15-19 is group 3); 75+ sums 15..20.
FIRST_GROUP = 3
WORKING_AGE = slice(0, 10)  # labour groups 15-19 .. 60-64
SENIOR_AGE = slice(10, 13)  # 65-69, 70-74, 75+


def labour_groups(groups: np.ndarray) -> np.ndarray:
    """Population by labour group: (..., 2, 21) five-year groups -> (..., 2, 13) persons."""
    return np.concatenate([groups[..., FIRST_GROUP:FIRST_GROUP + 12],
                           groups[..., FIRST_GROUP + 12:].sum(axis=-1, keepdims=True)], axis=-1)


def oecd_profile() -> np.ndarray:
    """OECD participation rates (%) for :data:`OECD_YEAR`, shape (2 sexes, 13 groups)."""
    frame = data.oecd_participation(OECD_YEAR).set_index(["sex", "age_group"])["participation_rate_pct"]
    return np.array([[frame[(sex, g)] for g in LABOUR_GROUPS] for sex in data.SEXES])


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


@lru_cache(maxsize=1)
def baseline_labour_population() -> np.ndarray:
    """The baseline's population by sex and labour group in 2017 and 2018 (persons), (2 years, 2, 13).

    One short projection serves the participation calibration (2017) and the GDP anchor (2018).
    """
    from simulate.demography.engine import project
    from simulate.demography.inputs import demographic_inputs
    from simulate.scenario.model import JUMP_OFF_YEAR, Scenario

    baseline = Scenario(horizon=CALIBRATION_YEAR + 1, report_years=[CALIBRATION_YEAR])
    projection = project(demographic_inputs([baseline]))
    return labour_groups(projection.groups[0, CALIBRATION_YEAR - JUMP_OFF_YEAR:])


def calibration_population() -> np.ndarray:
    """The baseline's population by sex and labour group in 2017 (persons), shape (2, 13)."""
    return baseline_labour_population()[0]


@lru_cache(maxsize=1)
def base_profile() -> np.ndarray:
    """Calibrated 2017 participation profile (%), shape (2, 13), on the baseline's 2017 population."""
    return calibrate_profile(oecd_profile(), calibration_population())


def _ramp(years: np.ndarray, start: int, end: int) -> np.ndarray:
    """0 before ``start``, 1 from ``end``, linear in between; shape like ``years``."""
    return np.clip((years - start) / max(end - start, 1), 0.0, 1.0)


def _index(names: list[str]) -> list[int]:
    return [LABOUR_GROUPS.index(g) for g in names]


def _sexes(sex: str) -> list[int]:
    return [0, 1] if sex == "both" else [data.SEXES.index(sex)]


def apply_reach(rates: np.ndarray, years: np.ndarray, reach: Reach, groups: list[int]) -> None:
    """Add the same percentage-point rise to every sex x group so that their combined rate at the
    calibration profile moves from its ``start`` value to ``reach.rate`` by ``reach.by``."""
    base = base_profile()[:, groups]
    weights = calibration_population()[:, groups]
    combined = (base * weights).sum() / weights.sum()
    rates[:, :, groups] += ((reach.rate - combined) * _ramp(years, reach.start, reach.by))[:, None, None]


def apply_closing(rates: np.ndarray, years: np.ndarray, closing: Closing, target: np.ndarray,
                  sex: int, groups: list[int]) -> None:
    """Move ``rates[:, sex, groups]`` toward ``target`` (%, per group), closing ``share`` of the
    gap linearly between ``start`` and ``by``; gaps that are negative are left alone."""
    gap = np.maximum(target - rates[:, sex, groups], 0.0)
    rates[:, sex, groups] += closing.share * gap * _ramp(years, closing.start, closing.by)[:, None]


def participation_path(labour: Labour, years: np.ndarray) -> np.ndarray:
    """Participation rates (%) by year, sex and labour group for one scenario; shape (T+1, 2, 13).

    Starts from :func:`base_profile` held constant, then applies, in order: the ``participation``
    changes, ``seniors``, ``women_m_curve`` and ``women_gap``; finally clipped to 0-100 %.
    """
    rates = np.broadcast_to(base_profile(), (len(years), 2, len(LABOUR_GROUPS))).copy()
    for change in labour.participation:
        groups = _index(groups_in(change.ages))
        for s in _sexes(change.sex):
            if change.change is not None:
                rates[:, s, groups] += evaluate(change.change, years)[:, None]
            else:
                rates[:, s, groups] = _rate_path(change.rate, years, rates[:, s, groups])
    if labour.seniors is not None:
        apply_reach(rates, years, labour.seniors, _index(groups_in("65-74")))
    female = data.SEXES.index("female")
    if labour.women_m_curve is not None:
        dip = _index(groups_in("25-44"))
        edges = _index(["25-29", "45-49"])
        target = rates[:, female, edges].max(axis=1, keepdims=True)
        apply_closing(rates, years, labour.women_m_curve, target, female, dip)
    if labour.women_gap is not None:
        working = _index(groups_in("15-64"))
        apply_closing(rates, years, labour.women_gap, rates[:, 0, working], female, working)
    return np.clip(rates, 0.0, 100.0)


def _rate_path(frames: dict[int, float], years: np.ndarray, current: np.ndarray) -> np.ndarray:
    """An absolute rate path per group: before its first keyframe it rises linearly from the
    current 2017 rate; from the first keyframe it follows the path.  ``current``: (T+1, G)."""
    first = min(frames)
    target = evaluate(frames, years)[:, None]
    if first <= CALIBRATION_YEAR:
        return np.broadcast_to(target, current.shape).copy()
    start = current[np.searchsorted(years, CALIBRATION_YEAR)]
    ramp = _ramp(years, CALIBRATION_YEAR, first)[:, None]
    return np.where(years[:, None] < first, start + (frames[first] - start) * ramp, target)
