"""The official projection a scenario is read against, for the report's story: IPSS 2017 medium
(its published totals, in the data pack) for runs from the 2015 census; for runs from the 2020
census, IPSS 2023's medium assumptions as this model projects them (the shipped
``ipss2023_medium``: IPSS's own 2023 outcomes stay outside the project, see the README)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from simulate import data
from simulate.pipeline import run_scenarios
from simulate.scenario import load_scenario
from simulate.scenario.model import Scenario
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
