"""Every figure in the README that the code can produce, written by this script, never by hand.

The README marks each generated block with ``<!-- figures:NAME -->`` ... ``<!-- /figures:NAME -->``;
this script renders every block and writes it in place.  ``--check`` rewrites nothing and exits 1
naming the blocks that differ (``tests/test_readme.py`` runs it, so figures and file names cannot go
stale).

Blocks and where their numbers come from:

- the model (rerun here, deterministic): ``reproduce``, ``reality``, ``fidelity2017``,
  ``elderly2017``, ``ipss2023``, ``history``, ``scenarios``, ``economy``, ``questions``, ``labour``,
  ``sobol``; the package's list of output files (``outputs``); the hostile corpus (``bad_scenarios``);
- measured records committed beside the code, rendered here: ``mutation``
  (``scripts/figures/mutation.json``, written by ``scripts/mutation_check.py --json``; the slow
  mutation test checks it is current) and ``bench_*`` (``benchmarks/results/*.json``, written by
  each benchmark's ``--record``);
- the explorer's levers (``dials``, ``dials_ja``: ``simulate/scenario/dials.py``);
- ``tests``: the number of tests pytest collects.

Usage: ``python scripts/readme_figures.py [--check] [NAME ...]`` (default: every block).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# As the command line does: single-threaded BLAS under the engine's own threads (before numpy loads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

README = ROOT / "README.md"
#: The documents whose blocks are generated.
DOCUMENTS = (README, ROOT / "README.ja.md", ROOT / "results" / "README.md", *sorted((ROOT / "docs").rglob("*.md")))
MUTATION = ROOT / "scripts" / "figures" / "mutation.json"
BENCHMARKS = ROOT / "benchmarks" / "results"
BLOCK = re.compile(r"(<!-- figures:(?P<name>[a-z0-9_]+) -->)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.S)
ECONOMIC = ("baseline", "productivity_2pct", "productivity_1_5x", "participation_frozen", "active_seniors",
            "women_participation", "automation", "moonshot", "current")
QUESTIONS = [("What productivity growth keeps GDP at its 2017 level through 2040?", "gdp@2040>=1x2017",
              "productivity_growth"),
             ("What gives 2 % GDP growth a year, 2017-2040 (1.02^23)?", "gdp@2040>=1.5769x2017", "productivity_growth"),
             ("What keeps GDP per capita growing to 1.3x 2017 by 2040?", "gdp_per_capita@2040>=1.3x2017",
              "productivity_growth"),
             ("What participation of 65-74-year-olds keeps the labour force above 60 M in 2040?",
              "labour_force@2040>=60e6", "seniors_uplift"),
             ("... or of women 15-64?", "labour_force@2040>=60e6", "women_uplift"),
             ("... or net immigration?", "labour_force@2040>=60e6", "net_migration"),
             ("How many net migrants hold the working-age population at its 2017 level in 2040?",
              "population_15_64@2040>=1x2017", "net_migration")]


def pct(value: float) -> str:
    return f"{value:+.2f} %"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


class Model:
    """The shipped scenarios, run once and shared by the blocks."""

    def __init__(self) -> None:
        self._results = None

    @property
    def results(self) -> dict:
        if self._results is None:
            from simulate.pipeline import run_scenarios
            from simulate.scenario import load_scenarios
            files = sorted((ROOT / "scenarios").glob("*.yaml"))
            self._results = {r.scenario.name: r for r in run_scenarios(load_scenarios(files))}
        return self._results


MODEL = Model()


def reproduce() -> str:
    from simulate.report.tables import format_reproduction
    from simulate.reproduce import reproduction_table
    return "```\n$ python run.py reproduce\n" + format_reproduction(reproduction_table(MODEL.results["baseline"])) + "\n```"


def reality() -> str:
    from simulate.reality import migration_sentence, reality_sentences, reality_table
    base = MODEL.results["baseline"]
    lines = reality_sentences(reality_table(base), base.scenario.history_end) + [migration_sentence(base)]
    return "```\n" + "\n".join(lines) + "\n```"


def fidelity2017() -> str:
    from simulate.fidelity import broad_deviation, largest_total_deviation
    base = MODEL.results["baseline"]
    years = tuple(range(2020, 2066, 5))
    frame = broad_deviation(base, years)
    out = table(["year", "total", "0-14", "15-64", "65+"],
                [[str(year)] + [pct(v) for v in row] for year, row in frame.iterrows()])
    for last in (2040, 2065):
        dev, year = largest_total_deviation(base, 2016, last)
        out += f"\n\nLargest annual deviation of the total 2016-{last}: {pct(dev)} ({year})."
    return out


def elderly2017() -> str:
    from simulate.fidelity import ELDERLY_GROUPS, group_deviation
    frame = group_deviation(MODEL.results["baseline"], ELDERLY_GROUPS, (2030, 2040, 2050, 2065))
    return table(["group"] + [str(y) for y in frame.columns],
                 [[group] + [pct(v) for v in row] for group, row in frame.iterrows()])


def ipss2023() -> str:
    """The model's IPSS 2023 medium outcomes (IPSS's own outcomes stay outside the project)."""
    by_year = MODEL.results["ipss2023_medium"].indicators.set_index("year")
    rows = [[str(y), f"{by_year.at[y, 'population_total'] / 1e6:.2f}", f"{by_year.at[y, 'population_0_14'] / 1e6:.2f}",
             f"{by_year.at[y, 'population_15_64'] / 1e6:.2f}", f"{by_year.at[y, 'population_65_plus'] / 1e6:.2f}",
             f"{by_year.at[y, 'births'] / 1e3:,.0f}"] for y in (2025, 2030, 2040, 2050, 2060, 2070)]
    return table(["year", "total (M)", "0-14 (M)", "15-64 (M)", "65+ (M)", "births (thousand)"], rows)


def ipss2023_variants() -> str:
    """The IPSS 2023 fertility variants as the model runs them, and their fertility effect (high minus
    medium, medium minus low)."""
    names = {"low": "ipss2023_low_fertility", "medium": "ipss2023_medium", "high": "ipss2023_high_fertility"}
    runs = {k: MODEL.results[v].indicators.set_index("year") for k, v in names.items()}
    rows = []
    for year in (2040, 2070):
        for column, unit, scale in (("population_total", "M", 1e6), ("population_0_14", "M", 1e6),
                                    ("births", "thousand", 1e3)):
            v = {k: runs[k].at[year, column] / scale for k in runs}
            digits = 2 if unit == "M" else 0
            rows.append([str(year), f"{column} ({unit})", *[f"{v[k]:,.{digits}f}" for k in ("low", "medium", "high")],
                         f"{v['medium'] - v['low']:+,.{digits}f}", f"{v['high'] - v['medium']:+,.{digits}f}"])
    return table(["year", "quantity", "low", "medium", "high", "medium − low", "high − medium"], rows)


def history() -> str:
    from simulate.calendar import last_observed_year
    from simulate.demography.history import birth_allowance, birth_calibration, foreign_fertility, history_fit
    parts = [f"Allowance for births to residents who are not nationals: {birth_allowance():.4f}; their women's "
             f"fertility relative to the TFR: {foreign_fertility():.3f}."]
    for basis in ("census2015", "census2020"):
        fit = history_fit(basis, last_observed_year())
        parts.append(f"{basis}: birth calibration {birth_calibration(basis):.4f}\n\n" + table(
            ["year", "births registered", "modelled (nationals)", "dev.", "deaths registered", "modelled", "dev.",
             "net migration (residual)"],
            [[str(r.year), f"{r.births_registered:,.0f}", f"{r.births_modelled_nationals:,.0f}",
              pct(r.births_deviation_pct), f"{r.deaths_registered:,.0f}", f"{r.deaths_modelled:,.0f}",
              pct(r.deaths_deviation_pct), f"{r.net_migration_residual:,.0f}"] for r in fit.itertuples()]))
    return "\n\n".join(parts)


def scenarios() -> str:
    rows = []
    for name, result in MODEL.results.items():
        s = result.scenario
        by_year = result.indicators.set_index("year")["population_total"] / 1e6
        rows.append([f"`{name}`", f"{s.jump_off}, {s.history_end}"]
                    + [f"{by_year[y]:.2f}" if y in by_year.index else "—" for y in (2030, 2040, 2065, 2070)])
    out = table(["scenario", "jump-off, observed to", "2030", "2040", "2065", "2070"], rows)
    for base, variants in (("baseline", ("ipss_high_fertility", "ipss_low_fertility")),
                           ("ipss2023_medium", ("ipss2023_high_fertility", "ipss2023_low_fertility"))):
        year = MODEL.results[base].scenario.horizon
        medium = MODEL.results[base].indicators.set_index("year").at[year, "population_total"]
        for name in variants:
            model = MODEL.results[name].indicators.set_index("year").at[year, "population_total"]
            out += f"\n\n`{name}` in {year} against `{base}`: {100 * (model / medium - 1):+.1f} %."
    return out


def economy() -> str:
    from simulate.targets import target_status
    rows, lines = [], []
    for name in ECONOMIC:
        result = MODEL.results[name]
        row = result.indicators.set_index("year").loc[2040]
        rows.append([f"`{name}`", f"{row.labour_force / 1e6:.1f} M", f"{row.gdp_index:.1f} ({result.scenario.base_year}=100)",
                     f"{row.gdp_per_capita_index:.1f}", f"{row.workers_per_elderly:.2f}"])
        for status in target_status(result.indicators, result.scenario.targets, result.scenario.base_year):
            achieved = status["achieved"]
            lines.append(f"- `{name}`: `{status['target']}` {'met' if status['met'] else 'not met'} "
                         f"({achieved:,.0f})" if abs(achieved) >= 1000 else
                         f"- `{name}`: `{status['target']}` {'met' if status['met'] else 'not met'} ({achieved:.1f})")
    return table(["scenario", "labour force", "GDP index", "GDP per capita index", "workers per elderly"], rows) + (
        "\n\nTargets written in the scenarios:\n\n" + "\n".join(lines) if lines else "")


CARE_WORDS = {
    "en": {"pension": "pensions", "medical": "medical care", "long_term_care": "long-term care", "total": "all benefits",
           "header": ["benefits (trillion yen)", "year", "2018 outlook, plan-based", "`outlook2018`", "difference"],
           "year": "FY{year}",
           "current": "`current` in FY2040: {recipients:.2f} M people aged 65+ certified as needing care, **{workers:.2f} M "
                      "care workers needed** ({gap} against MHLW's 2.72 M), {share:.2f} % of the employed (one worker in "
                      "{n:.0f}; {share_2024:.2f} % in 2024); benefits {benefits:.1f} trillion yen, {benefits_gdp:.1f} % of GDP."},
    "ja": {"pension": "年金", "medical": "医療", "long_term_care": "介護", "total": "給付費合計",
           "header": ["給付費（兆円）", "年度", "2018年将来見通し（計画ベース）", "`outlook2018`", "差"],
           "year": "{year}年度",
           "current": "`current` の2040年度：65歳以上の要介護・要支援認定者 {recipients:.2f} 百万人、**必要な介護職員 "
                      "{workers:.2f} 百万人**（厚生労働省の272万人に対し {gap}）、就業者の {share:.2f} %（{n:.0f}人に1人。"
                      "2024年は {share_2024:.2f} %）。給付費 {benefits:.1f} 兆円、対GDP比 {benefits_gdp:.1f} %。"},
}


def care(lang: str = "en") -> str:
    """The 2018 outlook's benefits against ``outlook2018`` (its basis), and ``current``'s care workers."""
    from simulate.data.welfare import outlook_value
    run = MODEL.results["outlook2018"].indicators.set_index("year")
    words, rows = CARE_WORDS[lang], []
    for category, column in (("pension", "pension_spending"), ("medical", "medical_spending"),
                             ("long_term_care", "ltc_spending"), ("total", "social_security_benefits")):
        for year in (2025, 2040):
            low, high = outlook_value(category, year, which="low"), outlook_value(category, year, which="high")
            published = f"{low:.1f}" if low == high else f"{low:.1f}-{high:.1f}"
            model = run.at[year, column]
            gap = (pct(100 * (model / low - 1)) if low == high else
                   f"{pct(100 * (model / low - 1))} / {pct(100 * (model / high - 1))}")
            rows.append([words[category], words["year"].format(year=year), published, f"{model:.1f}", gap])
    now = MODEL.results["current"].indicators.set_index("year")
    workers = now.at[2040, "care_workers_needed"]
    return table(words["header"], rows) + "\n\n" + words["current"].format(
        recipients=now.at[2040, "care_recipients"] / 1e6, workers=workers / 1e6, gap=pct(100 * (workers / 2.72e6 - 1)),
        share=now.at[2040, "care_worker_share"], n=100 / now.at[2040, "care_worker_share"],
        share_2024=now.at[2024, "care_worker_share"], benefits=now.at[2040, "social_security_benefits"],
        benefits_gdp=now.at[2040, "social_security_benefits_gdp"])


def questions() -> str:
    from simulate.backcasting import solve
    from simulate.scenario.economy_model import Target
    baseline = MODEL.results["baseline"].scenario
    rows = []
    for question, target, lever in QUESTIONS:
        solution = solve(baseline, lever, [Target.parse(target)])
        value = f"{solution.value:,.0f}" if abs(solution.value) > 1000 else f"{solution.value:.3g}"
        rows.append([question, f"`{target}`", f"`{lever}`", f"**{value} {solution.unit}**"])
    return table(["question", "target", "lever", "answer"], rows)


def outputs() -> str:
    """The files of every kind of result folder (:data:`simulate.report.files.FOLDER_FILES`)."""
    from simulate.report.files import FOLDER_FILES
    return "\n\n".join(f"**{kind}**\n\n" + "\n".join(f"- `{name}` — {what}" for name, what in files.items())
                       for kind, files in FOLDER_FILES.items())


def labour() -> str:
    """The labour calibration's own numbers: factors on the OECD profile, seniors' rates, employment."""

    from simulate.economy.calibration import (SENIOR_AGE, WORKING_AGE, calibrate_profile, observed_population,
                                              oecd_profile, participation_profile)
    oecd = oecd_profile()
    profile = calibrate_profile(oecd, observed_population("census2015", 2017))
    rows = []
    for s, sex in enumerate(("men", "women")):
        for span, broad in ((WORKING_AGE, "15-64"), (SENIOR_AGE, "65+")):
            rows.append([f"{sex} {broad}", f"{(profile[s, span] / oecd[s, span]).mean():.2f}"])
    out = table(["OECD 2012 profile scaled to the 2017 survey", "factor"], rows)

    def seniors(basis: str) -> float:  # 65-69 and 70-74, both sexes, weighted by their population
        calibration = participation_profile(basis)
        cells = (slice(None), slice(10, 12))
        return float((calibration.profile[cells] * calibration.population[cells]).sum()
                     / calibration.population[cells].sum())

    base = MODEL.results["baseline"].indicators.set_index("year")
    current = MODEL.results["current"].indicators.set_index("year")
    medium = MODEL.results["ipss2023_medium"].indicators.set_index("year")
    facts = [("participation of 65-74-year-olds, 2017 survey (census2015)", f"{seniors('census2015'):.1f} %"),
             ("participation of 65-74-year-olds, 2024 survey (census2020)", f"{seniors('census2020'):.1f} %"),
             ("labour force 2020 on the 2020 census (between the 2017 and 2022 surveys)",
              f"{medium.at[2020, 'labour_force'] / 1e6:.2f} M"),
             ("employed 2017, baseline (survey: 65.30 M)", f"{base.at[2017, 'employed'] / 1e6:.2f} M"),
             ("GDP 2018, baseline (anchor: USD 5,063 bn)", f"USD {base.at[2018, 'gdp']:,.0f} bn"),
             ("GDP 2024, current", f"USD {current.at[2024, 'gdp']:,.0f} bn")]
    return out + "\n\n" + table(["calibrated quantity", "value"], [list(f) for f in facts])


def sobol() -> str:
    """The baseline's largest total-order Sobol indices (n = 256) for the default outputs."""
    import simulate
    frame = simulate.sensitivity("baseline", "sobol", n=256).table
    rows = []
    for (indicator, year), part in frame.groupby(["indicator", "year"], sort=False):
        top = part.sort_values("ST", ascending=False).head(3)
        rows.append([f"`{indicator}`", str(year), ", ".join(f"{r.parameter} {r.ST:.2f}" for r in top.itertuples())])
    return table(["indicator", "year", "largest total-order indices ST"], rows)


