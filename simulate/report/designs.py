"""Reports of ensembles, sensitivity analyses and sweeps: what they found in a few plain sentences
(also the one-line summary of ``results/index.html``), the sampled parameters, the key table, the
figures inline; self-contained like every report (:func:`simulate.report.html.page`)."""

from __future__ import annotations

from typing import Any

from pathlib import Path

import pandas as pd

from simulate.indicators import SCORED, SHOWN_HORIZONS, scored_label as label
from simulate.indicators import REGISTRY
from simulate.report.html import _e, _table, calendar_of, describe_value, figures_html, page, sources_html, story
from simulate.report.story import lowered
from simulate.report.tables import band_text
from simulate.text.messages import N_, t
from simulate.text.numbers import format_value, plain
from simulate.text.words import word

#: Indicators an ensemble's story and table show, and the years.
ENSEMBLE_SHOWN = ("population_total", "population_15_64", "labour_force", "gdp_per_capita")
SHOWN_YEARS = (2030, 2040)
def _at(quantiles: pd.DataFrame, name: str, year: int) -> pd.Series | None:
    row = quantiles[(quantiles["indicator"] == name) & (quantiles["year"] == year)]
    return None if row.empty else row.iloc[0]


def ensemble_sentences(quantiles: pd.DataFrame, targets: list[tuple[str, float]], n: int, lang: str) -> list[str]:
    """The 2040 median and 80 % band of the shown indicators, and each target's odds (``targets``:
    (the target in words, the share of trajectories meeting it))."""
    year = max((y for y in SHOWN_YEARS if y in set(quantiles["year"])), default=int(quantiles["year"].max()))
    parts = [(REGISTRY[name].label(lang), band_text(name, row, lang)) for name in ENSEMBLE_SHOWN
             if (row := _at(quantiles, name, year)) is not None]
    bands = t("; ", lang).join(t("{indicator} {band}", lang, indicator=lowered(a), band=b) for a, b in parts)
    sentences = [t("Across {n} trajectories, the {year} median [80 % band] is: {bands}.", lang, n=f"{n:,}", year=year,
                   bands=bands)]
    sentences += [t("The target {target} is met in {odds} % of them.", lang, target=target, odds=plain(100 * p, 0))
                  for target, p in targets]
    return sentences


