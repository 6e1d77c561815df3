"""The figures of one scenario run, each built from the run's tables (``indicators.csv`` and
``population.csv`` as pandas frames).  Every plotted line carries the column it shows as its
``gid``, so tests can compare what matplotlib was handed with the CSVs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulate.calendar import SEED_YEAR
from simulate.data.welfare import outlook_2018
from simulate.indicators import REGISTRY
from simulate.plots.style import PALETTE, SEED_MARKS, decorate_years, new_figure
from simulate.text.numbers import axis
from simulate.text.words import word

#: (base year, last observed year) of the scenario a figure shows.
Calendar = tuple[int, int]

MILLION = 1e6


def _line(ax, frame: pd.DataFrame, column: str, text: str, scale: float = 1.0, **style) -> None:
    ax.plot(frame["year"], frame[column] / scale, label=text, gid=column, **style)


def label(name: str, lang: str) -> str:
    """An indicator's label from the registry."""
    return REGISTRY[name].label(lang)


def population_groups(ind: pd.DataFrame, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """Total and broad age groups, millions, with the seed's figures marked."""
    fig, ax = new_figure(f"{word('fig_population', lang)} — {title}", axis("population_total", lang)[1])
    columns = [("population_total", word("total", lang)), ("population_15_64", "15-64"), ("population_65_plus", "65+"),
               ("population_75_plus", "75+"), ("population_0_14", "0-14")]
    for (column, label), colour in zip(columns, PALETTE):
        _line(ax, ind, column, label, MILLION, color=colour, lw=2.2 if column == "population_total" else 1.6)
    years = set(ind["year"])
    marks = [(year, value) for column, year, value, _ in SEED_MARKS if year in years]
    ax.scatter([m[0] for m in marks], [m[1] / MILLION for m in marks], marker="D", s=28, color="black",
               zorder=5, label=word("white_paper", lang), gid="seed_marks")
    decorate_years(ax, ind["year"].min(), ind["year"].max(), calendar, lang)
    ax.set_ylim(0, 1.3 * ind["population_total"].max() / MILLION)  # room for the legend above the lines
    ax.legend(ncols=3, loc="upper right")
    return fig


def pyramid_years(pop: pd.DataFrame, wanted: tuple[int, ...]) -> list[int]:
    """The pyramid years available in ``pop`` (falls back to the last year)."""
    years = [y for y in wanted if y in set(pop["year"])]
    return years or [int(pop["year"].max())]


def pyramids(pop: pd.DataFrame, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """Outline pyramids for the base year, 2030 and 2040: males left (negative), females right; thousands."""
    fig, ax = new_figure(f"{word('fig_pyramids', lang)} — {title}", word("age_axis", lang))
    years = pyramid_years(pop, (calendar[0], 2030, 2040))
    by = dict(iter(pop[pop["year"].isin(years)].groupby(["year", "sex"], sort=False)))  # one pass over the table
    for year, colour in zip(years, PALETTE):
        for sex, sign in (("male", -1.0), ("female", 1.0)):
            rows = by[(year, sex)].sort_values("age")
            ax.step(sign * rows["population"] / 1e3, rows["age"], where="mid", color=colour, lw=1.4,
                    label=str(year) if sex == "male" else None, gid=f"pyramid_{year}_{sex}")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(word("pyramid_axis", lang))
    widest = max(abs(x) for line in ax.lines for x in line.get_xdata())
    ticks = MaxNLocator(nbins=6, symmetric=True).tick_values(-widest, widest)
    ticks = ticks[np.abs(ticks) <= widest * 1.0001 + 1e-9] if np.abs(ticks).max() > widest * 1.15 else ticks
    edge = max(widest, np.abs(ticks).max()) * 1.12  # the outermost labels stay inside the axes
    ax.set_xlim(-edge, edge)
    ax.set_xticks(ticks, [f"{abs(t):,.0f}" for t in ticks])
    ax.legend(loc="upper right")
    return fig


#: A panel: its y label and its lines as (column, label, divisor, colour index, line width).
Panel = tuple[str, list[tuple[str, str, float, int, float]]]


def two_panels(ind: pd.DataFrame, title: str, left: Panel, right: Panel, calendar: Calendar,
               lang: str = "en") -> Figure:
    """Two time-series panels side by side in the house style; panels as (y label, lines)."""
    fig, axes = new_figure(title, "", ncols=2, figsize=(10, 4.2))
    for ax, (ylabel, lines) in zip(axes, (left, right)):
        for column, text, divisor, colour, width in lines:
            _line(ax, ind, column, text, divisor, color=PALETTE[colour], lw=width)
        ax.set_ylabel(ylabel)
        decorate_years(ax, ind["year"].min(), ind["year"].max(), calendar, lang)
        ax.legend(loc="best")
    return fig


def _panel(names: list[tuple[str, int, float]], lang: str, base_year: int | None = None) -> Panel:
    """A panel of registry indicators (name, colour, width) sharing the first one's axis."""
    divisor, unit = axis(names[0][0], lang, base_year)
    return unit, [(name, label(name, lang), divisor, colour, width) for name, colour, width in names]


def dependency(ind: pd.DataFrame, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """Old-age dependency ratio and workers per elderly person."""
    return two_panels(ind, f"{word('fig_dependency', lang)} — {title}",
                      _panel([("old_age_dependency_ratio", 1, 2)], lang),
                      _panel([("workers_per_elderly", 0, 2)], lang), calendar, lang)


def labour(ind: pd.DataFrame, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """Labour force and employment (millions, dashed: 60 M); total hours worked (billions a year)."""
    fig = two_panels(ind, f"{word('fig_labour', lang)} — {title}",
                     _panel([("labour_force", 0, 2), ("employed", 2, 1.6)], lang),
                     _panel([("hours_worked", 3, 2)], lang), calendar, lang)
    fig.axes[0].axhline(60e6 / axis("labour_force", lang)[0], color="#888888", lw=0.8, ls="--")
    return fig


def economy(ind: pd.DataFrame, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """GDP, GDP per capita and productivity indices against the 2 %/yr line and, on the seed's base
    year, the 1.5x-by-2037 target."""
    base_year = calendar[0]
    fig, ax = new_figure(f"{word('fig_economy', lang)} — {title}", axis("gdp_index", lang, base_year)[1])
    for column, colour in zip(["gdp_index", "gdp_per_capita_index", "productivity_index"], PALETTE):
        _line(ax, ind, column, label(column, lang), color=colour, lw=2)
    years = ind["year"].to_numpy()
    later = years >= base_year
    ax.plot(years[later], 100.0 * 1.02 ** (years[later] - base_year), color="#888888", ls="--", lw=1,
            label=word("two_percent", lang), gid="two_percent_line")
    if base_year == SEED_YEAR:
        ax.scatter([2037], [150], marker="*", s=120, color="black", zorder=5, label=word("target_2037", lang),
                   gid="one_and_half_target")
    decorate_years(ax, years.min(), years.max(), calendar, lang)
    ax.legend(loc="upper left")
    return fig


def care(ind: pd.DataFrame, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """Who cares and who pays: people certified as needing care and care workers needed (millions);
    benefits as % of GDP, with the 2018 outlook's plan-based points (on IPSS 2017 medium) as dots."""
    fig = two_panels(ind, f"{word('fig_care', lang)} — {title}",
                     _panel([("care_recipients", 0, 2), ("care_workers_needed", 2, 2)], lang),
                     (word("share_of_gdp", lang), [(name, label(name, lang), 1.0, colour, width) for name, colour, width in
                      [("social_security_benefits_gdp", 0, 2.2), ("pension_spending_gdp", 1, 1.6),
                       ("medical_spending_gdp", 2, 1.6), ("ltc_spending_gdp", 3, 1.6)]]), calendar, lang)
    outlook = outlook_2018()
    points = outlook[(outlook["basis"] == "plan") & outlook["pct_of_gdp"].notna()]
    first, last = ind["year"].min(), ind["year"].max()
    for category, colour in (("total", 0), ("pension", 1), ("medical", 2), ("long_term_care", 3)):
        rows = points[(points["category"] == category) & points["fiscal_year"].between(first, last)]
        rows = rows.groupby("fiscal_year")["pct_of_gdp"].mean()
        fig.axes[1].scatter(rows.index, rows.to_numpy(), marker="o", s=22, color=PALETTE[colour], edgecolor="black",
                            zorder=5, label=word("outlook_2018", lang) if category == "total" else None,
                            gid=f"outlook_{category}")
    for ax in fig.axes:
        ax.set_ylim(0, None)
    fig.axes[1].legend(loc="best", fontsize="small")
    return fig


#: Figures of every scenario run: file stem -> (builder, needs population.csv).
SCENARIO_FIGURES = {
    "population_groups": (population_groups, False),
    "pyramids": (pyramids, True),
    "dependency": (dependency, False),
    "labour": (labour, False),
    "economy": (economy, False),
    "care": (care, False),
}


def backcast(solved: pd.DataFrame, base: pd.DataFrame, metric: str, year: int, threshold: float,
             lever_text: str, title: str, calendar: Calendar, lang: str = "en") -> Figure:
    """The target metric in the solved and the base scenario, with the target marked (in the axis
    unit of the metric's kind)."""
    divisor, unit = axis(metric, lang, calendar[0])
    fig, ax = new_figure(f"{word('fig_backcast', lang)} — {title}", f"{label(metric, lang)} ({unit})")
    ax.plot(base["year"], base[metric] / divisor, color=PALETTE[6], lw=1.6, ls="--",
            label=word("without_lever", lang), gid=f"base_{metric}")
    ax.plot(solved["year"], solved[metric] / divisor, color=PALETTE[1], lw=2.2,
            label=f"{word('with', lang)} {lever_text}", gid=f"solved_{metric}")
    ax.scatter([year], [threshold / divisor], marker="*", s=150, color="black", zorder=5,
               label=word("target_mark", lang), gid="target")
    decorate_years(ax, solved["year"].min(), solved["year"].max(), calendar, lang)
    ax.legend(loc="best")
    return fig


def plotted(fig: Figure) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """gid -> (x, y) data of every line in a figure (what the tests compare with the CSVs)."""
    return {line.get_gid(): (np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float))
            for ax in fig.axes for line in ax.lines if line.get_gid()}
