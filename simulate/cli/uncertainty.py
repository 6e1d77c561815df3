"""Commands on distributions of futures: ensemble, sensitivity, sweep.

Each parses its options, makes one call to :mod:`simulate.api` (which checks sizes, memory and
disk, runs the design and writes the folder) and shows what it returns.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from simulate import api
from simulate.cli.commands import SET_ORIGIN, add_set, overrides
from simulate.cli.show import Progress, print_json, say
from simulate.errors import InputError
from simulate.indicators import REGISTRY
from simulate.report.tables import aligned, backend_words, band_text, describe_impossible
from simulate.text.messages import t
from simulate.text.numbers import compact, format_value

DEFAULT_CHUNK, DEFAULT_MEMORY_GB, DEFAULT_SEED = api.DEFAULT_CHUNK, api.DEFAULT_MEMORY_GB, api.DEFAULT_SEED


def _natural(text: str) -> int:
    """An argparse type: an integer >= 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(t("{text} is negative: give 0 or more", text=text))
    return value


def _positive(text: str) -> float:
    """An argparse type: a finite number > 0 (refuses nan, inf and negatives)."""
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(t("{text} is not a positive finite number", text=text))
    return value


def _common(parser: argparse.ArgumentParser, add_out) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help=t("scenario YAML file or shipped name (with an "
                        "uncertainty block)"))
    add_set(parser)
    parser.add_argument("--seed", type=_natural, default=DEFAULT_SEED, help=t("random seed, 0 or more (default {seed})", seed=DEFAULT_SEED))
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help=t("trajectories per chunk (default {chunk})", chunk=DEFAULT_CHUNK))
    parser.add_argument("--workers", type=int, default=None,
                        help=t("run chunks in N local processes (at most the cores, unless --force-workers)"))
    parser.add_argument("--force-workers", action="store_true", help=t("allow --workers above the number of cores"))
    parser.add_argument("--dask", metavar="ADDRESS", help=t("run chunks on Dask: 'local' starts a LocalCluster, "
                        "'tcp://host:port' uses a running scheduler (needs quiet-crisis[dask])"))
    parser.add_argument("--max-memory-gb", type=_positive, default=DEFAULT_MEMORY_GB,
                        help=t("refuse larger runs (default {limit})", limit=f"{DEFAULT_MEMORY_GB:g}"))
    add_out(parser, argparse.SUPPRESS)


def add_commands(sub, add_out) -> None:
    """Register ensemble, sensitivity and sweep."""
    ensemble = sub.add_parser("ensemble", help=t("Monte Carlo ensemble: quantiles, fan charts, target odds"))
    _common(ensemble, add_out)
    ensemble.add_argument("--n", type=int, default=1000, help=t("number of trajectories (default 1000)"))
    ensemble.add_argument("--keep-ages", action="store_true", help=t("also keep single ages per trajectory"))
    ensemble.set_defaults(handler=cmd_ensemble)

    sens = sub.add_parser("sensitivity", help=t("Sobol or Morris sensitivity (SALib) with tornado charts"))
    _common(sens, add_out)
    sens.add_argument("--method", choices=api.SENSITIVITY_METHODS, default="sobol")
    sens.add_argument("--n", type=int, default=256, help=t("base sample size (a power of two for sobol)"))
    sens.add_argument("--indicator", action="append", default=[], help=t("indicator (repeatable; default: "
                      "population_15_64, old_age_dependency_ratio, labour_force, gdp_per_capita)"))
    sens.add_argument("--year", action="append", type=int, default=[], help=t("year (repeatable; default 2030, 2040)"))
    sens.set_defaults(handler=cmd_sensitivity)

    sweep = sub.add_parser("sweep", help=t("full-factorial sweep of levers with a heatmap"))
    _common(sweep, add_out)
    sweep.add_argument("--grid", action="append", default=[], metavar="NAME=v1,v2,...",
                       help=t("a lever, uncertainty parameter or setting path and its values (or LO:HI:N); repeatable"))
    sweep.add_argument("--metric", default="gdp_per_capita@2040", help=t("heatmap metric INDICATOR@YEAR "
                       "(default gdp_per_capita@2040)"))
    sweep.set_defaults(handler=cmd_sweep)


