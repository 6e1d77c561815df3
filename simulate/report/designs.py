"""Reports of ensembles, sensitivity analyses and sweeps: what they found in a few plain sentences
(also the one-line summary of ``results/index.html``), the sampled parameters, the key table, the
figures inline; self-contained like every report (:func:`simulate.report.html.page`)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from simulate.indicators import REGISTRY
from simulate.report.html import _e, _table, describe_value, figures_html, page, sources_html, story
from simulate.text.messages import t
from simulate.text.numbers import format_value, plain
from simulate.text.words import word

#: Indicators an ensemble's story and table show, and the years.
ENSEMBLE_SHOWN = ("population_total", "population_15_64", "labour_force", "gdp_per_capita")
SHOWN_YEARS = (2030, 2040)
def _at(quantiles: pd.DataFrame, name: str, year: int) -> pd.Series | None:
    row = quantiles[(quantiles["indicator"] == name) & (quantiles["year"] == year)]
    return None if row.empty else row.iloc[0]


def band_text(name: str, row: pd.Series, lang: str) -> str:
    """'110.9 M [109.8-112.0 M]' as people write it: the median and the 80 % band."""
    v = lambda q: format_value(name, float(row[q]), lang)  # noqa: E731
    return t("{median} [{low} to {high}]", lang, median=v("p50"), low=v("p10"), high=v("p90"))


def ensemble_sentences(quantiles: pd.DataFrame, targets: pd.DataFrame, n: int, lang: str) -> list[str]:
    """The 2040 median and 80 % band of the shown indicators, and each target's odds."""
    year = max((y for y in SHOWN_YEARS if y in set(quantiles["year"])), default=int(quantiles["year"].max()))
    parts = [(REGISTRY[name].label(lang), band_text(name, row, lang)) for name in ENSEMBLE_SHOWN
             if (row := _at(quantiles, name, year)) is not None]
    if lang == "ja":
        sentences = [f"{n:,}回の試行のうち、{year}年の中央値［80 %区間］は、" + "、".join(f"{a}{b}" for a, b in parts) + "。"]
        sentences += [f"目標「{t}」が達成される確率は{plain(100 * p, 0)} %。" for t, p in targets.itertuples(index=False)]
    else:
        sentences = [f"Across {n:,} trajectories, the {year} median [80 % band] is: "
                     + "; ".join(f"{a.lower() if a[1:2].islower() else a} {b}" for a, b in parts) + "."]
        sentences += [f"The target {t} is met in {plain(100 * p, 0)} % of them." for t, p in targets.itertuples(index=False)]
    return sentences


def ensemble_table(quantiles: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    years = [y for y in SHOWN_YEARS if y in set(quantiles["year"])]
    rows = [[REGISTRY[name].label(lang)] + [band_text(name, _at(quantiles, name, y), lang) for y in years]
            for name in ENSEMBLE_SHOWN if _at(quantiles, name, years[0]) is not None] if years else []
    return [word("indicator", lang)] + [f"{y} {word('median_band', lang)}" for y in years], rows


def sensitivity_sentences(table: pd.DataFrame, lang: str) -> list[str]:
    """For each indicator in its last year: the parameter that explains most of its variance."""
    column = "ST" if "ST" in table.columns else "mu_star"
    sentences = []
    for name, rows in table.groupby("indicator", sort=False):
        last = rows[rows["year"] == rows["year"].max()]
        top = last.loc[last[column].idxmax()]
        label = REGISTRY[name].label(lang)
        if lang == "ja":
            sentences.append(f"{int(top['year'])}年の{label}に最も効くのは{top['parameter']}（{column} = {plain(top[column], 2)}）。")
        else:
            sentences.append(f"{label} in {int(top['year'])} depends most on {top['parameter']} "
                             f"({column} = {plain(top[column], 2)}).")
    return sentences


def sensitivity_table(table: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    column = "ST" if "ST" in table.columns else "mu_star"
    last = table[table["year"] == table["year"].max()]
    wide = last.pivot_table(index="parameter", columns="indicator", values=column, sort=False)
    header = [word("parameter", lang)] + [f"{REGISTRY[c].label(lang)} {column}" for c in wide.columns]
    return header, [[p] + [plain(v, 2) for v in wide.loc[p]] for p in wide.index]


def sweep_sentences(table: pd.DataFrame, metric: str, axes: list[str], lang: str) -> list[str]:
    """The metric's range over the grid and where it is highest."""
    name = metric.split("@")[0]
    values = table[metric]
    best = table.loc[values.idxmax()]
    where = ", ".join(f"{a} = {plain(best[a], 3).rstrip('0').rstrip('.')}" for a in axes)
    low, high = format_value(name, float(values.min()), lang), format_value(name, float(values.max()), lang)
    if lang == "ja":
        return [f"{len(table):,}点の格子で、{metric}は{low}～{high}。最も高いのは{where}のとき。"]
    return [f"Over {len(table):,} grid points, {metric} ranges from {low} to {high}; it is highest at {where}."]


def sweep_table(table: pd.DataFrame, metric: str, axes: list[str], lang: str) -> tuple[list[str], list[list[str]]]:
    name = metric.split("@")[0]
    top = table.sort_values(metric, ascending=False).head(10)
    return ([*axes, metric], [[plain(r[a], 3).rstrip("0").rstrip(".") for a in axes]
                              + [format_value(name, float(r[metric]), lang)] for _, r in top.iterrows()])


def design_report(kind: str, label: str, sentences: list[str], parameters: dict, table: tuple[list[str], list],
                  figures: Path, lang: str = "en") -> str:
    """The report of an ensemble, sensitivity analysis or sweep (``kind``)."""
    caption_key = {"ensemble": "fan", "sensitivity": "tornado", "sweep": "heatmap"}[kind]
    stems = sorted(p.stem for p in figures.glob("*.svg")) if figures.is_dir() else []
    title = f"{word(kind, lang)}: {label}"
    body = [f"<h1>{_e(title)}</h1>", story(sentences, lang, "found"), f"<h2>{_e(word('table', lang))}</h2>",
            _table(*table)]
    if parameters:
        body += [f"<h2>{_e(word('parameters', lang))}</h2>",
                 _table([word("parameter", lang), word("distribution", lang)],
                        [[name, describe_value(spec)] for name, spec in parameters.items()])]
    if stems:
        body += [f"<h2>{_e(word('figures', lang))}</h2>",
                 figures_html(figures, {stem: word(caption_key, lang) for stem in stems})]
    body.append(sources_html(lang))
    return page(title, "".join(body), lang)
