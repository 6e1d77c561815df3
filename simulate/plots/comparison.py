"""Figures comparing scenarios, from the long comparison table (scenario, year, indicator, value).

Readable with many scenarios: the reference (the baseline if compared, else the first scenario)
is drawn black and thick; the others take one of nine well-separated colours and, beyond nine, a dashed or
dotted line, so no two share a style.  Legends give scenario titles.  Indices on different base
years are rebased to the latest common base year, so one panel never mixes two definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulate.indicators import REGISTRY
from simulate.plots.style import PALETTE, decorate_years, literal, new_figure
from simulate.text.numbers import axis
from simulate.text.words import short_labels, word

#: Indicators shown as panels of the line chart, and of the dot chart (the first ranks the scenarios).
LINE_PANELS = ("population_total", "population_15_64", "labour_force", "old_age_dependency_ratio", "gdp_index",
               "gdp_per_capita_index")
DOT_PANELS = ("population_total", "labour_force", "gdp_per_capita_index")
#: Nine colours far apart from each other (Okabe-Ito and Tableau, no greys); black is the reference.
COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#9467bd", "#bcbd22"]
DASHES = ["-", "--", ":"]


def line_style(index: int) -> dict:
    """Style of the ``index``-th scenario: the first black and thick, then colour x dash pattern."""
    if index == 0:
        return {"color": "black", "lw": 2.6, "ls": "-", "zorder": 4}
    colour, dash = COLOURS[(index - 1) % len(COLOURS)], DASHES[(index - 1) // len(COLOURS) % len(DASHES)]
    return {"color": colour, "lw": 1.5, "ls": dash}


#: The scenario drawn as the reference when it is among those compared.
REFERENCE = "baseline"


def ordered(long: pd.DataFrame) -> list[str]:
    """Scenarios in the table's order, the reference (:data:`REFERENCE`) first if present."""
    names = list(dict.fromkeys(long["scenario"]))
    return sorted(names, key=lambda name: name != REFERENCE)


def series_by(long: pd.DataFrame, indicators: tuple[str, ...]) -> dict[tuple[str, str], pd.DataFrame]:
    """The rows of each scenario and each of ``indicators`` in the long table, by year, in one pass
    (selecting them one pair at a time compared every string of the table each time: a third of
    the drawing time with 18 scenarios)."""
    rows = long[long["indicator"].isin(indicators)].sort_values("year", kind="stable")
    return dict(iter(rows.groupby(["scenario", "indicator"], sort=False)))


def rebased(long: pd.DataFrame, bases: dict[str, int] | None) -> tuple[pd.DataFrame, int | None]:
    """Index indicators of every scenario on the latest of their base years (when they differ),
    and that year (None when they share one, or when bases are unknown)."""
    if not bases or len(set(bases.values())) == 1:
        return long, (next(iter(bases.values())) if bases else None)
    common = max(bases.values())
    out = long.copy()
    for name in (n for n, i in REGISTRY.items() if i.kind == "index"):
        rows = out["indicator"] == name
        at = out[rows & (out["year"] == common)].set_index("scenario")["value"]
        out.loc[rows, "value"] = 100.0 * out.loc[rows, "value"] / out.loc[rows, "scenario"].map(at).to_numpy()
    return out, common


def legend_labels(scenarios: list[str], titles: dict[str, str] | None) -> list[str]:
    """Legend entries: scenario titles (cut to about 60 characters, told apart where cutting would
    make two alike: :func:`simulate.text.words.short_labels`), falling back to names."""
    return [literal(label) for label in short_labels([(titles or {}).get(s, s) for s in scenarios], scenarios)]


def _legend(fig: Figure, axes, scenarios: list[str], titles: dict[str, str] | None) -> None:
    handles = np.ravel(axes)[0].get_legend_handles_labels()[0]
    fig.legend(handles, legend_labels(scenarios, titles), loc="lower center", ncols=min(len(scenarios), 3),
               fontsize=8)


