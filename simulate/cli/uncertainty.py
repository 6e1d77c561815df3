"""Commands on distributions of futures: ensemble, sensitivity, sweep."""

from __future__ import annotations

import argparse
import functools
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.cli.commands import add_set, load_all, say
from simulate.errors import InputError
from simulate.machine import cores
from simulate.indicators import NAMES, REGISTRY
from simulate.text.numbers import axis, compact, format_value
from simulate.feasibility import describe_impossible
from simulate.names import answer_name
from simulate.report.outputs import Progress
from simulate.uncertainty.ensemble import DEFAULT_CHUNK, DEFAULT_MEMORY_GB


def _natural(text: str) -> int:
    """An argparse type: an integer >= 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative: give 0 or more")
    return value


def _positive(text: str) -> float:
    """An argparse type: a finite number > 0 (refuses nan, inf and negatives)."""
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive finite number")
    return value


def _common(parser: argparse.ArgumentParser, add_out) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file or shipped name (with an "
                        "uncertainty block)")
    add_set(parser)
    parser.add_argument("--seed", type=_natural, default=20180701, help="random seed, 0 or more (default 20180701)")
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help=f"trajectories per chunk (default {DEFAULT_CHUNK})")
    parser.add_argument("--workers", type=int, default=None,
                        help="run chunks in N local processes (at most the cores, unless --force-workers)")
    parser.add_argument("--force-workers", action="store_true", help="allow --workers above the number of cores")
    parser.add_argument("--dask", metavar="ADDRESS", help="run chunks on Dask: 'local' starts a LocalCluster, "
                        "'tcp://host:port' uses a running scheduler (needs quiet-crisis[dask])")
    parser.add_argument("--max-memory-gb", type=_positive, default=DEFAULT_MEMORY_GB,
                        help=f"refuse larger runs (default {DEFAULT_MEMORY_GB:g})")
    add_out(parser, argparse.SUPPRESS)


def add_commands(sub, add_out) -> None:
    """Register ensemble, sensitivity and sweep."""
    ensemble = sub.add_parser("ensemble", help="Monte Carlo ensemble: quantiles, fan charts, target odds")
    _common(ensemble, add_out)
    ensemble.add_argument("--n", type=int, default=1000, help="number of trajectories (default 1000)")
    ensemble.add_argument("--keep-ages", action="store_true", help="also keep single ages per trajectory")
    ensemble.set_defaults(handler=cmd_ensemble)

    sens = sub.add_parser("sensitivity", help="Sobol or Morris sensitivity (SALib) with tornado charts")
    _common(sens, add_out)
    sens.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    sens.add_argument("--n", type=int, default=256, help="base sample size (a power of two for sobol)")
    sens.add_argument("--indicator", action="append", default=[], help="indicator (repeatable; default: "
                      "population_15_64, old_age_dependency_ratio, labour_force, gdp_per_capita)")
    sens.add_argument("--year", action="append", type=int, default=[], help="year (repeatable; default 2030, 2040)")
    sens.set_defaults(handler=cmd_sensitivity)

    sweep = sub.add_parser("sweep", help="full-factorial sweep of levers with a heatmap")
    _common(sweep, add_out)
    sweep.add_argument("--grid", action="append", default=[], metavar="NAME=v1,v2,...",
                       help="a lever, uncertainty parameter or setting path and its values (or LO:HI:N); repeatable")
    sweep.add_argument("--metric", default="gdp_per_capita@2040", help="heatmap metric INDICATOR@YEAR "
                       "(default gdp_per_capita@2040)")
    sweep.set_defaults(handler=cmd_sweep)


def _setup(args: argparse.Namespace):
    from simulate.plots.render import prestart
    from simulate.uncertainty.backends import backend

    if args.formats:
        prestart(1)  # one figure worker loads matplotlib while the trajectories run

    for name in ("chunk", "n"):
        if getattr(args, name, 1) is not None and getattr(args, name, 1) < 1:
            raise InputError(f"--{name} must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers must be at least 1")
    if args.workers is not None and args.workers > cores() and not args.force_workers:
        raise InputError(f"--workers {args.workers}: this machine lets the program use {cores()} cores, so more "
                         "workers only add memory and switching; use at most that, or add --force-workers")
    loaded = load_all(args, [args.scenario])[0]
    bar = Progress(not args.quiet)
    return loaded.scenario, backend(args.dask, args.workers), lambda items: bar(items, desc="chunks")


def grid_options(specs: list[str]) -> dict[str, str]:
    """``--grid NAME=VALUES`` options as the sweep's axes (name -> values text)."""
    if not specs:
        raise InputError("give at least one --grid NAME=v1,v2,...")
    axes: dict[str, str] = {}
    for spec in specs:
        name, sep, text = spec.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--grid {spec!r}: expected NAME=v1,v2,...")
        if name.strip() in axes:
            raise InputError(f"--grid {name.strip()} is given twice")
        axes[name.strip()] = text
    return axes


