"""Labour supply: participation by sex x 5-year group, from the calibrated profile of the jump-off
(:mod:`simulate.economy.calibration`) changed by the scenario's levers after its history end.

Groups (13): 15-19 ... 70-74 and 75+ (:data:`LABOUR_GROUPS`).  Rates are in %; populations in
persons; arrays carry a leading trajectory axis where they vary by scenario.
"""

from __future__ import annotations

import numpy as np

from simulate import data
from simulate.economy.calibration import LabourCalibration
from simulate.scenario.economy_model import LABOUR_GROUPS, Closing, Labour, Reach, groups_in
from simulate.scenario.paths import evaluate


def _ramp(years: np.ndarray, start: int, end: int) -> np.ndarray:
    """0 before ``start``, 1 from ``end``, linear in between; shape like ``years``."""
    return np.clip((years - start) / max(end - start, 1), 0.0, 1.0)


def _index(names: list[str]) -> list[int]:
    return [LABOUR_GROUPS.index(g) for g in names]


def _sexes(sex: str) -> list[int]:
    return [0, 1] if sex == "both" else [data.SEXES.index(sex)]


def apply_reach(rates: np.ndarray, years: np.ndarray, reach: Reach, calibration: LabourCalibration,
                start: int) -> None:
    """Add the same percentage-point rise to every chosen sex x group so that their combined rate at
    the calibration profile (weighted by the calibration population) moves from its value in
    ``start`` to ``reach.rate`` by ``reach.by``."""
    sexes, groups = _sexes(reach.sex), _index(groups_in(reach.ages))
    cells = np.ix_(sexes, groups)
    base, weights = calibration.profile[cells], calibration.population[cells]
    combined = (base * weights).sum() / weights.sum()
    rise = (reach.rate - combined) * _ramp(years, start, reach.by)
    for s in sexes:
        rates[:, s, groups] += rise[:, None]


def apply_closing(rates: np.ndarray, years: np.ndarray, closing: Closing, target: np.ndarray,
                  sex: int, groups: list[int], start: int) -> None:
    """Move ``rates[:, sex, groups]`` toward ``target`` (%, per group), closing ``share`` of the
    gap linearly between ``start`` and ``by``; gaps that are negative are left alone."""
    gap = np.maximum(target - rates[:, sex, groups], 0.0)
    rates[:, sex, groups] += closing.share * gap * _ramp(years, start, closing.by)[:, None]


def participation_path(labour: Labour, years: np.ndarray, calibration: LabourCalibration,
                       history_end: int) -> np.ndarray:
    """Participation rates (%) by year, sex and labour group for one scenario; shape (T+1, 2, 13).

    Starts from the calibrated profile held constant, then applies, in order: the
    ``participation`` changes, ``seniors``, ``women_m_curve`` and ``women_gap`` (shortcuts start at
    ``history_end`` unless they say otherwise); finally clipped to 0-100 %.  (Years up to
    ``history_end`` are replaced by the observed rates: :func:`simulate.economy.economic_inputs`.)
    """
    rates = np.broadcast_to(calibration.profile, (len(years), 2, len(LABOUR_GROUPS))).copy()
    for change in labour.participation:
        groups = _index(groups_in(change.ages))
        for s in _sexes(change.sex):
            if change.change is not None:
                rates[:, s, groups] += evaluate(change.change, years)[:, None]
            else:
                rates[:, s, groups] = _rate_path(change.rate, years, rates[:, s, groups], history_end)
    if labour.seniors is not None:
        apply_reach(rates, years, labour.seniors, calibration, _start(labour.seniors.start, history_end))
    female = data.SEXES.index("female")
    if labour.women_m_curve is not None:
        dip = _index(groups_in("25-44"))
        edges = _index(["25-29", "45-49"])
        target = rates[:, female, edges].max(axis=1, keepdims=True)
        apply_closing(rates, years, labour.women_m_curve, target, female, dip,
                      _start(labour.women_m_curve.start, history_end))
    if labour.women_gap is not None:
        working = _index(groups_in("15-64"))
        apply_closing(rates, years, labour.women_gap, rates[:, 0, working], female, working,
                      _start(labour.women_gap.start, history_end))
    return np.clip(rates, 0.0, 100.0)


def _start(start: int | None, history_end: int) -> int:
    return history_end if start is None else start


def _rate_path(frames: dict[int, float], years: np.ndarray, current: np.ndarray, history_end: int) -> np.ndarray:
    """An absolute rate path per group: before its first keyframe it rises linearly from the
    current rate at the history end; from the first keyframe it follows the path.  ``current``: (T+1, G)."""
    first = min(frames)
    target = evaluate(frames, years)[:, None]
    if first <= history_end:
        return np.broadcast_to(target, current.shape).copy()
    start = current[np.searchsorted(years, history_end)]
    ramp = _ramp(years, history_end, first)[:, None]
    return np.where(years[:, None] < first, start + (frames[first] - start) * ramp, target)
