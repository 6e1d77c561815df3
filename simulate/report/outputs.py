"""Everything a run leaves on disk, staged and committed atomically: tables, IAMC, figures,
reports and run.json for each scenario, and the comparison across them."""

from __future__ import annotations

import time
from contextlib import ExitStack, closing
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import numpy as np
import pandas as pd

from simulate.errors import InputError
from simulate.indicators import REGISTRY
from simulate.names import run_asked, short_name
from simulate.plots.kinds import DEFAULT_FORMATS
from simulate.plots.render import Jobs, comparison_figures, scenario_figures
from simulate.report import html
from simulate.report.iamc import comparison_iamc, iamc_frame
from simulate.report.csvfiles import write_csv
from simulate.report.publishing import atomic_directories
from simulate.report.tables import HEADLINE, row_label
from simulate.report.story import comparison_sentences, one_line, restated_sentence, so_what
from simulate.text.jsontext import json_text
from simulate.text.messages import N_, t
from simulate.text.numbers import LANGUAGES, for_people, people_unit

if TYPE_CHECKING:  # types only: the report is handed results and findings, it computes neither
    from simulate.findings import Findings
    from simulate.pipeline import RunResult

COMPARISON_DIR = "comparison"
#: Folder (under the output folder) of the reproduction and reality-check outputs.
REPRODUCE_DIR = "reproduce"


def check_names(names: list[str]) -> None:
    """Refuse (InputError) scenario names that would share a result folder or take a reserved one."""
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise InputError(t("two scenarios would write to the same folder: {names} (give them different 'name:' keys)",
                           names=", ".join(clashes)))
    for reserved, holds in ((COMPARISON_DIR, N_("comparisons")), (REPRODUCE_DIR, N_("the reproduction and reality check"))):
        if reserved in names:
            raise InputError(t("a scenario may not be named '{name}' (that folder holds {holds})", name=reserved,
                               holds=t(holds)))
#: Indicators of the comparison's outcome table.
OUTCOME_INDICATORS = ("population_total", "population_15_64", "population_65_plus", "labour_force",
                      "old_age_dependency_ratio", "gdp_index", "gdp_per_capita_index", "workers_per_elderly")
COMPARISON_YEARS = [2030, 2035, 2040]


def write_population(population: pd.DataFrame, path: Path) -> None:
    """population.csv (year, sex, age, population to 0.001 person), row by row with numpy: pandas'
    per-value float formatting is the slowest part of writing a run."""
    rows = np.rec.fromarrays([population[c].to_numpy() for c in ("year", "sex", "age", "population")])
    np.savetxt(path, rows, fmt=["%d", "%s", "%d", "%.3f"], delimiter=",", header="year,sex,age,population",
               comments="", encoding="utf-8")


def headline_frame(result: RunResult, lang: str) -> pd.DataFrame:
    """``headline.csv``: the headline indicators with their label and unit in ``lang``, one column
    per report year, in the units and precision people read (:data:`simulate.text.numbers.PEOPLE`;
    ``indicators.csv`` has full precision)."""
    s = result.scenario
    by_year = result.indicators.set_index("year")
    return pd.DataFrame([{"indicator": name, "label": row_label(name, lang, s.base_year, s.labour.old_age_threshold),
                          "unit": people_unit(name, lang, s.base_year),
                          **{str(y): for_people(name, float(by_year.at[y, name]), lang) for y in s.report_years}}
                         for name in HEADLINE]).rename(columns=people_columns(lang))


#: The columns of the tables for people, headed in the language of the run (:func:`people_columns`).
PEOPLE_COLUMNS = (N_("indicator"), N_("label"), N_("unit"), N_("scenario"), N_("definition"))


def people_columns(lang: str) -> dict[str, str]:
    """Column name -> its heading in ``lang`` (the values of ``indicator`` stay registry names)."""
    return {name: t(name, lang) for name in PEOPLE_COLUMNS}


