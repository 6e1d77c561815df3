"""Fit the old-age adjustment of the mortality improvement pattern to IPSS 2017's elderly.

Prints the three log-scale values of :data:`simulate.demography.lifetable.OLD_AGE_ADJUSTMENT`
that make the baseline's population aged 65-69 ... 95-99 and 100+ (weight 1/4) closest (least
squares, Nelder-Mead) to IPSS 2017 medium in 2030, 2040, 2050 and 2065, and the deviations they
leave.  About a minute.  Usage: ``python scripts/fit_mortality_pattern.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulate.demography import history, lifetable  # noqa: E402
from simulate.economy import calibration  # noqa: E402
from simulate.fidelity import ELDERLY_GROUPS, group_deviation  # noqa: E402
from simulate.pipeline import run_scenarios  # noqa: E402
from simulate.scenario import load_scenario  # noqa: E402

YEARS = (2030, 2040, 2050, 2065)
WEIGHTS = np.array([0.25 if g == "100+" else 1.0 for g in ELDERLY_GROUPS])[:, None]


def deviations(adjustment: tuple[float, ...]):
    """Elderly group deviations (%) of the baseline with a candidate adjustment."""
    lifetable.OLD_AGE_ADJUSTMENT = tuple(adjustment)
    for cached in (lifetable.mortality_grid, history.history, history.birth_calibration,
                   calibration.participation_profile, calibration.productivity_2017):
        cached.cache_clear()
    result = run_scenarios([load_scenario(ROOT / "scenarios" / "baseline.yaml")])[0]
    return group_deviation(result, ELDERLY_GROUPS, YEARS)


def loss(adjustment: np.ndarray) -> float:
    return float((WEIGHTS * deviations(tuple(adjustment)).to_numpy() ** 2).sum())


if __name__ == "__main__":
    print("without adjustment:\n" + deviations((0.0, 0.0, 0.0)).round(2).to_string())
    fit = minimize(loss, np.zeros(3), method="Nelder-Mead", options={"maxfev": 300, "xatol": 1e-3, "fatol": 1e-3})
    print(f"\nOLD_AGE_ADJUSTMENT = {tuple(round(float(v), 3) for v in fit.x)}  (loss {fit.fun:.2f}, {fit.nfev} runs)")
    print(deviations(tuple(fit.x)).round(2).to_string())
