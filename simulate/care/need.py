"""Care needs: certification rates by age (with healthy ageing), recipients and care workers needed.

Arrays carry a leading trajectory axis B and the projection's years T+1; 5-year groups are those of
the engine (21: 0-4 ... 95-99, 100+).
"""

from __future__ import annotations

import numpy as np

from simulate.data.welfare import care_workers_fy2022, certification_rates
from simulate.demography.engine import GROUP_STARTS

#: Care workers (介護職員) in FY2022, 2.154 million (MHLW, 令和4年介護サービス施設・事業所調査, the base of
#: its 2024 estimate of the workers needed), and persons certified that year, 6.97 million (all
#: ages): their ratio, 0.309 care workers per person certified, is the calibration.  It is data, not
#: the run's own FY2022, so no edit after the history moves a year before it.
CARE_WORKERS, CERTIFIED = care_workers_fy2022()
CARE_WORKERS_YEAR = 2022
#: First engine group of the certification table (65-69); groups from 90 share the open 90+ rate.
FIRST_CARE_GROUP = 13
#: Ages at which the table's rates are read: the middle of 65-69 ... 85-89, and 92.5 for 90+.
NODES = np.array([67.5, 72.5, 77.5, 82.5, 87.5, 92.5])


def certification(shift: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Share certified as needing support or care by 5-year group, fractions (B, T+1, 21), from the
    2020 rates (:func:`~simulate.data.welfare.certification_rates`; 0 below 65).

    ``shift`` (years, (B, T+1)): healthy ageing; a group of mid-age a has the rate of age a - shift in
    2020 (5: "80-84 as 75-79 today"), read log-linearly between the table's ages, continuing the
    65-69 to 70-74 slope below 67.5 and flat above 92.5.  ``scale`` (times, (B, T+1)) multiplies
    the rates, which are capped at 1.  With shift 0 and scale 1 every group has its 2020 rate.
    """
    logs = np.log(certification_rates())
    slope = (logs[1] - logs[0]) / (NODES[1] - NODES[0])
    mids = GROUP_STARTS[FIRST_CARE_GROUP:] + 2.5
    ages = mids[None, None, :] - np.asarray(shift, float)[..., None]
    read = np.where(ages < NODES[0], logs[0] + slope * (ages - NODES[0]), np.interp(ages, NODES, logs))
    base = np.concatenate([certification_rates(), np.full(len(mids) - len(NODES), certification_rates()[-1])])
    rates = np.where(ages == mids, base, np.exp(read)) * np.asarray(scale, float)[..., None]
    out = np.zeros(rates.shape[:2] + (len(GROUP_STARTS),))
    out[..., FIRST_CARE_GROUP:] = np.minimum(rates, 1.0)
    return out


def compounded(growth_pct: np.ndarray, years: np.ndarray, after: int) -> np.ndarray:
    """Index (1 up to ``after``) compounding growth (%, (B, T+1); entry y is growth into year y)
    over the years after ``after``."""
    factors = np.where(years[None, :] > after, 1.0 + growth_pct / 100.0, 1.0)
    return np.cumprod(factors, axis=1)


def care_need(by_group: np.ndarray, years: np.ndarray, employed: np.ndarray, productivity_growth: np.ndarray,
              history_end: int) -> dict[str, np.ndarray]:
    """Recipients (persons), care workers needed (persons) and their share of the employed (%), each
    (B, T+1), from persons certified by 5-year group (B, T+1, 21).

    Workers per recipient are those of FY2022 (:data:`CARE_WORKERS` over :data:`CERTIFIED`; the
    recipients here are those aged 65+, about 98 % of all certified, so the workers needed for the
    40-64 certified are left out), divided by care productivity, which grows at
    ``productivity_growth`` (% a year, (B, T+1)) after the history end and after FY2022.
    """
    recipients = by_group.sum(axis=2)
    per_recipient = CARE_WORKERS / CERTIFIED
    productivity = compounded(productivity_growth, years, max(history_end, CARE_WORKERS_YEAR))
    workers = recipients * per_recipient / productivity
    return {"care_recipients": recipients, "care_workers_needed": workers,
            "care_worker_share": 100.0 * workers / employed}