def bad_scenarios() -> str:
    return str(len(list((ROOT / "tests" / "bad_scenarios").glob("*.yaml"))))


def mutation() -> str:
    record = json.loads(MUTATION.read_text(encoding="utf-8"))
    return (f"**Mutation score: {record['killed']} of {record['mutants']} mutants killed**"
            + (f" (survived: {', '.join(record['survived'])})" if record["survived"] else ""))


def tests() -> str:
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    found = re.search(r"(\d+) tests? collected", proc.stdout)
    if not found:
        raise SystemExit(f"pytest --collect-only printed no count:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return found.group(1)


#: What the back-test tables show: quantities and horizons.
BACKTEST_ROWS = (("tfr", (1, 5, 10, 20, 30)), ("births", (1, 5, 10, 20, 30)), ("population_total", (1, 5, 10, 20, 30)),
                 ("population_0_14", (5, 10, 20, 30)), ("population_15_64", (5, 10, 20, 30)),
                 ("population_65_plus", (5, 10, 20, 30)), ("e0_female", (5, 10, 20, 30)), ("e0_male", (5, 10, 20, 30)))
#: The acceptance of issue 33: the 80 % interval's coverage, pooled over guide and test outcomes, of
#: the origins 1960-2004, for these quantities and horizons.
ACCEPTANCE = (("tfr", (20, 30)), ("births", (20, 30)), ("population_total", (20, 30)), ("population_15_64", (10,)),
              ("population_65_plus", (10,)))
ACCEPTANCE_ORIGINS = (1960, 2004)
COVERAGE_FIGURE = ROOT / "docs" / "backtest_coverage.svg"


@functools.lru_cache(maxsize=None)
def run_backtest(origins: str, n: int):
    """``api.backtest(origins, n=n)``, once per process (several blocks read it)."""
    from simulate import api

    return api.backtest(origins, n=n)


#: The back-test every origin from 1960 to 2019, horizons 1-30 (the README's record).
ANNUAL = ("1960:2019:1", 1000)


def backtest_words(lang: str) -> str:
    """The record in words (:mod:`simulate.report.designs`, the back-test report's own sentences):
    the 80 % band's coverage 10, 20 and 30 years ahead (guide) of every quantity, those outside
    70-90 % by name, and the test outcomes five years ahead."""
    from simulate.report.designs import backtest_sentences, backtest_test_sentence

    scores = run_backtest(*ANNUAL).scores
    sentences = backtest_sentences(scores, lang)
    return " ".join(sentences[:1] + sentences[2:] + [backtest_test_sentence(scores, lang)])


#: The forecast the official projections are set beside in the README: current, from the data alone.
BESIDE = {"scenario": "current", "n": 2000, "centre": "history"}


@functools.lru_cache(maxsize=None)
def beside_forecast():
    from simulate import api

    return api.forecast(BESIDE["scenario"], n=BESIDE["n"], centre=BESIDE["centre"])


def official_beside() -> str:
    """Where IPSS 2023's variants and the UN's WPP 2024 fall in the unconditional forecast of current."""
    from simulate.report.designs import official_table

    found = beside_forecast()
    heads, rows = official_table(found.official, "en")
    command = (f"`python run.py forecast {BESIDE['scenario']} --centre {BESIDE['centre']} --n {BESIDE['n']}` "
               f"(seed {found.inputs.seed}); each cell: the projection's value and its "
               "percentile among the forecast's possible trajectories:")
    return command + "\n\n" + table(heads, rows)


def official_words(lang: str) -> str:
    from simulate.report.designs import official_sentences

    return " ".join(official_sentences(beside_forecast().official, lang))


#: The all-residents back-test: origins, horizons shown, trajectories.
RESIDENTS_RECORD = ("2017:2023:1", (1, 3, 5, 7), 1000)


def backtest_residents() -> str:
    """The record of the all-residents forecast (2015 census basis) from 2017-2023, both centres."""
    from simulate import api
    from simulate.indicators import scored_label as label

    origins, shown, n = RESIDENTS_RECORD
    rows = []
    for centre in ("history", "scenario"):
        scores = api.backtest(origins, n=n, horizons=f"1:{shown[-1]}", universe="residents",
                              centre=centre).scores.set_index(["indicator", "horizon"])
        for name in ("tfr", "births", "population_total", "e0_female", "e0_male"):
            cells = [f"{100 * scores.at[(name, h), 'coverage_0.8']:.0f} % of {int(scores.at[(name, h), 'cases'])}, "
                     f"bias {scores.at[(name, h), 'bias']:+.2f}{' y' if name.startswith('e0') else ' %'}"
                     for h in shown if (name, h) in scores.index]
            rows.append([centre, label(name, "en"), *cells])
    command = (f"`python run.py backtest --universe residents --origins {origins} --horizons 1:{shown[-1]} --n {n}` "
               "and the same with `--centre scenario` (the baseline's own assumptions, IPSS 2017 medium); each cell: "
               "outcomes inside the 80 % interval of those scored, and the median's bias:")
    return command + "\n\n" + table(["centre", "quantity", *[f"{h} year{'s' if h > 1 else ''} ahead" for h in shown]],
                                     rows)


def backtest_acceptance() -> str:
    """The 80 % interval's coverage pooled over guide and test outcomes, origins 1960-2004."""
    from simulate.indicators import scored_label as label

    cases = run_backtest(*ANNUAL).cases
    first, last = ACCEPTANCE_ORIGINS
    cases = cases[(cases["origin"] >= first) & (cases["origin"] <= last)]
    inside = (cases["low_0.8"] <= cases["observed"]) & (cases["observed"] <= cases["high_0.8"])
    rows = []
    for name, horizons in ACCEPTANCE:
        for h in horizons:
            mine = (cases["indicator"] == name) & (cases["horizon"] == h)
            share = float(inside[mine].mean())
            rows.append([label(name, "en"), str(h), str(int(mine.sum())), f"{100 * share:.0f} %",
                         "yes" if 0.7 <= share <= 0.9 else "**no**"])
    return table(["quantity", "years ahead", "cases", "80 % interval held", "within 70-90 %"], rows)


def backtest_block(origins: str, n: int, figure: bool = False) -> str:
    """The back-test's scores as a Markdown table (``python run.py backtest --origins ORIGINS --n N``)."""
    from simulate.indicators import scored_label as label

    found = run_backtest(origins, n)
    scores = found.scores.set_index(["period", "indicator", "horizon"])
    rows = []
    for period in ("guide", "test"):
        for name, horizons in BACKTEST_ROWS:
            for h in horizons:
                if (period, name, h) not in scores.index:
                    continue
                r = scores.loc[(period, name, h)]
                unit = " y" if name.startswith("e0") else " %"
                rows.append([period, label(name, "en"), str(h), str(int(r["cases"])),
                             *[f"{100 * r[f'coverage_{level}']:.0f} %" for level in (0.5, 0.8, 0.95)],
                             f"{r['bias']:+.2f}{unit}", f"{r['error']:.2f}{unit}", f"{r['central_error']:.2f}{unit}",
                             f"{r['interval_score']:.1f}"])
    if figure and "--check" not in sys.argv:
        from simulate.plots.render import uncertainty_figures
        uncertainty_figures("backtest_figures", COVERAGE_FIGURE.parent, found.scores, "en", formats=("svg",))
        (COVERAGE_FIGURE.parent / "coverage.svg").replace(COVERAGE_FIGURE)
    return (f"`python run.py backtest --origins {origins} --n {n}` (seed {found.seed}):\n\n"
            + table(["outcomes", "quantity", "years ahead", "origins", "50 % held", "80 % held", "95 % held",
                     "bias (median)", "median error", "central path's error", "interval score (80 %)"], rows))


@functools.lru_cache(maxsize=1)
def odds_answers() -> tuple[float, dict[float, object], object]:
    """The seed's question with honest odds, once per process: the one-path backcast, the backcasts
    at 50, 80 and 95 % (500 futures) and the frontier with seniors' participation."""
    from simulate import api

    question = "gdp@2040>=1x2024"
    plain = api.backcast("current", "productivity_growth", [question]).value
    at = {level: api.backcast_odds("current", "productivity_growth", level, [question], n=500)
          for level in (0.5, 0.8, 0.95)}
    return plain, at, api.frontier("current", "seniors_uplift", "productivity_growth", [question]).table


def odds_words(lang: str) -> str:
    """The odds table in a sentence (:func:`simulate.report.designs.odds_sentence`)."""
    from simulate.report.designs import odds_sentence

    plain, at, frontier = odds_answers()
    row = frontier[frontier["seniors_uplift"] == 30.0].iloc[0]
    return odds_sentence(plain, {level: found.value for level, found in at.items()}, 30.0, row.productivity_growth,
                         lang)


def odds() -> str:
    """The seed's question with honest odds: productivity growth for GDP 2040 >= 2024 on ``current``."""
    plain, at, frontier = odds_answers()
    rows = [["in the scenario itself (one path)", f"{plain:.2f} % a year", ""]]
    for level, found in at.items():
        rows.append([f"in at least {100 * level:.0f} % of 500 futures", f"{found.value:.2f} % a year",
                     f"{100 * found.solution.achieved:.1f} %"])
    points = [[f"+{row.seniors_uplift:g} points", f"{row.productivity_growth:.2f} % a year"]
              for row in frontier.itertuples() if row.status == "met"]
    return ("`python run.py backcast current --lever productivity_growth --target 'gdp@2040>=1x2024'`, and with "
            "`--odds 0.5`, `--odds 0.8` (`python run.py backcast current --lever productivity_growth --target "
            "'gdp@2040>=1x2024' --odds 0.8 --n 500`) and `--odds 0.95`, each with `--n 500`:\n\n" + table(["GDP 2040 at least 2024's", "productivity growth needed",
                                                "share of futures meeting it"], rows)
            + "\n\n`python run.py backcast current --lever seniors_uplift --lever productivity_growth --target "
            "'gdp@2040>=1x2024'` (the frontier, in the scenario itself):\n\n"
            + table(["participation of ages 65-74", "productivity growth needed"], points))


def dials(lang: str) -> str:
    """The explorer's levers (``simulate/scenario/dials.py``): key, name, unit, slider range, unmoved value."""
    from simulate.scenario.dials import COLUMNS, DIALS
    from simulate.text.messages import t
    from simulate.text.numbers import plain
    rows = [[f"`{dial.key}`", t(dial.label, lang), t(dial.unit, lang),
             f"{plain(dial.low, dial.decimals)} – {plain(dial.high, dial.decimals)}",
             dial.unmoved_in(lang) + (f" (`{dial.needs_mode}`)" if dial.needs_mode else "")] for dial in DIALS.values()]
    return table([t(column, lang) for column in COLUMNS], rows)


def same_words(words: str, lang: str) -> str:
    """``current``'s population in 2040 with ``--set migration.net=<words>`` (the explorer's same setting)."""
    from simulate import api
    from simulate.text.numbers import format_value
    value = api.run("current", **{"migration.net": words}).indicators.set_index("year").at[2040, "population_total"]
    return format_value("population_total", float(value), lang, 2024)


def messages() -> str:
    """How many messages the catalogue holds (scripts/messages.py reads it)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import messages as catalogue  # noqa: PLC0415 - the sibling script, found on its own folder

    return f"{len([m for m in catalogue.read() if m.id]):,}"


@functools.cache
def report_sizes() -> dict[str, int]:
    """``current``'s report in each language, and the font it embeds, in KB (1 KB = 1,000 bytes)."""
    import tempfile

    sizes = {}
    with tempfile.TemporaryDirectory() as folder:
        for lang in ("en", "ja"):
            out = Path(folder) / lang
            subprocess.run([sys.executable, str(ROOT / "run.py"), "run", "current", "--lang", lang, "--out", str(out),
                            "--quiet"], cwd=ROOT, check=True, capture_output=True)
            page = (out / "current" / "report.html").read_text(encoding="utf-8")
            font = re.search(r"@font-face\{[^}]*\}", page)
            sizes[lang] = round(len(page.encode("utf-8")) / 1000)
            sizes[f"font_{lang}"] = round(len(font.group(0)) / 1000) if font else 0
    return sizes


def flatten(figures: dict, prefix: str = "") -> list[tuple[str, str]]:
    """A benchmark's figures as (dotted key, value) rows; lists are joined, ``targets`` left out."""
    rows = []
    for key, value in figures.items():
        if key == "targets" and not prefix:
            continue
        if isinstance(value, dict):
            rows += flatten(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            rows.append((prefix + key, ", ".join(f"{v:,}" if isinstance(v, (int, float)) else str(v) for v in value)))
        else:
            rows.append((prefix + key, f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool)
                         else str(value)))
    return rows


def bench(name: str) -> Callable[[], str]:
    """A benchmark's record (``benchmarks/results/NAME.json``, written by ``--record``) as a table."""
    def render() -> str:
        record = json.loads((BENCHMARKS / f"{name}.json").read_text(encoding="utf-8"))
        targets = record["figures"].get("targets", {})
        rows = [[f"`{key}`", value, f"{targets[key]:,}" if key in targets else ""]
                for key, value in flatten(record["figures"])]
        return (f"`python benchmarks/{name}.py --record`, {record['when']}, {record['machine']}, commit "
                f"{record['commit']}:\n\n" + table(["measure", "measured", "target"], rows))
    return render


BLOCKS: dict[str, Callable[[], str]] = {
    "reproduce": reproduce, "reality": reality, "fidelity2017": fidelity2017, "elderly2017": elderly2017,
    "ipss2023": ipss2023, "ipss2023_variants": ipss2023_variants, "history": history, "scenarios": scenarios, "economy": economy, "questions": questions,
    "care": care, "care_ja": lambda: care("ja"),
    "outputs": outputs, "mutation": mutation, "tests": tests, "labour": labour, "sobol": sobol,
    "bad_scenarios": bad_scenarios, "messages": messages,
    "backtest": lambda: backtest_block("1960:2015:5", 2000, figure=False), "odds": odds,
    "backtest_annual": lambda: backtest_block(*ANNUAL, figure=True), "backtest_acceptance": backtest_acceptance,
    "official_beside": official_beside, "backtest_residents": backtest_residents, "official_words": lambda: official_words("en"),
    "official_words_ja": lambda: official_words("ja"),
    "backtest_words": lambda: backtest_words("en"), "backtest_words_ja": lambda: backtest_words("ja"),
    "odds_words_ja": lambda: odds_words("ja"),
    "dials": lambda: dials("en"), "dials_ja": lambda: dials("ja"),
    **{f"same_words_{form}{suffix}": (lambda w=w, lang=lang: same_words(w, lang)) for form, w in
       (("at_once", "300000"), ("ramp", "300000@2035")) for suffix, lang in (("", "en"), ("_ja", "ja"))},
    **{f"report_{key}_kb": (lambda key=key: str(report_sizes()[key])) for key in ("en", "ja", "font_en", "font_ja")},
    **{f"bench_{p.stem.removeprefix('bench_')}": bench(p.stem) for p in sorted((ROOT / "benchmarks").glob("bench_*.py"))},
}
#: Blocks written inline in a sentence (no blank lines around them).
INLINE = {"same_words_at_once", "same_words_ramp", "same_words_at_once_ja", "same_words_ramp_ja", "official_words", "official_words_ja", "backtest_words", "backtest_words_ja", "odds_words_ja", "tests", "mutation", "bad_scenarios", "messages", "report_en_kb", "report_ja_kb", "report_font_en_kb",
          "report_font_ja_kb"}


def render(name: str) -> str:
    body = BLOCKS[name]()
    return body if name in INLINE else f"\n{body}\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="blocks to render (default: every block of the documents)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a block differs")
    args = parser.parse_args(argv)
    texts = {path: path.read_text(encoding="utf-8") for path in DOCUMENTS}
    present = [m.group("name") for text in texts.values() for m in BLOCK.finditer(text)]
    unknown = sorted(set(present) - set(BLOCKS))
    if unknown:
        raise SystemExit(f"blocks with no generator: {', '.join(unknown)}")
    fresh = {name: render(name) for name in dict.fromkeys(args.names or present)}
    stale = sorted({f"{path.relative_to(ROOT)}:{m.group('name')}" for path, text in texts.items()
                    for m in BLOCK.finditer(text) if m.group("name") in fresh and m.group("body") != fresh[m.group("name")]})
    if args.check:
        print("stale blocks: " + ", ".join(stale) if stale else f"{len(fresh)} generated blocks are current")
        return 1 if stale else 0
    for path, text in texts.items():
        new = BLOCK.sub(lambda m: m.group(1) + fresh[m.group("name")] + m.group(4) if m.group("name") in fresh
                        else m.group(0), text)
        if new != text:
            path.write_text(new, encoding="utf-8")
    print(f"rewrote {', '.join(stale) or 'nothing'} ({len(fresh)} blocks)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
