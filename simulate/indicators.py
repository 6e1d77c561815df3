"""The indicators every run computes: the names of the ``indicators.csv`` columns and their units,
in column order.  Targets, sweeps and sensitivity runs are checked against this list before any
work starts (a test checks that the engine computes exactly these)."""

from __future__ import annotations

import difflib

#: name -> unit, in the order of ``indicators.csv``.
UNITS: dict[str, str] = {
    "population_total": "persons", "population_0_14": "persons", "population_15_64": "persons",
    "population_65_plus": "persons", "population_75_plus": "persons",
    "share_0_14": "%", "share_15_64": "%", "share_65_plus": "%", "share_75_plus": "%",
    "births": "persons per year", "deaths": "persons per year", "net_migration": "persons per year",
    "population_change": "persons per year",
    "old_age_dependency_ratio": "per 100 aged 15-64", "total_dependency_ratio": "per 100 aged 15-64",
    "median_age": "years",
    "labour_force": "persons", "employed": "persons", "unemployment_rate": "%",
    "hours_per_worker": "hours per year", "hours_worked": "hours per year",
    "productivity_index": "base year = 100", "gdp": "USD bn, 2018 prices", "gdp_index": "base year = 100",
    "gdp_per_capita": "USD, 2018 prices", "gdp_per_capita_index": "base year = 100",
    "gdp_per_worker": "USD, 2018 prices", "workers_per_elderly": "employed per person at the old-age threshold",
}
NAMES: tuple[str, ...] = tuple(UNITS)


def unknown_indicator(name: str) -> str | None:
    """None if ``name`` is an indicator, else a message with the closest name or the list."""
    if name in UNITS:
        return None
    close = difflib.get_close_matches(name, NAMES, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"choose one of: {', '.join(NAMES)}"
    return f"unknown indicator {name!r}: {hint}"