def _legend_room(n: int) -> float:
    """Inches below the panels for a legend of ``n`` entries in three columns."""
    return 0.3 + 0.22 * -(-n // 3)


def lines(long: pd.DataFrame, title: str, titles: dict[str, str] | None = None, lang: str = "en",
          bases: dict[str, int] | None = None) -> Figure:
    """One panel per key indicator, one line per scenario."""
    scenarios = ordered(long)
    long, base = rebased(long, bases)
    series = series_by(long, LINE_PANELS)
    room = _legend_room(len(scenarios))
    height = 7.0 + room
    fig, axes = new_figure(f"{word('fig_compared', lang)} — {title}", "", nrows=2, ncols=3, figsize=(13, height))
    fig.subplots_adjust(bottom=(room + 0.45) / height, top=1 - 0.75 / height, hspace=0.45)
    for ax, indicator in zip(np.ravel(axes), LINE_PANELS):
        divisor, unit = axis(indicator, lang, base if base is not None else "base year")
        for i, scenario in enumerate(scenarios):
            rows = series.get((scenario, indicator), long.iloc[:0])
            ax.plot(rows["year"], rows["value"] / divisor, label=scenario, gid=f"{scenario}|{indicator}",
                    **line_style(i))
        ax.set_title(f"{REGISTRY[indicator].label(lang)}\n({unit})", fontsize=9)
        decorate_years(ax, long["year"].min(), long["year"].max(), lang=lang)
    _legend(fig, axes, scenarios, titles)
    return fig


def ranking(long: pd.DataFrame, indicator: str, year: int) -> list[str]:
    """Scenarios from the highest value of ``indicator`` in ``year`` to the lowest (ties: table order)."""
    at = long[(long["indicator"] == indicator) & (long["year"] == year)].set_index("scenario")["value"]
    names = ordered(long)
    return sorted(names, key=lambda name: (-at.get(name, -np.inf), names.index(name)))


def dots(long: pd.DataFrame, years: list[int], title: str, titles: dict[str, str] | None = None,
         lang: str = "en", bases: dict[str, int] | None = None) -> Figure:
    """Small multiples of dots: one panel per key indicator, one row per scenario (ranked by the
    first panel's value in the last year, highest on top), one dot per year (the last filled);
    rows are labelled by scenario name, unique by rule (the report's table gives titles)."""
    long, base = rebased(long, bases)
    last = years[-1]
    scenarios = ranking(long, DOT_PANELS[0], last)
    series = series_by(long, DOT_PANELS)
    height = 1.6 + 0.28 * len(scenarios)
    fig, axes = new_figure(f"{word('fig_outcomes', lang)} {', '.join(map(str, years))} — {title}", "", ncols=3,
                           sharey=True, figsize=(13, height))
    fig.subplots_adjust(left=0.17, bottom=0.75 / height, top=1 - 1.0 / height, wspace=0.12)
    rows_at = np.arange(len(scenarios))[::-1]
    markers = {year: ("o" if year == last else "D" if k % 2 else "s") for k, year in enumerate(years)}
    for ax, indicator in zip(np.ravel(axes), DOT_PANELS):
        divisor, unit = axis(indicator, lang, base if base is not None else "base year")
        for y, scenario in zip(rows_at, scenarios):
            values = series.get((scenario, indicator), long.iloc[:0]).set_index("year").reindex(years)["value"]
            ax.plot(values.to_numpy() / divisor, [y] * len(years), color="#b3b6b7", lw=1, zorder=1)
            for year, value in values.items():
                ax.scatter([value / divisor], [y], marker=markers[year], s=28 if year == last else 16, zorder=3,
                           facecolor=PALETTE[0] if year == last else "white", edgecolor=PALETTE[0],
                           label=str(year) if y == rows_at[0] else None, gid=f"{scenario}|{indicator}|{year}")
        ax.set_title(f"{REGISTRY[indicator].label(lang)}\n({unit})", fontsize=9)
        ax.grid(axis="y", visible=False)
    first = np.ravel(axes)[0]
    first.set_yticks(rows_at, [literal(name) for name in scenarios], fontsize=8)
    first.set_ylim(-0.7, len(scenarios) - 0.3)
    np.ravel(axes)[-1].legend(loc="lower right", fontsize=8)
    return fig