def outcomes_for_people(outcomes: pd.DataFrame, lang: str, base_years: dict[str, int]) -> pd.DataFrame:
    """``outcomes.csv``: the outcome table with labels, units and values as people read them in ``lang``."""
    years = [c for c in outcomes.columns if c.isdigit()]
    table = outcomes.copy()
    table["unit"] = [people_unit(n, lang, base_years[s]) for n, s in zip(table["indicator"], table["scenario"])]
    for year in years:
        table[year] = [for_people(n, float(v), lang) for n, v in zip(table["indicator"], table[year])]
    labels = table["indicator"].map(lambda name: REGISTRY[name].label(lang))
    return table.assign(label=labels).rename(columns=people_columns(lang))


def run_iamc(result: RunResult) -> pd.DataFrame:
    """One run's IAMC table (``iamc.csv``)."""
    s = result.scenario
    return iamc_frame(result.indicators, s.name, s.base_year, s.labour.old_age_threshold)


def write_tables(result: RunResult, folder: Path, lang: str = "en") -> None:
    """population.csv, indicators.csv, labour.csv, iamc.csv and headline.csv of one run (the last
    with labels in ``lang``, Excel-friendly)."""
    write_csv(headline_frame(result, lang), folder / "headline.csv", excel=lang == "ja")
    write_population(result.population, folder / "population.csv")
    write_csv(result.labour, folder / "labour.csv")
    if result.flows is not None:
        write_csv(result.flows, folder / "flows.csv")
    write_csv(result.indicators, folder / "indicators.csv")
    write_csv(run_iamc(result), folder / "iamc.csv")


def comparison_long(results: list[RunResult]) -> pd.DataFrame:
    """Long table of every indicator: scenario, year, indicator, value."""
    frames = [r.indicators.melt(id_vars="year", var_name="indicator", value_name="value")
              .assign(scenario=r.scenario.name) for r in results]
    return pd.concat(frames)[["scenario", "year", "indicator", "value"]].reset_index(drop=True)


def definition(name: str, scenario) -> str:
    """What an indicator's value depends on beyond its name ('' if nothing): the index base year,
    the old-age threshold.  Comparisons never put two definitions in one row group."""
    if REGISTRY[name].kind == "index":
        return f"{scenario.base_year} = 100"
    if "labour.old_age_threshold" in REGISTRY[name].depends:
        return f"elderly = {scenario.labour.old_age_threshold}+"
    return ""


#: The old-age threshold a comparison restates workers per elderly person on (employed / population 65+).
COMPARABLE_THRESHOLD = 65


def restated(results: list[RunResult]) -> list[str]:
    """The scenarios whose workers per elderly person a comparison report restates on the 65+ basis
    of the others (their own reports count the elderly from 70 or 75)."""
    thresholds = [r.scenario.labour.old_age_threshold for r in results]
    if COMPARABLE_THRESHOLD not in thresholds or len(set(thresholds)) == 1:
        return []
    return [r.scenario.name for r in results if r.scenario.labour.old_age_threshold != COMPARABLE_THRESHOLD]


def outcome_table(results: list[RunResult], years: list[int], base: int | None = None,
                  comparable: bool = False) -> pd.DataFrame:
    """``outcomes.csv``: scenario, indicator, definition, unit, then one column per year (values as
    in ``indicators.csv``); with ``base``, every index on that year = 100, and ``comparable``,
    workers per elderly person of :func:`restated` scenarios on the 65+ basis (a comparison report's one basis)."""
    rows, again = [], set(restated(results)) if comparable else set()
    for result in results:
        table = result.indicators.set_index("year")
        by_year = table.reindex(years)
        for name in OUTCOME_INDICATORS:
            values, own = by_year[name], result.scenario.base_year
            if REGISTRY[name].kind == "index" and base not in (None, own) and base in table.index:
                values, own = 100.0 * values / float(table.at[base, name]), base
            said = definition(name, result.scenario)
            if name == "workers_per_elderly" and result.scenario.name in again:
                values, said = by_year["employed"] / by_year["population_65_plus"], f"elderly = {COMPARABLE_THRESHOLD}+"
            rows.append({"scenario": result.scenario.name, "indicator": name,
                         "definition": f"{own} = 100" if REGISTRY[name].kind == "index" else said,
                         "unit": REGISTRY[name].unit.format(base=own),
                         **{str(y): v for y, v in values.items()}})
    return pd.DataFrame(rows)


