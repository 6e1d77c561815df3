"""Jump-off populations by sex and single year of age 0..99, 100+ (persons on 1 October).

``census2015``: the IPSS 2017 base population (2015 census, age unknown distributed by IPSS),
shipped by single age.

``census2020``: built here from the 2020 census's 5-year groups, in three documented steps:

1. **Age unknown** (2,931,838 persons) is distributed over the known-age groups so that the
   published totals by sex and the published broad groups with age unknown distributed
   (不詳補完値) hold exactly: iterative proportional fitting of the (sex x 0-14/15-64/65+) table to
   both margins, then each 5-year group scaled within its sex x broad cell.
2. **Single ages** follow the shape of Japanese nationals on 1 October 2020 (HMD, 1 January 2021
   moved back a quarter of a year: ``0.75 J(x) + 0.25 J(x+1)``), times the ratio of all residents
   to nationals, interpolated linearly between knots at the group mid-points; the knots are
   adjusted iteratively until every group sums to its census count, so that no step appears at a
   group edge (a final rescaling removes the last rounding).
3. **85+** is split into 85..99 and 100+ by the same HMD shape (ages 100..110+ summed).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simulate import data

#: 2020 census headline figures (Statistics Bureau, final counts; data/SOURCES.md "census2020"):
#: total population by sex, persons.
CENSUS2020_TOTAL = {"male": 61_349_581, "female": 64_796_518}
#: The same census with age unknown distributed (不詳補完値, the base IPSS 2023 uses): both sexes,
#: persons, ages 0-14, 15-64 and 65+.
CENSUS2020_BROAD = {"0-14": 15_031_602, "15-64": 75_087_865, "65+": 36_026_632}
#: First and last 5-year group (indexes into data.CENSUS2020_GROUP_STARTS) of each broad group.
BROAD_GROUPS = {"0-14": slice(0, 3), "15-64": slice(3, 13), "65+": slice(13, 18)}
#: Iterations that adjust the ratio's knots so that the interpolated ratio reproduces every group
#: (residual steps at group edges fall below 0.01 %).
RATIO_ITERATIONS = 100
#: Iterations of proportional fitting; the margins agree to far below one person after 50.
IPF_ITERATIONS = 200


def distribute_unknown(groups: np.ndarray) -> np.ndarray:
    """Known-age census groups (2, 18) -> groups with age unknown distributed (persons, (2, 18)).

    The (sex x broad group) table is fitted to :data:`CENSUS2020_TOTAL` (rows) and
    :data:`CENSUS2020_BROAD` (columns) by iterative proportional fitting; every 5-year group is then
    scaled by its cell's factor, so proportions within a cell are the census's own.
    """
    cells = np.stack([groups[:, span].sum(axis=1) for span in BROAD_GROUPS.values()], axis=1)  # (2, 3)
    rows = np.array([CENSUS2020_TOTAL[sex] for sex in data.SEXES], float)
    columns = np.array(list(CENSUS2020_BROAD.values()), float)
    fitted = cells.copy()
    for _ in range(IPF_ITERATIONS):
        fitted *= (rows / fitted.sum(axis=1))[:, None]
        fitted *= (columns / fitted.sum(axis=0))[None, :]
    out = groups.astype(float).copy()
    for b, span in enumerate(BROAD_GROUPS.values()):
        out[:, span] *= (fitted[:, b] / cells[:, b])[:, None]
    return out


def nationals_oct1(year: int) -> np.ndarray:
    """Japanese nationals on 1 October ``year`` by sex and age 0..110+ (persons, (2, 111)), from the
    HMD 1 January population of the next year moved back a quarter of a year."""
    jan = data.hmd_population_jan1(year + 1)
    older = np.concatenate([jan[:, 1:], np.zeros((2, 1))], axis=1)
    return 0.75 * jan + 0.25 * older


def split_groups(groups: np.ndarray, shape: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Single ages (2, len(shape)) whose 5-year sums (last group open) equal ``groups`` (2, G).

    ``shape``: a reference population by single age (2, A).  Its ratio to ``groups`` is taken per
    group, interpolated linearly between group mid-points (constant beyond the end ones) and
    applied to ``shape``; each group is then rescaled to its exact count.
    """
    ages = np.arange(shape.shape[1])
    index = np.minimum(np.searchsorted(starts, ages, side="right") - 1, len(starts) - 1)
    reference = np.stack([np.bincount(index, weights=shape[s], minlength=len(starts)) for s in range(2)])
    mids = np.append(starts[:-1] + 2.0, starts[-1] + 5.0)
    out = np.empty(shape.shape)
    for s in range(2):
        knots = groups[s] / reference[s]
        for _ in range(RATIO_ITERATIONS):  # move the knots until the interpolated ratio sums right
            smooth = shape[s] * np.interp(ages, mids, knots)
            sums = np.bincount(index, weights=smooth, minlength=len(starts))
            knots = knots * groups[s] / sums
        out[s] = smooth * (groups[s] / sums)[index]
    return out


def to_model_ages(single: np.ndarray) -> np.ndarray:
    """Ages 0..110+ (2, 111) -> the model's 0..99, 100+ (2, 101)."""
    return np.concatenate([single[:, :100], single[:, 100:].sum(axis=1, keepdims=True)], axis=1)


@lru_cache(maxsize=1)
def census2020_population() -> np.ndarray:
    """The 2020 jump-off population, persons by sex and age 0..99, 100+; shape (2, 101)."""
    groups = distribute_unknown(data.census2020_groups())
    single = split_groups(groups, nationals_oct1(2020), data.CENSUS2020_GROUP_STARTS)
    return to_model_ages(single)


def foreign_women(basis_name: str) -> np.ndarray:
    """Women who are not Japanese nationals at a basis's census, by age 0..99, 100+ (persons,
    (101,)): the census's residents less the Japanese nationals of HMD (:func:`nationals_oct1`),
    zero where the two sources put fewer residents than nationals (age reporting differs between
    them by a few thousand at some ages)."""
    year = int(basis_name.removeprefix("census"))
    nationals = to_model_ages(nationals_oct1(year))[data.SEXES.index("female")]
    return np.maximum(jump_off_population(basis_name)[data.SEXES.index("female")] - nationals, 0.0)


def jump_off_population(basis_name: str) -> np.ndarray:
    """The jump-off population of a basis (``census2015`` or ``census2020``); persons, (2, 101)."""
    if basis_name == "census2015":
        return data.census_population(2015)
    if basis_name == "census2020":
        return census2020_population()
    raise KeyError(basis_name)