def require_some_possible(ensemble, what: str) -> int:
    """How many runs of ``ensemble`` are impossible worlds; ImpossibleWorld (exit 1) if all are."""
    from simulate.feasibility import ImpossibleWorld

    left_out = int((~ensemble.possible).sum())
    if left_out == len(ensemble.possible):
        raise ImpossibleWorld(f"all {left_out:,} {what} describe a world that cannot exist (a population that "
                              "dies out or output that overflows): narrow the uncertainty ranges")
    return left_out


def figure(name: str):
    """The figure job ``name`` of :mod:`simulate.plots.uncertainty`; matplotlib is imported by the
    figure worker that draws it, never by this process."""
    from simulate.plots.render import uncertainty_figures

    return functools.partial(uncertainty_figures, name)


def varied(parameters: dict) -> str:
    """One line per varied input: name, what it varies and over what range."""
    return "\n".join(f"  {name}: {parameter.describe()}" for name, parameter in parameters.items())


def inputs_record(ensemble) -> str:
    """How the design's inputs were resolved, for the folder's JSON record."""
    return f"point by point: {ensemble.plain_reason}" if ensemble.plain_reason else "batched (affine, checked)"


def say_inputs(args: argparse.Namespace, ensemble) -> None:
    """A notice when the design was resolved point by point (exact, slower) instead of batched."""
    if ensemble.plain_reason:
        say(args, f"note: every point was resolved on its own, as a single run is ({ensemble.plain_reason})")


#: Indicators the ensemble command prints.
ENSEMBLE_LINES = ("population_total", "population_15_64", "labour_force", "gdp_per_capita_index")


