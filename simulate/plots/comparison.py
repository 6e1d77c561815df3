"""Figures comparing scenarios, from the long comparison table (scenario, year, indicator, value)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulate.plots.style import PALETTE, decorate_years, new_figure

#: Panels of the line chart: (indicator, label, divisor).
LINE_PANELS = [
    ("population_total", "population (M)", 1e6),
    ("population_15_64", "aged 15-64 (M)", 1e6),
    ("labour_force", "labour force (M)", 1e6),
    ("old_age_dependency_ratio", "65+ per 100 aged 15-64", 1.0),
    ("gdp_index", "GDP (index, base year = 100)", 1.0),
    ("gdp_per_capita_index", "GDP per capita (index, base year = 100)", 1.0),
]
BAR_PANELS = LINE_PANELS[0:1] + LINE_PANELS[2:3] + LINE_PANELS[5:6]


def _series(long: pd.DataFrame, scenario: str, indicator: str) -> pd.DataFrame:
    return long[(long["scenario"] == scenario) & (long["indicator"] == indicator)].sort_values("year")


def lines(long: pd.DataFrame, title: str) -> Figure:
    """One panel per key indicator, one line per scenario."""
    fig, axes = new_figure(f"Scenarios compared — {title}", "", nrows=2, ncols=3, legend_below=True,
                           figsize=(13, 7.5))
    scenarios = list(dict.fromkeys(long["scenario"]))
    for ax, (indicator, label, divisor) in zip(np.ravel(axes), LINE_PANELS):
        for scenario, colour in zip(scenarios, PALETTE * 3):
            rows = _series(long, scenario, indicator)
            ax.plot(rows["year"], rows["value"] / divisor, color=colour, lw=1.5, label=scenario,
                    gid=f"{scenario}|{indicator}")
        ax.set_title(label)
        decorate_years(ax, long["year"].min(), long["year"].max())
    fig.legend(*np.ravel(axes)[0].get_legend_handles_labels(), loc="lower center",
               ncols=min(len(scenarios), 5))
    return fig


def bars(long: pd.DataFrame, years: list[int], title: str) -> Figure:
    """Grouped bars: for each key indicator, the report years, one bar per scenario."""
    fig, axes = new_figure(f"Outcomes in {', '.join(map(str, years))} — {title}", "", ncols=3,
                           legend_below=True, figsize=(13, 5.5))
    scenarios = list(dict.fromkeys(long["scenario"]))
    width = 0.8 / len(scenarios)
    for ax, (indicator, label, divisor) in zip(np.ravel(axes), BAR_PANELS):
        for i, (scenario, colour) in enumerate(zip(scenarios, PALETTE * 3)):
            rows = _series(long, scenario, indicator).set_index("year").reindex(years)
            ax.bar(np.arange(len(years)) + (i - (len(scenarios) - 1) / 2) * width, rows["value"] / divisor,
                   width, color=colour, label=scenario, gid=f"{scenario}|{indicator}")
        ax.set_xticks(np.arange(len(years)), [str(y) for y in years])
        ax.set_title(label)
        ax.grid(axis="x", visible=False)
    fig.legend(*np.ravel(axes)[0].get_legend_handles_labels(), loc="lower center",
               ncols=min(len(scenarios), 5))
    return fig