def execution(args: argparse.Namespace) -> api.Execution:
    """How the design runs (chunks, workers, Dask, memory limit), with a progress bar unless --quiet."""
    bar = Progress(not args.quiet)
    return api.Execution(chunk=args.chunk, workers=args.workers, force_workers=args.force_workers, dask=args.dask,
                         max_memory_gb=args.max_memory_gb, progress=lambda items, desc="": bar(items, desc=desc))


def common(args: argparse.Namespace) -> dict:
    """The keyword arguments every design call takes from the options."""
    if getattr(args, "n", 1) < 1:
        raise InputError(t("--n must be at least 1"))
    return {"execution": execution(args), "out": Path(args.out), "figures": args.formats, "lang": args.lang,
            "overrides": overrides(args), "origin": SET_ORIGIN}


def grid_options(specs: list[str]) -> dict[str, str]:
    """``--grid NAME=VALUES`` options as the sweep's axes (name -> values text)."""
    if not specs:
        raise InputError(t("give at least one --grid NAME=v1,v2,..."))
    axes: dict[str, str] = {}
    for spec in specs:
        name, sep, text = spec.partition("=")
        if not sep or not name.strip():
            raise InputError(t("--grid {spec}: expected NAME=v1,v2,...", spec=repr(spec)))
        if name.strip() in axes:
            raise InputError(t("--grid {name} is given twice", name=name.strip()))
        axes[name.strip()] = text
    return axes


def design_record(command: str, found) -> dict:
    """What every design's ``--json`` starts with (format ``quiet-crisis/<command>/1``): the command,
    the scenario (name and title), the folder written and the backend that ran it."""
    return {"format": f"quiet-crisis/{command}/1", "command": command, "scenario": found.scenario.name,
            "title": found.scenario.label, "folder": str(found.folder), "backend": found.backend}


def varied(parameters: dict, lang: str) -> str:
    """One line per varied input: name, what it varies and over what range."""
    return "\n".join(f"  {name}: {parameter.describe(lang)}" for name, parameter in parameters.items())


def say_inputs(args: argparse.Namespace, ensemble) -> None:
    """A notice when the design was resolved point by point (exact, slower) instead of batched."""
    if ensemble.plain_reason:
        say(args, t("note: every point was resolved on its own, as a single run is ({reason})", args.lang,
                    reason=ensemble.plain_reason))


#: Indicators the ensemble command prints.
ENSEMBLE_LINES = ("population_total", "population_15_64", "labour_force", "gdp_per_capita_index")


