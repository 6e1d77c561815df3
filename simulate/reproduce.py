"""The seed's headline figures (White Paper on ICT 2018, ch. 6 s. 1) next to the model's baseline."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulate.pipeline import RunResult
from simulate.text.messages import N_, t


@dataclass(frozen=True)
class SeedFigure:
    """A published figure, the model column that reproduces it, and the tolerance."""

    label: str
    column: str
    year: int
    value: float
    tolerance_pct: float | None
    source: str
    #: For range checks (annual decline) instead of a percentage: (low, high).
    bounds: tuple[float, float] | None = None
    sign: float = 1.0

    def model_value(self, result: RunResult) -> float:
        return self.value_in(result.indicators)

    def value_in(self, indicators: pd.DataFrame) -> float:
        """This figure's value in a run's ``indicators.csv`` table."""
        return self.sign * float(indicators.loc[indicators["year"] == self.year, self.column].iloc[0])

    def passes(self, model: float) -> bool:
        if self.bounds is not None:
            return self.bounds[0] <= model <= self.bounds[1]
        return abs(model / self.value - 1.0) * 100.0 <= self.tolerance_pct


ESTIMATE = N_("Statistics Bureau, Population Estimates (1 Oct 2017); seed")
IPSS = N_("IPSS 2017 medium projection; seed")
SEED_FIGURES = [
    SeedFigure(N_("Population 2017"), "population_total", 2017, 126.71e6, 0.5, ESTIMATE),
    SeedFigure(N_("Population 2040"), "population_total", 2040, 110.92e6, 0.5, IPSS),
    SeedFigure(N_("Aged 15-64, 2017"), "population_15_64", 2017, 75.96e6, 1.5, ESTIMATE),
    SeedFigure(N_("Aged 15-64, 2040"), "population_15_64", 2040, 59.78e6, 1.5, IPSS),
    SeedFigure(N_("Aged 65+, 2017"), "population_65_plus", 2017, 35.15e6, 1.0, ESTIMATE),
    SeedFigure(N_("Aged 65+, 2040"), "population_65_plus", 2040, 39.21e6, 1.0, IPSS),
    SeedFigure(N_("Annual decline 2040-41"), "population_change", 2041, 1.0e6, None,
               N_("seed: 'about 1 million a year' after 2040; accepted 0.80-1.00 M"), bounds=(0.80e6, 1.00e6),
               sign=-1.0),
]


def reproduction_problem(scenario) -> str | None:
    """Why ``scenario`` cannot be held against the seed's figures (one phrase), or None: they are
    figures of a projection from the 2015 census (2017, 2040 and the decline after 2040)."""
    last = max(fig.year for fig in SEED_FIGURES)
    if scenario.jump_off != "census2015":
        return t("scenario '{name}' starts from {jump_off}; the seed's figures are those of a projection from "
                 "census2015 (give a scenario on that basis, such as baseline)", name=scenario.name,
                 jump_off=scenario.jump_off)
    if scenario.horizon < last:
        return t("scenario '{name}' ends in {horizon}; the seed's figures need the years to {last}", name=scenario.name,
                 horizon=scenario.horizon, last=last)
    return None


def reproduction_table(result: RunResult) -> pd.DataFrame:
    """One row per seed figure: published value, model value, deviation (%), tolerance, verdict."""
    rows = []
    for fig in SEED_FIGURES:
        model = fig.model_value(result)
        tolerance = (f"{fig.bounds[0] / 1e6:.2f}-{fig.bounds[1] / 1e6:.2f} M" if fig.bounds
                     else f"±{fig.tolerance_pct}%")
        rows.append({"figure": fig.label, "published_M": fig.value / 1e6, "model_M": model / 1e6,
                     "deviation_pct": 100.0 * (model / fig.value - 1.0), "tolerance": tolerance,
                     "ok": fig.passes(model), "source": fig.source})
    return pd.DataFrame(rows)
