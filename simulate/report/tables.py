"""Tables people read (terminal and report), in English or Japanese, from the indicator registry."""

from __future__ import annotations

import pandas as pd

from simulate.indicators import REGISTRY, definition_note
from simulate.indicators import REALITY_CHECKS as REALITY_INDICATORS
from simulate.scenario.levers import LEVERS
from simulate.text.messages import N_, t
from simulate.text.numbers import format_value, oku_man, pad, plain, width

#: Indicators of the headline table, in order.
HEADLINE = ("population_total", "population_0_14", "population_15_64", "population_65_plus", "population_75_plus",
            "share_65_plus", "old_age_dependency_ratio", "median_age", "births", "deaths", "population_change",
            "labour_force", "employed", "workers_per_elderly", "productivity_index", "gdp", "gdp_index",
            "gdp_per_capita_index")
#: Indicators of the care and social-security table ("Who cares and who pays"), in order.
CARE_ROWS = ("care_recipients", "care_workers_needed", "care_worker_share", "medical_spending", "ltc_spending",
             "pension_spending", "social_security_benefits", "social_security_benefits_gdp", "pension_replacement")
#: Row of a table: (indicator name, label, cells).
Row = tuple[str, str, list[str]]


def row_label(name: str, lang: str, base_year: int, old_age_threshold: int = 65) -> str:
    """An indicator's label for a table row: registry label, index base, non-standard definitions."""
    indicator = REGISTRY[name]
    label = indicator.label(lang)
    if indicator.kind == "index":
        label += t(" ({base} = 100)", lang, base=base_year)
    return label + definition_note(name, old_age_threshold, lang)


def headline_rows(indicators: pd.DataFrame, years: list[int], base_year: int, lang: str = "en",
                  old_age_threshold: int = 65, names: tuple[str, ...] = HEADLINE) -> list[Row]:
    """The headline table of one run: one row per indicator of ``names`` (:data:`HEADLINE`), one cell per year."""
    by_year = indicators.set_index("year")
    return [(name, row_label(name, lang, base_year, old_age_threshold),
             [format_value(name, float(by_year.at[y, name]), lang, base_year) for y in years])
            for name in names if name in by_year.columns]


def format_table(title: str, years: list, rows: list[Row]) -> str:
    """Rows as aligned text (East Asian wide characters count as two columns)."""
    label_width = max(width(label) for _, label, _ in rows) + 2
    cell_width = max(10, max(width(c) for _, _, cells in rows for c in cells) + 2)
    lines = [title, " " * label_width + "".join(pad(str(y), cell_width, right=True) for y in years)]
    for _, label, cells in rows:
        lines.append(pad(label, label_width) + "".join(pad(c, cell_width, right=True) for c in cells))
    return "\n".join(lines)


def band_text(name: str, row: pd.Series, lang: str) -> str:
    """'110.9 M [109.8 M to 112.0 M]' as people write it: the median and the 80 % band of a
    quantile row (``p10``, ``p50``, ``p90``)."""
    v = lambda q: format_value(name, float(row[q]), lang)  # noqa: E731
    return t("{median} [{low} to {high}]", lang, median=v("p50"), low=v("p10"), high=v("p90"))


def asked(target, row: dict) -> float:
    """The absolute value a target asked for, from its status row (achieved less the margin)."""
    return row["achieved"] - row["margin"] if target.op == ">=" else row["achieved"] + row["margin"]


def target_phrase(target, threshold: float, lang: str, base_year: int) -> str:
    """'Labour force in 2040 ≥ 60.00 M' (with '1.3 × 2017 = ...' for a relative target)."""
    return target.phrase(lang, base_year, threshold)


def target_sentence(target, row: dict, lang: str, base_year: int) -> str:
    """A target check as a sentence: 'Labour force in 2040 ≥ 60.00 M: met with 63.87 M (3.87 M
    above)'; ``row`` is its status (achieved, margin, met), ``target`` the Target."""
    name, achieved, margin = target.metric, row["achieved"], row["margin"]
    threshold = asked(target, row)
    shown = lambda v: format_value(name, v, lang, base_year)  # noqa: E731
    phrase = target_phrase(target, threshold, lang, base_year)
    above = (margin >= 0) == (target.op == ">=")
    message = {(True, True): N_("{target}: met with {achieved} ({margin} above)"),
               (True, False): N_("{target}: met with {achieved} ({margin} below)"),
               (False, True): N_("{target}: NOT met with {achieved} ({margin} above)"),
               (False, False): N_("{target}: NOT met with {achieved} ({margin} below)")}[(bool(row["met"]), above)]
    return t(message, lang, target=phrase, achieved=shown(achieved), margin=shown(abs(margin)))


def lever_text(name: str, value: float, lang: str) -> str:
    """A backcast lever's value in words: '443 thousand net migrants a year', '年44.3万人の純移動'."""
    return LEVERS[name].in_words(value, lang)


