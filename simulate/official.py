"""The official projection a scenario is read against, for the report's story: IPSS 2017 medium
(its published totals, in the data pack) for runs from the 2015 census; for runs from the 2020
census, IPSS 2023's medium assumptions as this model projects them (the shipped
``ipss2023_medium``: IPSS's own 2023 outcomes stay outside the project, see the README)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulate import data
from simulate.pipeline import run_scenarios
from simulate.scenario import load_scenario
from simulate.scenario.model import Scenario
from simulate.scenario.paths import evaluate
from simulate.scenario.shipped import shipped_path
from simulate.text.messages import N_, t

#: The shipped scenario that carries IPSS 2023's medium assumptions.
OFFICIAL_2023 = "ipss2023_medium"


@dataclass(frozen=True)
class Official:
    """An official projection's total population: ``name`` (what it is), its label (a message of
    the catalogue), ``population``: persons by year."""

    name: str
    title: str
    population: dict[int, float]

    def label(self, lang: str) -> str:
        return t(self.title, lang)


@functools.cache
def _ipss2017() -> Official:
    total = data.ipss_annual_total()
    return Official("ipss2017_medium", N_("IPSS 2017 medium, published"), {int(y): float(v) for y, v in total.items()})


@functools.cache
def _ipss2023() -> Official:
    result = run_scenarios([load_scenario(shipped_path(OFFICIAL_2023))])[0]
    by_year = result.indicators.set_index("year")["population_total"]
    return Official(OFFICIAL_2023, N_("IPSS 2023 medium assumptions, projected by this model"),
                    {int(y): float(v) for y, v in by_year.items()})


def official_for(scenario: Scenario) -> Official:
    """The official projection that starts where ``scenario`` starts (its jump-off census)."""
    return _ipss2017() if scenario.basis.jump_off_year == 2015 else _ipss2023()


# --- the official projections beside a forecast (issue 33) -----------------------------------------------

#: Years a forecast is set beside the official projections.
BESIDE_YEARS = (2040, 2050, 2070)
#: Quantities compared: the forecast's indicator, or the sampled input (TFR, life expectancy).
BESIDE_QUANTITIES = ("population_total", "tfr", "e0_female", "e0_male")
#: IPSS 2023's variants, as the shipped scenarios carry their assumptions (projected by this model).
IPSS2023_VARIANTS = {"ipss2023_medium": N_("IPSS 2023 medium"), "ipss2023_high_fertility": N_("IPSS 2023 high fertility"),
                     "ipss2023_low_fertility": N_("IPSS 2023 low fertility")}
#: The UN's statistics drawn: column of :func:`simulate.data.wpp_projections` -> words.
WPP_STATISTICS = {"median": N_("UN WPP 2024 median"), "lower80": N_("UN WPP 2024, 80 % band, low end"),
                  "upper80": N_("UN WPP 2024, 80 % band, high end"), "lower95": N_("UN WPP 2024, 95 % band, low end"),
                  "upper95": N_("UN WPP 2024, 95 % band, high end")}


@functools.cache
def official_values() -> pd.DataFrame:
    """The official projections' values in :data:`BESIDE_YEARS`: columns ``source`` (a scenario
    name, or ``wpp2024:<statistic>``), ``label`` (a catalogue message), ``quantity``, ``year``,
    ``value``.  IPSS 2023's variants are their published assumptions projected by this model (its
    outcomes stay outside the project); the UN's population, at 31 December, is moved to 1 October
    (three quarters of the year's end and one of the year before)."""
    rows = []
    for name, label in IPSS2023_VARIANTS.items():
        result = run_scenarios([load_scenario(shipped_path(name))])[0]
        by_year = result.indicators.set_index("year")
        scenario = result.scenario
        paths = {"tfr": scenario.fertility.tfr, "e0_female": scenario.mortality.e0.female,
                 "e0_male": scenario.mortality.e0.male}
        for year in BESIDE_YEARS:
            values = {"population_total": float(by_year.at[year, "population_total"])} | {
                key: float(evaluate(frames, np.array([float(year)]))[0]) for key, frames in paths.items()}
            rows += [(name, label, key, year, value) for key, value in values.items()]
    wpp = data.wpp_projections()
    for statistic, label in WPP_STATISTICS.items():
        for quantity in BESIDE_QUANTITIES:
            for year in BESIDE_YEARS:
                value = float(wpp.at[(quantity, year), statistic])
                if quantity == "population_total":
                    value = 0.75 * value + 0.25 * float(wpp.at[(quantity, year - 1), statistic])
                rows.append((f"wpp2024:{statistic}", label, quantity, year, value))
    return pd.DataFrame(rows, columns=["source", "label", "quantity", "year", "value"])


def percentiles(draws: dict[str, np.ndarray], years: np.ndarray) -> pd.DataFrame:
    """Where each official value falls in a forecast: ``draws`` maps a :data:`BESIDE_QUANTITIES`
    name to its possible trajectories (n, len(years)); the result is :func:`official_values` for
    the years the forecast reaches, with ``percentile``: the share of trajectories below the value
    (ties count half), 0-100."""
    table = official_values()
    table = table[table["year"].isin(years) & table["quantity"].isin(draws)].copy()
    position = {int(y): i for i, y in enumerate(years)}
    shares = []
    for quantity, year, value in zip(table["quantity"], table["year"], table["value"]):
        column = draws[quantity][:, position[int(year)]]
        shares.append(100.0 * (np.mean(column < value) + 0.5 * np.mean(column == value)))
    return table.assign(percentile=shares).reset_index(drop=True)
