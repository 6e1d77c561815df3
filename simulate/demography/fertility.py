"""Fertility: the HFD base age schedule, scaled to a TFR path and optionally shifted in age.

Births in a projection interval are ``calibration * TFR * sum_x shape_x * W_x`` where ``shape``
is the base schedule normalised to sum 1 and ``W_x`` the mean number of women aged x during the
interval.  The factor is calibrated per jump-off on registered births
(:func:`simulate.demography.history.birth_calibration`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate import data
from simulate.calendar import FERTILITY_SCHEDULE_YEAR

#: First age of the HFD schedule (its ``12-`` group); its last age is 55 (``55+``).
FIRST_FERTILE_AGE = 12


@lru_cache(maxsize=1)
def base_shape() -> np.ndarray:
    """HFD age schedule of :data:`~simulate.calendar.FERTILITY_SCHEDULE_YEAR` normalised to sum 1,
    placed on ages 0..100; shape (101,)."""
    rates = data.hfd_asfr(FERTILITY_SCHEDULE_YEAR)
    shape = np.zeros(data.N_AGES)
    shape[FIRST_FERTILE_AGE:FIRST_FERTILE_AGE + len(rates)] = rates
    return shape / shape.sum()


def shifted_shape(shift: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
    """Base schedule (``base``, (101,) summing to 1; default :func:`base_shape`) moved ``shift``
    years older (negative: younger), renormalised to sum 1.

    ``shift``: years, shape (B,).  Returns shape (B, 101).  Linear interpolation between single
    ages, vectorized over the batch.
    """
    shape = base_shape() if base is None else base
    source_age = np.arange(data.N_AGES)[None, :] - np.asarray(shift, float)[:, None]
    shifted = np.interp(source_age.ravel(), np.arange(data.N_AGES), shape, left=0.0, right=0.0)
    shifted = shifted.reshape(source_age.shape)
    return shifted / shifted.sum(axis=1, keepdims=True)


def boys_share(sex_ratio_at_birth: np.ndarray) -> np.ndarray:
    """Share of births that are boys, from boys per 100 girls."""
    return sex_ratio_at_birth / (100.0 + sex_ratio_at_birth)
