"""Tables people read (terminal and report), in English or Japanese, from the indicator registry."""

from __future__ import annotations

import pandas as pd

from simulate.indicators import REGISTRY, definition_note
from simulate.reality import INDICATORS as REALITY_INDICATORS
from simulate.text.numbers import format_value, oku_man, pad, plain, width

#: Indicators of the headline table, in order.
HEADLINE = ("population_total", "population_0_14", "population_15_64", "population_65_plus", "population_75_plus",
            "share_65_plus", "old_age_dependency_ratio", "median_age", "births", "deaths", "population_change",
            "labour_force", "employed", "workers_per_elderly", "productivity_index", "gdp", "gdp_index",
            "gdp_per_capita_index")
#: Row of a table: (indicator name, label, cells).
Row = tuple[str, str, list[str]]


def row_label(name: str, lang: str, base_year: int, old_age_threshold: int = 65) -> str:
    """An indicator's label for a table row: registry label, index base, non-standard definitions."""
    indicator = REGISTRY[name]
    label = indicator.label(lang)
    if indicator.kind == "index":
        label += f"（{base_year}年=100）" if lang == "ja" else f" ({base_year} = 100)"
    return label + definition_note(name, old_age_threshold, lang)


def headline_rows(indicators: pd.DataFrame, years: list[int], base_year: int, lang: str = "en",
                  old_age_threshold: int = 65) -> list[Row]:
    """The headline table of one run: one row per :data:`HEADLINE` indicator, one cell per year."""
    by_year = indicators.set_index("year")
    return [(name, row_label(name, lang, base_year, old_age_threshold),
             [format_value(name, float(by_year.at[y, name]), lang, base_year) for y in years])
            for name in HEADLINE if name in by_year.columns]


def format_table(title: str, years: list, rows: list[Row]) -> str:
    """Rows as aligned text (East Asian wide characters count as two columns)."""
    label_width = max(width(label) for _, label, _ in rows) + 2
    cell_width = max(10, max(width(c) for _, _, cells in rows for c in cells) + 2)
    lines = [title, " " * label_width + "".join(pad(str(y), cell_width, right=True) for y in years)]
    for _, label, cells in rows:
        lines.append(pad(label, label_width) + "".join(pad(c, cell_width, right=True) for c in cells))
    return "\n".join(lines)


def asked(target, row: dict) -> float:
    """The absolute value a target asked for, from its status row (achieved less the margin)."""
    return row["achieved"] - row["margin"] if target.op == ">=" else row["achieved"] + row["margin"]


def target_phrase(target, threshold: float, lang: str, base_year: int) -> str:
    """'Labour force in 2040 ≥ 60.00 M' (with '1.3 × 2017 = ...' for a relative target)."""
    name = target.metric
    sign = "≥" if target.op == ">=" else "≤"
    reference = target.reference_year(base_year)
    shown = format_value(name, threshold, lang, base_year)
    if lang == "ja":
        relative = f"{reference}年の{plain_factor(target.value)}倍 = " if reference is not None else ""
        return f"{REGISTRY[name].label(lang)}（{target.year}年）{sign} {relative}{shown}"
    relative = f"{plain_factor(target.value)} × {reference} = " if reference is not None else ""
    return f"{REGISTRY[name].label(lang)} in {target.year} {sign} {relative}{shown}"


def target_sentence(target, row: dict, lang: str, base_year: int) -> str:
    """A target check as a sentence: 'Labour force in 2040 ≥ 60.00 M: met with 63.87 M (3.87 M
    above)'; ``row`` is its status (achieved, margin, met), ``target`` the Target."""
    name, achieved, margin = target.metric, row["achieved"], row["margin"]
    threshold = asked(target, row)
    shown = lambda v: format_value(name, v, lang, base_year)  # noqa: E731
    phrase = target_phrase(target, threshold, lang, base_year)
    if lang == "ja":
        verdict, gap = ("達成" if row["met"] else "未達"), ("上回る" if margin >= 0 else "不足")
        return f"{phrase}: {verdict}（{shown(achieved)}、{shown(abs(margin))}{gap}）"
    verdict = "met" if row["met"] else "NOT met"
    gap = "above" if (margin >= 0) == (target.op == ">=") else "below"
    return f"{phrase}: {verdict} with {shown(achieved)} ({shown(abs(margin))} {gap})"