def cmd_ensemble(args: argparse.Namespace) -> int:
    """N trajectories: quantiles, samples, per-trajectory indicators, fan charts, target odds."""
    found = api.ensemble(args.scenario, args.n, args.seed, args.keep_ages, **common(args))
    args.written = True
    scenario, ensemble = found.scenario, found.ensemble
    if args.json:
        years = [y for y in scenario.report_years if y in ensemble.years]
        rows = found.quantiles[found.quantiles["year"].isin(years)].drop(columns="scenario", errors="ignore")
        print_json(design_record("ensemble", found) | {
            "n": args.n, "seed": args.seed, "quantiles": rows.to_dict(orient="records"),
            "targets": found.targets.to_dict(orient="records")})
        return 0
    by = found.quantiles.set_index(["indicator", "year"])
    years = [y for y in scenario.report_years if y in ensemble.years]
    say(args, t("{n} trajectories of {name} in {seconds} s ({backend}), varying:", args.lang, n=f"{args.n:,}",
                name=scenario.name, seconds=f"{ensemble.timings_s['run']:.2f}", backend=backend_words(found.backend, args.lang))
        + "\n" + varied(scenario.uncertainty.parameters, args.lang))
    if found.impossible:
        say(args, describe_impossible(found.impossible, args.n))
    say_inputs(args, ensemble)
    for indicator in ENSEMBLE_LINES:  # one small table per indicator: a year a line
        value = lambda y, column: format_value(indicator, by.at[(indicator, y), column], args.lang,  # noqa: E731
                                               scenario.base_year)
        rows = [[str(y), band_text(indicator, by.loc[(indicator, y)], args.lang), value(y, "scenario")] for y in years]
        say(args, aligned([REGISTRY[indicator].label(args.lang), t("median [80 % band]", args.lang),
                           t("the scenario's own value", args.lang)], rows, numbers=range(1, 3)))
    for target, row in zip(scenario.targets, found.targets.itertuples()):
        say(args, "  " + t("the target {target} is met in {percent} % of the trajectories", args.lang,
                           target=target.phrase(args.lang, scenario.base_year), percent=f"{100 * row.probability:.1f}"))
    say(args, t("written to {folder}/", args.lang, folder=found.folder))
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """SALib Sobol or Morris indices, CSV and tornado charts."""
    found = api.sensitivity(args.scenario, args.method, args.n, args.seed, tuple(args.indicator) or None,
                            tuple(args.year) or None, **common(args))
    args.written = True
    table, scenario = found.table, found.scenario
    if args.json:
        print_json(design_record("sensitivity", found) | {
            "method": args.method, "n": args.n, "seed": args.seed, "runs": len(found.design),
            "indices": table.to_dict(orient="records")})
        return 0
    say_inputs(args, found.ensemble)
    key = "ST" if args.method == "sobol" else "mu_star"
    symbol = "ST" if args.method == "sobol" else "μ*"
    label = (t("Sobol indices, total-order ST and first-order S1, each ± its 95 % confidence", args.lang)
             if args.method == "sobol" else t("Morris μ* (mean absolute elementary effect) ± 95 % confidence, in "
                                              "the indicator's unit (σ in sensitivity.csv)", args.lang))
    say(args, t("{method} sensitivity of {name}: {runs} runs, varying:", args.lang, method=args.method.capitalize(),
                name=scenario.name, runs=f"{len(found.design):,}") + "\n"
              + varied(scenario.uncertainty.parameters, args.lang) + f"\n{label}:")
    named = scenario.uncertainty.labels(args.lang)
    for (indicator, year), rows in table.groupby(["indicator", "year"], sort=False):  # a small table each
        ranked = rows.sort_values(key, ascending=False)
        shown = (compact if args.method == "sobol"
                 else lambda v, name=indicator: format_value(name, v, args.lang, scenario.base_year))
        columns = [key, "S1"] if args.method == "sobol" else [key]
        lines = [[named.get(r.parameter, r.parameter)] + [f"{shown(getattr(r, c))} ± {shown(getattr(r, c + '_conf'))}"
                                                          for c in columns] for r in ranked.itertuples()]
        say(args, aligned([f"{REGISTRY[indicator].label(args.lang)} {year}", symbol, *columns[1:]], lines,
                          numbers=range(1, len(columns) + 1)))
    say(args, t("written to {folder}/", args.lang, folder=found.folder))
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Full-factorial sweep; CSV of every grid point and a heatmap (two levers)."""
    found = api.sweep(args.scenario, grid_options(args.grid), args.metric, **common(args))
    args.written = True
    if args.json:
        column = found.table[args.metric]
        print_json(design_record("sweep", found) | {
            "axes": found.axes, "points": len(found.points), "metric": args.metric, "best": found.best,
            "metric_range": [float(column.min()), float(column.max())], "impossible": found.impossible})
        return 0
    scenario, column = found.scenario, found.table[args.metric].to_numpy()
    metric = args.metric.split("@")[0]
    year = args.metric.split("@")[1]
    shown = lambda v: format_value(metric, v, args.lang, scenario.base_year)  # noqa: E731
    at_best = t(", ", args.lang).join(f"{found.parameter_label(n, args.lang)} = {compact(v)}"
                                       for n, v in found.best.items())
    label = REGISTRY[metric].label(args.lang)
    points = len(found.points)
    say(args, t("{points} grid points of {name} ({backend}): {indicator} in {year} ranges from {low} to {high}, "
                "highest with {best}", args.lang, points=f"{points:,}", name=scenario.name, backend=backend_words(found.backend, args.lang),
                indicator=label, year=year, low=shown(np.nanmin(column)), high=shown(np.nanmax(column)), best=at_best))
    if found.impossible:
        say(args, describe_impossible(found.impossible, points, t("grid points", args.lang)))
    say_inputs(args, found.ensemble)
    say(args, t("written to {folder}/", args.lang, folder=found.folder))
    return 0
