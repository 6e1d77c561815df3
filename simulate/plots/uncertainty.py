"""Ensemble fan charts (80 % and 95 % bands), sensitivity tornado charts and sweep heatmaps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulate.plots.render import styled
from simulate.plots.style import PALETTE, decorate_years, new_figure, save

#: Fan-chart figures: stem -> panels of (indicator, label, divisor).
FANS = {
    "fan_population": [("population_total", "population (M)", 1e6), ("population_15_64", "aged 15-64 (M)", 1e6),
                       ("population_65_plus", "aged 65+ (M)", 1e6)],
    "fan_labour_force": [("labour_force", "labour force (M)", 1e6)],
    "fan_gdp_per_capita": [("gdp_per_capita", "GDP per capita (USD, 2018 prices)", 1.0)],
}


def fan(quantiles: pd.DataFrame, panels: list[tuple[str, str, float]], title: str) -> Figure:
    """Median with 80 % (p10-p90) and 95 % (p2.5-p97.5) bands, one panel per indicator."""
    fig, axes = new_figure(title, "", ncols=len(panels), figsize=(4.6 * len(panels) + 1, 4.3))
    for ax, (indicator, label, divisor) in zip(np.atleast_1d(axes), panels):
        q = quantiles[quantiles["indicator"] == indicator].sort_values("year")
        years = q["year"].to_numpy()
        ax.fill_between(years, q["p2_5"] / divisor, q["p97_5"] / divisor, color=PALETTE[0], alpha=0.18,
                        lw=0, label="95 %", gid=f"{indicator}|95")
        ax.fill_between(years, q["p10"] / divisor, q["p90"] / divisor, color=PALETTE[0], alpha=0.35,
                        lw=0, label="80 %", gid=f"{indicator}|80")
        ax.plot(years, q["p50"] / divisor, color=PALETTE[0], lw=2, label="median", gid=f"{indicator}|p50")
        ax.set_title(label)
        decorate_years(ax, years.min(), years.max())
        ax.legend(loc="best")
    return fig


def tornado(table: pd.DataFrame, indicator: str, years: list[int], method: str, title: str) -> Figure:
    """Sobol first-order and total indices (or Morris mu*) per parameter, sorted, one panel per year."""
    first, second = ("ST", "S1") if method == "sobol" else ("mu_star", None)
    fig, axes = new_figure(title, "", ncols=len(years), figsize=(5.2 * len(years) + 1, 3.8))
    for ax, year in zip(np.atleast_1d(axes), years):
        rows = table[(table["indicator"] == indicator) & (table["year"] == year)].sort_values(first)
        y = np.arange(len(rows))
        ax.barh(y, rows[first], color=PALETTE[1], height=0.7, label="total (ST)" if second else "μ*",
                gid=f"{indicator}|{year}|{first}")
        if second:
            ax.barh(y, rows[second], color=PALETTE[0], height=0.4, label="first order (S1)",
                    gid=f"{indicator}|{year}|{second}")
        ax.set_yticks(y, rows["parameter"])
        ax.set_title(f"{indicator} {year}")
        ax.set_xlabel("Sobol index" if second else "μ* (mean |elementary effect|)")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right")
    fig.subplots_adjust(left=0.17, wspace=0.55, top=0.8)
    return fig


def heatmap(values: np.ndarray, x: list[float], y: list[float], x_name: str, y_name: str, metric: str,
            title: str) -> Figure:
    """``values`` (len(y), len(x)) as a coloured grid with every cell labelled."""
    fig, ax = new_figure(title, y_name, figsize=(7.5, 5.5))
    image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis", gid="heatmap")
    ax.set_xticks(range(len(x)), [f"{v:g}" for v in x])
    ax.set_yticks(range(len(y)), [f"{v:g}" for v in y])
    ax.set_xlabel(x_name)
    ax.grid(False)
    for i in range(len(y)):
        for j in range(len(x)):
            value = values[i, j]
            ax.text(j, i, f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}", ha="center",
                    va="center", fontsize=7, color="white")
    fig.colorbar(image, ax=ax, label=metric)
    return fig


@styled
def ensemble_figures(folder: Path, quantiles: pd.DataFrame, title: str) -> list[Path]:
    """Write every fan chart into ``folder``."""
    return [p for stem, panels in FANS.items() for p in save(fan(quantiles, panels, f"{title}: {stem[4:]}"),
                                                              folder, stem)]


@styled
def tornado_figures(folder: Path, table: pd.DataFrame, method: str, title: str) -> list[Path]:
    """One tornado figure per indicator into ``folder``."""
    years = sorted(table["year"].unique())
    return [p for indicator in dict.fromkeys(table["indicator"])
            for p in save(tornado(table, indicator, years, method, f"{title}: {indicator}"), folder,
                          f"tornado_{indicator}")]


@styled
def heatmap_figure(folder: Path, values: np.ndarray, x: list[float], y: list[float], x_name: str, y_name: str,
                   metric: str, title: str) -> list[Path]:
    """Write the sweep heatmap into ``folder``."""
    return save(heatmap(values, x, y, x_name, y_name, metric, title), folder, "heatmap")
