"""Ensemble fan charts (80 % and 95 % bands), sensitivity tornado charts and sweep heatmaps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulate.indicators import scored_label as label
from simulate.indicators import REGISTRY
from simulate.plots.kinds import FANS, styled
from simulate.plots.style import PALETTE, decorate_years, new_figure, save
from simulate.text.messages import N_, t
from simulate.scenario.levers import LEVERS
from simulate.text.numbers import axis, compact, plain
from simulate.text.words import word

#: Band and line names (messages).
BANDS = {
    "95": N_("95 %"),
    "80": N_("80 %"),
    "median": N_("median"),
}


def _word(key: str, lang: str) -> str:
    return t(BANDS[key], lang)


def fan(quantiles: pd.DataFrame, panels: list[str], title: str, lang: str = "en") -> Figure:
    """Median with 80 % (p10-p90) and 95 % (p2.5-p97.5) bands, one panel per indicator."""
    fig, axes = new_figure(title, "", ncols=len(panels), figsize=(4.6 * len(panels) + 1, 4.6))
    fig.subplots_adjust(top=0.8, left=0.1 if len(panels) == 1 else 0.06)
    for ax, indicator in zip(np.atleast_1d(axes), panels):
        divisor, unit = axis(indicator, lang)
        q = quantiles[quantiles["indicator"] == indicator].sort_values("year")
        years = q["year"].to_numpy()
        ax.fill_between(years, q["p2_5"] / divisor, q["p97_5"] / divisor, color=PALETTE[0], alpha=0.18,
                        lw=0, label=_word("95", lang), gid=f"{indicator}|95")
        ax.fill_between(years, q["p10"] / divisor, q["p90"] / divisor, color=PALETTE[0], alpha=0.35,
                        lw=0, label=_word("80", lang), gid=f"{indicator}|80")
        ax.plot(years, q["p50"] / divisor, color=PALETTE[0], lw=2, label=_word("median", lang),
                gid=f"{indicator}|p50")
        ax.set_title(f"{REGISTRY[indicator].label(lang)}\n({unit})", fontsize=9)
        decorate_years(ax, years.min(), years.max(), lang=lang)
        ax.legend(loc="best")
    return fig


def tornado(table: pd.DataFrame, indicator: str, years: list[int], method: str, title: str,
            lang: str = "en", labels: dict[str, str] | None = None) -> Figure:
    """Sobol first-order and total indices (or Morris mu*, in the indicator's axis unit) per
    parameter, sorted, one panel per year; ``labels`` names the parameters in ``lang``."""
    labels = labels or {}
    first, second = ("ST", "S1") if method == "sobol" else ("mu_star", None)
    divisor, unit = (1.0, "") if second else axis(indicator, lang)
    fig, axes = new_figure(title, "", ncols=len(years), figsize=(5.2 * len(years) + 1, 4.0))
    for ax, year in zip(np.atleast_1d(axes), years):
        rows = table[(table["indicator"] == indicator) & (table["year"] == year)].sort_values(first)
        y = np.arange(len(rows))
        ax.barh(y, rows[first] / divisor, color=PALETTE[1], height=0.7, label=t("total (ST)", lang) if second else "μ*",
                gid=f"{indicator}|{year}|{first}")
        if second:
            ax.barh(y, rows[second], color=PALETTE[0], height=0.4, label=t("first order (S1)", lang),
                    gid=f"{indicator}|{year}|{second}")
        ax.set_yticks(y, [labels.get(name, name) for name in rows["parameter"]])
        ax.set_title(f"{REGISTRY[indicator].label(lang)}, {year}", fontsize=9)
        ax.set_xlabel(t("Sobol index", lang) if second else f"μ* ({unit})")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right")
    fig.subplots_adjust(left=0.17, wspace=0.6, top=0.78, bottom=0.16)
    return fig


def heatmap(values: np.ndarray, x: list[float], y: list[float], x_name: str, y_name: str, metric: str,
            title: str) -> Figure:
    """``values`` (len(y), len(x)) as a coloured grid with every cell labelled."""
    fig, ax = new_figure(title, y_name, figsize=(7.5, 5.5))
    fig.subplots_adjust(left=0.14, right=0.9, bottom=0.12)
    image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis", gid="heatmap")
    ax.set_xticks(range(len(x)), [compact(v) for v in x])
    ax.set_yticks(range(len(y)), [compact(v) for v in y])
    ax.set_xlabel(x_name)
    ax.grid(False)
    if len(x) * len(y) <= 100:  # cell labels only where they fit
        for i in range(len(y)):
            for j in range(len(x)):
                ax.text(j, i, compact(values[i, j]), ha="center", va="center", fontsize=7, color="white")
    fig.colorbar(image, ax=ax, label=metric)
    return fig


@styled
def ensemble_figures(folder: Path, quantiles: pd.DataFrame, title: str, lang: str = "en") -> list[Path]:
    """Write every fan chart into ``folder``."""
    return [p for stem, panels in FANS.items()
            for p in save(fan(quantiles, panels, title, lang), folder, stem)]


@styled
def tornado_figures(folder: Path, table: pd.DataFrame, method: str, title: str, lang: str = "en",
                    labels: dict[str, str] | None = None) -> list[Path]:
    """One tornado figure per indicator into ``folder`` (``labels``: the parameters in words)."""
    years = sorted(table["year"].unique())
    return [p for indicator in dict.fromkeys(table["indicator"])
            for p in save(tornado(table, indicator, years, method, title, lang, labels), folder, f"tornado_{indicator}")]


@styled
def heatmap_figure(folder: Path, values: np.ndarray, x: list[float], y: list[float], x_name: str, y_name: str,
                   metric: str, title: str) -> list[Path]:
    """Write the sweep heatmap into ``folder``."""
    return save(heatmap(values, x, y, x_name, y_name, metric, title), folder, "heatmap")


#: The back-tested quantities the coverage figure shows.
COVERAGE_SHOWN = ("tfr", "births", "population_total", "e0_female")


@styled
def backtest_figures(folder: Path, scores: pd.DataFrame, lang: str = "en") -> list[Path]:
    """Write the back-test's coverage figure into ``folder``."""
    return save(coverage(scores, lang), folder, "coverage")


def coverage(scores: pd.DataFrame, lang: str = "en") -> Figure:
    """Share of outcomes inside the 80 % interval by horizon, one line per quantity (guide outcomes,
    or the test outcomes where there are no guide ones, as for all residents), over the 70-90 % band
    a calibrated interval falls in."""
    fig, ax = new_figure(word("backtest", lang), "", figsize=(7.2, 4.6))
    period = "guide" if (scores["period"] == "guide").any() else "test"
    guide = scores[scores["period"] == period]
    horizons = np.sort(guide["horizon"].unique())
    ax.axhspan(70, 90, color="0.88", lw=0, zorder=0)
    ax.axhline(80, color="0.4", lw=1, ls="--", label=word("nominal", lang))
    for i, name in enumerate(COVERAGE_SHOWN):
        rows = guide[guide["indicator"] == name].sort_values("horizon")
        ax.plot(rows["horizon"], 100 * rows["coverage_0.8"], color=PALETTE[i % len(PALETTE)], lw=2, marker="o",
                ms=3, label=label(name, lang), gid=f"{name}|coverage")
    ax.set_xlim(horizons.min() - 0.5, horizons.max() + 0.5)
    ax.set_ylim(0, 100)
    ax.set_xlabel(word("horizon", lang))
    ax.set_ylabel(word("coverage_axis", lang))
    ax.legend(loc="lower left", fontsize=8)
    return fig


def frontier(table: pd.DataFrame, first: str, second: str, targets: str, odds: float | None,
             lang: str = "en") -> Figure:
    """The combinations of two levers that just meet the targets: the frontier, the side where they
    are met shaded."""
    title = (t("Where {targets} is met in {odds} % of futures", lang, targets=targets, odds=plain(100 * odds, 0))
             if odds is not None else t("Where {targets} is met", lang, targets=targets))
    fig, ax = new_figure(title, "", figsize=(7.2, 4.8))
    met = table[table["status"] == "met"]
    ax.plot(met[first], met[second], color=PALETTE[0], lw=2, marker="o", ms=4, label=t("frontier", lang),
            gid="frontier")
    ax.set_xlabel(LEVERS[first].name_in(lang))
    ax.set_ylabel(LEVERS[second].name_in(lang))
    if len(met):
        ax.legend(loc="best", fontsize=8)
    return fig