def common_base(results: list[RunResult]) -> int:
    """The one index base year of a comparison's report and figures: the latest of the scenarios' own."""
    return max(r.scenario.base_year for r in results)


def comparison_name(results: list[RunResult]) -> str:
    """Default comparison folder: the scenario names joined (shortened to 64 characters)."""
    return short_name("_vs_".join(r.scenario.name for r in results))


def write_results(results: list[RunResult], out: Path, start: float, comparison: str | None = None,
                  figures: bool | tuple[str, ...] = True, progress=None,
                  extra: dict[str, dict[str, str]] | None = None,
                  jobs: list | None = None, lang: str = "en", asked: dict[str, str] | None = None, *,
                  findings: Mapping[str, Findings]) -> dict[str, Path]:
    """Write every result (and the comparison, if named) atomically; return name -> folder.

    ``findings``: scenario name -> what the model found for its report
    (:func:`simulate.findings.findings`: the official projection, targets and their backcasts, the
    seed's figures, ``run.json``'s contents); the report renders them and computes nothing.

    ``asked``: scenario name -> the question its folder answers (default: the run and its overrides,
    :func:`~simulate.names.run_asked`); a folder that recorded another question is not replaced.
    ``figures``: the figure formats to write (True: the default, SVG; False or empty: none).
    ``extra`` maps a scenario name to additional files (name -> text); ``jobs`` are additional
    figure jobs (function, args) whose first argument is a scenario name to resolve to its folder.
    """
    bar = progress or (lambda iterable, total=None, desc="": iterable)  # progress(iterable, total=, desc=)
    with ExitStack() as stack:
        names = [r.scenario.name for r in results] + ([COMPARISON_DIR] if comparison else [])
        targets = [out / r.scenario.name for r in results] + ([out / COMPARISON_DIR / comparison] if comparison else [])
        questions = [(asked or {}).get(r.scenario.name) or run_asked(r.scenario.name, dict(r.loaded.overrides))
                     for r in results] + ([None] if comparison else [])
        staging = dict(zip(names, stack.enter_context(atomic_directories(targets, questions))))  # all published, or none
        long = comparison_long(results) if comparison else None
        outcomes = outcome_table(results, COMPARISON_YEARS) if comparison else None
        titles = {r.scenario.name: r.scenario.label_in(lang) for r in results}
        work: list[tuple[str, tuple]] = []  # (folder name, figure job), longest first
        if figures:
            bases = {r.scenario.name: r.scenario.base_year for r in results}
            work = [(COMPARISON_DIR, (comparison_figures, (staging[COMPARISON_DIR] / "figures", long,
                                                           COMPARISON_YEARS, comparison, titles, lang, bases)))
                    ] if comparison else []
            work += [(r.scenario.name, (scenario_figures, (staging[r.scenario.name] / "figures", r.indicators,
                                                           r.population, r.scenario.label_in(lang),
                                                           (r.scenario.base_year, r.scenario.history_end), lang)))
                     for r in results]
            work += [(name, (fn, (staging[name] / "figures", *args))) for fn, (name, *args) in (jobs or [])]
        # drawn in worker processes while this one writes the tables
        drawing = stack.enter_context(closing(Jobs([job for _, job in work],
                                                   lambda it: bar(it, total=len(work), desc="figures"),
                                                   formats=DEFAULT_FORMATS if figures is True else figures or ())))
        if comparison:
            write_csv(long, staging[COMPARISON_DIR] / "indicators.csv")
            write_csv(comparison_iamc([run_iamc(r) for r in results]), staging[COMPARISON_DIR] / "iamc.csv")
            people = outcomes_for_people(outcomes, lang, {r.scenario.name: r.scenario.base_year for r in results})
            write_csv(people, staging[COMPARISON_DIR] / "outcomes.csv", excel=lang == "ja")
        for result in results:
            write_tables(result, staging[result.scenario.name], lang)
            for name, text in (extra or {}).get(result.scenario.name, {}).items():
                (staging[result.scenario.name] / name).write_text(text, encoding="utf-8")

        by_name = {r.scenario.name: r for r in results}

        def report(name: str) -> None:  # a report inlines its figures: written once they are all drawn
            if name == COMPARISON_DIR:
                _comparison_report(staging[name], results, titles, comparison, start, lang)
            else:
                _scenario_report(staging[name], by_name[name], findings[name], start, lang)

        waiting = {name: sum(1 for folder, _ in work if folder == name) for name in staging}
        for name in [name for name, count in waiting.items() if not count]:
            report(name)
        for i in drawing.completed():
            waiting[work[i][0]] -= 1
            if not waiting[work[i][0]]:
                report(work[i][0])
    return {r.scenario.name: out / r.scenario.name for r in results} | (
        {COMPARISON_DIR: out / COMPARISON_DIR / comparison} if comparison else {})