def definition_in(meaning: str, lang: str) -> str:
    """An ``outcomes.csv`` definition for a person: '2017 = 100' -> '2017年=100', 'elderly = 70+' ->
    '高齢者=70歳以上' in Japanese."""
    if meaning.endswith(" = 100"):
        return t("{base} = 100", lang, base=meaning.split()[0])
    if meaning.startswith("elderly = "):
        return t("elderly = {age}+", lang, age=meaning.removeprefix("elderly = ").rstrip("+"))
    return meaning


def outcome_groups(table: pd.DataFrame, lang: str) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The outcome table as (heading, [(scenario, formatted cells)]) groups, one per indicator and
    definition, in the language ``lang``."""
    years = [c for c in table.columns if c.isdigit()]
    groups = []
    for (name, meaning), rows in table.groupby(["indicator", "definition"], sort=False):
        label = REGISTRY[name].label(lang)
        heading = t("{indicator} ({definition})", lang, indicator=label, definition=definition_in(meaning, lang)) \
            if meaning else label
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


def millions(value: float, lang: str, decimals: int = 2) -> str:
    """A number of millions with its unit, the way the run reports write it: '126.71 M', '1億2,671万人'."""
    return oku_man(value * 1e6) if lang == "ja" else t("{value} M", lang, value=plain(value, decimals))


def tolerance_text(tolerance: str, lang: str) -> str:
    """A tolerance as written in the seed's table ('±0.5%', '0.80-1.00 M') for a person in ``lang``."""
    if not tolerance.endswith(" M"):
        return tolerance
    if lang == "ja":
        low, _, high = tolerance[:-2].partition("-")
        return "～".join(oku_man(float(v) * 1e6) for v in (low, high) if v)
    return t("{value} M", lang, value=tolerance[:-2])


def reproduction_rows(table: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the seed's figures against the model, for a person in ``lang``."""
    header = [t("figure", lang), t("published", lang), t("model", lang), t("difference", lang), t("tolerance", lang),
              "", t("source", lang)]
    rows = [[t(r.figure, lang), millions(r.published_M, lang), millions(r.model_M, lang),
             f"{r.deviation_pct:+.2f} %", tolerance_text(r.tolerance, lang), t("ok", lang) if r.ok else t("FAIL", lang),
             t(r.source, lang)]
            for r in table.itertuples()]
    return header, rows


def reality_rows(table: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the reality check, one row per indicator and year, for a person in ``lang``."""
    header = [t("indicator", lang), t("unit", lang), t("year", lang), t("projected", lang), t("observed", lang),
              t("difference", lang)]
    counts = lang == "ja"  # counts of people in 万/億 as the run reports write them

    def shown(value: float, divisor: float, fmt: str) -> str:
        return oku_man(value) if counts and divisor > 1 else fmt.format(value / divisor)

    rows = [[t(label, lang), t("persons", lang) if counts and divisor > 1 else t(unit, lang), str(row.year),
             shown(row.projected, divisor, fmt), shown(row.observed, divisor, fmt), f"{row.deviation_pct:+.1f} %"]
            for indicator, label, unit, _, divisor, fmt in REALITY_INDICATORS
            for row in table[table["indicator"] == indicator].itertuples()]
    return header, rows


def aligned(header: list[str], rows: list[list[str]], numbers: range) -> str:
    """A table as aligned text: the columns ``numbers`` to the right, the others to the left (East
    Asian wide characters count as two columns)."""
    widths = [max(width(c) for c in column) for column in zip(header, *rows)]
    return "\n".join("  ".join(pad(c, w, right=k in numbers) for k, (c, w) in enumerate(zip(line, widths))).rstrip()
                     for line in [header, *rows])


def format_reproduction(table: pd.DataFrame, lang: str = "en") -> str:
    """The reproduction table as aligned text."""
    return aligned(*reproduction_rows(table, lang), numbers=range(1, 4))


def format_reality(table: pd.DataFrame, lang: str = "en") -> str:
    """The reality check as aligned text: one block per indicator, one row per year."""
    return aligned(*reality_rows(table, lang), numbers=range(2, 6))


def describe_impossible(count: int, total: int, what: str | None = None, lang: str | None = None) -> str:
    """A line for the terminal: how many runs (``what``, in words; default: trajectories) were left
    out as impossible."""
    return t("{count} of {total} {what} describe a world that cannot exist (a population that dies out or output "
             "that overflows) and are left out of every figure and table", lang, count=f"{count:,}",
             total=f"{total:,}", what=what or t("trajectories", lang))


#: Where trajectories ran, in words (a backend's name: ``in-process``, ``processes:N``, ``dask:ADDRESS``).
BACKENDS = {"in-process": N_("in this process"), "processes": N_("{count} worker processes"),
            "dask": N_("Dask cluster at {address}")}


def backend_words(name: str, lang: str) -> str:
    """A backend's name (:mod:`simulate.uncertainty.backends`) in words of ``lang``."""
    kind, _, detail = name.partition(":")
    if kind not in BACKENDS:
        return name
    return t(BACKENDS[kind], lang, count=detail, address=detail)
