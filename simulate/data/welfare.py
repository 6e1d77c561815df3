"""Care and social-security tables of the data pack (``care/``; provenance and what was checked:
``SOURCES.md``): certification rates by age, medical and long-term-care spending per person by
age, and the government's 2018 outlook to FY2040, which is drawn for reference and never fitted
(its FY2018 column is the base year's level: :mod:`simulate.care.costs`)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from simulate.data import DATA_DIR, _read_csv
from simulate.errors import DataError

CERTIFICATION_FILE = "care/certification_rate_by_age_2019_2020.csv"
LTC_FILE = "care/ltc_benefit_per_person_by_age_2018.csv"
MEDICAL_FILE = "care/medical_spending_per_person_by_age.csv"
OUTLOOK_FILE = "care/social_security_outlook_2018_to_2040.csv"

#: The 5-year groups of the certification and long-term-care tables, from 65; the last is open.
CARE_GROUPS = ("65-69", "70-74", "75-79", "80-84", "85-89", "90+")


def _rows(rel: str, frame: pd.DataFrame, column: str, labels: tuple[str, ...], key: str = "age_group") -> np.ndarray:
    """The values of ``column`` for ``labels`` of ``key``, in that order (a missing one: DataError)."""
    found = dict(zip(frame[key].astype(str), frame[column]))
    missing = [label for label in labels if label not in found]
    if missing:
        raise DataError(f"{DATA_DIR / rel}: missing rows {missing}")
    values = np.array([float(found[label]) for label in labels])
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise DataError(f"{DATA_DIR / rel}: expected finite values of at least 0 in {column}")
    return values


@lru_cache(maxsize=None)
def certification_rates(reference_date: str = "2020-09-30") -> np.ndarray:
    """Share of the population certified as needing support or care (要支援1-要介護5) on
    ``reference_date`` (30 September 2020 or 2019), by group of :data:`CARE_GROUPS`; fractions, (6,)."""
    frame = _read_csv(CERTIFICATION_FILE, ["reference_date", "age_group", "certification_rate_pct"])
    return _rows(CERTIFICATION_FILE, frame[frame["reference_date"] == reference_date], "certification_rate_pct",
                 CARE_GROUPS) / 100.0


@lru_cache(maxsize=1)
def ltc_per_person_2018() -> np.ndarray:
    """Long-term-care benefit per person of the population, FY2018, yen a year, by group of
    :data:`CARE_GROUPS` (the chart's last group, 90-94, serves 90+), shape (6,)."""
    frame = _read_csv(LTC_FILE, ["fiscal_year", "age_group", "ltc_benefit_per_capita_10k_yen_per_year"])
    labels = CARE_GROUPS[:-1] + ("90-94",)
    return _rows(LTC_FILE, frame, "ltc_benefit_per_capita_10k_yen_per_year", labels) * 1e4


@lru_cache(maxsize=None)
def medical_per_person(fiscal_year: int = 2018) -> dict[str, float]:
    """National medical expenditure (国民医療費) per person in ``fiscal_year``, yen a year, for
    ``all`` ages, ``0-64``, ``65+`` and ``75+``."""
    frame = _read_csv(MEDICAL_FILE, ["fiscal_year", "age_group", "per_capita_10k_yen", "concept"])
    rows = frame[(frame["fiscal_year"] == fiscal_year) & (frame["concept"] == "国民医療費 per capita")]
    labels = ("all", "0-64", "65+", "75+")
    return dict(zip(labels, _rows(MEDICAL_FILE, rows, "per_capita_10k_yen", labels) * 1e4))


WORKERS_FILE = "care/care_workers_fy2022.csv"


@lru_cache(maxsize=1)
def care_workers_fy2022() -> tuple[float, float]:
    """Care workers (介護職員) and persons certified as needing support or care (all ages) in
    FY2022, persons: MHLW's base for its estimate of the care workers needed."""
    frame = _read_csv(WORKERS_FILE, ["fiscal_year", "item", "value"])
    workers, certified = _rows(WORKERS_FILE, frame, "value", ("care_workers", "certified_persons"), key="item")
    return float(workers), float(certified)


#: The outlook's functions (its ``category``) in the order the report lists them.
OUTLOOK_CATEGORIES = ("pension", "medical", "long_term_care", "children_family", "other", "total")


@lru_cache(maxsize=1)
def outlook_2018() -> pd.DataFrame:
    """The 2018 outlook (2040年を見据えた社会保障の将来見通し): one row per basis, fiscal year,
    category and variant; ``trillion_yen`` and ``pct_of_gdp`` (NaN where not printed).  ``basis``
    is ``plan`` (計画ベース), ``status_quo`` (現状投影) or ``gdp`` (its nominal GDP, trillion yen)."""
    frame = _read_csv(OUTLOOK_FILE, ["basis", "fiscal_year", "category", "value_trillion_yen", "variant", "pct_of_gdp"])
    basis = frame["basis"].map(lambda b: "plan" if b.startswith("計画") else "status_quo" if b.startswith("現状")
                               else "gdp" if "GDP" in b else None)
    if basis.isna().any():
        raise DataError(f"{DATA_DIR / OUTLOOK_FILE}: unknown basis {sorted(set(frame['basis'][basis.isna()]))}")
    return pd.DataFrame({"basis": basis, "fiscal_year": frame["fiscal_year"].astype(int),
                         "category": frame["category"], "variant": frame["variant"].fillna(""),
                         "trillion_yen": frame["value_trillion_yen"].astype(float),
                         "pct_of_gdp": pd.to_numeric(frame["pct_of_gdp"], errors="coerce")})


def outlook_value(category: str, fiscal_year: int, basis: str = "plan", which: str = "low") -> float:
    """One figure of the outlook, trillion yen: where it prints a range (two unit-cost cases for
    medical care, hence the total), ``which`` picks the ``low`` or ``high`` end."""
    table = outlook_2018()
    rows = table[(table["basis"] == basis) & (table["fiscal_year"] == fiscal_year) & (table["category"] == category)]
    if rows.empty:
        raise DataError(f"{DATA_DIR / OUTLOOK_FILE}: no {basis} {category} for FY{fiscal_year}")
    values = rows["trillion_yen"].to_numpy()
    return float(values.min() if which == "low" else values.max())