def lever_text(name: str, value: float, lang: str) -> str:
    """A backcast lever's value in words: '443,000 net migrants a year', '年44.3万人の純移動'."""

    if lang == "ja":
        return {"productivity_growth": f"労働生産性の伸び率 年{plain(value, 2)} %",
                "seniors_uplift": f"65～74歳の労働力率 +{plain(value, 1)}ポイント",
                "women_uplift": f"15～64歳女性の労働力率 +{plain(value, 1)}ポイント",
                "net_migration": f"年{oku_man(value)}の純移動（国際）",
                "tfr": f"合計特殊出生率 {plain(value, 2)}"}[name]
    return {"productivity_growth": f"productivity growth of {plain(value, 2)} % a year",
            "seniors_uplift": f"participation at 65-74 up {plain(value, 1)} percentage points",
            "women_uplift": f"women's participation at 15-64 up {plain(value, 1)} percentage points",
            "net_migration": f"{plain(round(value, -2))} net migrants a year",
            "tfr": f"a total fertility rate of {plain(value, 2)} children per woman"}[name]


def plain_factor(value: float) -> str:
    """A multiple such as 1.3 or 1.25 without trailing zeros or exponents."""
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def definition_ja(meaning: str) -> str:
    """An ``outcomes.csv`` definition in Japanese: '2017 = 100' -> '2017年=100', 'elderly = 70+' ->
    '高齢者=70歳以上'."""
    if meaning.endswith(" = 100"):
        return f"{meaning.split()[0]}年=100"
    if meaning.startswith("elderly = "):
        return f"高齢者={meaning.removeprefix('elderly = ').rstrip('+')}歳以上"
    return meaning


def outcome_groups(table: pd.DataFrame, lang: str) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The outcome table as (heading, [(scenario, formatted cells)]) groups, one per indicator and
    definition, in the language ``lang``."""
    years = [c for c in table.columns if c.isdigit()]
    groups = []
    for (name, meaning), rows in table.groupby(["indicator", "definition"], sort=False):
        label = REGISTRY[name].label(lang)
        heading = f"{label} ({meaning})" if meaning else label
        if lang == "ja" and meaning:
            heading = f"{label}（{definition_ja(meaning)}）"
        groups.append((heading, [(scenario, [format_value(name, float(v), lang) for v in values])
                                 for scenario, values in zip(rows["scenario"], rows[years].to_numpy())]))
    return groups


def format_outcomes(table: pd.DataFrame, lang: str = "en") -> str:
    """The outcome table as aligned text, one block per indicator and definition."""
    years = [c for c in table.columns if c.isdigit()]
    blocks = []
    for heading, rows in outcome_groups(table, lang):
        blocks.append(format_table(heading, years, [("", scenario, cells) for scenario, cells in rows]))
    return "\n".join(blocks)


def format_reproduction(table: pd.DataFrame) -> str:
    """The reproduction table as aligned text."""
    lines = [f"{'figure':<24}{'published':>11}{'model':>10}{'dev.':>8}  {'tolerance':<12}{'':4}source"]
    for row in table.itertuples():
        lines.append(f"{row.figure:<24}{row.published_M:>9.2f} M{row.model_M:>8.2f} M{row.deviation_pct:>+7.2f}%"
                     f"  {row.tolerance:<12}{'ok' if row.ok else 'FAIL':<4}{row.source}")
    return "\n".join(lines)


def format_reality(table: pd.DataFrame) -> str:
    """The reality check as aligned text: one block per indicator, one row per year."""
    lines = [f"{'indicator':<29}{'unit':<20}{'year':>5}{'projected':>11}{'observed':>10}{'dev.':>9}"]
    for indicator, label, unit, _, divisor, fmt in REALITY_INDICATORS:
        for row in table[table["indicator"] == indicator].itertuples():
            lines.append(f"{label:<29}{unit:<20}{row.year:>5}{fmt.format(row.projected / divisor):>11}"
                         f"{fmt.format(row.observed / divisor):>10}{row.deviation_pct:>+8.1f}%")
    return "\n".join(lines)


def describe_impossible(count: int, total: int, what: str = "trajectories") -> str:
    """A line for the terminal: how many runs were left out as impossible."""
    return (f"{count:,} of {total:,} {what} describe a world that cannot exist (a population that dies out "
            "or output that overflows) and are left out of every figure and table")
