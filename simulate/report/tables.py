"""Plain-text tables for the terminal."""

from __future__ import annotations

import pandas as pd

#: (column, label, divisor, format) rows of the headline table; ``{base}`` is the index base year.
HEADLINE_ROWS = [
    ("population_total", "Population (M)", 1e6, "{:.2f}"),
    ("population_0_14", "  aged 0-14 (M)", 1e6, "{:.2f}"),
    ("population_15_64", "  aged 15-64 (M)", 1e6, "{:.2f}"),
    ("population_65_plus", "  aged 65+ (M)", 1e6, "{:.2f}"),
    ("population_75_plus", "  aged 75+ (M)", 1e6, "{:.2f}"),
    ("old_age_dependency_ratio", "65+ per 100 aged 15-64", 1.0, "{:.1f}"),
    ("median_age", "Median age (years)", 1.0, "{:.1f}"),
    ("births", "Births (thousand)", 1e3, "{:.0f}"),
    ("deaths", "Deaths (thousand)", 1e3, "{:.0f}"),
    ("population_change", "Annual change (thousand)", 1e3, "{:+.0f}"),
    ("labour_force", "Labour force (M)", 1e6, "{:.2f}"),
    ("employed", "Employed (M)", 1e6, "{:.2f}"),
    ("workers_per_elderly", "Workers per elderly person", 1.0, "{:.2f}"),
    ("productivity_index", "Productivity ({base}=100)", 1.0, "{:.1f}"),
    ("gdp", "GDP (USD bn, 2018 prices)", 1.0, "{:.0f}"),
    ("gdp_index", "GDP ({base}=100)", 1.0, "{:.1f}"),
    ("gdp_per_capita_index", "GDP per capita ({base}=100)", 1.0, "{:.1f}"),
]


def headline_table(indicators: pd.DataFrame, years: list[int], base_year: int) -> pd.DataFrame:
    """Rows of :data:`HEADLINE_ROWS` that exist in ``indicators``, one column per year (scaled
    values), index labels naming ``base_year``.  ``attrs`` maps each label to its column and format."""
    by_year = indicators.set_index("year")
    present = [(col, label.format(base=base_year), div, fmt) for col, label, div, fmt in HEADLINE_ROWS
               if col in by_year.columns]
    rows = {label: [by_year.at[y, col] / div for y in years] for col, label, div, _ in present}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=years)
    table.attrs["rows"] = {label: (col, fmt) for col, label, _, fmt in present}
    return table


def format_table(title: str, table: pd.DataFrame) -> str:
    """Render a headline table with per-row formats as aligned text."""
    formats = {label: fmt for label, (_, fmt) in table.attrs.get("rows", {}).items()}
    width = max(len(label) for label in table.index) + 2
    lines = [title, " " * width + "".join(f"{c:>10}" for c in table.columns)]
    for label, values in table.iterrows():
        fmt = formats.get(label, "{:.3g}")
        lines.append(f"{label:<{width}}" + "".join(f"{fmt.format(v):>10}" for v in values))
    return "\n".join(lines)