def ensemble_table(quantiles: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    years = [y for y in SHOWN_YEARS if y in set(quantiles["year"])]
    rows = [[REGISTRY[name].label(lang)] + [band_text(name, _at(quantiles, name, y), lang) for y in years]
            for name in ENSEMBLE_SHOWN if _at(quantiles, name, years[0]) is not None] if years else []
    return [word("indicator", lang)] + [f"{y} {word('median_band', lang)}" for y in years], rows


def sensitivity_sentences(table: pd.DataFrame, lang: str, labels: dict[str, str] | None = None) -> list[str]:
    """For each indicator in its last year: the parameter that explains most of its variance
    (``labels``: the parameters in words, by name)."""
    labels = labels or {}
    column = "ST" if "ST" in table.columns else "mu_star"
    sentences = []
    for name, rows in table.groupby("indicator", sort=False):
        last = rows[rows["year"] == rows["year"].max()]
        top = last.loc[last[column].idxmax()]
        label = REGISTRY[name].label(lang)
        sentences.append(t("{indicator} in {year} depends most on {parameter} ({index} = {value}).", lang,
                           indicator=label, year=int(top["year"]), parameter=labels.get(top["parameter"], top["parameter"]),
                           index=column, value=plain(top[column], 2)))
    return sentences


def sensitivity_table(table: pd.DataFrame, lang: str, labels: dict[str, str] | None = None
                      ) -> tuple[list[str], list[list[str]]]:
    column = "ST" if "ST" in table.columns else "mu_star"
    last = table[table["year"] == table["year"].max()]
    wide = last.pivot_table(index="parameter", columns="indicator", values=column, sort=False)
    header = [word("parameter", lang)] + [f"{REGISTRY[c].label(lang)} {column}" for c in wide.columns]
    return header, [[(labels or {}).get(p, p)] + [plain(v, 2) for v in wide.loc[p]] for p in wide.index]


def sweep_sentences(table: pd.DataFrame, metric: str, axes: list[str], lang: str,
                    labels: list[str] | None = None) -> list[str]:
    """The metric's range over the grid and where it is highest (``labels``: the axes in words)."""
    name = metric.split("@")[0]
    values = table[metric]
    best = table.loc[values.idxmax()]
    where = t(", ", lang).join(f"{label} = {plain(best[a], 3).rstrip('0').rstrip('.')}"
                                for a, label in zip(axes, labels or axes))
    low, high = format_value(name, float(values.min()), lang), format_value(name, float(values.max()), lang)
    return [t("Over {points} grid points, {metric} ranges from {low} to {high}; it is highest at {where}.", lang,
              points=f"{len(table):,}", metric=metric_label(metric, lang), low=low, high=high, where=where)]


def metric_label(metric: str, lang: str) -> str:
    """'gdp_per_capita@2040' -> 'GDP per capita in 2040' (a name the registry does not know stays)."""
    name, _, year = metric.partition("@")
    if name not in REGISTRY or not year:
        return metric
    return t("{indicator} in {year}", lang, indicator=REGISTRY[name].label(lang), year=year)


def sweep_table(table: pd.DataFrame, metric: str, axes: list[str], lang: str,
                labels: list[str] | None = None) -> tuple[list[str], list[list[str]]]:
    """The ten best grid points: the axes' values (headed by ``labels``) and the metric."""
    name = metric.split("@")[0]
    top = table.sort_values(metric, ascending=False).head(10)
    return ([*(labels or axes), metric_label(metric, lang)], [[plain(r[a], 3).rstrip("0").rstrip(".") for a in axes]
                              + [format_value(name, float(r[metric]), lang)] for _, r in top.iterrows()])


def official_value(quantity: str, value: float, lang: str) -> str:
    """An official projection's value in words: population by the registry, the TFR and life
    expectancy by their own units."""
    if quantity == "tfr":
        return word("children_per_woman", lang, value=plain(value, 2))
    if quantity.startswith("e0_"):
        return word("years_of_life", lang, value=plain(value, 1))
    return format_value(quantity, value, lang)


def official_table(official: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Where each official projection falls in a forecast: one row per projection and quantity, one
    column per year, each cell the value and its percentile in the forecast's trajectories."""
    years = sorted(set(int(y) for y in official["year"]))
    rows = []
    for (label_key, quantity), part in official.groupby(["label", "quantity"], sort=False):
        by_year = part.set_index("year")
        rows.append([t(label_key, lang), label(quantity, lang)] + [
            word("official_cell", lang, value=official_value(quantity, by_year.at[y, "value"], lang),
                 percentile=plain(by_year.at[y, "percentile"], 0)) for y in years])
    return [word("projection", lang), word("indicator", lang)] + [str(y) for y in years], rows


def official_sentences(official: pd.DataFrame, lang: str) -> list[str]:
    """Where IPSS 2023 medium and the UN's median fall in the forecast's population and TFR, in its
    last compared year."""
    if official.empty:
        return []
    last = int(official["year"].max())
    at = official[(official["year"] == last)].set_index(["source", "quantity"])["percentile"]
    keys = [("ipss2023_medium", "population_total"), ("wpp2024:median", "population_total"),
            ("ipss2023_medium", "tfr"), ("wpp2024:median", "tfr")]
    if not all(k in at.index for k in keys):
        return []
    return [t("In {year}, IPSS 2023's medium assumptions (as this model projects them) fall at percentile {ipss} of "
              "this forecast's population and the UN's WPP 2024 median at percentile {wpp}; for the TFR at "
              "percentiles {ipss_tfr} and {wpp_tfr}.", lang, year=last, ipss=plain(at[keys[0]], 0), wpp=plain(at[keys[1]], 0),
              ipss_tfr=plain(at[keys[2]], 0), wpp_tfr=plain(at[keys[3]], 0))]


def design_report(kind: str, label: str, sentences: list[str], parameters: dict, table: tuple[list[str], list],
                  figures: Path, lang: str = "en", official: tuple[list[str], list] | None = None,
                  scenario: Any = None) -> str:
    """The report of an ensemble, forecast, back-test, sensitivity analysis or sweep (``kind``);
    ``official``: a forecast's :func:`official_table`; ``scenario``: the scenario it ran, for its data sources."""
    caption_key = {"ensemble": "fan", "forecast": "fan", "sensitivity": "tornado", "sweep": "heatmap",
                   "backtest": "coverage"}[kind]
    stems = sorted(p.stem for p in figures.glob("*.svg")) if figures.is_dir() else []
    title = f"{word(kind, lang)}: {label}"
    body = [f"<h1>{_e(title)}</h1>", story(sentences, lang, "found"), f"<h2>{_e(word('table', lang))}</h2>",
            _table(*table)]
    if official and official[1]:
        body += [f"<h2>{_e(word('official', lang))}</h2>", _table(*official)]
    if parameters:
        body += [f"<h2>{_e(word('parameters', lang))}</h2>",
                 _table([word("parameter", lang), word("distribution", lang)],
                        [[name, describe_value(spec, lang)] for name, spec in parameters.items()], code=True)]
    if stems:
        body += [f"<h2>{_e(word('figures', lang))}</h2>",
                 figures_html(figures, {stem: word(caption_key, lang) for stem in stems})]
    body.append(sources_html(lang, [] if scenario is None else [calendar_of(scenario)]))
    return page(title, "".join(body), lang)


def forecast_sentences(origin: int, universe: str, centre: str, lang: str) -> list[str]:
    """What a forecast is: its origin, its universe, its centre (``scenario`` or ``history``) and
    what was sampled."""
    if centre == "scenario":
        return [t("Centred on the scenario's own assumptions: fertility, mortality and migration wander year by year "
                  "around the scenario's own paths, by the deviations of models fitted on the data up to {origin} only "
                  "({universe}); the odds answer \"if these assumptions are the centre\". The scenario's levers stay "
                  "as it sets them.", lang, origin=origin, universe=t(universe, lang))]
    return [t("Centred on the data alone: fertility, mortality and migration were sampled year by year from models "
              "fitted on the data up to {origin} only ({universe}); the scenario's own fertility and mortality are not "
              "used, its other levers stay as it sets them.", lang, origin=origin, universe=t(universe, lang))]


#: The back-test's two sets of outcomes, in words.
PERIODS = {"guide": N_("guide: outcomes to 2015"), "test": N_("test: outcomes from 2016")}
#: What the back-test's story shows: every scored quantity, at these horizons (years).
BACKTEST_SHOWN = tuple(SCORED)
BACKTEST_HORIZONS = (10, 20, 30)
#: The coverage of an 80 % interval that counts as calibrated, in the story.
CALIBRATED = (0.7, 0.9)


def backtest_sentences(scores: pd.DataFrame, lang: str, shown: tuple[str, ...] = BACKTEST_SHOWN) -> list[str]:
    """The 80 % interval's coverage of each ``shown`` quantity at the shown horizons (guide origins),
    and, by name, every one outside :data:`CALIBRATED`."""
    period = "guide" if (scores["period"] == "guide").any() else "test"
    guide = scores[scores["period"] == period].set_index(["indicator", "horizon"])
    parts, poor = [], []
    for name in shown:
        held = []
        for h in BACKTEST_HORIZONS:
            if (name, h) not in guide.index:
                continue
            share = guide.at[(name, h), "coverage_0.8"]
            held.append(t("{percent} % at {h} years", lang, percent=plain(100 * share, 0), h=h))
            if not 100 * CALIBRATED[0] <= round(100 * share) <= 100 * CALIBRATED[1]:  # as shown
                poor.append(t("{indicator} at {h} years ({percent} %)", lang, indicator=label(name, lang), h=h,
                              percent=plain(100 * share, 0)))
        if held:
            parts.append(t("{indicator}: {held}", lang, indicator=label(name, lang),
                           held=t(", ", lang).join(held)))
    held_in = (t("Forecast from past origins with the data up to each only, the 80 % interval held what happened "
                 "(outcomes up to 2015) in: {parts}.", lang, parts=t("; ", lang).join(parts)) if period == "guide" else
               t("Forecast from past origins with the data up to each only, the 80 % interval held what happened "
                 "(outcomes from 2016) in: {parts}.", lang, parts=t("; ", lang).join(parts)))
    out = [held_in,
           t("A calibrated 80 % interval holds about 80 %; much less means the bands are too narrow.", lang)]
    if poor:
        out.append(t("Outside 70-90 %, so poorly calibrated: {list}.", lang, list=t("; ", lang).join(poor)))
    return out


def backtest_table(scores: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Per period, indicator and horizon: cases, coverage of the 50/80/95 % intervals, bias, the
    median's and the central path's errors and the interval score."""
    shown = scores[scores["horizon"].isin(SHOWN_HORIZONS)]
    rows = [[t(PERIODS[row.period], lang), label(row.indicator, lang), str(row.horizon), str(row.cases),
             *[plain(100 * getattr(row, f"coverage_{level}"), 0) for level in ("05", "08", "095")],
             plain(row.bias, 2), plain(row.error, 2), plain(row.central_error, 2), plain(row.interval_score, 1)]
            for row in shown.rename(columns=lambda c: c.replace(".", "")).itertuples()]
    heads = [t("outcomes", lang), t("indicator", lang), t("years ahead", lang), t("cases", lang),
             t("50 % held", lang), t("80 % held", lang), t("95 % held", lang), t("bias", lang),
             t("median error", lang), t("central path's error", lang), t("interval score", lang)]
    return heads, rows


def backtest_test_sentence(scores: pd.DataFrame, lang: str, horizon: int = 5) -> str:
    """How the TFR's and births' 80 % bands fared on the test outcomes (from 2016), ``horizon`` years
    ahead: outcomes held of those scored, and the medians' bias."""
    test = scores[scores["period"] == "test"].set_index(["indicator", "horizon"])
    held = {name: (round(test.at[(name, horizon), "coverage_0.8"] * test.at[(name, horizon), "cases"]),
                   int(test.at[(name, horizon), "cases"]), f"{test.at[(name, horizon), 'bias']:+.1f}")
            for name in ("tfr", "births")}
    return t("On the test outcomes (2016-2024), {h} years ahead, the TFR's 80 % band held {tfr_held} of {tfr_cases} "
             "and births' {births_held} of {births_cases}, the medians off by {tfr_bias} % and {births_bias} %.",
             lang, h=horizon, tfr_held=held["tfr"][0], tfr_cases=held["tfr"][1], tfr_bias=held["tfr"][2],
             births_held=held["births"][0], births_cases=held["births"][1], births_bias=held["births"][2])


def odds_sentence(plain_path: float, shares: dict[float, float], uplift: float, growth: float, lang: str) -> str:
    """What productivity growth keeps GDP at its level: on one path, in 80 % and 95 % of futures
    (``shares``: odds -> value, % a year), and with seniors' participation ``uplift`` points higher."""
    return t("Productivity growth needed: {plain} % a year on one path, {at80} % to meet it in 80 % of futures and "
             "{at95} % in 95 %; with the participation of ages 65-74 up {uplift} points, {growth} % a year.", lang,
             plain=plain(plain_path, 2), at80=plain(shares[0.8], 2), at95=plain(shares[0.95], 2),
             uplift=plain(uplift, 0), growth=plain(growth, 2))
