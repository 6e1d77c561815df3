"""IAMC-format output (model, scenario, region, variable, unit, one column per year), as read by pyam."""

from __future__ import annotations

import pandas as pd

from simulate.version import __version__
from simulate.indicators import REGISTRY

MODEL = f"Quiet Crisis Simulator {__version__}"
REGION = "Japan"
#: indicators.csv column -> (IAMC variable, unit, divisor applied to the column), from the registry;
#: ``{base}`` in a variable is the index base year, ``{threshold}`` the old-age threshold.
VARIABLES = {name: indicator.iamc for name, indicator in REGISTRY.items() if indicator.iamc is not None}
COLUMNS = ["model", "scenario", "region", "variable", "unit"]


def iamc_frame(indicators: pd.DataFrame, scenario: str, base_year: int, old_age_threshold: int = 65) -> pd.DataFrame:
    """The wide IAMC table of one run's indicators (rows: variables; columns: years)."""
    years = indicators["year"].astype(int).tolist()
    rows = []
    for column, (variable, unit, divisor) in VARIABLES.items():
        if column in indicators:
            values = (indicators[column] / divisor).tolist()
            rows.append([MODEL, scenario, REGION, variable.format(base=base_year, threshold=old_age_threshold),
                         unit] + values)
    return pd.DataFrame(rows, columns=COLUMNS + years)


def comparison_iamc(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Several runs' IAMC tables as one (years: the union; a year outside a run's horizon is empty)."""
    table = pd.concat(frames, ignore_index=True)
    years = sorted(c for c in table.columns if c not in COLUMNS)
    return table[COLUMNS + years]