def cmd_ensemble(args: argparse.Namespace) -> int:
    """N trajectories: quantiles, samples, per-trajectory indicators, fan charts, target odds."""
    from simulate.plots.kinds import FAN_INDICATORS
    from simulate.report.uncertainty import fill_folder, metadata, samples_frame, start_figures
    from simulate.report.writers import atomic_directory
    from simulate.uncertainty.ensemble import (check_memory, in_registry_order, quantile_table, run_design, sample,
                                               target_probabilities, with_scenario_values)
    from simulate.uncertainty.store import STORE_NAME, check_disk

    start = time.perf_counter()
    scenario, runner, progress = _setup(args)
    parameters = scenario.uncertainty.parameters
    steps = scenario.horizon - scenario.basis.jump_off_year + 1
    check_memory(args.n, steps, len(parameters), args.keep_ages, args.chunk, args.max_memory_gb,
                 processes=runner.local_processes)
    if not parameters:
        raise InputError(f"{args.scenario}: no uncertainty.parameters to sample")
    question = f"n{args.n} seed{args.seed}" + (" ages" if args.keep_ages else "")
    target = Path(args.out) / answer_name(scenario.name, "ensemble", question)
    check_disk(target.parent, args.n, steps + 1, args.keep_ages)
    with atomic_directory(target) as staging:  # chunks stream into the store; all is published at once
        ensemble = run_design(scenario, sample(parameters, args.n, args.seed), parameters, args.chunk, runner,
                              args.keep_ages, progress, staging / STORE_NAME)
        left_out = require_some_possible(ensemble, "trajectories")
        fans = quantile_table(ensemble, FAN_INDICATORS)  # the fan charts are drawn while the rest is computed
        drawing = start_figures(staging, [(figure("ensemble_figures"), (fans, scenario.label, args.lang))]
                                if args.formats else [], args.formats)
        rest = quantile_table(ensemble, [name for name in NAMES if name not in FAN_INDICATORS])
        quantiles = with_scenario_values(in_registry_order(fans, rest), scenario)
        odds = target_probabilities(ensemble, scenario.targets, scenario.base_year)
        meta = metadata(scenario, {"question": question, "n": args.n, "seed": args.seed, "chunk": args.chunk,
                                   "backend": runner.name,
                                   "keep_ages": args.keep_ages, "targets": odds, "impossible": left_out,
                                   "inputs": inputs_record(ensemble),
                                   "timings_s": {k: round(v, 4) for k, v in ensemble.timings_s.items()}})
        fill_folder(staging, {"quantiles.csv": quantiles, "samples.csv": samples_frame(ensemble),
                              "targets.csv": pd.DataFrame(odds, columns=["target", "probability"])},
                    drawing, start, meta, "ensemble.json")
    folder = target
    by = quantiles.set_index(["indicator", "year"])
    years = [y for y in scenario.report_years if y in ensemble.years]
    say(args, f"{args.n:,} trajectories of {scenario.name} in {ensemble.timings_s['run']:.2f} s "
              f"({runner.name}), varying:\n" + varied(parameters))
    if left_out:
        say(args, describe_impossible(left_out, args.n))
    say_inputs(args, ensemble)
    say(args, "このシナリオの値 | アンサンブルの中央値 [80 %区間]:" if args.lang == "ja"
        else "scenario's own value | ensemble median [80 % band]:")
    for indicator in ENSEMBLE_LINES:
        value = lambda y, column: format_value(indicator, by.at[(indicator, y), column], args.lang,  # noqa: E731
                                               scenario.base_year)
        cells = "  ".join(f"{y}: {value(y, 'scenario')} | {value(y, 'p50')} [{value(y, 'p10')} - {value(y, 'p90')}]"
                          for y in years)
        say(args, f"  {REGISTRY[indicator].label(args.lang)}: {cells}")
    for row in odds:
        say(args, f"  P({row['target']}) = {100 * row['probability']:.1f} %")
    say(args, f"written to {folder}/")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """SALib Sobol or Morris indices, CSV and tornado charts."""
    from simulate.report.uncertainty import fill_folder, metadata, start_figures
    from simulate.report.writers import atomic_directory
    from simulate.uncertainty.sensitivity import DEFAULT_INDICATORS, DEFAULT_YEARS, sensitivity
    from simulate.uncertainty.store import STORE_NAME

    start = time.perf_counter()
    scenario, runner, progress = _setup(args)
    question = f"{args.method} n{args.n} seed{args.seed}"
    folder = Path(args.out) / answer_name(scenario.name, "sensitivity", question)
    with atomic_directory(folder) as staging:
        table, ensemble, unit = sensitivity(scenario, args.method, args.n, args.seed,
                                            tuple(args.indicator) or DEFAULT_INDICATORS,
                                            tuple(args.year) or DEFAULT_YEARS, args.chunk, runner, progress,
                                            args.max_memory_gb, staging / STORE_NAME)
        design = pd.DataFrame(ensemble.values, columns=ensemble.names)
        meta = metadata(scenario, {"question": question, "method": args.method, "n": args.n, "runs": len(design),
                                   "seed": args.seed, "backend": runner.name, "inputs": inputs_record(ensemble)})
        figures = ([(figure("tornado_figures"), (table, args.method, scenario.label, args.lang))] if args.formats
                   else [])
        fill_folder(staging, {"sensitivity.csv": table, "samples.csv": design},
                    start_figures(staging, figures, args.formats), start, meta, "sensitivity.json")
    say_inputs(args, ensemble)
    key = "ST" if args.method == "sobol" else "mu_star"
    symbol = "ST" if args.method == "sobol" else "μ*"
    label = ("Sobol indices, total-order ST and first-order S1, each ± its 95 % confidence"
             if args.method == "sobol" else "Morris μ* (mean absolute elementary effect) ± 95 % confidence, in the "
             "indicator's unit (σ in sensitivity.csv)")
    say(args, f"{args.method} sensitivity of {scenario.name}: {len(design):,} runs, varying:\n"
              + varied(scenario.uncertainty.parameters) + f"\n{label}:")
    for (indicator, year), rows in table.groupby(["indicator", "year"], sort=False):
        ranked = rows.sort_values(key, ascending=False)
        first = ((lambda r: f" (S1 {compact(r.S1)} ± {compact(r.S1_conf)})") if args.method == "sobol"
                 else (lambda r: ""))
        shown = (compact if args.method == "sobol"
                 else lambda v, name=indicator: format_value(name, v, args.lang, scenario.base_year))
        say(args, f"  {REGISTRY[indicator].label(args.lang)} {year}: " + ", ".join(
            f"{r.parameter} {symbol} {shown(getattr(r, key))} ± {shown(getattr(r, key + '_conf'))}{first(r)}"
            for r in ranked.itertuples()))
    say(args, f"written to {folder}/")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Full-factorial sweep; CSV of every grid point and a heatmap (two levers) or line (one)."""
    from simulate.report.uncertainty import fill_folder, metadata, start_figures
    from simulate.report.writers import atomic_directory
    from simulate.uncertainty.ensemble import N_INDICATORS, check_memory, run_design
    from simulate.uncertainty.store import STORE_NAME, check_disk
    from simulate.uncertainty.sweep import heatmap_grid, sweep_design, sweep_metric, sweep_table

    start = time.perf_counter()
    scenario, runner, progress = _setup(args)
    metric = sweep_metric(args.metric, scenario)
    steps = scenario.horizon - scenario.basis.jump_off_year + 1
    columns = N_INDICATORS * len(scenario.report_years) + len(args.grid) + 2  # sweep.csv
    parameters, points = sweep_design(grid_options(args.grid), scenario, lambda n: check_memory(
        n, steps, len(args.grid), False, args.chunk, args.max_memory_gb, "sweep", "grid", columns=columns,
        processes=runner.local_processes))
    question = " ".join(args.grid + [args.metric])
    folder = Path(args.out) / answer_name(scenario.name, "sweep", question)
    check_disk(folder.parent, len(points), steps + 1, False)
    with atomic_directory(folder) as staging:
        ensemble = run_design(scenario, points, parameters, args.chunk, runner, progress=progress,
                              store=staging / STORE_NAME)
        left_out = require_some_possible(ensemble, "grid points")
        table = sweep_table(scenario, parameters, points, ensemble, args.metric, metric)
        column = table[args.metric].to_numpy()
        figures = []
        names = list(parameters)
        if len(names) == 2 and args.formats:
            grid, xs, ys = heatmap_grid(points, column)
            label = f"{REGISTRY[metric.metric].label(args.lang)} {metric.year} ({axis(metric.metric, args.lang)[1]})"
            divisor = axis(metric.metric, args.lang)[0]
            figures.append((figure("heatmap_figure"), (grid / divisor, xs, ys, names[1], names[0], label,
                                             f"{scenario.label}: {label}")))
        meta = metadata(scenario, {"question": question, "grid": args.grid, "points": len(points),
                                   "metric": args.metric, "backend": runner.name, "impossible": left_out,
                                   "inputs": inputs_record(ensemble)})
        fill_folder(staging, {"sweep.csv": table}, start_figures(staging, figures, args.formats), start, meta,
                    "sweep.json")
    best = int(np.nanargmax(column))
    shown = lambda v: format_value(metric.metric, v, args.lang, scenario.base_year)  # noqa: E731
    at_best = ", ".join(f"{n} = {compact(v)}" for n, v in zip(names, points[best]))
    label = REGISTRY[metric.metric].label(args.lang)
    if args.lang == "ja":
        say(args, f"{scenario.name} の{len(points):,}点のグリッド（{runner.name}）：{metric.year}年の{label}は"
                  f"{shown(np.nanmin(column))}～{shown(np.nanmax(column))}、最大は {at_best}")
    else:
        say(args, f"{len(points):,} grid points of {scenario.name} ({runner.name}): {label} in {metric.year} "
                  f"ranges from {shown(np.nanmin(column))} to {shown(np.nanmax(column))}, highest with {at_best}")
    if left_out:
        say(args, describe_impossible(left_out, len(points), "grid points"))
    say_inputs(args, ensemble)
    say(args, f"written to {folder}/")
    return 0
