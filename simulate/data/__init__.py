"""The data pack shipped inside the package, verified against its checksum manifest.

Every loader returns tidy numpy/pandas objects with documented units and shapes, and fails with a
:class:`~simulate.errors.DataError` (one line, naming the file) if a file is missing, altered or
malformed.  Provenance of every file: ``SOURCES.md`` next to this module.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.errors import DataError

DATA_DIR = Path(__file__).resolve().parent
MANIFEST = DATA_DIR / "MANIFEST.sha256"

#: Single years of age in the population state: 0..99 plus the open group 100+ (index 100).
N_AGES = 101
#: Sex axis order used everywhere.
SEXES = ("male", "female")
#: Life-table ages 0..109 plus the open group 110+ (index 110).
N_LT_AGES = 111


@lru_cache(maxsize=1)
def manifest() -> dict[str, str]:
    """Relative path -> expected sha256 hex digest, read from ``MANIFEST.sha256``."""
    if not MANIFEST.is_file():
        raise DataError(f"{MANIFEST}: data manifest missing")
    entries = {}
    for number, line in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            parts = line.split(maxsplit=1)
            if len(parts) != 2 or len(parts[0]) != 64:
                raise DataError(f"{MANIFEST}:{number}: expected 'SHA256  relative/path', got {line[:60]!r}")
            digest, rel = parts
            entries[rel.strip()] = digest
    return entries


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=None)
def data_file(rel: str) -> Path:
    """Path of a data-pack file after checking it exists and matches the manifest."""
    expected = manifest().get(rel)
    if expected is None:
        raise DataError(f"{rel}: not listed in {MANIFEST.name}")
    path = DATA_DIR / rel
    if not path.is_file():
        raise DataError(f"{path}: data file missing")
    if sha256_of(path) != expected:
        raise DataError(f"{path}: checksum does not match {MANIFEST.name} (file altered?)")
    return path


def data_checksums() -> dict[str, str]:
    """All data files with their verified sha256 digests (for ``run.json``)."""
    return {rel: digest for rel, digest in manifest().items() if data_file(rel)}


def _read_csv(rel: str, columns: list[str], **kwargs) -> pd.DataFrame:
    frame = pd.read_csv(data_file(rel), encoding="utf-8", **kwargs)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{DATA_DIR / rel}: missing columns {missing}")
    return frame


def _expect_shape(rel: str, array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if array.shape != shape or not np.all(np.isfinite(array)):
        raise DataError(f"{DATA_DIR / rel}: expected finite values of shape {shape}, got {array.shape}")
    return array


POP_FILE = "ipss2017/population_single_age_1965_2065.csv"


@lru_cache(maxsize=None)
def census_population(year: int = 2015) -> np.ndarray:
    """Population on 1 October of a census or IPSS projection year.

    Returns persons, shape (2 sexes, 101 ages 0..99, 100+).  2015 is the projection's jump-off.
    """
    frame = _read_csv(POP_FILE, ["year", "sex", "age", "population"])
    frame = frame[frame["year"] == year]
    out = np.zeros((2, N_AGES))
    for s, sex in enumerate(SEXES):
        rows = frame[frame["sex"] == sex].sort_values("age")
        out[s] = _expect_shape(POP_FILE, rows["population"].to_numpy(float), (N_AGES,))
    return out


@lru_cache(maxsize=1)
def ipss_annual_total() -> pd.Series:
    """IPSS 2017 medium total population (persons) indexed by year 2015..2065."""
    frame = _read_csv("ipss2017/total_population_medium_annual.csv", ["year", "total_population"])
    return frame.set_index("year")["total_population"].astype(float)


@lru_cache(maxsize=1)
def ipss_groups() -> pd.DataFrame:
    """IPSS 2017 medium population (persons) by age group; columns year, age_group, total, male, female."""
    rel = "ipss2017/population_5yr_groups_medium.csv"
    return _read_csv(rel, ["year", "age_group", "total", "male", "female"])


@lru_cache(maxsize=None)
def hfd_asfr(year: int = 2015) -> np.ndarray:
    """HFD period age-specific fertility rates, births per woman per year, ages 12..55.

    Shape (44,); index 0 is the open group ``12-`` and index 43 the open group ``55+``.
    """
    rel = "hfd/japan_asfr_1947_2020.csv"
    frame = _read_csv(rel, ["year", "age", "asfr"])
    rates = frame.loc[frame["year"] == year, "asfr"].to_numpy(float)
    return _expect_shape(rel, rates, (44,))


LIFETABLE_FILE = "hmd/japan_female_lifetable_1947_2020.csv"
LIFETABLE_COLUMNS = ["year", "age", "mx", "qx", "ax", "lx", "dx", "Lx", "Tx", "ex"]


@lru_cache(maxsize=1)
def _hmd_female() -> pd.DataFrame:
    # The file's header repeats "lx" (for lx and Lx): name the columns explicitly.
    frame = pd.read_csv(data_file(LIFETABLE_FILE), header=0, names=LIFETABLE_COLUMNS, encoding="utf-8")
    frame["age"] = frame["age"].astype(str).str.rstrip("+").astype(int)
    return frame


def hmd_female_table(first: int, last: int, column: str = "mx") -> np.ndarray:
    """A column of the HMD female life table for years first..last; shape (years, 111 ages)."""
    frame = _hmd_female()
    sel = frame[(frame["year"] >= first) & (frame["year"] <= last)]
    table = sel.pivot(index="year", columns="age", values=column).to_numpy(float)
    return _expect_shape(LIFETABLE_FILE, table, (last - first + 1, N_LT_AGES))


ESTAT_FILE = "estat/all_cause_mortality_rates_2009_2018.csv"
#: e-Stat 5-year groups: 0-4 ... 95-99 and 100+ (21 groups).
ESTAT_GROUP_STARTS = np.arange(0, 105, 5)


@lru_cache(maxsize=None)
def estat_death_rates(year: int = 2015) -> np.ndarray:
    """e-Stat all-cause death rates per 100,000 by sex (male, female) and 5-year group; shape (2, 21)."""
    frame = _read_csv(ESTAT_FILE, ["year", "sex", "age_group", "deaths_per_100k"])
    return _by_sex_and_group(ESTAT_FILE, frame[frame["year"] == year], "deaths_per_100k", len(ESTAT_GROUP_STARTS))


def _by_sex_and_group(rel: str, frame: pd.DataFrame, column: str, groups: int) -> np.ndarray:
    """``column`` of rows by sex and 5-year ``age_group`` (ordered by the group's first age) as an
    array (2 sexes, ``groups``)."""
    out = np.zeros((2, groups))
    for s, sex in enumerate(SEXES):
        rows = frame[frame["sex"] == sex].copy()
        rows["start"] = rows["age_group"].str.extract(r"^(\d+)")[0].astype(int)
        out[s] = _expect_shape(rel, rows.sort_values("start")[column].to_numpy(float), (groups,))
    return out


OECD_FILE = "oecd/japan_labour_force_participation_2010_2012.csv"


@lru_cache(maxsize=None)
def oecd_participation(year: int = 2012) -> pd.DataFrame:
    """OECD labour-force participation rates (%) for one year; columns sex, age_group, participation_rate_pct."""
    frame = _read_csv(OECD_FILE, ["year", "sex", "age_group", "participation_rate_pct"])
    frame = frame[frame["year"] == year]
    if frame.empty:
        raise DataError(f"{DATA_DIR / OECD_FILE}: no rows for {year}")
    return frame.reset_index(drop=True)


CENSUS2020_FILE = "census2020/population_5yr_groups_2020.csv"
#: The census file's 5-year groups: 0-4 ... 80-84 and the open group 85+ (18 groups).
CENSUS2020_GROUP_STARTS = np.arange(0, 90, 5)


@lru_cache(maxsize=1)
def census2020_groups() -> np.ndarray:
    """2020 census population by sex and 5-year group, age unknown excluded; persons, shape (2, 18)."""
    frame = _read_csv(CENSUS2020_FILE, ["year", "sex", "age_group", "population"])
    return _by_sex_and_group(CENSUS2020_FILE, frame, "population", len(CENSUS2020_GROUP_STARTS))


HMD_POPULATION_FILE = "hmd/japan_population_jan1_1947_2021.csv"


@lru_cache(maxsize=None)
def hmd_population_jan1(year: int, territory: str = "+") -> np.ndarray:
    """Japanese nationals on 1 January (HMD) by sex and age 0..109, 110+; persons, shape (2, 111).

    In a year of territorial change (1973, when Okinawa's population joined the series) HMD gives
    two rows: ``territory`` "+" picks the new territory (continuing forward), "-" the old one
    (comparable with the year before)."""
    frame = _read_csv(HMD_POPULATION_FILE, ["year", "age", "male", "female"], dtype=str)
    split = frame["year"] == f"{year}{territory}"
    frame = frame[split] if split.any() else frame[frame["year"] == str(year)]
    ages = frame["age"].str.rstrip("+").astype(int)
    frame = frame.assign(age=ages).sort_values("age")
    out = np.stack([frame[sex].to_numpy(float) for sex in SEXES])
    return _expect_shape(HMD_POPULATION_FILE, out, (2, N_LT_AGES))


OBSERVED_FILE = "observed/japan_observed_2015_2024.csv"
OBSERVED_COLUMNS = ["year", "population_oct1", "births", "deaths_millions", "tfr", "e0_male", "e0_female"]


@lru_cache(maxsize=1)
def observed() -> pd.DataFrame:
    """What happened, one row per year (index): population on 1 Oct (persons, all residents), births
    and deaths (Japanese nationals; deaths in millions), TFR, e0 by sex (years)."""
    frame = _read_csv(OBSERVED_FILE, OBSERVED_COLUMNS).set_index("year").astype(float)
    if not np.all(np.isfinite(frame.to_numpy())) or not frame.index.is_monotonic_increasing:
        raise DataError(f"{DATA_DIR / OBSERVED_FILE}: expected finite values for increasing years")
    return frame


IPSS2023_TFR_FILE = "ipss2023/tfr_assumption_annual_medium_low.csv"


@lru_cache(maxsize=1)
def ipss2023_tfr() -> pd.DataFrame:
    """IPSS 2023's annual TFR assumption (children per woman, Japanese women): one row per year
    2020-2070 (index), one column per fertility variant (``medium``, ``low``); 2020 is observed."""
    frame = _read_csv(IPSS2023_TFR_FILE, ["year", "variant", "tfr", "kind"])
    table = frame.pivot(index="year", columns="variant", values="tfr").astype(float)
    if table.isna().any().any() or not table.index.is_monotonic_increasing:
        raise DataError(f"{DATA_DIR / IPSS2023_TFR_FILE}: expected one TFR per year and variant")
    return table


WPP_ESTIMATES_FILE = "wpp2024/japan_estimates_1950_2023.csv"


@lru_cache(maxsize=1)
def wpp_estimates() -> pd.DataFrame:
    """The UN's World Population Prospects 2024 estimates for Japan (all residents, de facto), one
    row per year 1950-2023 (index): ``tfr`` (children per woman), ``e0_male``, ``e0_female``
    (years), ``net_migration`` (persons a year; the file's thousands times 1,000)."""
    frame = _read_csv(WPP_ESTIMATES_FILE, ["year", "variable", "sex", "value"])
    wanted = {("tfr", "female"): "tfr", ("e0", "male"): "e0_male", ("e0", "female"): "e0_female",
              ("net_migration", "both"): "net_migration"}
    rows = frame[[key in wanted for key in zip(frame["variable"], frame["sex"])]]
    table = rows.assign(name=[wanted[key] for key in zip(rows["variable"], rows["sex"])]).pivot(
        index="year", columns="name", values="value").astype(float)[list(wanted.values())]
    table["net_migration"] *= 1000.0
    if table.isna().any().any() or not table.index.is_monotonic_increasing:
        raise DataError(f"{DATA_DIR / WPP_ESTIMATES_FILE}: expected every variable in every year")
    return table


WPP_PROJECTIONS_FILE = "wpp2024/japan_projections_2024_2100.csv"
#: The probabilistic quantities of the UN's projection: (variable, sex) -> name.
WPP_PROBABILISTIC = {("population", "both"): "population_total", ("tfr", "female"): "tfr",
                     ("e0", "male"): "e0_male", ("e0", "female"): "e0_female", ("net_migration", "both"): "net_migration"}


@lru_cache(maxsize=1)
def wpp_projections() -> pd.DataFrame:
    """The UN's World Population Prospects 2024 probabilistic projection for Japan, 2024-2100, for
    drawing beside our forecasts (never fitted): one row per (name, year) of
    :data:`WPP_PROBABILISTIC`, columns ``median``, ``lower80``, ``upper80``, ``lower95``, ``upper95``.
    Population in persons at 31 December of the year; net migration in persons a year."""
    frame = _read_csv(WPP_PROJECTIONS_FILE, ["year", "variable", "sex", "median", "lower80", "upper80", "lower95",
                                             "upper95"])
    keys = list(zip(frame["variable"], frame["sex"]))
    rows = frame[[key in WPP_PROBABILISTIC for key in keys]]
    columns = ["median", "lower80", "upper80", "lower95", "upper95"]
    table = rows.assign(name=[WPP_PROBABILISTIC[key] for key in zip(rows["variable"], rows["sex"])]).set_index(
        ["name", "year"])[columns].astype(float).sort_index()
    counts = table.index.get_level_values("name").isin(["population_total", "net_migration"])
    table.loc[counts] *= 1000.0  # thousands -> persons
    if table.isna().any().any():
        raise DataError(f"{DATA_DIR / WPP_PROJECTIONS_FILE}: expected every interval of every probabilistic quantity")
    return table


LFS_FILE = "observed/japan_labour_force_survey_totals.csv"


@lru_cache(maxsize=1)
def labour_force_survey() -> pd.DataFrame:
    """Labour Force Survey annual averages by year (index): labour force and employed (millions),
    unemployment rate (%)."""
    columns = ["year", "labour_force_millions", "employed_millions", "unemployment_rate_pct"]
    return _read_csv(LFS_FILE, columns).set_index("year").astype(float)


TFR_AGE_FILE = "observed/japan_tfr_by_age_group_1993_2023.csv"


@lru_cache(maxsize=1)
def tfr_by_age_group() -> pd.DataFrame:
    """Contribution of each 5-year group of mothers (rows 15-19 ... 45-49) to the period TFR, by
    year (columns, int), children per woman."""
    frame = _read_csv(TFR_AGE_FILE, ["age_group"]).set_index("age_group")
    frame.columns = [int(c) for c in frame.columns]
    return frame.astype(float)
