"""IAMC-format output (model, scenario, region, variable, unit, one column per year), as read by pyam."""

from __future__ import annotations

import pandas as pd

import simulate
from simulate.indicators import REGISTRY

MODEL = f"Quiet Crisis Simulator {simulate.__version__}"
REGION = "Japan"
#: indicators.csv column -> (IAMC variable, unit, divisor applied to the column), from the registry;
#: ``{base}`` in a unit is the index base year.
VARIABLES = {name: indicator.iamc for name, indicator in REGISTRY.items() if indicator.iamc is not None}


def iamc_frame(indicators: pd.DataFrame, scenario: str, base_year: int) -> pd.DataFrame:
    """The wide IAMC table of one run's indicators (rows: variables; columns: years)."""
    years = indicators["year"].astype(int).tolist()
    rows = []
    for column, (variable, unit, divisor) in VARIABLES.items():
        if column in indicators:
            values = (indicators[column] / divisor).tolist()
            rows.append([MODEL, scenario, REGION, variable, unit.format(base=base_year)] + values)
    return pd.DataFrame(rows, columns=["model", "scenario", "region", "variable", "unit"] + years)