def _scenario_report(folder: Path, result: RunResult, found: Findings, start: float, lang: str) -> None:
    """run.json and report.html of one scenario, its figures already in ``folder``."""
    meta = dict(found.metadata)
    meta["timings_ms"] = meta["timings_ms"] | {"wall": round(1000.0 * (time.perf_counter() - start), 3)}
    meta["summary"] = {language: one_line(result, language) for language in LANGUAGES}
    (folder / "run.json").write_text(json_text(meta), encoding="utf-8")
    s = result.scenario
    years = sorted(set(s.report_years) | {y for y in COMPARISON_YEARS if y <= s.horizon})
    (folder / "report.html").write_text(html.scenario_report(result, meta, years, folder / "figures", lang,
                                                             so_what(result, found, lang), found.seed), encoding="utf-8")


def report_outcomes(results: list[RunResult], years: list[int] = COMPARISON_YEARS) -> pd.DataFrame:
    """The outcomes a comparison report shows: on one index base and one basis of the elderly."""
    return outcome_table(results, years, common_base(results), comparable=True)


def comparison_story(results: list[RunResult], lang: str, outcomes: pd.DataFrame | None = None) -> list[str]:
    """The comparison report's story: what differs most, on its one basis, and what was restated for it."""
    shown = report_outcomes(results) if outcomes is None else outcomes
    return comparison_sentences(shown, lang) + restated_sentence(restated(results), lang)


def _comparison_report(folder: Path, results: list[RunResult], titles: dict[str, str], comparison: str, start: float,
                       lang: str) -> None:
    """run.json and report.html of the comparison, its figures already in ``folder``: its story and
    tables on one index base, the figures' (:func:`common_base`), and one basis of the elderly."""
    outcomes = report_outcomes(results)
    sentences = {language: comparison_story(results, language, outcomes) for language in LANGUAGES}
    meta = {"package": "quiet-crisis", "title": comparison, "scenarios": [r.scenario.name for r in results],
            "summary": {language: found[0] if found else "" for language, found in sentences.items()},
            "timings_ms": {"wall": round(1000.0 * (time.perf_counter() - start), 3)}}
    (folder / "run.json").write_text(json_text(meta), encoding="utf-8")
    (folder / "report.html").write_text(html.comparison_report(
        outcomes, titles, comparison, folder / "figures", meta, lang, sentences[lang],
        [html.calendar_of(r.scenario) for r in results]), encoding="utf-8")
